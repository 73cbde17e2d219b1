"""Whatever one event, row or event kind does, every other due event is delivered in the
same tick; the bad one is parked (back-off, then paused), logged with its id and the
error's type, and never blocks the queue."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from telegram import Bot

from bot import scheduler
from bot.app import App
from bot.pure.timerules import epoch
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db.events import Delivery, Event
from tests import due_now

OTHERS = 118
FIRST = 800_000
BAD = 900_001


def rows(services: Services, sql: str, params: Any = ()) -> list[Any]:
    return list(services.db.conn.execute(sql, params))


def reminded(request_layer: RecordingRequest) -> Counter[int]:
    return Counter(int(p["chat_id"]) for p in request_layer.sent())


class Raising:
    """An event kind that fails at the step it is told to."""

    name = "raising"

    def __init__(self, step: str) -> None:
        self.step = step

    def _maybe(self, step: str) -> None:
        if step == self.step:
            raise RuntimeError(f"{step} broke")

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        self._maybe("occurrence")
        return "2026-03-02"  # once, however often it is parked

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        self._maybe("next_fire")
        return after + timedelta(days=1)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        self._maybe("deliver")
        return (await bot.send_message(delivery.chat_id, "raising")).message_id

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


def add_bad_person(services: Services, clock: FakeClock, zone: str = "UTC") -> None:
    stamp = clock.now().isoformat()
    services.db.execute(
        "INSERT INTO people (chat_id, first_name, language, timezone, remind_at, created_at,"
        " last_seen_at) VALUES (?, 'B', 'en', ?, '09:00', ?, ?)",
        [BAD, zone, stamp, stamp],
    )


def break_zone(services: Services, clock: FakeClock) -> None:
    """Her stored time zone no longer exists (a tzdata update, a hand-edited row)."""
    add_bad_person(services, clock, zone="Europe/Atlantis")
    services.db.execute(
        "INSERT INTO events (chat_id, kind, next_fire) VALUES (?, 'dose', ?)",
        [BAD, epoch(clock.now())],
    )


def damage_payload(services: Services, clock: FakeClock) -> None:
    add_bad_person(services, clock)
    services.db.execute(
        "INSERT INTO events (chat_id, kind, ref, next_fire, payload)"
        " VALUES (?, 'dose_again', '2026-03-02', ?, '{\"at\": [1, 2')",
        [BAD, epoch(clock.now())],
    )


def person_gone(services: Services, clock: FakeClock) -> None:
    services.db.execute(
        "INSERT INTO events (chat_id, kind, next_fire) VALUES (?, 'dose', ?)",
        [BAD, epoch(clock.now())],
    )


def kind_raises(step: str) -> Any:
    def arrange(services: Services, clock: FakeClock) -> None:
        services.add_kind(Raising(step))
        add_bad_person(services, clock)
        services.db.execute(
            "INSERT INTO events (chat_id, kind, next_fire) VALUES (?, 'raising', ?)",
            [BAD, epoch(clock.now())],
        )

    return arrange


def damaged_ledger_row(services: Services, clock: FakeClock) -> None:
    """A claimed delivery whose stored payload is damaged."""
    add_bad_person(services, clock)
    services.db.execute(
        "INSERT INTO ledger (key, chat_id, kind, ref, occurrence, due, payload, status,"
        " retry_at) VALUES ('x', ?, 'dose_again', '2026-03-02', '1', ?, '{nope', 'claimed', ?)",
        [BAD, epoch(clock.now()), epoch(clock.now())],
    )


@pytest.mark.parametrize(
    ("arrange", "parked", "reaches"),
    [
        (break_zone, True, 0),
        (damage_payload, True, 0),
        (kind_raises("occurrence"), True, 0),
        (kind_raises("next_fire"), True, 1),  # this occurrence was fine: sent, once
        (kind_raises("deliver"), False, 0),  # retried by the ledger, with back-off
        (person_gone, False, 0),  # dropped: nothing about her is kept
        (damaged_ledger_row, False, 0),  # retried by the ledger, then given up
    ],
    ids=["bad-zone", "bad-payload", "occurrence", "next-fire", "deliver", "gone", "bad-ledger"],
)
async def test_one_bad_event_never_stops_the_others(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    caplog: pytest.LogCaptureFixture,
    arrange: Any,
    parked: bool,
    reaches: int,
) -> None:
    others = due_now.add_patients(services, clock, FIRST, OTHERS)
    arrange(services, clock)
    request_layer.clear()
    with caplog.at_level(logging.ERROR, logger="bot.scheduler"):
        assert await scheduler.tick(app.bot, services) == OTHERS + reaches
    # Every other one, exactly once.
    assert reminded(request_layer) == Counter(others) + Counter([BAD] * reaches)
    bad = rows(
        services, "SELECT id, failures, next_fire, paused FROM events WHERE chat_id = ?", [BAD]
    )
    if parked:
        ((event_id, failures, fire, paused),) = bad
        assert (failures, fire, paused) == (1, epoch(clock.now()) + 5, 0)
        assert f"event {event_id} " in caplog.text and "Error" in caplog.text
    # It stays alone: later ticks go on for everyone else, and it ends up paused.
    for _ in range(scheduler.MAX_FAILED_ATTEMPTS + 1):
        clock.advance(timedelta(minutes=20))
        await scheduler.tick(app.bot, services)
    assert set(reminded(request_layer)) - {BAD} == set(others)
    if parked:
        assert rows(services, "SELECT paused FROM events WHERE chat_id = ?", [BAD]) == [(1,)]
    assert reminded(request_layer)[BAD] == reaches
    still = rows(services, "SELECT count(*) FROM ledger WHERE status = 'claimed'")
    assert still == [(0,)]  # nothing is left half-done: sent, skipped or given up


async def test_a_parked_event_resumes_when_she_writes_again(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    from tests.support import Person

    break_zone(services, clock)
    for _ in range(scheduler.MAX_FAILED_ATTEMPTS):
        await scheduler.tick(app.bot, services)
        clock.advance(timedelta(minutes=20))
    assert rows(services, "SELECT paused, failures FROM events WHERE chat_id = ?", [BAD]) == [
        (1, scheduler.MAX_FAILED_ATTEMPTS)
    ]
    await Person(app, request_layer, chat_id=BAD).send("/timezone Berlin")
    assert rows(services, "SELECT paused, failures FROM events WHERE chat_id = ?", [BAD]) == [
        (0, 0)
    ]
