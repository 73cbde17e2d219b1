"""When a reminder of her medicines comes again: a snooze, the two follow-ups, and the
check whether caregivers should hear of a missed dose. The database, no Telegram;
kinds.py delivers them."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core import Core
from bot.pure.timerules import epoch
from db import events

AGAIN = "meds_again"
MISSED = "meds_missed"
FOLLOW_UP_MINUTES = 60  # as the daily tablet's default follow-up (db/reminders.py)


def schedule_again(
    services: Core, chat_id: int, day: str, slot: str, at: list[datetime], snoozed: bool
) -> None:
    """Replace the re-sends of (day, slot) with these instants."""
    ref = f"{day}@{slot}"
    payload = {"at": [epoch(t) for t in at], "snoozed": snoozed}
    events.schedule(services.db, chat_id, AGAIN, epoch(at[0]), ref=ref, payload=payload)


def schedule_nudges(services: Core, chat_id: int, day: str, slot: str) -> None:
    """Two follow-ups, as the daily tablet's default: after one step and after two."""
    step, now = timedelta(minutes=FOLLOW_UP_MINUTES), services.clock.now()
    schedule_again(services, chat_id, day, slot, [now + step, now + 2 * step], snoozed=False)


def schedule_missed_check(services: Core, chat_id: int, day: str, slot: str) -> None:
    """One step after the last follow-up: whether caregivers should hear of a missed dose."""
    at = services.clock.now() + 3 * timedelta(minutes=FOLLOW_UP_MINUTES)
    payload = {"at": [epoch(at)]}
    events.schedule(services.db, chat_id, MISSED, epoch(at), ref=f"{day}@{slot}", payload=payload)
