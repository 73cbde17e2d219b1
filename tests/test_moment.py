"""One message per moment of her day (bot/moment.py), through the real application: her
anastrozole and another medicine due at the same minute come together, whichever event the
tick takes first; every button under it redraws the whole; follow-ups carry what is still
open; a restart sends nothing twice; a reminder moved after today's went out leaves no
medicine behind."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot import scheduler
from bot.app import App
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses, medicines
from tests.support import Move, Person, build_app, en, run_until
from tests.test_medicines import ANNA, add, buttons_of

MORNING = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # London is on GMT: 08:00 local
BEFORE = datetime(2026, 3, 3, 7, 59, tzinfo=UTC)  # the evening before and its follow-ups done


def sent_to(layer: RecordingRequest, since: int = 0) -> list[dict[str, object]]:
    """Every message the bot sent her (not edits)."""
    return [
        c.params
        for c in layer.calls[since:]
        if c.method == "sendMessage" and c.params.get("chat_id") == ANNA
    ]


async def together(anna: Person, medicine_first: bool) -> None:
    """Anna in London: anastrozole at 08:00, Calcium at 08:00, Metformin at 20:00 (the
    medicine's event made before or after the reminder's)."""
    await anna.send("/timezone Europe/London")
    if medicine_first:
        await add(anna, "Calcium", "daily", "08:00")
    await anna.send("/remind 08:00")
    if not medicine_first:
        await add(anna, "Calcium", "daily", "08:00")
    await add(anna, "Metformin", "daily", "20:00")


@pytest.fixture(params=[False, True], ids=["reminder-first", "medicine-first"])
async def anna_at_eight(anna: Person, move: Move, request: pytest.FixtureRequest) -> Person:
    await together(anna, medicine_first=request.param)
    await move(BEFORE)
    return anna


@pytest.mark.parametrize("batch", [1, 500], ids=["one-event-a-claim", "one-batch"])
async def test_her_tablet_and_a_medicine_at_the_same_minute_come_in_one_message(
    anna_at_eight: Person,
    move: Move,
    request_layer: RecordingRequest,
    monkeypatch: pytest.MonkeyPatch,
    batch: int,
) -> None:
    monkeypatch.setattr(scheduler, "BATCH", batch)  # the tick takes either event first
    since = len(request_layer.calls)
    await move(MORNING)
    sent = sent_to(request_layer, since)
    assert len(sent) == 1, [m["text"] for m in sent]
    [message] = sent
    text = str(message["text"])
    assert "• <b>Anastrozole</b>" in text and "• <b>Calcium</b>" in text
    assert "Metformin" not in text
    pressable = buttons_of(message)
    assert pressable["✅ Anastrozole"] == "rem:take:2026-03-03"
    assert pressable["✅ Calcium"].startswith("meds:take:")
    assert pressable["✅ All taken"] == "meds:all:2026-03-03:0800"
    # The medicine's own event stood down: nothing more at 08:00, and Metformin at 20:00 alone.
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 8, 5, tzinfo=UTC))
    assert sent_to(request_layer, since) == []


@pytest.mark.usefixtures("anna_at_eight")
async def test_all_taken_records_both_and_caregivers_news_follows(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await move(MORNING)
    pressable = buttons_of(sent_to(request_layer)[-1])
    edited = (await anna.press(pressable["✅ All taken"]))[-1]
    assert "✅ <b>Anastrozole</b>: taken" in edited and "✅ <b>Calcium</b>: taken" in edited
    dose = doses.get(services.db, ANNA, "2026-03-03")
    assert dose is not None and dose.status == "taken"
    assert [d.status for d in medicines.doses_at(services.db, ANNA, "2026-03-03", "08:00")] == [
        "taken"
    ]
    assert await anna.press(pressable["✅ All taken"]) == [en("button_expired")]
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert sent_to(request_layer, since) == []  # answered: no follow-up


@pytest.mark.usefixtures("anna_at_eight")
async def test_each_button_redraws_the_whole_and_follow_ups_carry_what_is_open(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await move(MORNING)
    pressable = buttons_of(sent_to(request_layer)[-1])
    said = await anna.press(pressable["✅ Anastrozole"])
    assert said[-1] == "✅ Taken at 08:00."  # a toast: the redrawn line says it
    assert "✅ <b>Anastrozole</b>: taken" in said[0] and "• <b>Calcium</b>" in said[0]
    # Calcium's buttons stay under the message; no All taken for one open dose.
    markup = anna.last_markup()
    assert markup is not None
    assert [b["text"] for row in markup["inline_keyboard"] for b in row] == [
        "✅ Calcium",
        "⏰ 15 min",
        "Skip",
    ]
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))  # her follow-up after an hour
    [nudge] = sent_to(request_layer, since)
    assert str(nudge["text"]).startswith("💊 Just checking in about your medicines of 08:00")
    assert list(buttons_of(nudge)) == ["✅ Calcium", "⏰ 15 min", "Skip"]
    edited = (await anna.press(buttons_of(nudge)["✅ Calcium"]))[-1]
    assert "✅ <b>Calcium</b>: taken" in edited and "✅ <b>Anastrozole</b>: taken" in edited
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    assert sent_to(request_layer, since) == []


@pytest.mark.usefixtures("anna_at_eight")
async def test_skip_in_the_message_keeps_the_others_and_gives_the_never_two_rule(
    anna: Person, move: Move, request_layer: RecordingRequest
) -> None:
    await move(MORNING)
    pressable = buttons_of(sent_to(request_layer)[-1])
    said = await anna.press(pressable["✅ Anastrozole"].replace("take", "skip"))
    [redrawn] = [t for t in said if "• <b>Calcium</b>" in t]
    assert "➖ <b>Anastrozole</b>: skipped" in redrawn
    assert any("never take two" in t for t in said)
    said = await anna.press(pressable["✅ Anastrozole"].replace("take", "snooze") + ":15")
    assert said == [en("reminders_cannot_snooze")]  # answered: refused, nothing redrawn


async def test_a_tablet_recorded_before_its_reminder_still_brings_the_medicine(
    anna: Person, move: Move, request_layer: RecordingRequest
) -> None:
    await together(anna, medicine_first=False)
    await move(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    await anna.send("I took my tablet")
    await anna.press("rem:mark:2026-03-03:taken")
    since = len(request_layer.calls)
    await move(MORNING)
    [message] = sent_to(request_layer, since)
    assert "✅ <b>Anastrozole</b>: taken" in str(message["text"])
    assert list(buttons_of(message)) == ["✅ Calcium", "⏰ 15 min", "Skip"]


async def test_a_reminder_moved_after_todays_went_out_leaves_no_medicine_behind(
    anna: Person, move: Move, request_layer: RecordingRequest
) -> None:
    await anna.send("/timezone Europe/London")
    await anna.send("/remind 07:00")
    await add(anna, "Calcium", "daily", "08:00")
    await move(datetime(2026, 3, 3, 7, 0, tzinfo=UTC))
    await anna.press("rem:take:2026-03-03")
    await anna.send("/remind 08:00")  # today's went out at 07:00: the next is tomorrow's
    since = len(request_layer.calls)
    await move(MORNING)
    [message] = sent_to(request_layer, since)
    assert "Calcium" in str(message["text"]) and "Anastrozole" not in str(message["text"])
    await anna.press(buttons_of(message)["✅ Calcium"])
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    [tomorrow] = sent_to(request_layer, since)
    assert "Anastrozole" in str(tomorrow["text"]) and "Calcium" in str(tomorrow["text"])


@pytest.mark.usefixtures("anna_at_eight")
async def test_a_restart_between_the_two_sends_nothing_twice(
    settings: Settings, clock: FakeClock, app: App, services: Services
) -> None:
    clock.set(MORNING)
    await scheduler.tick(app.bot, services)
    layer = RecordingRequest()
    second = build_app(settings, request=layer, clock=clock)
    async with second:
        await second.post_init(second)  # type: ignore[misc]
        again = second.bot_data["services"]
        await run_until(second, again, clock, datetime(2026, 3, 3, 8, 30, tzinfo=UTC))
    assert sent_to(layer) == []
    assert len(medicines.doses_at(services.db, ANNA, "2026-03-03", "08:00")) == 1
    assert doses.get(services.db, ANNA, "2026-03-03") is not None


async def test_in_russian_the_message_is_hers(
    anna: Person, move: Move, request_layer: RecordingRequest
) -> None:
    await anna.press("language:ru")
    await together(anna, medicine_first=False)
    await move(BEFORE)
    since = len(request_layer.calls)
    await move(MORNING)
    [message] = sent_to(request_layer, since)
    assert "• <b>Анастрозол</b>" in str(message["text"])
    assert set(buttons_of(message)) >= {"✅ Анастрозол", "✅ Приняла всё"}
