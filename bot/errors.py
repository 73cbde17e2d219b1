"""The last line of defence: log the error (never message text or health data) and answer
the person with a short apology instead of silence or a traceback."""

from __future__ import annotations

import logging
import sqlite3
import traceback
from typing import TextIO

from telegram import Bot, TelegramObject, Update
from telegram.error import InvalidToken
from telegram.ext import ContextTypes

from bot.pure.i18n import FALLBACK
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
WITHHELD = "(an update or message: not logged)"
# What a logged update, message or Bot API call carries, as a dict's keys or in its text.
MESSAGE_KEYS = frozenset({"update_id", "message", "text", "caption", "callback_query", "chat"})
MESSAGE_MARKS = ("update_id", "'text'", '"text"', "'caption'", '"caption"', "'chat'", '"chat"')


def carries_message(value: object) -> bool:
    """An update, a message or what they are made of (their dicts, their JSON, a list of
    them): whatever logs one logs what she wrote."""
    if isinstance(value, TelegramObject):
        return True
    if isinstance(value, dict):
        return bool(MESSAGE_KEYS & {str(key) for key in value}) or any(
            carries_message(item) for item in value.values()
        )
    if isinstance(value, list | tuple | set | frozenset):
        return any(carries_message(item) for item in value)
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    return isinstance(value, str) and any(mark in value for mark in MESSAGE_MARKS)


class Redact(logging.Filter):
    """Keep what updates, exceptions and Telegram's answers carry out of the logs.

    Whichever library logs it: an argument that is an update or a message (or its dict,
    JSON or list; python-telegram-bot logs an update it cannot parse whole, at CRITICAL) is
    replaced by WITHHELD, and a line that already quotes one is replaced whole. An exception
    is logged as its type and code path (as `where` does), so neither InvalidToken's message
    (the token) nor a NetworkError quoting an answer's body reaches them, and the body of an
    answer that is not JSON, which python-telegram-bot logs whole, is left out."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(INVALID_JSON):
            record.msg, record.args = f"{INVALID_JSON} (the body is not logged)", ()
        if isinstance(record.args, dict):
            record.args = {
                key: WITHHELD if carries_message(value) else value
                for key, value in record.args.items()
            }
        elif record.args:
            record.args = tuple(WITHHELD if carries_message(a) else a for a in record.args)
        if carries_message(record.msg):
            record.msg, record.args = f"{record.name}: {WITHHELD}", ()
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, InvalidToken):  # its path says nothing: one line is enough
            record.exc_info, record.exc_text = None, None
        elif error is not None:
            record.exc_text = where(error)
        return True


def configure_logging(level: str, stream: TextIO | None = None) -> logging.Handler:
    """Log to stderr (or `stream`) through Redact; returns the handler it installed.

    Redact sits on the root logger and on its handler: a logger's filter sees only what is
    logged on that logger itself, a handler's sees every record of every library that
    reaches it (records of child loggers skip the root's filters, not its handlers')."""
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(Redact())
    root = logging.getLogger()
    if not any(isinstance(f, Redact) for f in root.filters):
        root.addFilter(Redact())
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
