"""INACTIVE_DAYS: someone silent that long, with no reminder, is asked once whether to keep
her data; an answer (any message or press) keeps it; no answer in 30 days forgets her, and
her caregiver links are told as with /delete."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.app import App
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from db import people
from handlers.account import KeepButton, forget_the_silent
from tests.support import Person, en
from tests.test_account import follow

DAYS = 60


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The tests' usual settings (tests/conftest.py), with INACTIVE_DAYS on."""
    return settings.model_copy(update={"inactive_days": DAYS})


def asked(person: Person, since: int) -> bool:
    question = en("account_inactive_question", days=DAYS)
    return question in person.texts_since(since)


async def test_silent_without_reminders_is_asked_once_then_forgotten_and_links_told(
    app: App, anna: Person, services: Services, clock: FakeClock
) -> None:
    carol = Person(app, anna.request, chat_id=2002, first_name="Carol")
    await anna.send("/start")
    await follow(anna, carol)
    clock.advance(timedelta(days=DAYS - 1))
    await carol.send("/following")  # Carol is not silent
    assert await forget_the_silent(app.bot, services) == (0, 0)
    clock.advance(timedelta(days=2))
    since = len(anna.request.calls)
    assert await forget_the_silent(app.bot, services) == (1, 0)
    assert asked(anna, since)
    assert anna.buttons() == {en("account_keep_button"): KeepButton("keep").pack()}
    clock.advance(timedelta(days=1))
    since = len(anna.request.calls)
    assert await forget_the_silent(app.bot, services) == (0, 0)  # asked once only
    assert not asked(anna, since)
    clock.advance(timedelta(days=29))
    since = len(anna.request.calls)
    assert await forget_the_silent(app.bot, services) == (0, 1)
    assert people.get(services.db, anna.chat_id) is None
    told = en("account_told_patient_left", name="Anna")
    assert told in carol.texts_since(since)
    assert people.get(services.db, carol.chat_id) is not None


@pytest.mark.parametrize("answer", ["a message", "the button"])
async def test_any_answer_keeps_her_data(
    app: App, anna: Person, services: Services, clock: FakeClock, answer: str
) -> None:
    await anna.send("/start")
    clock.advance(timedelta(days=DAYS + 1))
    await forget_the_silent(app.bot, services)
    clock.advance(timedelta(days=3))
    if answer == "the button":
        assert en("account_kept") in await anna.press(KeepButton("keep").pack())
    else:
        await anna.send("hello, I'm still here")
    clock.advance(timedelta(days=40))
    assert await forget_the_silent(app.bot, services) == (0, 0)
    assert people.get(services.db, anna.chat_id) is not None


async def test_someone_with_a_reminder_is_never_asked(
    app: App, anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/remind 8:00")
    clock.advance(timedelta(days=DAYS * 3))
    assert await forget_the_silent(app.bot, services) == (0, 0)


def test_off_by_default_and_never_under_30_days() -> None:
    plain = Settings(telegram_bot_token="1:T", _env_file=None)  # type: ignore[call-arg]
    assert plain.inactive_days is None
    with pytest.raises(ValueError, match="inactive_days"):
        Settings(telegram_bot_token="1:T", inactive_days=7, _env_file=None)  # type: ignore[call-arg]
