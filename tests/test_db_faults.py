"""SQLite's bad days in the tick and in handlers: "database is locked", disk full and I/O
errors. A delivery stays claimable, a message that went out is never left looking unsent
(so never sent again), the person gets an apology rather than silence, and a lock held by
another process never freezes the event loop for seconds."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from datetime import timedelta

import pytest

from bot import scheduler
from bot.app import App
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from tests import due_now, faulty_db
from tests.faulty_db import ERRORS
from tests.support import Person

FIRST = 600_000
COUNT = 5


def reminded(request_layer: RecordingRequest) -> Counter[int]:
    return Counter(int(p["chat_id"]) for p in request_layer.sent())


def statuses(services: Services) -> Counter[str]:
    return Counter(row[0] for row in services.db.conn.execute("SELECT status FROM ledger"))


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recorder retries after FLUSH_SECONDS, doubling: a millisecond here."""
    monkeypatch.setattr(scheduler, "FLUSH_SECONDS", 0.001)


@pytest.mark.parametrize("error", ERRORS)
async def test_recording_fails_after_the_sends_nothing_goes_out_twice(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest, error: str
) -> None:
    others = due_now.add_patients(services, clock, FIRST, COUNT)
    faulty = faulty_db.install(services.db)
    faulty.arm(error, "UPDATE ledger SET status", times=4)
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == COUNT
    assert faulty.failed == 4  # refused four times, recorded at the fifth
    assert statuses(services) == Counter({"sent": COUNT})
    clock.advance(scheduler.LEASE + timedelta(minutes=1))
    scheduler.on_startup(services)
    await scheduler.tick(app.bot, services)
    assert reminded(request_layer) == Counter(others)  # once each


@pytest.mark.parametrize("error", ERRORS)
@pytest.mark.parametrize("step", ["INSERT INTO ledger", "UPDATE ledger SET retry_at", "doses"])
async def test_a_failing_write_before_the_send_leaves_it_claimable(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    error: str,
    step: str,
) -> None:
    """The claim, the lease, or a kind's `prepare` (the day's dose row) fails: nothing is
    sent now, everything is sent once the database is back."""
    others = due_now.add_patients(services, clock, FIRST, COUNT)
    faulty = faulty_db.install(services.db)
    faulty.arm(error, step)
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 0
    assert reminded(request_layer) == Counter()
    assert faulty.failed
    faulty.disarm()
    clock.advance(timedelta(seconds=10))
    assert await scheduler.tick(app.bot, services) == COUNT
    assert reminded(request_layer) == Counter(others)
    assert statuses(services) == Counter({"sent": COUNT})


@pytest.mark.parametrize("error", ERRORS)
async def test_a_handler_whose_write_fails_apologises(
    app: App, services: Services, anna: Person, error: str
) -> None:
    await anna.send("/start")
    faulty = faulty_db.install(services.db)
    faulty.arm(error)
    answer = await anna.send("/remind 08:00")
    assert answer == [services.catalog.text("en", "error_apology")]
    faulty.disarm()
    assert any("Daily reminder set" in text for text in await anna.send("/remind 08:00"))


async def test_a_lock_held_elsewhere_costs_a_moment_not_seconds(
    app: App, services: Services, clock: FakeClock, anna: Person, request_layer: RecordingRequest
) -> None:
    """Another process (a backup, the sqlite3 shell) holds the write lock."""
    others = due_now.add_patients(services, clock, FIRST, COUNT)
    other = sqlite3.connect(services.settings.database_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert await scheduler.tick(app.bot, services) == 0  # tried, gave up at once
        answer = await anna.send("/remind 08:00")
        assert time.monotonic() - started < 2  # two busy timeouts, not 5 s each
        assert answer == [services.catalog.text("en", "error_apology")]
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert await scheduler.tick(app.bot, services) == COUNT
    assert set(reminded(request_layer)) - {anna.chat_id} == set(others)
