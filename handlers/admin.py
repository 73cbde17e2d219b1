"""/admin: the operator's view of the bot's health for the chats in ADMIN_CHAT_IDS.

Counts only, never a name or a health datum. It is not in the menu or /help, and to anyone
else it is an unknown command: its handler only sees admins' updates, so everyone else's
/admin falls through to the unknown-command answer like any other unknown command.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CommandHandler, filters

from bot.operations import bot_version
from bot.pure.timerules import epoch
from bot.services import BotContext, Services, chat_id_of
from db import stats


async def admin_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    found = stats.figures(services.db, epoch(services.clock.now()))

    def lateness(seconds: int | None) -> str:
        if seconds is None:
            return services.text(chat_id, "admin_no_lateness")
        return services.text(chat_id, "admin_seconds", seconds=f"{seconds:,}")

    text = services.text(
        chat_id,
        "admin_figures",
        version=bot_version(),
        people=f"{found.people:,}",
        patients=f"{found.patients_with_reminder:,}",
        links=f"{found.caregiver_links:,}",
        sent_hour=f"{found.sent_last_hour:,}",
        sent_day=f"{found.sent_last_day:,}",
        failed=f"{found.failed_last_day:,}",
        paused=f"{found.paused_chats:,}",
        median=lateness(found.lateness_median),
        p95=lateness(found.lateness_p95),
        size=services.text(
            chat_id, "admin_megabytes", megabytes=f"{found.database_bytes / 1_000_000:,.1f}"
        ),
    )
    await context.bot.send_message(chat_id, text)


def register(app: Any, services: Services) -> None:
    admins = services.settings.admin_chat_ids
    if admins:
        app.add_handler(CommandHandler("admin", admin_command, filters.Chat(chat_id=admins)))
