"""The last line of defence: log the error (never message text or health data) and answer
the person with a short apology instead of silence or a traceback."""

from __future__ import annotations

import logging
import sqlite3
import traceback
from typing import TextIO

from telegram import Bot, Update
from telegram.error import InvalidToken
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


INVALID_JSON = "Can not load invalid JSON data"  # python-telegram-bot's message, body appended


class Redact(logging.Filter):
    """Keep what exceptions and Telegram's answers carry out of the logs: an exception is
    logged as its type and code path (as `where` does), so neither InvalidToken's message
    (the token) nor a NetworkError quoting an answer's body reaches them, and the body of an
    answer that is not JSON, which python-telegram-bot logs whole, is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(INVALID_JSON):
            record.msg, record.args = f"{INVALID_JSON} (the body is not logged)", ()
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InvalidToken):  # its path says nothing: one line is enough
            record.exc_info, record.exc_text = None, None
        elif error is not None:
            record.exc_text = where(error)
        return True


def configure_logging(level: str, stream: TextIO | None = None) -> logging.Handler:
    """Log to stderr (or `stream`) through Redact; returns the handler it installed."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
    # At DEBUG, python-telegram-bot logs every Bot API call with its body: what she wrote
    # (getUpdates) and what she was told. Its INFO and above carry no message text.
    logging.getLogger("telegram").setLevel(max(logging.getLevelName(level.upper()), logging.INFO))
    # httpx logs every request URL, which contains the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    # APScheduler logs two lines per run of the tick: 17,000 lines a day of nothing.
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)
    return handler
