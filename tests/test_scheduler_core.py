"""The tick's guarantees, independent of any feature: a minimal event kind that says hello."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot import scheduler
from bot.app import App
from bot.pure.timerules import epoch, local_date, next_daily
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import events, people
from db.events import Delivery, Event

BERLIN = ZoneInfo("Europe/Berlin")
AT = time(8, 0)


class Hello:
    """Daily at 08:00 Berlin; remembers what expired."""

    name = "hello"

    def __init__(self) -> None:
        self.expired: list[str] = []

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, BERLIN).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return next_daily(AT, BERLIN, after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        message = await bot.send_message(delivery.chat_id, f"hello {delivery.occurrence}")
        return message.message_id

    def expire(self, services: Services, delivery: Delivery) -> None:
        self.expired.append(delivery.occurrence)


@pytest.fixture
def hello(services: Services, clock: FakeClock) -> Hello:
    kind = Hello()
    services.add_kind(kind)
    for chat_id in (1, 2, 3):
        people.touch(services.db, chat_id, f"P{chat_id}", "en", clock.now())
        first = next_daily(AT, BERLIN, clock.now())
        events.schedule(services.db, chat_id, "hello", epoch(first))
    return kind


def hellos(request_layer: RecordingRequest) -> list[tuple[int, str]]:
    return [(int(p["chat_id"]), str(p["text"])) for p in request_layer.sent()]


async def test_each_occurrence_is_sent_once(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest, hello: Hello
) -> None:
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 0  # 09:00 UTC: tomorrow's 08:00 not due
    clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))  # 08:00 Berlin
    assert await scheduler.tick(app.bot, services) == 3
    assert await scheduler.tick(app.bot, services) == 0
    assert sorted(hellos(request_layer)) == [(c, "hello 2026-03-03") for c in (1, 2, 3)]


async def test_a_claimed_occurrence_is_never_claimed_again(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest, hello: Hello
) -> None:
    clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    await scheduler.tick(app.bot, services)
    # Someone moves the event back (as a bug or a restored backup might): the ledger refuses.
    services.db.execute("UPDATE events SET next_fire = ?", [epoch(clock.now())])
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 0
    assert hellos(request_layer) == []


async def test_claims_left_by_a_crash_are_sent_after_restart(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest, hello: Hello
) -> None:
    clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    scheduler.claim_due(services, clock.now())
    events.take_pending(services.db, epoch(clock.now()), epoch(clock.now()) + 300, 100)
    # ... and the process dies here: claimed, leased, never sent.
    clock.advance(timedelta(minutes=1))
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 0  # the lease still holds
    assert scheduler.on_startup(services) == 3
    assert await scheduler.tick(app.bot, services) == 3
    assert len(hellos(request_layer)) == 3


async def test_too_late_after_downtime_is_expired_not_sent(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest, hello: Hello
) -> None:
    clock.set(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))  # 3 days later, 1 h after today's 08:00
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 3
    assert set(hellos(request_layer)) == {(c, "hello 2026-03-05") for c in (1, 2, 3)}
    assert sorted(set(hello.expired)) == ["2026-03-03", "2026-03-04"]


async def test_forbidden_pauses_until_the_person_writes_again(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest, hello: Hello
) -> None:
    from tests.support import Person

    request_layer.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    assert await scheduler.tick(app.bot, services) == 2
    every = [e for chat_id in (1, 2, 3) for e in events.for_chat(services.db, chat_id)]
    paused_chats = {e.chat_id for e in every if _paused(services, e)}
    assert len(paused_chats) == 1
    (chat,) = paused_chats
    clock.set(datetime(2026, 3, 4, 7, 0, tzinfo=UTC))
    request_layer.clear()
    await scheduler.tick(app.bot, services)
    assert chat not in {c for c, _ in hellos(request_layer)}
    await Person(app, request_layer, chat_id=chat).send("/help")
    clock.set(datetime(2026, 3, 5, 7, 0, tzinfo=UTC))
    request_layer.clear()
    await scheduler.tick(app.bot, services)
    assert (chat, "hello 2026-03-05") in hellos(request_layer)


def _paused(services: Services, event: Event) -> bool:
    row = next(services.db.query("SELECT paused FROM events WHERE id = ?", [event.id]))
    return bool(row["paused"])


@pytest.mark.parametrize(
    ("status", "description", "extra"),
    [
        (429, "Too Many Requests: retry after 7", {"retry_after": 7}),
        (500, "Internal Server Error", {}),
        (502, "Bad Gateway", {}),
    ],
)
async def test_transient_errors_retry_and_nothing_is_lost(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    hello: Hello,
    status: int,
    description: str,
    extra: dict[str, int],
) -> None:
    request_layer.fail_next("sendMessage", status, description, **extra)
    clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 2
    clock.advance(timedelta(seconds=30))
    assert await scheduler.tick(app.bot, services) == 1
    assert sorted(c for c, _ in hellos(request_layer)) == [1, 2, 3]


@pytest.mark.parametrize(
    "error",
    [TimedOut("Timed out"), NetworkError("Server disconnected without sending a response")],
    ids=["timeout", "dropped-connection"],
)
async def test_timeouts_and_dropped_connections_retry_with_backoff(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    hello: Hello,
    monkeypatch: pytest.MonkeyPatch,
    error: Exception,
) -> None:
    real = request_layer.do_request
    failures = iter([error, error])  # the first two sends fail

    async def do_request(url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/sendMessage") and (failure := next(failures, None)) is not None:
            raise failure
        return await real(url, method, *args, **kwargs)

    monkeypatch.setattr(request_layer, "do_request", do_request)
    clock.set(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 1
    clock.advance(timedelta(seconds=4))  # the back-off (5 s) has not passed yet
    assert await scheduler.tick(app.bot, services) == 0
    clock.advance(timedelta(seconds=2))
    assert await scheduler.tick(app.bot, services) == 2
    assert sorted(c for c, _ in hellos(request_layer)) == [1, 2, 3]  # each once
