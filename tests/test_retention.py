"""Old delivery records go after LEDGER_RETENTION_DAYS, daily; deleted rows are zeroed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot import retention, scheduler
from bot.app import App
from bot.pure.timerules import epoch
from bot.services import Services
from bot.trial.clock import FakeClock
from db import events
from tests.support import Person


def ledger(services: Services) -> list[tuple[str, str, str]]:
    rows = services.db.query("SELECT kind, occurrence, status FROM ledger ORDER BY id")
    return [(r["kind"], r["occurrence"], r["status"]) for r in rows]


async def test_delivery_records_older_than_the_retention_are_purged(
    anna: Person, app: App, services: Services, clock: FakeClock
) -> None:
    await anna.send("/remind 09:30")
    for _ in range(2):  # two days of reminders, both delivered
        event = events.find(services.db, anna.chat_id, "dose")
        assert event is not None
        clock.set(datetime.fromtimestamp(event.next_fire, UTC))
        assert await scheduler.tick(app.bot, services) == 1
    rows = ledger(services)  # two reminders and their follow-ups, due later
    assert rows[0] == ("dose", "2026-03-02", "sent") and len(rows) > 2
    stuck = (epoch(clock.now()) - 100 * 86400, "1999-01-01")
    services.db.execute(
        "INSERT INTO ledger (key, chat_id, kind, ref, occurrence, due, payload, status)"
        " VALUES ('stuck', ?, 'dose', '', ?, ?, '{}', 'claimed')",
        [anna.chat_id, stuck[1], stuck[0]],
    )

    clock.set(datetime(2026, 3, 2, 9, 30, tzinfo=UTC) + timedelta(days=90, minutes=-1))
    assert await retention.purge(services) == (0, 0)
    clock.advance(timedelta(minutes=2))  # the first is now 90 days old
    assert await retention.purge(services) == (1, 0)
    assert ledger(services) == [
        *rows[1:],
        ("dose", "1999-01-01", "claimed"),
    ]  # a claim on its way stays


async def test_the_purge_runs_daily_and_the_retention_is_a_setting(
    app: App, services: Services
) -> None:
    (job,) = app.job_queue.get_jobs_by_name("daily-purge")
    assert job.trigger.interval == timedelta(days=1)
    assert services.settings.ledger_retention_days == 90


def test_deleted_rows_are_overwritten(services: Services) -> None:
    assert next(services.db.query("PRAGMA secure_delete"))["secure_delete"] == 1
