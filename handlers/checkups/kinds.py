"""The scheduler's kinds behind check-ups: the prompt (again every 14 days until she
answers), the reminder the day before a booked appointment, and the course's
anniversary notes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from telegram import Bot

from bot.pure.dates import anniversary, is_overdue
from bot.pure.signals import BonescanOverdue
from bot.pure.timerules import from_epoch, local_date
from bot.replies import send
from bot.services import Services
from db import checkups, events
from db.checkups import Check
from db.events import Delivery, Event
from handlers.checkups.buttons import answer_buttons
from handlers.checkups.planning import (
    ANNIVERSARY,
    BOOKED,
    PROMPT,
    REPEAT_DAYS,
    fire_on,
    next_note,
    plan,
    soonest_day,
    today,
)
from handlers.checkups.usecases import await_prompt, years_text


class DayKind:
    """An event kind with at most one occurrence per local day of hers (the ledger key)."""

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def waiting(self, services: Services, event: Event) -> datetime | None:
        """The instant the event points at, while that occurrence is not sent yet (as when
        it is recomputed after a change of her time or zone); None once the tick took it.
        Already due, it is the tick's to send: recomputing must not skip it."""
        pending = from_epoch(event.next_fire)
        taken = events.claimed(services.db, event, self.occurrence(services, event, pending))
        return None if taken else pending


class PromptKind(DayKind):
    """The scan or check-up prompt: on its day at her reminder time, then every 14 days."""

    name = PROMPT

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        """Once sent, again 14 days later. Not sent yet, it stays owed: on its day at her
        time, or at her next reminder time if that has gone by (never from the anchor
        grid, so a prompt sent a day late is not followed by another the next day)."""
        zone = services.zone(event.chat_id)
        waiting = self.waiting(services, event)
        if waiting is None:
            day = local_date(after, zone) + timedelta(days=REPEAT_DAYS)
        elif waiting <= after:
            return waiting
        else:
            anchor = date.fromisoformat(event.payload["anchor"])
            day = max(local_date(waiting, zone), anchor, local_date(after, zone))
        while (instant := fire_on(services, event.chat_id, day)) <= after:
            day += timedelta(days=1)
        return instant

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id, name = delivery.chat_id, delivery.ref
        check = checkups.get(services.db, chat_id, name)
        if not check.enabled:
            return None
        due = date.fromisoformat(delivery.payload["due"])
        overdue = is_overdue(due, today(services, chat_id))
        key = _prompt_key(check, overdue)
        text = services.text(
            chat_id,
            key,
            check=services.text(chat_id, f"checkups_name_{name}"),
            due=due,
            booked=check.booked_date or "",
        )
        message_id = await send(bot, chat_id, text, answer_buttons(services, chat_id, name))
        if name == "bonescan" and overdue:
            await services.registry.emit(services, bot, BonescanOverdue(chat_id))
        return message_id

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        """The buttons are a shortcut: her words answer the prompt too (while fresh)."""
        await_prompt(services, delivery.chat_id, delivery.ref)

    def expire(self, services: Services, delivery: Delivery) -> None:
        """Missed while the bot was down: ask at the next prompt time instead of in 14 days."""
        plan(services, delivery.chat_id, delivery.ref, soonest_day(services, delivery.chat_id))


def _prompt_key(check: Check, overdue: bool) -> str:
    if check.booked_date:
        return "checkups_prompt_after_booking"
    if check.last_date is None:
        return f"checkups_prompt_first_{check.name}"
    prefix = "checkups_prompt" if check.name == "bonescan" else "checkups_prompt_cholesterol"
    return f"{prefix}_overdue" if overdue else f"{prefix}_due"


class BookedKind(DayKind):
    """One reminder the day before a booked appointment, at her reminder time."""

    name = BOOKED

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        if (waiting := self.waiting(services, event)) and waiting <= after:
            return waiting
        booked = checkups.get(services.db, event.chat_id, event.ref).booked_date
        if booked is None:
            return None
        instant = fire_on(services, event.chat_id, booked - timedelta(days=1))
        return instant if instant > after else None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id = delivery.chat_id
        booked = checkups.get(services.db, chat_id, delivery.ref).booked_date
        if booked is None or booked != today(services, chat_id) + timedelta(days=1):
            return None
        text = services.text(
            chat_id,
            "checkups_booked_reminder",
            check=services.text(chat_id, f"checkups_name_{delivery.ref}"),
            booked=booked,
        )
        return await send(bot, chat_id, text)

    def expire(self, services: Services, delivery: Delivery) -> None:
        """Too late for "tomorrow": the prompt after the appointment still comes."""


class AnniversaryKind(DayKind):
    """A short encouraging note on each anniversary of the start, at her reminder time."""

    name = ANNIVERSARY

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        if (waiting := self.waiting(services, event)) and waiting <= after:
            return waiting
        return next_note(services, event.chat_id, after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id = delivery.chat_id
        course = checkups.get_course(services.db, chat_id)
        if course is None:
            return None
        day = local_date(from_epoch(delivery.due), services.zone(chat_id))
        year = next(
            (y for y in range(1, course.years + 1) if anniversary(course.started, y) == day), None
        )
        if year is None:
            return None
        key = "course_anniversary_last" if year == course.years else "course_anniversary"
        text = services.text(chat_id, key, count=years_text(services, chat_id, year))
        return await send(bot, chat_id, text)

    def expire(self, services: Services, delivery: Delivery) -> None:
        """An anniversary note missed while the bot was down is simply not sent."""
