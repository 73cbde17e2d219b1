"""The treatment course in Telegram: /started, /progress and /calendar (an .ics file with the
next scan, check-ups and the daily reminder). Its rules and texts are in usecases.py, its
anniversaries in planning.py and kinds.py."""

from __future__ import annotations

from typing import Any

from telegram import InputFile, Update

from bot.dates import DateProblem, parse_day
from bot.ics import build_calendar
from bot.replies import send
from bot.services import BotContext, Services, chat_id_of
from handlers.checkups.kinds import AnniversaryKind
from handlers.checkups.planning import today
from handlers.checkups.usecases import (
    DEFAULT_YEARS,
    YEARS_RANGE,
    calendar_items,
    problem_text,
    progress_text,
    start_course,
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
        InputFile(data, filename="anastrozole.ics"),
        caption=services.text(chat_id, "calendar_caption"),
    )


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("started", started_command, "checkups", "course_menu_started", 40)
    registry.command("progress", progress_command, "checkups", "course_menu_progress", 50)
    registry.command("calendar", calendar_command, "checkups", "course_menu_calendar", 60)
    services.add_kind(AnniversaryKind())
