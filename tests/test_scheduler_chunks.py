"""The fan-out's crash window. The tick sends CONCURRENCY deliveries at once and records
their outcomes, with the kinds' `sent` writes, in one transaction per chunk; a kind's
`prepare` writes are committed before the chunk's sends. So a crash repeats at most one
chunk's sends, and loses nobody and nothing."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import pytest
from telegram import Bot

from bot import scheduler
from bot.app import App
from bot.clock import FakeClock
from bot.recording_request import RecordingRequest
from bot.services import Services
from bot.timerules import epoch, local_date
from db.events import Delivery, Event

PATIENTS = 150  # three chunks: 64, 64 and 22
FIRST = 700_000


class Crash(BaseException):
    """The process dies here (a BaseException, as SystemExit: nothing catches it)."""


def add_patients(services: Services, clock: FakeClock) -> list[int]:
    """PATIENTS people whose daily reminder is due now."""
    chat_ids = list(range(FIRST, FIRST + PATIENTS))
    stamp = clock.now().isoformat()
    with services.db.atomic():
        services.db.conn.executemany(
            "INSERT INTO people (chat_id, first_name, language, timezone, remind_at,"
            " created_at, last_seen_at) VALUES (?, 'P', 'en', 'UTC', ?, ?, ?)",
            [(c, f"{clock.now():%H:%M}", stamp, stamp) for c in chat_ids],
        )
        services.db.conn.executemany(
            "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'dose', '', ?)",
            [(c, epoch(clock.now())) for c in chat_ids],
        )
    return chat_ids


def crash_at_send(monkeypatch: pytest.MonkeyPatch, request_layer: RecordingRequest, n: int) -> None:
    """The process dies during the n-th sendMessage (that one never reaches Telegram)."""
    real = request_layer.do_request
    sends = 0

    async def do_request(url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        nonlocal sends
        if url.endswith("/sendMessage"):
            sends += 1
            if sends == n:
                raise Crash
        return await real(url, method, *args, **kwargs)

    monkeypatch.setattr(request_layer, "do_request", do_request)


def reminders(request_layer: RecordingRequest) -> Counter[int]:
    return Counter(int(p["chat_id"]) for p in request_layer.sent())


def rows(services: Services, sql: str) -> list[Any]:
    return list(services.db.conn.execute(sql))


async def test_a_crash_mid_fan_out_repeats_at_most_one_chunk_and_loses_nobody(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chat_ids = add_patients(services, clock)
    request_layer.clear()
    crash_at_send(monkeypatch, request_layer, scheduler.CONCURRENCY + 10)  # in the 2nd chunk
    with pytest.raises(Crash):
        await scheduler.tick(app.bot, services)
    # The first chunk is recorded: its messages on the day's rows, its follow-ups planned.
    assert rows(services, "SELECT count(*) FROM ledger WHERE status = 'sent'") == [(64,)]
    assert rows(services, "SELECT count(*) FROM events WHERE kind = 'dose_again'") == [(64,)]
    # The second was prepared (every day's row exists before its message) but not recorded.
    assert rows(services, "SELECT count(*), count(message_id) FROM doses") == [(128, 64)]
    before = reminders(request_layer)
    monkeypatch.undo()

    assert scheduler.on_startup(services) == PATIENTS - 64  # restart: leases released
    await scheduler.tick(app.bot, services)

    sent = reminders(request_layer)
    assert set(sent) == set(chat_ids)  # nobody missed
    repeated = [c for c, n in sent.items() if n > 1]
    assert len(repeated) <= scheduler.CONCURRENCY
    assert all(before[c] == 1 for c in repeated)  # only what went out before the crash
    assert max(sent.values()) == 2
    assert rows(services, "SELECT count(*) FROM ledger WHERE status != 'sent'") == [(0,)]
    last_message = {int(p["chat_id"]): p for p in request_layer.sent()}
    assert len(last_message) == PATIENTS
    assert rows(services, "SELECT count(*), count(message_id) FROM doses") == [(150, 150)]
    # One follow-up plan each, even for those whose reminder went out twice.
    assert rows(services, "SELECT count(DISTINCT chat_id) FROM events WHERE kind = 'dose_again'")[
        0
    ] == (PATIENTS,)


class Fragile:
    """A kind whose `prepare` fails for one chat and whose `sent` fails for another."""

    name = "fragile"

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return None

    def prepare(self, services: Services, delivery: Delivery) -> bool:
        services.db.execute(
            "UPDATE people SET first_name = 'prepared' WHERE chat_id = ?", [delivery.chat_id]
        )
        if delivery.chat_id == 1:
            raise RuntimeError("prepare broke")
        return delivery.chat_id != 3  # nothing to send to 3

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        message = await bot.send_message(delivery.chat_id, "fragile")
        return message.message_id

    def sent(self, services: Services, delivery: Delivery, message_id: int) -> None:
        if delivery.chat_id == 2:
            raise RuntimeError("sent broke")

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


async def test_a_failing_hook_costs_only_its_own_delivery(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    services.add_kind(Fragile())
    for chat_id in (1, 2, 3, 4):
        services.db.execute(
            "INSERT INTO people (chat_id, first_name, created_at, last_seen_at)"
            " VALUES (?, 'P', '', '')",
            [chat_id],
        )
        services.db.execute(
            "INSERT INTO events (chat_id, kind, next_fire) VALUES (?, 'fragile', ?)",
            [chat_id, epoch(clock.now())],
        )
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == 2
    assert sorted(reminders(request_layer)) == [2, 4]
    statuses = dict(rows(services, "SELECT chat_id, status FROM ledger"))
    # 1: its prepare's writes undone, retried later; 2: sent (its `sent` error is only
    # logged, never a second message); 3: nothing to send.
    assert statuses == {1: "claimed", 2: "sent", 3: "skipped", 4: "sent"}
    names = dict(rows(services, "SELECT chat_id, first_name FROM people"))
    assert names == {1: "P", 2: "prepared", 3: "prepared", 4: "prepared"}
    assert rows(services, "SELECT attempts FROM ledger WHERE chat_id = 1") == [(1,)]
