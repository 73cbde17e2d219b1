"""What every handler and scheduled event needs, built once in build_application."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import CallbackContext, ExtBot

from bot.core import Core
from bot.flights import Flights
from bot.kinds import EventKind
from bot.matcher import Matcher
from bot.pure.safety import Detector
from bot.registry import CommandSpec, Registry
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
class Services(Core):
    """A Core (what use cases need) with the framework: the question matcher, the safety
    net, the registry, the event kinds and the sends under way."""

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
        return person.language if person else super().language(chat_id)

    def zone(
        self, chat_id: int, context: CallbackContext[Any, Any, Any, Any] | None = None
    ) -> ZoneInfo:
        """Her time zone, UTC until she sets one; from `context` as for `language`."""
        person = seen(context, chat_id)
        if person is None:
            return super().zone(chat_id)
        return ZoneInfo(person.timezone) if person.timezone else ZoneInfo("UTC")

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
