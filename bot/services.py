"""What every handler and scheduled event needs, built once in build_application."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.clock import Clock
from bot.content import Library
from bot.dates import Names
from bot.flights import Flights
from bot.i18n import Catalog
from bot.kinds import EventKind
from bot.matcher import Matcher
from bot.registry import CommandSpec, Registry
from bot.safety import Detector
from bot.settings import Settings
from db import people
from db.people import Person


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's per-update context, plus her record as the person middleware (bot/person.py)
    read it: the update's handlers use it instead of reading her row again."""

    person: Person | None = None

    @property
    def services(self) -> Services:
        """What every handler needs (settings, database, clock, catalog ...)."""
        return get_services(self)


def seen(context: CallbackContext[Any, Any, Any, Any] | None, chat_id: int) -> Person | None:
    """Her record as it stood when this update arrived, if the middleware read it. Only for
    reads before the update's handler changes her record (it is not re-read after a write)."""
    person = context.person if isinstance(context, BotContext) else None
    return person if person is not None and person.chat_id == chat_id else None


@dataclass(eq=False)
class Services:
    settings: Settings
    db: Database
    clock: Clock
    catalog: Catalog
    library: Library
    matcher: Matcher
    safety: Detector
    registry: Registry[BotContext, Services] = field(default_factory=Registry)
    kinds: dict[str, EventKind[Services]] = field(default_factory=dict)
    flights: Flights = field(default_factory=Flights)  # the scheduler's sends under way

    def add_kind(self, kind: EventKind[Services]) -> None:
        if kind.name in self.kinds:
            raise ValueError(f"event kind {kind.name!r} registered twice")
        self.kinds[kind.name] = kind

    def language(
        self, chat_id: int, context: CallbackContext[Any, Any, Any, Any] | None = None
    ) -> str:
        """Her language; from `context` when this update's middleware already read it."""
        person = seen(context, chat_id)
        return person.language if person else people.language(self.db, chat_id) or "en"

    def zone(
        self, chat_id: int, context: CallbackContext[Any, Any, Any, Any] | None = None
    ) -> ZoneInfo:
        """Her time zone, UTC until she sets one; from `context` as for `language`."""
        person = seen(context, chat_id) or people.get(self.db, chat_id)
        return ZoneInfo(person.timezone) if person and person.timezone else ZoneInfo("UTC")

    def text(self, chat_id: int, key: str, **values: Any) -> str:
        """Interface text for key in the language of the person in chat_id."""
        return self.catalog.text(self.language(chat_id), key, **values)

    def say(self, chat_id: int) -> Callable[..., str]:
        """Plain text in her language (buttons, pictures, the PDF: no HTML there). Her
        language is read once, here: what it is handed to may run in a worker thread, which
        must not touch the database."""
        language = self.language(chat_id)

        def say(key: str, **values: Any) -> str:
            return html.unescape(self.catalog.text(language, key, **values))

        return say

    def weekday(self, chat_id: int, day: date) -> str:
        """A day of this week with its weekday, in her language (Tue 3 March)."""
        return self.catalog.weekday(self.language(chat_id), day)

    def names(self, chat_id: int) -> Names:
        """Month names and words for days in her language, to read the dates she types."""
        return self.catalog.names(self.language(chat_id))

    def describe(self, spec: CommandSpec[BotContext], language: str) -> str:
        """A command's line in the menu and /help: a topic's from its file, others' catalog."""
        topic = self.library.get(spec.name, language) if spec.group == "topics" else None
        return topic.description if topic else self.catalog.text(language, spec.description)


def get_services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    services = context.application.bot_data["services"]
    assert isinstance(services, Services)
    return services


def typed_text(update: Update) -> str:
    """What she wrote: a message's text, or the caption of a photo or file (read alike)."""
    message = update.effective_message
    return (message.text or message.caption or "") if message else ""


def chat_id_of(update: Update) -> int:
    """The private chat the update came from (the bot works in private chats only)."""
    chat = update.effective_chat
    if chat is None:
        raise ValueError("update without a chat")
    return chat.id
