"""When an injection or infusion every few months (denosumab every six months ...) is
prompted: no daily reminder, but a word on the morning it is due (kinds.py InjectionKind).

One "meds_injection" event per such medicine (ref: its id), at PROMPT_AT local time on
each due date (counted from its start, bot/pure/medschedule.py EveryNMonths); its
occurrence is that date, so the ledger lets one prompt per due date through. The database
and the rules, no Telegram."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import Core
from bot.pure.medschedule import EveryNMonths, ScheduleError, from_json
from bot.pure.timerules import epoch, local_date, resolve
from db import events, medicines

INJECTION = "meds_injection"
PROMPT_AT = time(10, 0)  # as the check-up prompts when she has no reminder time


def schedule(core: Core, chat_id: int, medicine_id: int) -> EveryNMonths | None:
    """Its schedule while it is active and given every few months."""
    medicine = medicines.get(core.db, chat_id, medicine_id)
    if medicine is None or medicine.status != "active":
        return None
    try:
        found = from_json(medicine.schedule)
    except ScheduleError:
        return None
    return found if isinstance(found, EveryNMonths) else None


def next_prompt(schedule: EveryNMonths, zone: ZoneInfo, after: datetime) -> datetime:
    """PROMPT_AT on the first due date whose prompt is still ahead of `after`."""
    day = schedule.due_from(local_date(after, zone))
    while (fire := resolve(day, PROMPT_AT, zone)) <= after:
        day = schedule.due_from(day + timedelta(days=1))
    return fire


def sync(core: Core, chat_id: int) -> None:
    """One prompt event per active every-few-months medicine of hers; the others' go."""
    wanted: dict[str, EveryNMonths] = {}
    for medicine in medicines.listed(core.db, chat_id):
        if (every := schedule(core, chat_id, medicine.id)) is not None:
            wanted[str(medicine.id)] = every
    for event in events.for_chat(core.db, chat_id):
        if event.kind == INJECTION and event.ref not in wanted:
            events.cancel(core.db, chat_id, INJECTION, event.ref)
    zone, now = core.zone(chat_id), core.clock.now()
    for ref, every in wanted.items():
        events.schedule(core.db, chat_id, INJECTION, epoch(next_prompt(every, zone, now)), ref)
