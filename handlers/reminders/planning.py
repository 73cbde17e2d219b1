"""When her dose events are due: the daily reminder from her time and zone, and a day's
re-sends (a snooze, the follow-up nudges). The database and the rules, no Telegram;
kinds.py delivers them."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlite_utils import Database

from bot.core import Core
from bot.pure.parsing import parse_time
from bot.pure.timerules import epoch, next_daily
from db import doses, events, people, reminders

DOSE = "dose"
AGAIN = "dose_again"
SNOOZE_CHOICES = (15, 30, 60)


def remind_time(core: Core, chat_id: int) -> time | None:
    person = people.get(core.db, chat_id)
    return parse_time(person.remind_at) if person and person.remind_at else None


def schedule_daily(core: Core, chat_id: int) -> datetime | None:
    """(Re)create the daily event from her settings; the next reminder, or None when off."""
    at = remind_time(core, chat_id)
    if at is None:
        events.cancel(core.db, chat_id, DOSE, "")
        return None
    fire = next_daily(at, core.zone(chat_id), core.clock.now())
    events.schedule(core.db, chat_id, DOSE, epoch(fire))
    return fire


def schedule_again(core: Core, chat_id: int, day: str, at: list[datetime], snoozed: bool) -> None:
    """Replace the day's pending re-sends with these instants (none: just cancel)."""
    if not at:
        events.cancel(core.db, chat_id, AGAIN, day)
        return
    payload = {"at": [epoch(t) for t in at], "snoozed": snoozed}
    events.schedule(core.db, chat_id, AGAIN, epoch(at[0]), ref=day, payload=payload)


def schedule_nudges(core: Core, chat_id: int, day: str, sent: datetime) -> None:
    minutes = reminders.get(core.db, chat_id).nudge_minutes
    step = timedelta(minutes=minutes)
    nudges = [sent + step, sent + 2 * step] if minutes else []
    schedule_again(core, chat_id, day, nudges, snoozed=False)


def carries(db: Database, chat_id: int, day: str, due: int) -> bool:
    """Whether her daily reminder of `day` goes (or went) out at `due`: then it carries
    every dose due at that minute. No record of the day yet means it is still to come,
    unless a later day is recorded already (she moved west: it never comes for that date)."""
    dose = doses.get(db, chat_id, day)
    if dose is not None:
        return dose.due == due
    latest = doses.latest(db, chat_id)
    return latest is None or latest.local_date < day
