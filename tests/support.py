"""Talk to the real application the way Telegram would: real Update objects in,
recorded Bot API calls out."""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from telegram import Update

from bot import scheduler
from bot.app import App, build_application
from bot.matcher import Matcher
from bot.pure.i18n import Catalog
from bot.pure.safety import Detector
from bot.pure.smalltalk import SmallTalk
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import events
from handlers import FEATURES, QUERIES

CONTENT = Path(__file__).resolve().parents[1] / "content"
CATALOG = Catalog.load(CONTENT)

_update_ids = itertools.count(1)
_message_ids = itertools.count(10_000)


def en(key: str, **fields: Any) -> str:
    """The English interface text of `key` as the bot sends it: tests assert through the
    catalog's keys, so a change of wording in content/ changes no test."""
    return CATALOG.text("en", key, **fields)


def build_app(settings: Settings, **extra: Any) -> App:
    """The production application with every feature, as bot/__main__.py builds it."""
    return build_application(settings, FEATURES, QUERIES, **extra)


class Person:
    """One Telegram user in a private chat with the bot."""

    def __init__(
        self,
        app: App,
        request: RecordingRequest,
        chat_id: int = 1001,
        first_name: str = "Anna",
        language_code: str = "en",
    ) -> None:
        self.app = app
        self.request = request
        self.chat_id = chat_id
        self.first_name = first_name
        self.language_code = language_code

    def _user(self) -> dict[str, Any]:
        return {
            "id": self.chat_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }

    async def feed(self, data: dict[str, Any]) -> None:
        data = {"update_id": next(_update_ids), **data}
        await self.app.process_update(Update.de_json(data, self.app.bot))

    def message_dict(self, text: str | None = None, **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(_message_ids),
            "date": 1_700_000_000,
            "chat": {"id": self.chat_id, "type": "private", "first_name": self.first_name},
            "from": self._user(),
            **extra,
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                length = len(text.split()[0])
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return message

    async def send(self, text: str) -> list[str]:
        """Send a text message; return the texts the bot sent to this chat in answer."""
        before = len(self.request.calls)
        await self.feed({"message": self.message_dict(text)})
        return self.texts_since(before)

    async def send_message(self, **extra: Any) -> list[str]:
        """Send a non-text message (location, sticker ...)."""
        before = len(self.request.calls)
        await self.feed({"message": self.message_dict(None, **extra)})
        return self.texts_since(before)

    async def press(self, data: str, message_id: int = 1) -> list[str]:
        """Press an inline button; returns texts sent or edited in answer."""
        before = len(self.request.calls)
        await self.feed(
            {
                "callback_query": {
                    "id": str(next(_update_ids)),
                    "from": self._user(),
                    "chat_instance": str(self.chat_id),
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": 1_700_000_000,
                        "chat": {"id": self.chat_id, "type": "private"},
                        "text": "(button message)",
                    },
                }
            }
        )
        return self.texts_since(before)

    async def help_everything(self) -> str:
        """/help and every group its buttons show, as one text: what she can find there."""
        texts = await self.send("/help")
        for data in list(self.buttons().values()):
            texts += await self.press(data)
        return "\n".join(texts)

    def calls_since(self, index: int) -> list[tuple[str, dict[str, Any]]]:
        return [
            (c.method, c.params)
            for c in self.request.calls[index:]
            if str(c.params.get("chat_id")) == str(self.chat_id)
            or c.method == "answerCallbackQuery"
        ]

    def texts_since(self, index: int) -> list[str]:
        return [
            str(p.get("text") or p.get("caption") or "")
            for m, p in self.calls_since(index)
            if m.startswith(("send", "edit")) or m == "answerCallbackQuery"
        ]

    def last_markup(self) -> dict[str, Any] | None:
        for call in reversed(self.request.calls):
            if str(call.params.get("chat_id")) == str(self.chat_id) and call.params.get(
                "reply_markup"
            ):
                markup = call.params["reply_markup"]
                return markup if isinstance(markup, dict) else None
        return None

    def buttons(self) -> dict[str, str]:
        """Text -> callback data of the inline keyboard last sent to this chat."""
        markup = self.last_markup() or {}
        return {
            b["text"]: b.get("callback_data", b.get("url", ""))
            for row in markup.get("inline_keyboard", [])
            for b in row
        }


def shown_first(
    matcher: Matcher, detector: Detector, talk: SmallTalk, question: str, language: str = "en"
) -> str:
    """What she is shown first, as handlers/info.py answers: a warning sign leads to urgent
    care, small talk to a friendly word, a medicine the guide does not name to "ask your
    pharmacist" (none), anything else to the best passage's topic (or none)."""
    if detector.assess(question, language).stops:
        return "urgent"
    if talk.kind(question, language):
        return "smalltalk"
    if matcher.unknown_medicine(question, language):
        return "none"
    found = matcher.search(question, language)
    return found[0].command if found else "none"


def right_topics(question: dict[str, Any]) -> set[str]:
    """A question set's label: one topic, or a list of topics any of which is right (the
    questions relabelled for /coping by the rule in each set's header)."""
    topic = question["topic"]
    return {str(t) for t in topic} if isinstance(topic, list) else {str(topic)}


async def run_until(app: App, services: Services, clock: FakeClock, until: datetime) -> None:
    """Move the clock from event to event up to `until`, ticking at each (as `make try`)."""
    while (due := events.earliest(services.db)) is not None and due <= until.timestamp():
        clock.set(max(clock.now(), datetime.fromtimestamp(due, UTC)))
        await scheduler.tick(app.bot, services)
    clock.set(until)
    await scheduler.tick(app.bot, services)


Move = Callable[[datetime], Awaitable[None]]  # the `move` fixture (tests/conftest.py)
