"""The person middleware: every update that passed the gate (bot/gate.py) first refreshes
her record (name, Telegram language, last seen) and puts it on the context (BotContext.person),
so the update's handlers need not read her row again. A chat paused by a 403 resumes."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from telegram import Update
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot import scheduler
from bot.errors import apologise
from bot.services import BotContext, Services
from db import people

log = logging.getLogger(__name__)

GROUP = -1  # after the gate (-2), before every feature (0): one handler runs per group


async def track_person(update: Update, context: BotContext) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:  # bot/gate.py lets only private chats through
        return
    services = context.services
    language = services.catalog.language_for(user.language_code)
    try:
        person, was_blocked = people.touch(
            services.db, chat.id, user.first_name or "", language, services.clock.now()
        )
    except sqlite3.Error as exc:  # locked, disk full ...: one apology, and no handler runs
        log.error("could not save who wrote: %s", type(exc).__name__)
        await apologise(context.bot, services, chat.id)
        raise ApplicationHandlerStop from None
    if isinstance(context, BotContext):
        context.person = person  # one read of her row per update (bot/services.py BotContext)
    if was_blocked:
        scheduler.resume_chat(services, chat.id)


def install(app: Any, services: Services) -> None:
    app.add_handler(TypeHandler(Update, track_person), group=GROUP)
