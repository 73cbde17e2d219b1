"""The last line of defence: log the error (never message text or health data) and answer
the person with a short apology instead of silence or a traceback."""

from __future__ import annotations

import logging
import sqlite3
import traceback

from telegram import Bot, Update
from telegram.ext import ContextTypes

from bot.i18n import FALLBACK
from bot.services import Services, get_services

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    kind = type(update).__name__ if update is not None else "job"
    log.error("error while handling %s: %s", kind, where(error))
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    await apologise(context.bot, get_services(context), update.effective_chat.id)


async def apologise(bot: Bot, services: Services, chat_id: int) -> None:
    """The short apology, in her language when the database can still tell it."""
    try:
        text = services.text(chat_id, "error_apology")
    except sqlite3.Error:  # the database is what failed: apologise in the default language
        text = services.catalog.text(FALLBACK, "error_apology")
    try:
        await bot.send_message(chat_id, text)
    except Exception as exc:  # the apology itself failed: nothing more to do but log
        log.warning("could not send the apology: %s", type(exc).__name__)


def where(error: BaseException | None) -> str:
    """The error's type and the code it went through, without its message: messages such as
    int()'s "invalid literal ... 'what she typed'" would carry a person's words into the log."""
    if error is None:
        return "unknown error"
    frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    return f"{type(error).__name__}\nTraceback (most recent call last):\n{frames}".rstrip()


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # At DEBUG, python-telegram-bot logs every Bot API call with its body: what she wrote
    # (getUpdates) and what she was told. Its INFO and above carry no message text.
    logging.getLogger("telegram").setLevel(max(logging.getLevelName(level.upper()), logging.INFO))
    # httpx logs every request URL, which contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # APScheduler logs two lines per run of the tick: 17,000 lines a day of nothing.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
