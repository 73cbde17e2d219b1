"""The real scheduler tick driving dose reminders: DST days, downtime, Telegram failures."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import scheduler
from bot.app import App
from bot.pure.timerules import resolve
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses, events, people
from handlers.reminders.planning import schedule_daily
from tests.support import Person
from tests.test_timerules import NAMED_ZONES, transitions

DST_ZONES = NAMED_ZONES[:7]  # Kolkata, Kathmandu, Lord Howe, Santiago, Berlin, NY, Chatham
TIMES = ("00:00", "00:30", "01:30", "02:00", "02:30", "03:00", "08:00", "23:30")
_chats = itertools.count(50_000)


def add_patient(services: Services, zone: str, remind_at: str) -> int:
    chat_id = next(_chats)
    people.touch(services.db, chat_id, "P", "en", services.clock.now())
    people.set_timezone(services.db, chat_id, zone)
    people.set_remind_at(services.db, chat_id, remind_at)
    schedule_daily(services, chat_id)
    return chat_id


def sends_to(request_layer: RecordingRequest, chat_id: int, text: str = "") -> int:
    """Messages sent to a chat (whose text contains `text`)."""
    return sum(
        1
        for p in request_layer.sent()
        if str(p["chat_id"]) == str(chat_id) and text in str(p["text"]).lower()
    )


async def run(
    app: App, services: Services, clock: FakeClock, until: datetime, step: timedelta
) -> None:
    while clock.now() < until:
        clock.advance(step)
        await scheduler.tick(app.bot, services)


@pytest.mark.parametrize("zone", DST_ZONES)
@pytest.mark.parametrize("change", [0, 1])
async def test_one_reminder_per_local_day_across_dst(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    zone: str,
    change: int,
) -> None:
    changes = transitions(zone)
    start = (changes[change] if changes else datetime(2026, 10, 4, tzinfo=UTC)) - timedelta(days=2)
    clock.set(start)
    chats = {add_patient(services, zone, at): at for at in TIMES}
    step = timedelta(seconds=services.settings.scheduler_tick_seconds * 30)  # 5 minutes
    await run(app, services, clock, start + timedelta(days=4), step)
    tz = ZoneInfo(zone)
    for chat_id, at in chats.items():
        rows = doses.between(services.db, chat_id, "2000-01-01", "2100-01-01")
        days = [date.fromisoformat(r.local_date) for r in rows]
        assert days == [days[0] + timedelta(days=i) for i in range(len(days))], (at, days)
        assert len(days) >= 3
        wanted = time.fromisoformat(at)
        for row, day in zip(rows, days, strict=True):
            assert row.due == int(resolve(day, wanted, tz).timestamp()), (at, day)
        assert sends_to(request_layer, chat_id, "time for your") == len(rows)


async def test_follow_up_nudges_at_most_two(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    chat_id = add_patient(services, "Europe/Berlin", "10:30")  # 09:30 UTC, in 30 minutes
    await run(app, services, clock, datetime(2026, 3, 2, 22, 59, tzinfo=UTC), timedelta(minutes=1))
    texts = [str(p["text"]) for p in request_layer.sent() if p["chat_id"] == chat_id]
    assert len(texts) == 3
    assert "checking in" in texts[1] and "last check for today" in texts[2]
    dose = doses.get(services.db, chat_id, "2026-03-02")
    assert dose is not None and dose.status == "pending"


async def test_an_unanswered_day_counts_as_missed(
    app: App, services: Services, clock: FakeClock
) -> None:
    chat_id = add_patient(services, "Asia/Kathmandu", "20:00")
    await run(app, services, clock, datetime(2026, 3, 4, 12, 0, tzinfo=UTC), timedelta(minutes=10))
    first = doses.get(services.db, chat_id, "2026-03-02")
    second = doses.get(services.db, chat_id, "2026-03-03")
    assert first is not None and first.status == "missed"
    assert second is not None and second.status == "pending"


async def test_catch_up_inside_the_window_sends_late(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    chat_id = add_patient(services, "UTC", "09:30")
    clock.advance(timedelta(hours=5, minutes=29))  # the bot was down; 5 h late
    assert await scheduler.tick(app.bot, services) == 1
    assert "Sorry, this comes late (it was due at 09:30)" in str(request_layer.sent()[-1]["text"])
    dose = doses.get(services.db, chat_id, "2026-03-02")
    assert dose is not None and dose.status == "pending"
    event = events.find(services.db, chat_id, "dose")
    assert event is not None
    assert event.next_fire == int(datetime(2026, 3, 3, 9, 30, tzinfo=UTC).timestamp())


async def test_catch_up_outside_the_window_records_missed(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    chat_id = add_patient(services, "UTC", "09:30")
    clock.advance(timedelta(days=2, hours=7))  # down for two days: 16:00 on 4 March
    assert await scheduler.tick(app.bot, services) == 0
    assert sends_to(request_layer, chat_id) == 0
    statuses = [d.status for d in doses.between(services.db, chat_id, "2026-03-01", "2026-03-31")]
    assert statuses == ["missed", "missed", "missed"]


async def test_forbidden_pauses_until_she_writes_again(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    anna = Person(app, request_layer)
    await anna.send("/remind 09:30")
    request_layer.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    clock.advance(timedelta(minutes=30))
    assert await scheduler.tick(app.bot, services) == 0
    clock.advance(timedelta(days=3))
    assert await scheduler.tick(app.bot, services) == 0
    person = people.get(services.db, anna.chat_id)
    assert person is not None and person.blocked
    await anna.send("hello")
    event = events.find(services.db, anna.chat_id, "dose")
    assert event is not None and event.next_fire > int(clock.now().timestamp())
    clock.set(datetime.fromtimestamp(event.next_fire, UTC))
    assert await scheduler.tick(app.bot, services) == 1


@pytest.mark.parametrize(
    ("status", "description", "extra", "wait"),
    [
        (429, "Too Many Requests", {"retry_after": 30}, timedelta(seconds=31)),
        (500, "Internal Server Error", {}, timedelta(seconds=5)),
        (502, "Bad Gateway", {}, timedelta(seconds=5)),
    ],
)
async def test_transient_errors_retry_without_dropping(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    status: int,
    description: str,
    extra: dict[str, int],
    wait: timedelta,
) -> None:
    chat_id = add_patient(services, "UTC", "09:30")
    request_layer.fail_next("sendMessage", status, description, **extra)
    clock.advance(timedelta(minutes=30))
    assert await scheduler.tick(app.bot, services) == 0
    clock.advance(wait - timedelta(seconds=1))
    assert await scheduler.tick(app.bot, services) == 0
    clock.advance(timedelta(seconds=1))
    assert await scheduler.tick(app.bot, services) == 1
    assert sends_to(request_layer, chat_id) == 1
    clock.advance(timedelta(hours=1))
    await scheduler.tick(app.bot, services)
    assert sends_to(request_layer, chat_id) == 2  # the follow-up, not a duplicate


async def test_restart_resends_only_what_was_in_flight(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    chat_id = add_patient(services, "UTC", "09:30")
    clock.advance(timedelta(minutes=30))
    claimed = scheduler.claim_due(services, clock.now())  # claimed, then the process died
    assert [e.chat_id for e in claimed] == [chat_id]
    events.take_pending(
        services.db, int(clock.now().timestamp()), int(clock.now().timestamp()) + 300, 10
    )
    assert await scheduler.tick(app.bot, services) == 0  # leased to the dead process
    assert scheduler.on_startup(services) == 1
    assert await scheduler.tick(app.bot, services) == 1
    assert await scheduler.tick(app.bot, services) == 0
    assert sends_to(request_layer, chat_id) == 1


async def test_each_send_is_committed_at_once(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    """Another connection (a restart after a crash) sees every claim and send recorded."""
    chat_id = add_patient(services, "UTC", "09:30")
    clock.advance(timedelta(minutes=30))
    assert await scheduler.tick(app.bot, services) == 1
    assert not services.db.conn.in_transaction
    with sqlite3.connect(services.settings.database_path) as other:
        rows = other.execute("SELECT status FROM ledger WHERE chat_id = ?", [chat_id]).fetchall()
        doses_rows = other.execute(
            "SELECT status FROM doses WHERE chat_id = ?", [chat_id]
        ).fetchall()
    assert rows == [("sent",)]
    assert doses_rows == [("pending",)]


async def test_no_follow_up_once_her_day_is_over(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    chat_id = add_patient(services, "Europe/Berlin", "23:30")  # follow-up would be 00:30
    await run(app, services, clock, datetime(2026, 3, 3, 6, 0, tzinfo=UTC), timedelta(minutes=5))
    assert sends_to(request_layer, chat_id) == 1
    assert events.find(services.db, chat_id, "dose_again", "2026-03-02") is None
