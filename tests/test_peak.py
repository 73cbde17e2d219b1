"""The peak hour (issue 15): a patient's own reminder first in a queue, early start when a
minute holds more reminders than Telegram lets out, paid broadcasts for scheduled sends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.peak import VirtualClock, VirtualTime
from bot import scheduler
from bot.app import App
from bot.pacing import Pacer
from bot.pure.timerules import epoch
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses, events, stats
from tests.due_now import add_patients
from tests.support import Person, build_app

DUE = datetime(2026, 3, 2, 9, 2, tzinfo=UTC)
FIRST_CHAT = 3_000_000


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Paced, as in production: early start depends on the send rate."""
    return Settings(
        telegram_bot_token="123456:TEST-TOKEN",
        database_path=tmp_path / "bot.db",
        _env_file=None,  # type: ignore[call-arg]
    )


def coming(services: Services, count: int) -> list[int]:
    """`count` people whose daily reminder is due at DUE."""
    return add_patients(services, FakeClock(DUE), FIRST_CHAT, count)


def claimed_at(services: Services, seconds_before: int) -> list[events.Event]:
    return scheduler.claim_due(services, DUE - timedelta(seconds=seconds_before))


async def test_a_patients_own_reminder_goes_first_in_the_queue(services: Services) -> None:
    db, now = services.db, epoch(DUE)
    add_patients(services, FakeClock(DUE), 4, 3)
    events.move(db, events.find(db, 6, "dose").id, now - 120)  # type: ignore[union-attr]
    events.schedule(db, 1, "caregiver_weekly", now - 600, ref="9")  # due long before
    events.schedule(db, 2, "checkup_prompt", now, ref="dexa")
    events.schedule(db, 3, "anniversary", now)
    events.schedule(db, 4, "dose_again", now - 30, ref="2026-03-02", payload={"at": [now - 30]})
    first = scheduler.first_kinds(services)
    assert set(first) == {"dose", "dose_again", "meds", "meds_again"}  # her own reminders
    due = events.due(db, now, 10, first)
    assert [(e.kind, e.chat_id) for e in due[:4]] == [
        ("dose", 6),
        ("dose_again", 4),
        ("dose", 4),
        ("dose", 5),
    ]
    assert due[4].kind == "caregiver_weekly" and {e.kind for e in due[5:]} == {
        "checkup_prompt",
        "anniversary",
    }
    # Claimed in the reverse order, they still go out patients first, earliest first.
    for event in reversed(due):
        events.claim(db, event, str(event.id), "claimed", now)
    pending = events.take_pending(db, now, now + 300, 10, first)
    assert [d.kind for d in pending[:4]] == ["dose", "dose_again", "dose", "dose"]
    assert [d.due for d in pending[:4]] == sorted(d.due for d in pending[:4])
    assert pending[4].kind == "caregiver_weekly"


async def test_a_peak_starts_early_by_half_its_drain_at_most(services: Services) -> None:
    coming(services, 2000)  # more than a minute at 30/s: 2000 / 30 / 2 = 33 s early at most
    assert claimed_at(services, 120) == []
    assert claimed_at(services, 34) == []
    early = claimed_at(services, 33)
    assert len(early) == scheduler.BATCH
    assert {e.next_fire for e in early} == {epoch(DUE)}
    rows = services.db.conn.execute("SELECT DISTINCT occurrence, due FROM ledger").fetchall()
    assert rows == [("2026-03-02", epoch(DUE))]  # her date and time, as if sent on time
    moved = events.find(services.db, early[0].chat_id, "dose")
    assert moved is not None and moved.next_fire == epoch(DUE + timedelta(days=1))


async def test_early_start_never_exceeds_its_setting(services: Services) -> None:
    coming(services, 20_000)  # would be 5 1/2 minutes early without the bound
    services.settings.reminder_early_seconds = 20
    assert claimed_at(services, 21) == []
    assert len(claimed_at(services, 20)) == scheduler.BATCH
    services.settings.reminder_early_seconds = 0  # off
    assert claimed_at(services, 10) == []


async def test_no_early_start_without_a_peak(services: Services) -> None:
    coming(services, 1800)  # a minute at 30/s drains it
    assert claimed_at(services, 10) == []
    assert len(claimed_at(services, 0)) == scheduler.BATCH


async def test_no_early_start_while_her_previous_reminder_is_open(services: Services) -> None:
    chat_ids = coming(services, 2000)
    waiting, answered = chat_ids[0], chat_ids[1]
    doses.open_dose(services.db, waiting, "2026-03-01", epoch(DUE - timedelta(days=1)), 1)
    doses.open_dose(services.db, answered, "2026-03-01", epoch(DUE - timedelta(days=1)), 2)
    doses.answer(services.db, answered, "2026-03-01", "taken", epoch(DUE - timedelta(hours=23)))
    started = {e.chat_id for e in claimed_at(services, 33)}
    assert answered in started and waiting not in started
    assert waiting in {e.chat_id for e in claimed_at(services, 0)}  # on time, as usual


@asynccontextmanager
async def paced(
    settings: Settings, start: datetime, paid: bool
) -> AsyncIterator[tuple[App, RecordingRequest, VirtualTime]]:
    """The application with its Pacer and clock on one virtual time (no test waits)."""
    settings.telegram_paid_broadcast = paid
    time = VirtualTime(epoch(start))
    request = RecordingRequest()
    pacer = Pacer(paid=paid, clock=time.clock, sleep=time.sleep)
    app = build_app(settings, request=request, clock=VirtualClock(time), pacer=pacer)
    async with app:
        yield app, request, time


async def test_early_reminders_read_as_on_time_and_count_as_on_time(settings: Settings) -> None:
    async with paced(settings, DUE - timedelta(seconds=33), paid=False) as (app, request, time):
        services: Services = app.bot_data["services"]
        coming(services, 2000)
        sent = await scheduler.tick(app.bot, services)
        assert sent == scheduler.BATCH and time.now < epoch(DUE)  # one batch, before her time
        messages = request.sent()
        assert len(messages) == sent and not any("allow_paid_broadcast" in m for m in messages)
        late = services.catalog.text("en", "reminders_due_late", name="P", time="09:02")
        assert not any(m["text"] == late for m in messages)
        sent_at = services.db.conn.execute("SELECT max(sent_at) FROM ledger").fetchone()[0]
        assert sent_at < epoch(DUE)  # recorded when it went, before it was due ...
        assert stats.figures(services.db, epoch(DUE) + 60).lateness_p95 == 0  # ... 0 late


async def test_paid_broadcasts_carry_scheduled_sends_only(settings: Settings) -> None:
    async with paced(settings, DUE, paid=True) as (app, request, time):
        services: Services = app.bot_data["services"]
        coming(services, 1000)
        assert await scheduler.tick(app.bot, services) == 1000
        assert time.now - epoch(DUE) < 1.1  # 1000 a second, not 30
        assert all(m["allow_paid_broadcast"] is True for m in request.sent())
        request.clear()
        await Person(app, request, chat_id=FIRST_CHAT).send("/help")  # an answer: free pace
        assert request.sent() and "allow_paid_broadcast" not in request.sent()[-1]
