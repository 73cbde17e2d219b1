"""Who is talking: every update refreshes the person's record, first of all handlers."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes, TypeHandler

from bot import scheduler
from bot.services import Services, get_services
from db import people


async def track_person(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if chat.type != ChatType.PRIVATE:
        raise ApplicationHandlerStop  # health data never goes to a group chat
    services = get_services(context)
    language = services.catalog.language_for(user.language_code)
    was_blocked = people.touch(
        services.db, chat.id, user.first_name or "", language, services.clock.now()
    )
    if was_blocked:
        scheduler.resume_chat(services, chat.id)


def register(app: Any, services: Services) -> None:
    app.add_handler(TypeHandler(Update, track_person), group=-1)
