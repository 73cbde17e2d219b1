"""The per-update work `make bench` measures (docs/performance.md): each update reads the
person's row once, and a second tap on an answered reminder writes nothing. Statements are
counted with SQLite's trace callback on the application's own connection."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from bot import scheduler
from bot.app import App
from bot.services import Services
from bot.trial.clock import FakeClock
from db import doses, events
from tests.support import Person, en


@contextmanager
def statements(services: Services) -> Iterator[list[str]]:
    seen: list[str] = []
    services.db.conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        services.db.conn.set_trace_callback(None)


def reading_people(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith("SELECT") and "FROM people" in s]


async def test_help_a_topic_and_a_question_read_her_row_once(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    for text in ("/help", "/dose", "can I drink alcohol with it"):
        with statements(services) as seen:
            answer = await anna.send(text)
        assert answer
        assert len(reading_people(seen)) == 1, (text, seen)


async def test_a_second_taken_tap_writes_nothing(
    anna: Person, app: App, services: Services, clock: FakeClock
) -> None:
    await anna.send("/timezone Europe/Berlin")
    await anna.send("/remind 08:30")
    event = events.find(services.db, anna.chat_id, "dose")
    assert event is not None
    clock.set(datetime.fromtimestamp(event.next_fire, UTC))
    assert await scheduler.tick(app.bot, services) == 1
    day = doses.latest(services.db, anna.chat_id)
    assert day is not None
    await anna.press(f"rem:take:{day.local_date}")
    with statements(services) as seen:
        texts = await anna.press(f"rem:take:{day.local_date}")
    assert texts == [en("reminders_already_taken")]
    writes = [s for s in seen if not s.lstrip().upper().startswith("SELECT")]
    assert writes == []
    assert len(reading_people(seen)) == 1
