"""The scheduler's dose events: the daily reminder and its re-sends (snooze, follow-ups).

- "dose" (ref ""): one per patient, next fire from people.remind_at + timezone; its
  occurrence is the local date, so the ledger lets one reminder per local day through.
- "dose_again" (ref = local date): fixed instants in its payload {"at": [...], "snoozed"}:
  a snooze (one instant) or the follow-up nudges (up to two). It sends only while that
  day's dose is still pending and the day is not over.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.kinds import AtInstants
from bot.moment import Message, Reader, compose
from bot.pure.parsing import parse_time
from bot.pure.timerules import from_epoch, local_date, next_daily
from bot.replies import button, post
from db import doses
from db.events import Delivery, Event, Recipient
from handlers.reminders.buttons import DoseButton
from handlers.reminders.moment import NAME, slot_of
from handlers.reminders.planning import AGAIN, DOSE, carries, schedule_nudges

if TYPE_CHECKING:
    from bot.services import Services

UTC_ZONE = ZoneInfo("UTC")
LATE = timedelta(minutes=5)  # later than this (the bot was down), the reminder says so


def dose_keyboard(services: Services, chat_id: int, day: str) -> InlineKeyboardMarkup:
    return _keyboard(services, services.language(chat_id), day)


@lru_cache(maxsize=64)
def _keyboard(services: Services, language: str, day: str) -> InlineKeyboardMarkup:
    """Built once per language and day, not once per reminder of a fan-out (a frozen
    object, safely shared; see docs/performance.md)."""

    def key_button(key: str, press: DoseButton) -> InlineKeyboardButton:
        return button(services.catalog.text(language, key), press.pack())

    return InlineKeyboardMarkup(
        [
            [
                key_button("reminders_button_taken", DoseButton("take", day)),
                key_button("reminders_button_snooze", DoseButton("snooze", day, 15)),
                key_button("reminders_button_skip", DoseButton("skip", day)),
            ]
        ]
    )


@lru_cache(maxsize=64)
def _keyboard_json(services: Services, language: str, day: str) -> dict[str, Any]:
    """The keyboard as the Bot API's JSON value, so PTB does not serialise the same three
    buttons for every reminder (a quarter of a send's cost). Never modified: shared."""
    return _keyboard(services, language, day).to_dict()


# Pure, and a fan-out asks the same (time, zone, instant) for everyone due together.
_next_daily = lru_cache(maxsize=4096)(next_daily)


@lru_cache(maxsize=4096)
def _wall_time(due: int, zone: ZoneInfo) -> str:
    """The "08:00" a reminder shows: the same for everyone due together in a zone."""
    return from_epoch(due).astimezone(zone).strftime("%H:%M")


def zone_of(person: Recipient | None) -> ZoneInfo:
    """Her zone; UTC until she sets one (as Services.zone)."""
    return ZoneInfo(person.timezone) if person and person.timezone else UTC_ZONE


async def send_dose_message(
    bot: Bot, services: Services, delivery: Delivery, day: str, key: str, due: int
) -> int:
    """Render and send; the message id."""
    person = delivery.person
    language = person.language if person else "en"
    name = person.first_name if person else ""
    text = services.catalog.text(language, key, name=name, time=_wall_time(due, zone_of(person)))
    return await post(bot, delivery.chat_id, text, _keyboard_json(services, language, day))


def moment(
    services: Services, delivery: Delivery, day: str, slot: str, key: str, due: int
) -> Message:
    """Her reminder with the other medicines due at its minute (bot/moment.py)."""
    person = delivery.person
    reader = Reader.sent_to(services, delivery.chat_id, person)
    name = person.first_name if person else ""
    header = reader.text(key, name=name, time=_wall_time(due, reader.zone))
    return compose(reader, services.registry.members(), day, slot, header)


async def send_moment(bot: Bot, delivery: Delivery, message: Message) -> int:
    return await post(bot, delivery.chat_id, message.text, message.keyboard())


class DoseKind:
    """The daily reminder. The person comes with the event (`Event.person`, read in the due
    query), and its writes go in the tick's per-chunk transactions (`prepare`, `sent`), so
    a fan-out reads nobody again and commits once per chunk, not per reminder."""

    name = DOSE
    first = True  # her own reminder: before caregiver news, summaries and prompts
    early = True  # at a peak it may start a little early (bot/scheduler.py `_early`) ...
    early_only = doses.LATEST_DAY_CLOSED  # ... once her latest dose day is closed

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, zone_of(event.person)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        person = event.person
        at = parse_time(person.remind_at) if person and person.remind_at else None
        return _next_daily(at, zone_of(person), after) if at else None

    def __init__(self) -> None:
        self.carrying: set[tuple[int, str]] = set()  # (chat, day): prepared with others

    def prepare(self, services: Services, delivery: Delivery) -> bool:
        """Whether the day still needs its reminder; if so, its row is made now: it exists
        before the message does, so a quick tap on Taken always finds it. The other
        medicines due at its minute are opened too, and the reminder carries them, also
        when her tablet was answered already (bot/moment.py)."""
        db, chat_id, day = services.db, delivery.chat_id, delivery.occurrence
        doses.close_before(db, chat_id, day)
        last = doses.latest(db, chat_id)
        if last is not None and last.local_date > day:
            return False  # she moved west: that date was already left behind, never twice
        answered = last is not None and last.local_date == day and last.status != "pending"
        if not answered:
            doses.open_dose(db, chat_id, day, delivery.due, None)
        others = self._open_others(services, delivery)
        if others:
            self.carrying.add((chat_id, day))
        return others or not answered  # answered already: only the others need it

    @staticmethod
    def _open_others(services: Services, delivery: Delivery) -> bool:
        """The other members' doses at her reminder's minute, made now; whether any is open."""
        person, day, due = delivery.person, delivery.occurrence, delivery.due
        slot = person.remind_at if person else None
        if not slot or not carries(services.db, delivery.chat_id, day, due):
            return False
        members = services.registry.members(besides=NAME)
        return sum(m.open(services, delivery.chat_id, day, slot, due) for m in members) > 0

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        late = services.clock.now() - from_epoch(delivery.due) > LATE
        day = delivery.occurrence
        person = delivery.person
        if (delivery.chat_id, day) in self.carrying and person and person.remind_at:
            key = "moment_due_late" if late else "moment_due_named"
            message = moment(services, delivery, day, person.remind_at, key, delivery.due)
            return await send_moment(bot, delivery, message)
        key = "reminders_due_late" if late else "reminders_due"
        return await send_dose_message(bot, services, delivery, day, key, delivery.due)

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        """The message on the day's row (and the others' it carried), and the follow-up
        nudges, which carry the others too."""
        chat_id, day, person = delivery.chat_id, delivery.occurrence, delivery.person
        doses.set_message(services.db, chat_id, day, message_id)
        if (chat_id, day) in self.carrying and person and person.remind_at:
            self.carrying.discard((chat_id, day))
            for member in services.registry.members(besides=NAME):
                member.sent(services, chat_id, day, person.remind_at, message_id)
        schedule_nudges(services, chat_id, day, services.clock.now())

    def expire(self, services: Services, delivery: Delivery) -> None:
        doses.record_missed(services.db, delivery.chat_id, delivery.occurrence, delivery.due)


class DoseAgainKind(AtInstants):
    """A snooze or follow-up: her own reminder too, so first in a queue, but never early
    (she chose that moment, or the nudge counts from the reminder)."""

    name = AGAIN
    first = True

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        """Her tablet's re-send; with the other medicines of its moment while any of them
        is open, even when her tablet is answered (bot/moment.py)."""
        chat_id, day = delivery.chat_id, delivery.ref
        dose = doses.get(services.db, chat_id, day)
        today = local_date(services.clock.now(), zone_of(delivery.person)).isoformat()
        if dose is None or today > day:
            return None
        snoozed = bool(delivery.payload.get("snoozed"))
        nudges = delivery.payload.get("at", [])
        last = len(nudges) > 1 and delivery.due == nudges[-1]  # the second follow-up differs
        person = delivery.person
        slot = slot_of(services, chat_id, dose, person.remind_at if person else None)
        key = "moment_snoozed" if snoozed else f"moment_nudge{'_last' if last else ''}"
        together = moment(services, delivery, day, slot, key, dose.due)
        if together.members > 1:
            return await send_moment(bot, delivery, together) if together.open else None
        if dose.status != "pending":
            return None
        key = "reminders_snoozed_due" if snoozed else f"reminders_nudge{'_last' if last else ''}"
        return await send_dose_message(bot, services, delivery, day, key, dose.due)

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        """The message on the day's row; after a snooze, the follow-ups start again."""
        doses.set_message(services.db, delivery.chat_id, delivery.ref, message_id)
        if delivery.payload.get("snoozed"):
            schedule_nudges(services, delivery.chat_id, delivery.ref, services.clock.now())

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # the daily dose records the day; a late re-send means nothing more
