"""The treatment course: /started, /progress, a note on each anniversary, and /calendar
(an .ics file with the next scan, check-ups and the daily reminder)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from telegram import Bot, InputFile, Update

from bot.dates import (
    DateProblem,
    anniversary,
    course_end,
    next_anniversary,
    parse_day,
    progress,
)
from bot.ics import CalendarItem, build_calendar
from bot.replies import send
from bot.services import BotContext, Services, chat_id_of
from bot.timerules import epoch, from_epoch, local_date
from db import checkups, events, people
from db.checkups import CHECKS
from db.events import Delivery, Event
from handlers.checkups.kinds import DayKind
from handlers.checkups.planning import PROMPT, due_date, fire_on, plan, today
from handlers.checkups.usecases import problem_text

ANNIVERSARY = "anniversary"
YEARS_RANGE = (1, 10)
DEFAULT_YEARS = 5


def years_text(services: Services, chat_id: int, years: int) -> str:
    if years == 1:
        return services.text(chat_id, "course_years_one")
    return services.text(chat_id, "course_years_many", years=years)


def plan_anniversaries(services: Services, chat_id: int) -> None:
    following = next_note(services, chat_id, services.clock.now())
    with services.db.atomic():
        events.cancel(services.db, chat_id, ANNIVERSARY)
        if following is not None:
            events.schedule(services.db, chat_id, ANNIVERSARY, epoch(following))


def next_note(services: Services, chat_id: int, after: datetime) -> datetime | None:
    """The first anniversary at her reminder time strictly after `after`, within the course."""
    course = checkups.get_course(services.db, chat_id)
    if course is None:
        return None
    day = local_date(after, services.zone(chat_id)) - timedelta(days=1)
    while found := next_anniversary(course.started, course.years, day):
        instant = fire_on(services, chat_id, found[1])
        if instant > after:
            return instant
        day = found[1]
    return None


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


async def started_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    args = list(context.args or [])
    if not args:
        text = services.text(chat_id, "course_ask_started", example=today(services, chat_id))
        await send(context.bot, chat_id, text)
        return
    years = DEFAULT_YEARS
    if len(args) > 1 and args[-1].isdecimal() and len(args[-1]) <= 2:
        years = int(args.pop())
        low, high = YEARS_RANGE
        if not low <= years <= high:
            await send(context.bot, chat_id, services.text(chat_id, "course_years_invalid"))
            return
    now = today(services, chat_id)
    day = parse_day(" ".join(args), now, "past", services.names(chat_id))
    if isinstance(day, DateProblem):
        refused = (
            services.text(chat_id, "course_date_future", example=now)
            if day.reason == "future"
            else problem_text(services, chat_id, day, "started")
        )
        await send(context.bot, chat_id, refused)
        return
    checkups.set_course(services.db, chat_id, day, years)
    plan_anniversaries(services, chat_id)
    plan(services, chat_id, "cholesterol")
    parts = [
        services.text(chat_id, "course_saved", started=day, years=years),
        progress_text(services, chat_id),
        cholesterol_note(services, chat_id),
    ]
    await send(context.bot, chat_id, "\n\n".join(p for p in parts if p))


def cholesterol_note(services: Services, chat_id: int) -> str:
    """With no test recorded, the start of the course sets the first cholesterol prompt:
    say when, so it is no surprise."""
    prompt = events.find(services.db, chat_id, PROMPT, "cholesterol")
    if prompt is None or checkups.get(services.db, chat_id, "cholesterol").last_date:
        return ""
    day = local_date(from_epoch(prompt.next_fire), services.zone(chat_id))
    example = today(services, chat_id)
    return services.text(chat_id, "course_cholesterol_note", day=day, example=example)


def progress_text(services: Services, chat_id: int) -> str:
    course = checkups.get_course(services.db, chat_id)
    now = today(services, chat_id)
    if course is None:
        return services.text(chat_id, "course_ask_started", example=now)
    if progress(course.started, course.years, now).finished:
        end = course_end(course.started, course.years)
        return services.text(chat_id, "course_finished", years=course.years, end=end)
    done = progress(course.started, course.years, now)
    lines = [
        services.text(
            chat_id,
            "course_progress",
            day=f"{done.day:,}",
            total=f"{done.total:,}",
            percent=done.percent,
            years=course.years,
        )
    ]
    upcoming = next_anniversary(course.started, course.years, now)
    if upcoming is not None:
        year, day = upcoming
        if year == course.years:
            lines.append(services.text(chat_id, "course_next_end", day=day))
        else:
            count = years_text(services, chat_id, year)
            lines.append(services.text(chat_id, "course_next_anniversary", count=count, day=day))
    return "\n".join(lines)


async def progress_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    await send(context.bot, chat_id, progress_text(services, chat_id))


def calendar_items(services: Services, chat_id: int) -> list[CalendarItem]:
    items: list[CalendarItem] = []
    now = today(services, chat_id)
    for name in CHECKS:
        check = checkups.get(services.db, chat_id, name)
        title = services.text(chat_id, f"checkups_title_{name}")
        if not check.enabled:
            continue
        if check.booked_date and check.booked_date >= now:
            summary = services.text(chat_id, "calendar_booked", title=title)
            items.append(CalendarItem(f"{name}-booked", summary, check.booked_date))
        due = due_date(check)
        if due is not None:
            summary = services.text(chat_id, "calendar_check", title=title)
            items.append(CalendarItem(name, summary, max(due, now)))
    person = people.get(services.db, chat_id)
    if person and person.remind_at:
        at = time.fromisoformat(person.remind_at)
        summary = services.text(chat_id, "calendar_dose")
        items.append(CalendarItem("dose", summary, now, at, daily=True))
    return items


async def calendar_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    items = calendar_items(services, chat_id)
    if not items:
        await send(context.bot, chat_id, services.text(chat_id, "calendar_empty"))
        return
    data = build_calendar(items, services.zone(chat_id), chat_id, services.clock.now())
    await context.bot.send_document(
        chat_id,
        InputFile(data, filename="anastrozole.ics"),
        caption=services.text(chat_id, "calendar_caption"),
    )


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("started", started_command, "checkups", "course_menu_started", 40)
    registry.command("progress", progress_command, "checkups", "course_menu_progress", 50)
    registry.command("calendar", calendar_command, "checkups", "course_menu_calendar", 60)
    services.add_kind(AnniversaryKind())
