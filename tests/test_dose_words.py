"""Doses she can correct, through the real application: her own words (confirmed with a
button before anything is recorded), /history's fill-in, and caregivers following it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import scheduler
from bot.app import App
from bot.clock import FakeClock
from bot.recording_request import RecordingRequest
from bot.services import Services
from db import doses
from handlers.reminders import dose_words
from tests.support import Person
from tests.test_caregivers import (
    ALERT_AT,
    CAROL,
    DOSE_DAY,
    follow,
    messages,
    open_dose,
    set_dose_time,
    tick_at,
)
from tests.test_reminders import make_due, set_up


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("I took it", "taken"),
        ("taken", "taken"),
        ("Taken ✅", "taken"),
        ("I took my tablet", "taken"),
        ("actually I did take it", "taken"),
        ("I’ve taken it today", "taken"),
        ("I forgot yesterday", "skipped"),
        ("I missed my tablet yesterday", "skipped"),
        ("I didn't take it", "skipped"),
        ("I took it with food, is that ok?", None),  # a question for the matcher
        ("I forgot my tablet yesterday, what should I do?", None),
        ("can I take it at night", None),
        ("I take it every morning with breakfast and tea", None),
        ("my mum missed her tablet", None),
    ],
)
def test_dose_words_are_conservative(typed: str, status: str | None) -> None:
    assert dose_words(typed) == status


@pytest.fixture
def carol(app: App, request_layer: RecordingRequest) -> Person:
    return Person(app, request_layer, chat_id=CAROL, first_name="Carol")


@pytest.fixture
async def day(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> str:
    """Anna in Berlin with a reminder at 08:30 that has just been sent (3 March 2026)."""
    await set_up(anna)
    return await make_due(anna, app, services, clock, request_layer)


async def test_her_words_are_confirmed_before_anything_is_recorded(
    anna: Person, services: Services, day: str
) -> None:
    [answer] = await anna.send("I took my tablet")
    assert "Tue 3 March" in answer and "as taken?" in answer
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"  # nothing yet
    texts = await anna.press(anna.buttons()["✅ Taken"])
    assert "Recorded: taken on Tue 3 March" in texts[-1]
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "taken"
    [answer] = await anna.send("taken")
    assert "already recorded as taken" in answer


async def test_forgot_yesterday_fills_in_yesterday(
    anna: Person, services: Services, day: str
) -> None:
    [answer] = await anna.send("I forgot yesterday")
    assert "Mon 2 March" in answer and "not taken" in answer and "never take two" in answer
    await anna.press(anna.buttons()["➖ Not taken"])
    dose = doses.get(services.db, anna.chat_id, "2026-03-02")
    assert dose is not None and dose.status == "skipped"
    [answer] = await anna.send("I forgot yesterday")
    await anna.press(anna.buttons()["Leave it"])
    assert "nothing recorded" in (await anna.press("rem:nomark"))[-1]


async def test_a_question_about_taking_it_still_reaches_the_matcher(anna: Person, day: str) -> None:
    answer = await anna.send("I took it with food, is that ok?")
    assert "Shall I record" not in answer[0]
    assert "/dose" in "".join(answer)


async def test_words_from_someone_without_reminders_go_to_the_matcher(anna: Person) -> None:
    answer = await anna.send("I took it")
    assert not any("Shall I record" in a for a in answer)


async def test_history_fills_in_the_last_seven_days(
    anna: Person, services: Services, day: str
) -> None:
    await anna.send("/history")
    await anna.press(anna.buttons()["✏️ Fill in or correct a day"])
    days = anna.buttons()
    assert len(days) == 7 and days["⏳ Tue 3 March"] == "rem:pick:2026-03-03"
    assert days["▫️ Wed 25 February"] == "rem:pick:2026-02-25"
    await anna.press(days["▫️ Sat 28 February"])
    texts = await anna.press(anna.buttons()["✅ Taken"])
    assert "Recorded: taken on Sat 28 February" in texts[-1]
    dose = doses.get(services.db, anna.chat_id, "2026-02-28")
    assert dose is not None and dose.status == "taken"
    texts = await anna.press("rem:mark:2026-02-20:taken")  # older than 7 days
    assert any("only fill in the last 7 days" in t for t in texts)
    assert doses.get(services.db, anna.chat_id, "2026-02-20") is None


@pytest.mark.parametrize("data", ["rem:mark:2026-03-03", "rem:pick", "rem:days:2026-03-03"])
async def test_forged_fill_in_buttons_do_nothing(anna: Person, data: str, day: str) -> None:
    texts = await anna.press(data)
    assert any("no longer works" in t for t in texts)


async def test_her_caregiver_hears_the_corrected_record(
    anna: Person, carol: Person, app: App, services: Services, clock: FakeClock
) -> None:
    """Carol was told of a missed dose; Anna then says she took it: Carol hears so."""
    await anna.send("/start")
    set_dose_time(services)
    await follow(anna, carol)
    open_dose(services)
    await tick_at(app, services, clock, ALERT_AT)
    before = len(carol.request.calls)
    clock.advance(timedelta(minutes=20))
    await anna.send("actually I did take it")
    await anna.press(anna.buttons()["✅ Taken"])
    await scheduler.tick(app.bot, services)
    assert messages(carol, before) == ["✅ Good news: <b>Anna</b> has taken her tablet after all."]
    dose = doses.get(services.db, anna.chat_id, DOSE_DAY)
    assert dose is not None and dose.status == "taken"
