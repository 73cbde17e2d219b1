"""Races between a send run and the people it is for. After /delete is confirmed nothing
about her survives and nothing more reaches her, wherever in a send run it lands; the same
for a caregiver who is removed while an alert to her is under way. A gate in the request
layer holds one send in flight while the other side acts."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from bot import scheduler
from bot.app import App
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import caregivers as links
from db import people
from tests import due_now
from tests.support import Person
from tests.test_account import mentions
from tests.test_caregivers import ALERT_AT, CAROL, DOSE_DUE, carol, reminded, tick_at

__all__ = ["carol"]  # the fixture, shared with tests/test_caregivers.py
FIRST = 500_000
PATIENTS = 4
LAST = FIRST + PATIENTS - 1  # due in this order: with chunks of one, each its own chunk


class Gate:
    """Holds the sendMessage to `chat` in flight until opened."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, layer: RecordingRequest, chat: int):
        self.arrived = asyncio.Event()
        self.open = asyncio.Event()
        real = layer.do_request

        async def do_request(url: str, method: str, *args: Any, **kwargs: Any) -> Any:
            data = args[0] if args else kwargs.get("request_data")
            target = data.parameters.get("chat_id") if data is not None else None
            if url.endswith("/sendMessage") and target == chat:
                self.arrived.set()
                await self.open.wait()
            return await real(url, method, *args, **kwargs)

        monkeypatch.setattr(layer, "do_request", do_request)


async def until(check: Any) -> None:
    """Let other tasks run until check() holds (no clock involved: a few loop turns)."""
    for _ in range(1000):
        if check():
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


def to(request_layer: RecordingRequest, chat: int) -> list[str]:
    return [
        f"{c.method}:{c.params.get('text', '')}"
        for c in request_layer.calls
        if str(c.params.get("chat_id")) == str(chat)
    ]


@pytest.mark.parametrize(
    ("her", "gated", "chunk", "flush"),
    [
        (LAST, LAST, scheduler.CONCURRENCY, 0.1),  # her own reminder is in flight
        (LAST, FIRST, 1, 0.1),  # she is prepared in a later chunk, after the deletion
        (FIRST, FIRST + 1, 1, 3600.0),  # hers went out, its outcome not yet recorded
    ],
    ids=["in-flight", "before-prepare", "before-record"],
)
async def test_delete_during_a_send_run(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    monkeypatch: pytest.MonkeyPatch,
    her: int,
    gated: int,
    chunk: int,
    flush: float,
) -> None:
    monkeypatch.setattr(scheduler, "CONCURRENCY", chunk)
    monkeypatch.setattr(scheduler, "FLUSH_SECONDS", flush)
    due_now.add_patients(services, clock, FIRST, PATIENTS)
    person = Person(app, request_layer, chat_id=her)
    await person.send("/delete")
    delete = person.buttons()["🗑 Delete everything"]
    gate = Gate(monkeypatch, request_layer, gated)
    run = asyncio.create_task(scheduler.tick(app.bot, services))
    await gate.arrived.wait()
    deleting = asyncio.create_task(person.press(delete))
    await until(lambda: people.get(services.db, her) is None)
    if gated == her:  # her reminder is on its way: "deleted" waits for it to land
        for _ in range(10):
            await asyncio.sleep(0)
        assert not deleting.done()
        assert not any("has been deleted" in t for t in to(request_layer, her))
    gate.open.set()
    texts = await deleting
    await run
    assert any("has been deleted" in t for t in texts)
    calls = to(request_layer, her)
    confirmed = next(i for i, t in enumerate(calls) if "has been deleted" in t)
    assert calls[confirmed + 1 :] == []  # nothing after "deleted"
    assert mentions(services.db, her) == {}  # and no row came back
    for _ in range(3):  # the follow-ups' times, and the next day's: nothing for her
        clock.advance(timedelta(hours=10))
        await scheduler.tick(app.bot, services)
    assert to(request_layer, her)[confirmed + 1 :] == []
    assert mentions(services.db, her) == {}


async def test_deleted_between_her_chunks_prepare_and_her_send(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Her /delete is handled after her day's row was prepared, before her send starts:
    nothing is sent, and nothing comes back."""
    due_now.add_patients(services, clock, FIRST, PATIENTS)
    person = Person(app, request_layer, chat_id=LAST)
    await person.send("/delete")
    delete = person.buttons()["🗑 Delete everything"]
    real = scheduler._prepare
    deleting: list[asyncio.Task[list[str]]] = []

    def prepare_then_delete(*args: Any) -> Any:
        sending = real(*args)
        deleting.append(asyncio.create_task(person.press(delete)))  # runs before the sends
        return sending

    monkeypatch.setattr(scheduler, "_prepare", prepare_then_delete)
    request_layer.clear()
    assert await scheduler.tick(app.bot, services) == PATIENTS - 1
    assert any("has been deleted" in t for t in await deleting[0])
    assert [t for t in to(request_layer, LAST) if "tablet" in t] == []
    assert mentions(services.db, LAST) == {}


async def test_removing_a_caregiver_while_an_alert_to_her_is_in_flight(
    app: App,
    anna: Person,
    carol: Person,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await reminded(anna, carol)
    await tick_at(app, services, clock, DOSE_DUE)
    gate = Gate(monkeypatch, request_layer, CAROL)
    clock.set(ALERT_AT)
    run = asyncio.create_task(scheduler.tick(app.bot, services))
    await gate.arrived.wait()
    await anna.press(f"caregivers:remove:{CAROL}")  # asks once first
    removing = asyncio.create_task(anna.press(f"caregivers:rmyes:{CAROL}"))
    await until(lambda: links.get_link(services.db, anna.chat_id, CAROL) is None)
    for _ in range(10):
        await asyncio.sleep(0)
    gate.open.set()
    await removing
    await run
    # "removed" waited for the alert already on its way: she saw the alert first.
    alert = next(
        i
        for i, c in enumerate(request_layer.calls)
        if c.params.get("chat_id") == CAROL and "hasn't confirmed" in str(c.params.get("text"))
    )
    removed = next(
        i
        for i, c in enumerate(request_layer.calls)
        if c.method == "editMessageText" and "no longer follows" in str(c.params.get("text"))
    )
    assert alert < removed
    before = len(request_layer.calls)
    await tick_at(app, services, clock, ALERT_AT + timedelta(days=1))
    await tick_at(app, services, clock, ALERT_AT + timedelta(days=7))
    assert [c for c in request_layer.calls[before:] if c.params.get("chat_id") == CAROL] == []
    assert services.db.conn.execute(
        "SELECT count(*) FROM events WHERE chat_id = ?", [CAROL]
    ).fetchone() == (0,)
