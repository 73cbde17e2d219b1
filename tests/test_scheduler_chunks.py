"""The fan-out's crash window. The tick records each outcome as its send returns (one
writer, committing at least every FLUSH_SECONDS), with the kinds' `sent` writes; a kind's
`prepare` writes are committed before the chunk's sends. So a crash repeats only the sends
of its last moment, and loses nobody and nothing. (The figure at Telegram's 30/s is
`make bench`'s `kill9_duplicates`, and tests/e2e/ kills a real process too.)"""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime
from typing import Any

import pytest
from telegram import Bot

from bot import scheduler
from bot.app import App
from bot.pure.timerules import epoch, local_date
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db.events import Delivery, Event
from tests import due_now

PATIENTS = 150  # three chunks: 64, 64 and 22
FIRST = 700_000


class Crash(BaseException):
    """The process dies here (a BaseException, as SystemExit: nothing catches it)."""


def add_patients(services: Services, clock: FakeClock) -> list[int]:
    return due_now.add_patients(services, clock, FIRST, PATIENTS)


def crash_at_send(
    monkeypatch: pytest.MonkeyPatch, request_layer: RecordingRequest, n: int, database: str
) -> list[int]:
    """The process dies during the n-th sendMessage (that one never reaches Telegram, nor
    any after it). Returns, filled at that moment, the ledger ids committed as sent (read
    on a second connection: what survives a kill -9)."""
    real = request_layer.do_request
    sends = 0
    committed: list[int] = []

    async def do_request(url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        nonlocal sends
        if url.endswith("/sendMessage"):
            sends += 1
            if sends == n:
                with sqlite3.connect(database) as other:
                    found = other.execute("SELECT id FROM ledger WHERE status = 'sent'")
                    committed.extend(row[0] for row in found)
                other.close()
            if sends >= n:
                raise Crash
        return await real(url, method, *args, **kwargs)

    monkeypatch.setattr(request_layer, "do_request", do_request)
    return committed


def reminders(request_layer: RecordingRequest) -> Counter[int]:
    return Counter(int(p["chat_id"]) for p in request_layer.sent())


def rows(services: Services, sql: str) -> list[Any]:
    return list(services.db.conn.execute(sql))


async def test_a_crash_mid_fan_out_repeats_only_unrecorded_sends_and_loses_nobody(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(scheduler, "FLUSH_SECONDS", 0)  # every outcome committed at once
    chat_ids = add_patients(services, clock)
    request_layer.clear()
    crash_at = scheduler.CONCURRENCY + 10  # in the middle of the 2nd chunk
    committed = crash_at_send(
        monkeypatch, request_layer, crash_at, str(services.settings.database_path)
    )
    with pytest.raises(Crash):
        await scheduler.tick(app.bot, services)
    # Every send that had returned before the crash was already committed as sent.
    before = reminders(request_layer)
    assert len(committed) == sum(before.values()) == crash_at - 1
    # The second chunk was prepared (every day's row exists before its message).
    assert rows(services, "SELECT count(*) FROM doses") == [(128,)]
    monkeypatch.undo()

    assert scheduler.on_startup(services) == PATIENTS - len(committed)  # leases released
    await scheduler.tick(app.bot, services)

    sent = reminders(request_layer)
    assert set(sent) == set(chat_ids)  # nobody missed
    assert max(sent.values()) == 1  # nobody twice: nothing had gone out unrecorded
    assert rows(services, "SELECT count(*) FROM ledger WHERE status != 'sent'") == [(0,)]
    assert rows(services, "SELECT count(*), count(message_id) FROM doses") == [(150, 150)]
    # One follow-up plan each.
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
