"""One registry of commands: it registers the handlers and generates the published menu,
so the two can never disagree. It also holds what the framework routes to the features:
the answers to questions the bot asked, free-text intents, the question answerer, the
steps after /start, signal listeners and the members of a moment (bot/moment.py).

It sits below bot/services.py (which holds one): it is generic in the handlers' context and
in what listeners receive, so it imports neither (no circle of imports in bot/)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from telegram import Bot, BotCommand, Update
from telegram.ext import Application, BaseHandler, CommandHandler

from bot.moment import Member
from bot.pure.safety import Verdict
from bot.pure.signals import Signal

C = TypeVar("C")  # the handlers' context: bot.services.BotContext
V = TypeVar("V")  # what a listener receives first: bot.services.Services
S = TypeVar("S", bound=Signal)

Callback = Callable[[Update, C], Coroutine[Any, Any, Any]]
# A free-text intent's answer: True when it handled the message, False to pass it on.
IntentCallback = Callable[[Update, C, str], Coroutine[Any, Any, bool]]
# The last step of the free-text router: answer the text as a question (handlers/info.py),
# given the safety net's verdict on it.
Answerer = Callable[[Update, C, Verdict], Coroutine[Any, Any, Any]]
# A step after /start's welcome: True when it asked her something (the next waits for it).
StartStep = Callable[[Update, C], Coroutine[Any, Any, bool]]
# A listener to one kind of signal: (services, bot, the signal).
Listener = Callable[[V, Bot, S], Coroutine[Any, Any, Any]]

# Help groups, in the order /help shows them; each has a `help_group_<name>` catalog text.
GROUPS = ("start", "topics", "reminders", "diary", "checkups", "caregivers", "account")


@dataclass(frozen=True)
class CommandSpec(Generic[C]):
    name: str
    callback: Callback[C]
    group: str
    description: str  # catalog key of its menu line; topics take theirs from their file
    order: int = 100


@dataclass(frozen=True)
class TextIntent(Generic[C]):
    """Words that mean an action ("I took it", "I live in Leeds"), tried in `order` on a
    free text after an awaited reply and before the question matcher. `detect` is a cheap,
    conservative test of the text; the callback may still decline (False). `follows`: the
    warning signs whose urgent answer it may add to, after it ("I took two by mistake": the
    answer for too many tablets, then a question to record the day's tablet)."""

    name: str
    detect: Callable[[str], bool]
    callback: IntentCallback[C]
    order: int
    follows: frozenset[str] = frozenset()


class Registry(Generic[C, V]):
    def __init__(self) -> None:
        self._commands: dict[str, CommandSpec[C]] = {}
        self.replies: dict[str, Callback[C]] = {}
        self.notes: set[str] = set()
        self.deep_links: dict[str, Callback[C]] = {}
        self._after_start: list[tuple[int, str, StartStep[C]]] = []
        self.answerer: Answerer[C] | None = None
        self._listeners: dict[type[Any], list[Listener[V, Any]]] = {}
        self._intents: dict[str, TextIntent[C]] = {}
        self._fallbacks: list[BaseHandler[Any, Any, Any]] = []
        self._members: list[tuple[int, str, Member[V]]] = []

    def command(
        self, name: str, callback: Callback[C], group: str, description: str, order: int = 100
    ) -> None:
        if group not in GROUPS:
            raise ValueError(f"unknown help group {group!r}")
        if name in self._commands:
            raise ValueError(f"command /{name} registered twice")
        self._commands[name] = CommandSpec(name, callback, group, description, order)

    def on_reply(self, awaiting: str, callback: Callback[C], note: bool = False) -> None:
        """Handle the next plain-text message of a person whose `awaiting` kind matches; the
        callback returns False when the text was no answer (the question closed), and the
        message goes on to the intents and the question matcher. A `note` takes any words
        (a diary note): it is kept even when the safety net answered the text first."""
        if awaiting in self.replies:
            raise ValueError(f"reply handler {awaiting!r} registered twice")
        self.replies[awaiting] = callback
        if note:
            self.notes.add(awaiting)

    def on_text(
        self,
        name: str,
        detect: Callable[[str], bool],
        callback: IntentCallback[C],
        order: int = 100,
        follows: frozenset[str] = frozenset(),
    ) -> None:
        """Let a feature understand a free text as an action (see `TextIntent`)."""
        if name in self._intents:
            raise ValueError(f"text intent {name!r} registered twice")
        self._intents[name] = TextIntent(name, detect, callback, order, follows)

    def intents(self) -> list[TextIntent[C]]:
        return sorted(self._intents.values(), key=lambda i: (i.order, i.name))

    def on_question(self, answerer: Answerer[C]) -> None:
        """The free-text router's last step: a text that was no reply and no intent is a
        question, answered by this (one feature's: the guide's matcher)."""
        if self.answerer is not None:
            raise ValueError("a question answerer is registered twice")
        self.answerer = answerer

    def on_start(self, name: str, step: StartStep[C], order: int = 100) -> None:
        """A step after /start's welcome (a first question, ...), run in `order`, one
        question at a time: a step that asks (returns True) holds the next back until its
        feature calls `continue_start` (she answered or skipped)."""
        if any(known == name for _order, known, _step in self._after_start):
            raise ValueError(f"start step {name!r} registered twice")
        self._after_start.append((order, name, step))

    async def continue_start(self, update: Update, context: C, after: str = "") -> None:
        """The steps after the named one (all of them when none is named) until one asks."""
        steps = sorted(self._after_start, key=lambda s: s[:2])
        names = [name for _order, name, _step in steps]
        first = names.index(after) + 1 if after in names else 0
        for _order, _name, step in steps[first:]:
            if await step(update, context):
                return

    def on_deep_link(self, prefix: str, callback: Callback[C]) -> None:
        """Handle `/start <prefix>...` (a t.me link with a start payload)."""
        if prefix in self.deep_links:
            raise ValueError(f"deep link prefix {prefix!r} registered twice")
        self.deep_links[prefix] = callback

    def listen(self, signal: type[S], listener: Listener[V, S]) -> None:
        """Let one feature react to another's news without importing it (bot/pure/signals.py)."""
        self._listeners.setdefault(signal, []).append(listener)

    async def emit(self, services: V, bot: Bot, signal: Signal) -> None:
        for listener in self._listeners.get(type(signal), []):
            await listener(services, bot, signal)

    def moment_member(self, name: str, member: Member[V], order: int = 100) -> None:
        """A feature with doses at moments of her day (bot/moment.py), shown in `order`."""
        if any(known == name for _order, known, _member in self._members):
            raise ValueError(f"moment member {name!r} registered twice")
        self._members.append((order, name, member))

    def members(self, besides: str = "") -> list[Member[V]]:
        """The moment's members in order (all but `besides`: the one asking)."""
        return [m for _o, name, m in sorted(self._members, key=lambda x: x[:2]) if name != besides]

    def fallback(self, handler: BaseHandler[Any, Any, Any]) -> None:
        """A handler installed after every feature's and the commands', so it only sees
        what nothing else handled (unknown commands, free text, stale buttons)."""
        self._fallbacks.append(handler)

    def commands(self) -> list[CommandSpec[C]]:
        return sorted(
            self._commands.values(), key=lambda c: (GROUPS.index(c.group), c.order, c.name)
        )

    def names(self) -> set[str]:
        return set(self._commands)

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """One CommandHandler for every command, dispatching by name: with one handler per
        command, each plain message was checked against all of them (docs/performance.md)."""
        callbacks = {spec.name.lower(): spec.callback for spec in self.commands()}

        async def dispatch(update: Update, context: C) -> None:
            message = update.effective_message
            assert message is not None and message.text and message.entities
            name = message.text[1 : message.entities[0].length].split("@")[0].lower()
            await callbacks[name](update, context)

        if callbacks:
            app.add_handler(CommandHandler(list(callbacks), dispatch))
        for handler in self._fallbacks:
            app.add_handler(handler)

    def menu(self, describe: Callable[[CommandSpec[C]], str]) -> list[BotCommand]:
        return [BotCommand(spec.name, describe(spec)) for spec in self.commands()]
