"""The error handler: a short apology to the person, a log without her words, no traceback."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.errors import configure_logging, where
from bot.services import Services
from tests.support import Person, en

SECRET = "my lump near the scar 1234"
APOLOGY = en("error_apology")


def fail_with_her_words(*args: object, **kwargs: object) -> None:
    int(SECRET)  # ValueError: invalid literal for int() with base 10: 'my lump ...'


def assert_logged_without_her_words(caplog: pytest.LogCaptureFixture) -> None:
    [record] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    logged = caplog.text
    assert "ValueError" in logged
    assert "fail_with_her_words" in logged  # where it happened is kept
    assert SECRET not in logged
    assert record.exc_info is None


async def test_a_failing_question_gets_the_apology_and_the_log_keeps_her_words_out(
    anna: Person,
    services: Services,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(services.matcher, "search", fail_with_her_words)
    texts = await anna.send(SECRET)
    assert len(texts) == 1
    assert texts[0].startswith(APOLOGY)
    assert "Traceback" not in texts[0]
    assert "ValueError" not in texts[0]
    assert_logged_without_her_words(caplog)
    monkeypatch.undo()
    assert "soy isoflavones" in (await anna.send("can I take soy"))[0]  # still running


async def test_a_failing_command_gets_the_apology(
    anna: Person, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("handlers.info.topic_messages", fail_with_her_words)
    [text] = await anna.send("/dose")
    assert text.startswith(APOLOGY)
    assert_logged_without_her_words(caplog)


async def test_a_failing_button_gets_the_apology(
    anna: Person, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("bot.router.expired", fail_with_her_words)
    texts = await anna.press("no:such:button")
    assert [t for t in texts if t.startswith(APOLOGY)]
    assert_logged_without_her_words(caplog)


def test_where_names_the_type_and_the_code_but_not_the_message() -> None:
    try:
        fail_with_her_words()
    except ValueError as exc:
        text = where(exc)
    assert text.startswith("ValueError\nTraceback (most recent call last):")
    assert "int(SECRET)" in text
    assert SECRET not in text


@pytest.fixture
def debug_logging() -> Iterator[None]:
    """LOG_LEVEL=DEBUG as `python -m bot` sets it up; the loggers' levels restored after."""
    names = ["", "telegram", "httpx", "apscheduler.executors.default"]
    before = {name: logging.getLogger(name).level for name in names}
    configure_logging("DEBUG")
    yield
    for name, level in before.items():
        logging.getLogger(name).setLevel(level)


@pytest.mark.usefixtures("debug_logging")
async def test_debug_logging_keeps_the_bot_api_bodies_out(
    anna: Person, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    texts = await anna.send("/start")
    assert any(anna.first_name in t for t in texts)  # her name was in what was sent
    assert anna.first_name not in caplog.text
    assert "sendMessage" not in caplog.text  # PTB's debug line of each call and its body
    assert logging.getLogger("bot.scheduler").isEnabledFor(logging.DEBUG)  # ours still show
