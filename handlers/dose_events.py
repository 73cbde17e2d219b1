"""The scheduler's dose events: the daily reminder and its re-sends (snooze, follow-ups).

- "dose" (ref ""): one per patient, next fire from people.remind_at + timezone; its
  occurrence is the local date, so the ledger lets one reminder per local day through.
- "dose_again" (ref = local date): fixed instants in its payload {"at": [...], "snoozed"}:
  a snooze (one instant) or the follow-up nudges (up to two). It sends only while that
  day's dose is still pending and the day is not over.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode

from bot.parsing import parse_time
from bot.timerules import epoch, from_epoch, local_date, next_daily
from db import doses, events, people, reminders
from db.events import Delivery, Event

if TYPE_CHECKING:
    from bot.services import Services

DOSE = "dose"
AGAIN = "dose_again"
SNOOZE_CHOICES = (15, 30, 60)
LATE = timedelta(minutes=5)  # later than this (the bot was down), the reminder says so


def remind_time(services: Services, chat_id: int) -> time | None:
    person = people.get(services.db, chat_id)
    return parse_time(person.remind_at) if person and person.remind_at else None


def schedule_daily(services: Services, chat_id: int) -> datetime | None:
    """(Re)create the daily event from her settings; the next reminder, or None when off."""
    at = remind_time(services, chat_id)
    if at is None:
        events.cancel(services.db, chat_id, DOSE, "")
        return None
    fire = next_daily(at, services.zone(chat_id), services.clock.now())
    events.schedule(services.db, chat_id, DOSE, epoch(fire))
    return fire


def schedule_again(
    services: Services, chat_id: int, day: str, at: list[datetime], snoozed: bool
) -> None:
    """Replace the day's pending re-sends with these instants (none: just cancel)."""
    if not at:
        events.cancel(services.db, chat_id, AGAIN, day)
        return
    payload = {"at": [epoch(t) for t in at], "snoozed": snoozed}
    events.schedule(services.db, chat_id, AGAIN, epoch(at[0]), ref=day, payload=payload)


def schedule_nudges(services: Services, chat_id: int, day: str, sent: datetime) -> None:
    minutes = reminders.get(services.db, chat_id).nudge_minutes
    step = timedelta(minutes=minutes)
    nudges = [sent + step, sent + 2 * step] if minutes else []
    schedule_again(services, chat_id, day, nudges, snoozed=False)


def dose_keyboard(services: Services, chat_id: int, day: str) -> InlineKeyboardMarkup:
    return _keyboard(services, services.language(chat_id), day)


@lru_cache(maxsize=64)
def _keyboard(services: Services, language: str, day: str) -> InlineKeyboardMarkup:
    """Built once per language and day, not once per reminder of a fan-out (a frozen
    object, safely shared; see docs/performance.md)."""

    def button(key: str, action: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            services.catalog.text(language, key), callback_data=f"rem:{action}"
        )

    return InlineKeyboardMarkup(
        [
            [
                button("reminders_button_taken", f"take:{day}"),
                button("reminders_button_snooze", f"snooze:{day}:15"),
                button("reminders_button_skip", f"skip:{day}"),
            ]
        ]
    )


async def send_dose_message(
    bot: Bot, services: Services, chat_id: int, day: str, key: str, due: int
) -> int:
    person = people.get(services.db, chat_id)
    due_at = from_epoch(due).astimezone(services.zone(chat_id)).strftime("%H:%M")
    text = services.text(chat_id, key, name=person.first_name if person else "", time=due_at)
    # The day's row exists before the message does: a quick tap on Taken always finds it.
    doses.open_dose(services.db, chat_id, day, due, None)
    message = await bot.send_message(
        chat_id, text, parse_mode=ParseMode.HTML, reply_markup=dose_keyboard(services, chat_id, day)
    )
    doses.open_dose(services.db, chat_id, day, due, message.message_id)
    return message.message_id


class DoseKind:
    name = DOSE

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        at = remind_time(services, event.chat_id)
        return next_daily(at, services.zone(event.chat_id), after) if at else None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id, day = delivery.chat_id, delivery.occurrence
        doses.close_before(services.db, chat_id, day)
        last = doses.latest(services.db, chat_id)
        if last is not None and last.local_date > day:
            return None  # she moved west: that date was already left behind, never remind twice
        if last is not None and last.local_date == day and last.status != "pending":
            return None  # already answered for that day
        now = services.clock.now()
        late = now - from_epoch(delivery.due) > LATE
        key = "reminders_due_late" if late else "reminders_due"
        message_id = await send_dose_message(bot, services, chat_id, day, key, delivery.due)
        schedule_nudges(services, chat_id, day, now)
        return message_id

    def expire(self, services: Services, delivery: Delivery) -> None:
        doses.record_missed(services.db, delivery.chat_id, delivery.occurrence, delivery.due)


class DoseAgainKind:
    name = AGAIN

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return str(epoch(due))

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        later = [t for t in event.payload.get("at", []) if t > epoch(after)]
        return from_epoch(min(later)) if later else None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id, day = delivery.chat_id, delivery.ref
        dose = doses.get(services.db, chat_id, day)
        today = local_date(services.clock.now(), services.zone(chat_id)).isoformat()
        if dose is None or dose.status != "pending" or today > day:
            return None
        snoozed = bool(delivery.payload.get("snoozed"))
        key = "reminders_snoozed_due" if snoozed else "reminders_nudge"
        message_id = await send_dose_message(bot, services, chat_id, day, key, dose.due)
        if snoozed:
            schedule_nudges(services, chat_id, day, services.clock.now())
        return message_id

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # the daily dose records the day; a late re-send means nothing more
