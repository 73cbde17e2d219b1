"""The information bot as a real process (`python -m bot`) against the fake Bot API.

One process serves every test in this module: starting it is the slow part.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import FakeBotApi
from tests.test_content import TOPICS
from tests.test_matcher import HOSTILE

Running = tuple[FakeBotApi, BotProcess]


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    api = FakeBotApi().start()
    process = BotProcess(api, Path(tmp_path_factory.mktemp("info")) / "bot.db").start()
    yield api, process
    process.stop()
    api.stop()
    assert "Traceback" not in process.output(), process.output()


def ask(api: FakeBotApi, chat_id: int, text: str) -> dict[str, object]:
    """Send text as the user; return the parameters of the bot's first message back."""
    start = len(api.calls)
    api.user_says(chat_id, text)
    _method, params = api.wait_for(
        lambda c: c[0] == "sendMessage" and str(c[1].get("chat_id")) == str(chat_id),
        start=start,
    )
    return params


def test_menu_publishes_every_command(running: Running) -> None:
    api, _process = running
    published = [p for m, p in api.calls if m == "setMyCommands"]
    assert published
    names = {c["command"] for c in published[-1]["commands"]}
    assert TOPICS | {"start", "help"} <= names


@pytest.mark.parametrize("command", ["start", "help", *sorted(TOPICS)])
def test_every_info_command_answers_in_html(running: Running, command: str) -> None:
    api, _process = running
    params = ask(api, 42, f"/{command}")
    assert params["parse_mode"] == "HTML"
    assert str(params["text"]).strip()


def test_hostile_text_then_the_bot_still_answers(running: Running) -> None:
    api, process = running
    for text in [h for h in HOSTILE if h.strip()]:
        params = ask(api, 43, text)
        assert params["parse_mode"] == "HTML"
    params = ask(api, 43, "/dose")
    assert "1 mg once daily" in str(params["text"])
    assert process.process is not None and process.process.poll() is None
    assert "Traceback" not in process.output()
