"""The scheduler's medicine events.

- "meds" (ref "HH:MM"): one per distinct local time of her active medicines; its
  occurrence is the local date, so the ledger lets each (time, day) through once. At fire
  time the rules say which medicines are due that day at that time: all of them come in
  one message, a row of buttons each.
- "meds_again" (ref "<day>@HH:MM"): fixed instants in its payload {"at": [...], "snoozed"}:
  a snooze or the follow-ups. It sends only while one of those doses is still open and the
  day is not over.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardMarkup

from bot.kinds import AtInstants
from bot.pure.alendronic import is_alendronic
from bot.pure.signals import MedicineMissed
from bot.pure.timerules import epoch, local_date
from db import events, medicines
from db.events import Delivery, Event, Recipient
from handlers.medicines import buttons
from handlers.medicines.usecases import SLOT, due_at, slot_fire

if TYPE_CHECKING:
    from bot.services import Services

AGAIN = "meds_again"
MISSED = "meds_missed"
FOLLOW_UP_MINUTES = 60  # as the daily tablet's default follow-up (db/reminders.py)


def zone_of(person: Recipient | None) -> ZoneInfo:
    """Her zone; UTC until she sets one (as Services.zone)."""
    return ZoneInfo(person.timezone) if person and person.timezone else ZoneInfo("UTC")


def render(
    services: Services, chat_id: int, day: str, slot: str, key: str = "medicines_due"
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The reminder of (day, slot) as it stands: a line per medicine, buttons for the open."""
    doses = medicines.doses_at(services.db, chat_id, day, slot)
    lines = [services.text(chat_id, key, time=slot)]
    for dose in doses:
        lines.append(services.text(chat_id, f"medicines_row_{dose.status}", name=dose.medicine))
    if any(is_alendronic(d.medicine) for d in doses):
        lines += ["", services.text(chat_id, "medicines_alendronic_how")]
    return "\n".join(lines), buttons.reminder(services.say(chat_id), doses, day, slot)


def still_open(services: Services, chat_id: int, day: str, slot: str) -> bool:
    return any(d.status == "pending" for d in medicines.doses_at(services.db, chat_id, day, slot))


def schedule_again(
    services: Services, chat_id: int, day: str, slot: str, at: list[datetime], snoozed: bool
) -> None:
    """Replace the re-sends of (day, slot) with these instants."""
    ref = f"{day}@{slot}"
    payload = {"at": [epoch(t) for t in at], "snoozed": snoozed}
    events.schedule(services.db, chat_id, AGAIN, epoch(at[0]), ref=ref, payload=payload)


def schedule_nudges(services: Services, chat_id: int, day: str, slot: str) -> None:
    """Two follow-ups, as the daily tablet's default: after one step and after two."""
    step, now = timedelta(minutes=FOLLOW_UP_MINUTES), services.clock.now()
    schedule_again(services, chat_id, day, slot, [now + step, now + 2 * step], snoozed=False)


def schedule_missed_check(services: Services, chat_id: int, day: str, slot: str) -> None:
    """One step after the last follow-up: whether caregivers should hear of a missed dose."""
    at = services.clock.now() + 3 * timedelta(minutes=FOLLOW_UP_MINUTES)
    payload = {"at": [epoch(at)]}
    events.schedule(services.db, chat_id, MISSED, epoch(at), ref=f"{day}@{slot}", payload=payload)


async def send_reminder(
    bot: Bot, services: Services, chat_id: int, day: str, slot: str, key: str
) -> int:
    text, markup = render(services, chat_id, day, slot, key)
    message = await bot.send_message(chat_id, text, reply_markup=markup)
    return message.message_id


class MedsKind:
    """One local time of hers: every medicine due then, in one message."""

    name = SLOT
    first = True  # her own reminder: before caregiver news, summaries and prompts

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, zone_of(event.person)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return slot_fire(services, event.chat_id, event.ref, zone_of(event.person), after)

    def prepare(self, services: Services, delivery: Delivery) -> bool:
        """The day's dose rows, made once each (a restart finds them and makes none); False
        when nothing is due then or every dose of it is already answered."""
        db, chat_id, day, slot = services.db, delivery.chat_id, delivery.occurrence, delivery.ref
        medicines.close_before(db, chat_id, day)
        for medicine in due_at(services, chat_id, date.fromisoformat(day), slot):
            medicines.open_dose(db, medicine.id, chat_id, day, slot, delivery.due)
        return still_open(services, chat_id, day, slot)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        day, slot = delivery.occurrence, delivery.ref
        return await send_reminder(bot, services, delivery.chat_id, day, slot, "medicines_due")

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        day, slot = delivery.occurrence, delivery.ref
        medicines.set_messages(services.db, delivery.chat_id, day, slot, message_id)
        schedule_nudges(services, delivery.chat_id, day, slot)
        schedule_missed_check(services, delivery.chat_id, day, slot)

    def expire(self, services: Services, delivery: Delivery) -> None:
        """Too late to remind (the bot was down): the doses of then count as missed."""
        day, slot = delivery.occurrence, delivery.ref
        for medicine in due_at(services, delivery.chat_id, date.fromisoformat(day), slot):
            medicines.open_dose(
                services.db, medicine.id, delivery.chat_id, day, slot, delivery.due, "missed"
            )


class MedsAgainKind(AtInstants):
    """A snooze or a follow-up of one reminder: never early, never after its day."""

    name = AGAIN
    first = True

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id = delivery.chat_id
        day, _, slot = delivery.ref.partition("@")
        today = local_date(services.clock.now(), zone_of(delivery.person)).isoformat()
        if today > day or not still_open(services, chat_id, day, slot):
            return None
        key = "medicines_snoozed" if delivery.payload.get("snoozed") else "medicines_nudge"
        return await send_reminder(bot, services, chat_id, day, slot, key)

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        """The message on the doses; after a snooze, the follow-ups start again."""
        day, _, slot = delivery.ref.partition("@")
        medicines.set_messages(services.db, delivery.chat_id, day, slot, message_id)
        if delivery.payload.get("snoozed"):
            schedule_nudges(services, delivery.chat_id, day, slot)

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # the slot's own occurrence records the day


class MedsMissedKind(AtInstants):
    """After the follow-ups: the doses still open that she shares with caregivers are news
    for them (MedicineMissed; the caregivers feature decides who hears it). Nothing is sent
    to her."""

    name = MISSED

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        day, _, slot = delivery.ref.partition("@")
        shared = medicines.shared_open(services.db, delivery.chat_id, day, slot)
        if shared:
            signal = MedicineMissed(delivery.chat_id, day, slot, tuple(shared))
            await services.registry.emit(services, bot, signal)
        return None

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # news that late would only alarm
