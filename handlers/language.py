"""/language: she picks the language the bot writes in, whatever her Telegram app uses.

The choice is kept with her record (db/people.py `choose_language`); her own menu follows it
(a menu for her chat alone), since Telegram otherwise shows the one for her app's language.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from telegram import BotCommandScopeChat, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.pure.callbacks import CallbackData, Text
from bot.replies import button, edit, expired, pressed, send
from bot.services import BotContext, Services, chat_id_of
from db import people


class LanguageButton(CallbackData, prefix="language"):
    """A language to choose: "language:<code>"."""

    language: Annotated[str, Text(3, "a-z")]


def choices(services: Services) -> InlineKeyboardMarkup:
    """One button per interface language, each named in its own language (English, Русский)."""
    return InlineKeyboardMarkup(
        [
            [
                button(
                    services.catalog.text(language, "language_name"),
                    LanguageButton(language).pack(),
                )
            ]
            for language in services.catalog.languages()
        ]
    )


async def language_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    language = services.language(chat_id, context)
    current = services.catalog.text(language, "language_name")
    text = services.catalog.text(language, "language_choose", current=current)
    await send(context.bot, chat_id, text, choices(services))


async def on_button(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    chosen = LanguageButton.unpack(data)
    if chosen is None or chosen.language not in services.catalog.languages():
        await expired(query, services, chat_id, context)
        return
    language = chosen.language
    people.choose_language(services.db, chat_id, language)
    await query.answer()
    await edit(query, services.catalog.text(language, "language_set"))
    await context.bot.set_my_commands(
        services.registry.menu(partial(services.describe, language=language)),
        scope=BotCommandScopeChat(chat_id),
    )


def register(app: Any, services: Services) -> None:
    services.registry.command("language", language_command, "start", "language_menu", order=2)
    app.add_handler(CallbackQueryHandler(on_button, pattern=LanguageButton.pattern()))
