"""When a reminder of her medicines comes again: a snooze, the two follow-ups, and the
check whether caregivers should hear of a missed dose. The database, no Telegram;
kinds.py delivers them."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core import Core
from bot.pure.timerules import epoch
from db import events, medicines

AGAIN = "meds_again"
MISSED = "meds_missed"
MISSED_AFTER = 3  # follow-up steps after the reminder: caregivers may hear of it then
NO_FOLLOW_UPS_STEP = timedelta(minutes=60)  # her step when she turned follow-ups off


def schedule_again(
    services: Core, chat_id: int, day: str, slot: str, at: list[datetime], snoozed: bool
) -> None:
    """Replace the re-sends of (day, slot) with these instants."""
    ref = f"{day}@{slot}"
    payload = {"at": [epoch(t) for t in at], "snoozed": snoozed}
    events.schedule(services.db, chat_id, AGAIN, epoch(at[0]), ref=ref, payload=payload)


def follow_up_step(core: Core, chat_id: int) -> timedelta | None:
    """Her /remind follow-up step, as for her daily tablet (None: she wants none)."""
    minutes = core.queries.doses.follow_up_minutes(core.db, chat_id)
    return timedelta(minutes=minutes) if minutes else None


def schedule_nudges(
    services: Core, chat_id: int, day: str, slot: str, step: timedelta | None
) -> None:
    """Two follow-ups, as for her daily tablet: after one of her steps and after two."""
    now = services.clock.now()
    if step is not None:
        schedule_again(services, chat_id, day, slot, [now + step, now + 2 * step], snoozed=False)


def schedule_missed_check(
    services: Core, chat_id: int, day: str, slot: str, step: timedelta | None
) -> None:
    """One step after the last follow-up: whether caregivers should hear of a missed dose.
    Only when she shares one of them (a read is cheaper than the write, for most people)."""
    if not medicines.shared_open(services.db, chat_id, day, slot):
        return
    at = services.clock.now() + MISSED_AFTER * (step or NO_FOLLOW_UPS_STEP)
    payload = {"at": [epoch(at)]}
    events.schedule(services.db, chat_id, MISSED, epoch(at), ref=f"{day}@{slot}", payload=payload)
