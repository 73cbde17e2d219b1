"""Thousands of random updates through the real application: commands with random
arguments, text of any script and length, forged buttons, edited messages, groups and
channels, updates without a sender or a chat. Nothing may reach the error handler, every
private message and button press gets an answer, and nothing is ever sent to a group."""

from __future__ import annotations

import asyncio
import itertools
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.app import App
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import BOT_USER, Call, RecordingRequest
from tests.support import build_app

PEOPLE = (1001, 1002, 2_000_000_001, 7_999_999_999)  # private chat id = the person's id
GROUPS = (-1001, -100_123_456_789)
BUTTONS: tuple[str, ...] = (
    "rem:take:",
    "rem:skip:",
    "rem:at:",
    "rem:zone:",
    "rem:loc:",
    "rem:snooze:",
)
BUTTONS += ("caregivers:remove:", "caregivers:uninvite:", "caregivers:accept:")
BUTTONS += ("checkups:", "account:delete:", "account:keep", "")
_ids = itertools.count(1)


class Errors(logging.Handler):
    """Every ERROR a handler, the error handler or python-telegram-bot logged."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def texts() -> st.SearchStrategy[str]:
    """Any script (not surrogates, which Telegram can't send), short or up to 4096 long."""
    short = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)
    long = st.builds(
        lambda part, times: (part * times)[:4096], short.filter(bool), st.integers(1, 400)
    )
    return st.one_of(short, short, long)


def command_texts(names: list[str]) -> st.SearchStrategy[str]:
    name = st.one_of(st.sampled_from(names), st.from_regex(r"[a-z0-9_]{1,32}", fullmatch=True))
    mention = st.sampled_from(["", f"@{BOT_USER['username']}", "@someone_else_bot"])
    return st.builds(lambda n, m, a: f"/{n}{m} {a}".rstrip(), name, mention, texts())


def user(person: int) -> dict[str, Any]:
    return {"id": person, "is_bot": False, "first_name": "Rita", "language_code": "en"}


def chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": "Rita"}
    return {"id": chat_id, "type": "supergroup" if chat_id % 2 else "group", "title": "G"}


def message(chat_id: int, sender: int | None, content: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = {"message_id": next(_ids), "date": 1_700_000_000, **content}
    found["chat"] = chat(chat_id)
    if sender is not None:
        found["from"] = user(sender)
    text = content.get("text", "")
    if text.startswith("/") and len(text) > 1 and text[1:2].isascii() and text[1:2].isalnum():
        length = len(text.split()[0].encode("utf-16-le")) // 2
        found["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return found


@st.composite
def updates(draw: st.DrawFn, names: list[str]) -> dict[str, Any]:
    person = draw(st.sampled_from(PEOPLE))
    where = draw(st.sampled_from([person, person, person, *GROUPS]))
    sender = draw(st.sampled_from([person, person, person, None]))
    content = draw(
        st.one_of(
            st.builds(lambda t: {"text": t}, st.one_of(command_texts(names), texts())),
            st.just(
                {
                    "sticker": {
                        "file_id": "s",
                        "file_unique_id": "u",
                        "width": 1,
                        "height": 1,
                        "is_animated": False,
                        "is_video": False,
                        "type": "regular",
                    }
                }
            ),
            st.builds(
                lambda lat, lon: {"location": {"latitude": lat, "longitude": lon}},
                st.floats(-90, 90),
                st.floats(-180, 180),
            ),
        )
    )
    kinds = ["message"] * 4 + ["edited_message", "channel_post", "button", "inline_query"]
    kind = draw(st.sampled_from(kinds))
    if kind == "channel_post":
        return {"channel_post": message(GROUPS[0], None, content)}
    if kind == "inline_query":  # no chat at all
        query = {"id": str(next(_ids)), "from": user(person), "query": "dose", "offset": ""}
        return {"inline_query": query}
    if kind != "button":
        return {kind: message(where, sender, content)}
    data = draw(st.builds(lambda p, t: p + t, st.sampled_from(BUTTONS), texts()))
    query: dict[str, Any] = {
        "id": str(next(_ids)),
        "from": user(person),
        "chat_instance": "c",
        "data": data.encode()[:64].decode(errors="ignore") or "x",
    }
    if draw(st.booleans()):
        query["message"] = message(where, None, {"text": "(button message)"})
    else:
        query["inline_message_id"] = "inline"
    return {"callback_query": query}


def answered(update: dict[str, Any], calls: list[Call]) -> bool:
    """Whether the update got the answer it is owed: a private message sent by a person, a
    reply in her chat; a button press from a private chat, its answerCallbackQuery."""
    if "message" in update:
        sent = update["message"]
        owed = sent["chat"]["type"] == "private" and "from" in sent
        return not owed or any(
            str(c.params.get("chat_id")) == str(sent["chat"]["id"]) for c in calls
        )
    query = update.get("callback_query")
    if query and query.get("message", {}).get("chat", {}).get("type") == "private":
        return any(c.method == "answerCallbackQuery" for c in calls)
    return True


def test_random_updates_break_nothing_and_reach_no_group(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    clock = FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))
    request = RecordingRequest()
    config = Settings(
        telegram_bot_token="123456:TEST-TOKEN",
        database_path=tmp_path / "bot.db",
        rate_limit=False,
        _env_file=None,  # type: ignore[call-arg]
    )  # flood control on, as in production: the clock moves 3 s an update, below its limit
    app: App = build_app(config, request=request, clock=clock)
    services: Services = app.bot_data["services"]
    errors = Errors()
    logging.getLogger().addHandler(errors)
    loop.run_until_complete(app.initialize())
    names = sorted(services.registry.names())
    count = 0

    @settings(
        max_examples=200,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(updates(names), min_size=4, max_size=12))
    def feed(batch: list[dict[str, Any]]) -> None:
        nonlocal count
        for data in batch:
            before = len(request.calls)
            update = Update.de_json({"update_id": next(_ids), **data}, app.bot)
            loop.run_until_complete(app.process_update(update))
            clock.advance(timedelta(seconds=3))
            calls = request.calls[before:]
            assert errors.records == [], [r.getMessage() for r in errors.records]
            assert answered(data, calls), (data, calls)
            to_groups = [c for c in calls if int(c.params.get("chat_id") or 0) < 0]
            assert to_groups == [], data
            count += 1

    try:
        feed()
    finally:
        logging.getLogger().removeHandler(errors)
        loop.run_until_complete(app.shutdown())
        loop.close()
    assert count >= 1000  # thousands of updates (1,600 or so), not a handful
