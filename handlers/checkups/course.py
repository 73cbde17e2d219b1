"""The treatment course in Telegram: /started, /progress and /calendar (an .ics file with the
next scan, check-ups and the daily reminder). Its rules and texts are in usecases.py, its
anniversaries in planning.py and kinds.py."""

from __future__ import annotations

from typing import Any

from telegram import InputFile, Update

from bot.core import file_name
from bot.pure.dates import DateProblem, parse_day
from bot.pure.ics import build_calendar
from bot.pure.words import her_words
from bot.replies import send
from bot.services import BotContext, Services, chat_id_of, typed_text
from handlers.checkups.buttons import course_buttons
from handlers.checkups.kinds import AnniversaryKind
from handlers.checkups.planning import today
from handlers.checkups.usecases import (
    DEFAULT_YEARS,
    STARTED,
    YEARS_RANGE,
    await_started,
    calendar_items,
    problem_text,
    progress_text,
    start_course,
    started_due,
    stop_waiting,
)


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
    await send(context.bot, chat_id, start_course(services, chat_id, day, years))


async def progress_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    await send(context.bot, chat_id, progress_text(services, chat_id))


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
        InputFile(data, filename=file_name(services, chat_id, "calendar_filename")),
        caption=services.text(chat_id, "calendar_caption"),
    )


async def ask_started(update: Update, context: BotContext) -> bool:
    """After the reminder and the scan question: the day she started, once (her progress,
    anniversaries and the oncologist's report need it); True when it asked."""
    services = context.services
    chat_id = chat_id_of(update)
    if not started_due(services, chat_id):
        return False
    text = services.text(chat_id, "course_onboarding_question", example=today(services, chat_id))
    await send(context.bot, chat_id, text, course_buttons(services, chat_id))
    await_started(services, chat_id)
    return True


async def on_typed_started(update: Update, context: BotContext) -> bool:
    """The day typed to "when did you start?" ("14 March 2025", "14 марта 2025"):
    saved as /started would save it. "Not sure", "later" or words that are no date close the
    question (False: a question goes on to its answer)."""
    services = context.services
    chat_id = chat_id_of(update)
    stop_waiting(services, chat_id)
    typed = typed_text(update)
    if her_words(services.settings.content_path).answer(typed) is not None:
        await send(context.bot, chat_id, services.text(chat_id, "course_onboarding_later"))
        return True
    now = today(services, chat_id)
    day = parse_day(typed, now, "past", services.names(chat_id))
    if isinstance(day, DateProblem) and day.reason == "unreadable":
        return False
    if isinstance(day, DateProblem):  # a month alone, a day to come: say so, and ask again
        await send(context.bot, chat_id, problem_text(services, chat_id, day, "started"))
        await_started(services, chat_id)
        return True
    await send(context.bot, chat_id, start_course(services, chat_id, day, DEFAULT_YEARS))
    return True


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.on_start("started", ask_started, order=30)  # after the scan question
    registry.on_reply(STARTED, on_typed_started)
    registry.command("started", started_command, "checkups", "course_menu_started", 40)
    registry.command("progress", progress_command, "checkups", "course_menu_progress", 50)
    registry.command("calendar", calendar_command, "checkups", "course_menu_calendar", 60)
    services.add_kind(AnniversaryKind())
