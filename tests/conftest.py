from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.matcher import Matcher
from bot.pure.content import Library
from bot.pure.safety import Detector
from bot.pure.smalltalk import SmallTalk
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from tests.support import CONTENT, Move, Person, build_app, run_until


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        telegram_bot_token="123456:TEST-TOKEN",
        database_path=tmp_path / "bot.db",
        rate_limit=False,
        flood_per_minute=0,  # tests send many updates in a frozen instant; tests/test_gate.py
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


@pytest.fixture
def request_layer() -> RecordingRequest:
    return RecordingRequest()


@pytest.fixture
async def app(
    settings: Settings, request_layer: RecordingRequest, clock: FakeClock
) -> AsyncIterator[App]:
    application = build_app(settings, request=request_layer, clock=clock)
    async with application:
        await application.post_init(application)  # type: ignore[misc]
        yield application


@pytest.fixture
def services(app: App) -> Services:
    found = app.bot_data["services"]
    assert isinstance(found, Services)
    return found


@pytest.fixture
def anna(app: App, request_layer: RecordingRequest) -> Person:
    return Person(app, request_layer)


# The content's readers, loaded once for the whole run: pure, and a few hundred ms each.
@pytest.fixture(scope="session")
def matcher() -> Matcher:
    return Matcher(Library.load(CONTENT), CONTENT)


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector.load(CONTENT)


@pytest.fixture(scope="session")
def talk() -> SmallTalk:
    return SmallTalk.load(CONTENT)


@pytest.fixture
def move(app: App, services: Services, clock: FakeClock) -> Move:
    """The clock moved to an instant, ticking at every event on the way."""

    async def go(until: datetime) -> None:
        await run_until(app, services, clock, until)

    return go
