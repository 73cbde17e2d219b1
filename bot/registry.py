"""One registry of commands: it registers the handlers and generates the published menu,
so the two can never disagree. It also routes the answers to questions the bot asked."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import Application, CommandHandler, ContextTypes

Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, Any]]
Listener = Callable[..., Coroutine[Any, Any, Any]]

# Help groups, in the order /help shows them; each has a `help_group_<name>` catalog text.
GROUPS = ("start", "topics", "reminders", "diary", "checkups", "caregivers", "account")


@dataclass(frozen=True)
class CommandSpec:
    name: str
    callback: Callback
    group: str
    description: str  # catalog key of its menu line; topics take theirs from their file
    order: int = 100


class Registry:
    def __init__(self) -> None:
        self._commands: dict[str, CommandSpec] = {}
        self.replies: dict[str, Callback] = {}
        self.deep_links: dict[str, Callback] = {}
        self.after_start: list[Callback] = []
        self._listeners: dict[str, list[Listener]] = {}

    def command(
        self, name: str, callback: Callback, group: str, description: str, order: int = 100
    ) -> None:
        if group not in GROUPS:
            raise ValueError(f"unknown help group {group!r}")
        if name in self._commands:
            raise ValueError(f"command /{name} registered twice")
        self._commands[name] = CommandSpec(name, callback, group, description, order)

    def on_reply(self, awaiting: str, callback: Callback) -> None:
        """Handle the next plain-text message of a person whose `awaiting` kind matches."""
        if awaiting in self.replies:
            raise ValueError(f"reply handler {awaiting!r} registered twice")
        self.replies[awaiting] = callback

    def on_deep_link(self, prefix: str, callback: Callback) -> None:
        """Handle `/start <prefix>...` (a t.me link with a start payload)."""
        if prefix in self.deep_links:
            raise ValueError(f"deep link prefix {prefix!r} registered twice")
        self.deep_links[prefix] = callback

    def listen(self, signal: str, listener: Listener) -> None:
        """Let one feature react to another's news without importing it.

        Signals in use: "dose_answered" (chat_id, local_date, status) and "reminder_changed"
        (chat_id: her dose time or zone) from reminders; "bonescan_overdue" from check-ups.
        """
        self._listeners.setdefault(signal, []).append(listener)

    async def emit(self, signal: str, **values: Any) -> None:
        for listener in self._listeners.get(signal, []):
            await listener(**values)

    def commands(self) -> list[CommandSpec]:
        return sorted(
            self._commands.values(), key=lambda c: (GROUPS.index(c.group), c.order, c.name)
        )

    def names(self) -> set[str]:
        return set(self._commands)

    def install(self, app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        """One CommandHandler for every command, dispatching by name: with one handler per
        command, each plain message was checked against all of them (docs/performance.md)."""
        callbacks = {spec.name.lower(): spec.callback for spec in self.commands()}

        async def dispatch(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            message = update.effective_message
            assert message is not None and message.text and message.entities
            name = message.text[1 : message.entities[0].length].split("@")[0].lower()
            await callbacks[name](update, context)

        if callbacks:
            app.add_handler(CommandHandler(list(callbacks), dispatch))

    def menu(self, describe: Callable[[CommandSpec], str]) -> list[BotCommand]:
        return [BotCommand(spec.name, describe(spec)) for spec in self.commands()]
