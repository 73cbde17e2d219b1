"""What python-telegram-bot logs about Telegram's answers stays out of our logs: the body
of an answer that is not JSON, and the token a refusal quotes (bot/errors.py Redact)."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from telegram import Bot
from telegram.error import InvalidToken, TelegramError

from bot.errors import configure_logging
from bot.trial.recording_request import RecordingRequest

TOKEN = "123456:SECRET-TOKEN-VALUE"
BODY = b"<html>Anna asked: is my lump back?</html>"


class Answers(RecordingRequest):
    """Telegram's side answering every call with one fixed status and body."""

    def __init__(self, status: int, body: bytes) -> None:
        super().__init__()
        self.status, self.body = status, body

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        return self.status, self.body


@pytest.fixture
def logs() -> Iterator[io.StringIO]:
    """The production log configuration, writing to a buffer; undone afterwards."""
    names = ("", "telegram", "httpx", "apscheduler.executors.default")
    levels = {name: logging.getLogger(name).level for name in names}
    stream = io.StringIO()
    handler = configure_logging("DEBUG", stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@pytest.mark.parametrize("status", [200, 500, 502])
async def test_an_answer_that_is_not_json_is_logged_without_its_body(
    logs: io.StringIO, status: int
) -> None:
    bot = Bot(TOKEN, request=Answers(status, BODY), get_updates_request=Answers(status, BODY))
    with pytest.raises(TelegramError) as raised:
        await bot.send_message(1001, "Time for your tablet")
    assert "lump" in str(raised.value) or status == 200  # what PTB would have logged
    logging.getLogger("telegram.ext").exception("polling failed", exc_info=raised.value)
    output = logs.getvalue()
    assert status != 200 or "Can not load invalid JSON data (the body is not logged)" in output
    assert "polling failed" in output and type(raised.value).__name__ in output
    assert "lump" not in output and "Anna" not in output


async def test_a_refused_token_is_not_logged(logs: io.StringIO) -> None:
    refusal = b'{"ok": false, "error_code": 401, "description": "Unauthorized"}'
    bot = Bot(TOKEN, request=Answers(401, refusal), get_updates_request=Answers(401, refusal))
    with pytest.raises(InvalidToken) as raised:
        await bot.initialize()
    assert "SECRET-TOKEN" in str(raised.value)  # PTB's own message quotes it
    logging.getLogger("telegram.ext").exception("Invalid token.", exc_info=raised.value)
    output = logs.getvalue()
    assert "Invalid token." in output
    assert "SECRET-TOKEN" not in output and "Traceback" not in output


PLANTED = "Marigold-lump under my arm 4417"


async def test_an_update_that_cannot_be_parsed_is_logged_without_it(logs: io.StringIO) -> None:
    malformed = {"update_id": 7, "message": {"message_id": 1, "chat": "?", "text": PLANTED}}
    answer = json.dumps({"ok": True, "result": [malformed]}).encode()
    bot = Bot(TOKEN, request=Answers(200, answer), get_updates_request=Answers(200, answer))
    with pytest.raises(Exception):  # noqa: B017 - whatever PTB raises, it logs the data first
        await bot.get_updates()
    output = logs.getvalue()
    assert "Error while parsing updates" in output  # the line stays, its data does not
    assert PLANTED not in output and "Marigold" not in output


@pytest.mark.parametrize(
    "args",
    [
        ({"update_id": 1, "message": {"text": PLANTED}},),
        ([{"text": PLANTED}],),
        (json.dumps({"message": {"text": PLANTED}}),),
        (json.dumps({"message": {"text": PLANTED}}).encode(),),
    ],
)
def test_any_library_logging_an_update_or_message_has_it_withheld(
    logs: io.StringIO, args: tuple[Any, ...]
) -> None:
    logging.getLogger("some.library").warning("received %s", *args)
    logging.getLogger("other").info(f"formatted already: {args[0]!r}")
    output = logs.getvalue()
    assert PLANTED not in output
    assert output.count("not logged") == 2 and "received" in output


def test_ordinary_lines_are_left_alone(logs: io.StringIO) -> None:
    logging.getLogger("bot.scheduler").info("sent %d of %s", 3, "dose")
    assert "sent 3 of dose" in logs.getvalue()
