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

from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.kinds import AtInstants
from bot.moment import Message, Reader, compose
from bot.pure.signals import MedicineMissed
from bot.pure.timerules import local_date
from bot.replies import post, send
from db import medicines
from db.events import Delivery, Event, Recipient
from handlers.medicines import buttons, injections
from handlers.medicines.injections import INJECTION
from handlers.medicines.moment import open_due, still_open
from handlers.medicines.planning import (
    AGAIN,
    MISSED,
    follow_up_step,
    schedule_missed_check,
    schedule_nudges,
)
from handlers.medicines.usecases import SLOT, due_at, slot_fire

if TYPE_CHECKING:
    from bot.services import Services


def zone_of(person: Recipient | None) -> ZoneInfo:
    """Her zone; UTC until she sets one (as Services.zone)."""
    return ZoneInfo(person.timezone) if person and person.timezone else ZoneInfo("UTC")


def render(services: Services, delivery: Delivery, day: str, slot: str, key: str) -> Message:
    """The reminder of (day, slot) as it stands, with whatever else is due then (her
    anastrozole at its minute: bot/moment.py)."""
    reader = Reader.sent_to(services, delivery.chat_id, delivery.person)
    return compose(reader, services.registry.members(), day, slot, reader.text(key, time=slot))


async def send_reminder(
    bot: Bot, services: Services, delivery: Delivery, day: str, slot: str, key: str
) -> int | None:
    """The moment's message; None when nothing of it is open any more."""
    message = render(services, delivery, day, slot, key)
    if not message.open:
        return None
    return await post(bot, delivery.chat_id, message.text, message.keyboard())


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
        person, day_ = delivery.person, date.fromisoformat(day)
        doses = services.queries.doses
        if person and person.remind_at == slot and doses.carries(db, chat_id, day_, delivery.due):
            return False  # her daily reminder carries this moment (bot/moment.py)
        return open_due(services, chat_id, day, slot, delivery.due) > 0

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        day, slot = delivery.occurrence, delivery.ref
        return await send_reminder(bot, services, delivery, day, slot, "moment_due")

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        day, slot = delivery.occurrence, delivery.ref
        medicines.set_messages(services.db, delivery.chat_id, day, slot, message_id)
        step = follow_up_step(services, delivery.chat_id)  # read once for both
        schedule_nudges(services, delivery.chat_id, day, slot, step)
        schedule_missed_check(services, delivery.chat_id, day, slot, step)

    def expire(self, services: Services, delivery: Delivery) -> None:
        """Too late to remind (the bot was down): the doses of then count as missed."""
        day, slot = delivery.occurrence, delivery.ref
        for medicine_id in due_at(services, delivery.chat_id, date.fromisoformat(day), slot):
            medicines.open_dose(
                services.db, medicine_id, delivery.chat_id, day, slot, delivery.due, "missed"
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
        key = "moment_snoozed" if delivery.payload.get("snoozed") else "moment_nudge"
        return await send_reminder(bot, services, delivery, day, slot, key)

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        """The message on the doses; after a snooze, the follow-ups start again."""
        day, _, slot = delivery.ref.partition("@")
        medicines.set_messages(services.db, delivery.chat_id, day, slot, message_id)
        if delivery.payload.get("snoozed"):
            step = follow_up_step(services, delivery.chat_id)
            schedule_nudges(services, delivery.chat_id, day, slot, step)

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


class InjectionKind:
    """The morning an injection or infusion every few months is due (injections.py)."""

    name = INJECTION

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, zone_of(event.person)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        every = injections.schedule(services, event.chat_id, int(event.ref))
        return injections.next_prompt(every, zone_of(event.person), after) if every else None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id = delivery.chat_id
        medicine = medicines.get(services.db, chat_id, int(delivery.ref))
        if medicine is None or injections.schedule(services, chat_id, medicine.id) is None:
            return None
        text = services.text(chat_id, "medicines_injection_due", name=medicine.name)
        return await send(bot, chat_id, text, buttons.given(services.say(chat_id), medicine))

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # past its day: the next due date's prompt comes as usual
