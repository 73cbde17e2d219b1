"""A new dose time or zone moves everything at once and never repeats a day; a dose left
unanswered is missed when her local day ends, the same in the table, /history and the
caregiver's summary."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot import scheduler
from bot.app import App
from bot.pure.timerules import from_epoch
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses, events
from tests.support import Person, en
from tests.test_caregivers import follow, messages, tick_at
from tests.test_reminder_schedule import run
from tests.test_reminders import make_due

CAROL = 2002


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def fire(services: Services, chat_id: int, kind: str, ref: str = "") -> datetime:
    event = events.find(services.db, chat_id, kind, ref)
    assert event is not None, kind
    return from_epoch(event.next_fire)


def reminder_days(request_layer: RecordingRequest, chat_id: int) -> list[str]:
    """The dose day of each daily reminder (not follow-ups) sent to a chat, in order."""
    return [
        str(p["reply_markup"]["inline_keyboard"][0][0]["callback_data"]).split(":")[2]  # type: ignore[index]
        for p in request_layer.sent()
        if str(p["chat_id"]) == str(chat_id) and "Time for your" in str(p["text"])
    ]


Change = Callable[[Person], Awaitable[object]]
CHANGES: dict[str, tuple[Change, datetime, datetime]] = {
    # how she changes it: (the change, her next dose, the bone-scan prompt); both at her
    # dose time, the caregiver's alert 2 hours after the dose
    "typed time": (lambda p: p.send("/remind 19:00"), utc(2, 18), utc(3, 18)),
    "time button": (lambda p: p.press("rem:at:1900"), utc(2, 18), utc(3, 18)),
    "typed zone": (lambda p: p.send("/timezone Asia/Tokyo"), utc(2, 23), utc(2, 23)),
    "zone button": (lambda p: p.press("rem:zone:Asia/Tokyo"), utc(2, 23), utc(2, 23)),
    "location": (  # Kathmandu, +05:45
        lambda p: p.send_message(location={"latitude": 27.7172, "longitude": 85.3240}),
        utc(3, 2, 15),
        utc(3, 2, 15),
    ),
}


@pytest.mark.parametrize("how", CHANGES)
async def test_a_new_time_or_zone_moves_her_caregivers_alert_and_scan_prompt_at_once(
    anna: Person,
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    how: str,
) -> None:
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    await anna.send("/timezone Europe/Berlin")
    await anna.send("/remind 08:00")
    await follow(anna, carol)
    await anna.send("/bonescan 2023-01-10")  # overdue: prompted at her dose time
    assert fire(services, CAROL, "caregiver_alert", str(anna.chat_id)) == utc(3, 9)
    assert fire(services, anna.chat_id, "checkup_prompt", "bonescan") == utc(3, 7)
    change, dose_at, prompt_at = CHANGES[how]
    await change(anna)
    assert fire(services, anna.chat_id, "dose") == dose_at
    assert fire(services, anna.chat_id, "checkup_prompt", "bonescan") == prompt_at
    alert_at = dose_at + timedelta(hours=2)
    assert fire(services, CAROL, "caregiver_alert", str(anna.chat_id)) == alert_at
    before = len(request_layer.calls)

    def alerts() -> list[str]:
        return [t for t in messages(carol, before) if "hasn't confirmed" in t]

    await tick_at(app, services, clock, dose_at)
    await tick_at(app, services, clock, alert_at - timedelta(minutes=1))
    assert alerts() == []
    await tick_at(app, services, clock, alert_at)
    assert len(alerts()) == 1


async def test_an_earlier_time_after_todays_reminder_keeps_todays_alert(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    await anna.send("/timezone Europe/Berlin")
    await anna.send("/remind 08:30")
    await follow(anna, carol)
    await make_due(anna, app, services, clock, request_layer)  # 3 March 08:30, unanswered
    await anna.send("/remind 07:00")  # tomorrow on: today's 08:30 reminder is still open
    before = len(request_layer.calls)
    await run(app, services, clock, utc(3, 9, 30), timedelta(minutes=5))  # 08:30 + 2 h
    texts = messages(carol, before)
    assert len(texts) == 1 and "08:30" in texts[0]
    assert fire(services, CAROL, "caregiver_alert", str(anna.chat_id)) == utc(4, 8)


async def test_a_later_time_the_same_day_does_not_remind_twice(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    await anna.send("/timezone Europe/Berlin")
    await anna.send("/remind 08:30")
    assert await make_due(anna, app, services, clock, request_layer) == "2026-03-03"
    texts = await anna.send("/remind 20:00")
    assert "<b>20:00</b>" in texts[0] and "Berlin, Germany" in texts[0]
    await run(app, services, clock, utc(5, 12), timedelta(minutes=10))
    assert reminder_days(request_layer, anna.chat_id) == ["2026-03-03", "2026-03-04"]


@pytest.mark.parametrize(
    ("start", "moved", "at"),
    [
        ("America/New_York", "Europe/Berlin", "22:00"),  # east: already the next day there
        ("Asia/Tokyo", "Europe/London", "23:30"),  # west: the same day again there
        ("Pacific/Kiritimati", "Pacific/Pago_Pago", "08:30"),  # west over the date line
        ("Pacific/Pago_Pago", "Pacific/Kiritimati", "20:00"),  # east over the date line
    ],
)
async def test_moving_across_midnight_never_repeats_a_day(
    anna: Person,
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    start: str,
    moved: str,
    at: str,
) -> None:
    await anna.send(f"/timezone {start}")
    await anna.send(f"/remind {at}")
    await make_due(anna, app, services, clock, request_layer)
    await anna.send(f"/timezone {moved}")
    await run(app, services, clock, clock.now() + timedelta(days=3), timedelta(minutes=10))
    days = reminder_days(request_layer, anna.chat_id)
    assert days == sorted(set(days)) and len(days) >= 2
    rows = doses.between(services.db, anna.chat_id, "2026-01-01", "2026-12-31")
    assert [r.local_date for r in rows] == days


@pytest.fixture
async def carol_far_away(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> Person:
    """Anna at UTC+14 had her 20:00 reminder on 3 March and turned reminders off without
    answering; Carol, at UTC-11, follows her."""
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    await carol.send("/timezone Pacific/Pago_Pago")
    await anna.send("/timezone Pacific/Kiritimati")
    await anna.send("/remind 20:00")
    await follow(anna, carol)
    await tick_at(app, services, clock, utc(3, 6))  # 20:00 on 3 March in Kiritimati
    await anna.send("/remind off")
    return carol


WEEKLY_TEXT = (
    "📅 <b>Anna</b>'s week, Tue 3 March to Mon 9 March:"
    " one day with a reminder so far, and her tablet was not confirmed."
)


async def test_an_unanswered_dose_is_missed_when_her_local_day_ends(
    anna: Person, carol_far_away: Person, app: App, services: Services, clock: FakeClock
) -> None:
    clock.set(utc(3, 9, 59))  # 23:59 her time: still hers to take
    text = (await anna.send("/history"))[0]
    assert "Missed: 0" in text and text.count("⏳") == 2  # the calendar and the legend
    assert "%" not in text  # nothing to rate yet
    clock.set(utc(3, 10, 1))  # 00:01 on 4 March her time
    text = (await anna.send("/history"))[0]
    assert "Missed: 1" in text and "❌▫️\n" in text and "%" not in text  # one day: no rate
    dose = doses.get(services.db, anna.chat_id, "2026-03-03")
    assert dose is not None and dose.status == "missed"
    before = len(carol_far_away.request.calls)
    await tick_at(app, services, clock, utc(9, 6))  # Sunday 19:00 in Pago Pago
    assert [t for t in messages(carol_far_away, before) if "week" in t] == [WEEKLY_TEXT]


async def test_the_table_is_closed_before_the_weekly_summary_reads_it(
    anna: Person, carol_far_away: Person, app: App, services: Services, clock: FakeClock
) -> None:
    before = len(carol_far_away.request.calls)
    await tick_at(app, services, clock, utc(9, 6))  # nobody looked at /history
    assert [t for t in messages(carol_far_away, before) if "week" in t] == [WEEKLY_TEXT]
    dose = doses.get(services.db, anna.chat_id, "2026-03-03")
    assert dose is not None and dose.status == "missed"


@pytest.mark.parametrize("typed", ["-3", "ten", "²", "1001", "9" * 5000, "3.5", "1e3"])
async def test_pills_refuses_what_is_not_a_count(anna: Person, typed: str) -> None:
    texts = await anna.send(f"/pills {typed}")
    assert texts == [en("reminders_pills_bad")]
    assert "not counting" in (await anna.send("/pills"))[0]


@pytest.mark.parametrize("zone", [None, "Asia/Kathmandu"])
@pytest.mark.parametrize("how", ["/remind 7.05 pm", "rem:at:1905"])
async def test_every_remind_answer_repeats_the_time_and_the_zone(
    anna: Person, how: str, zone: str | None
) -> None:
    if zone:
        await anna.send(f"/timezone {zone}")
    texts = await (anna.send(how) if how.startswith("/") else anna.press(how))
    (answer,) = [t for t in texts if t]
    assert "<b>19:05</b>" in answer
    assert "Time zone: Kathmandu, Nepal" in answer if zone else "using <b>UTC</b> until" in answer
    assert answer.count("\n") <= 2


@pytest.mark.parametrize("minutes", [30, 60, 120])
async def test_follow_ups_come_after_her_chosen_delay_at_most_twice(
    anna: Person,
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    minutes: int,
) -> None:
    await anna.press(f"rem:nudge:{minutes}")
    await anna.send("/remind 10:00")  # UTC: in one hour
    sent_at: list[datetime] = []
    while clock.now() < utc(2, 23):
        clock.advance(timedelta(minutes=1))
        if await scheduler.tick(app.bot, services):
            sent_at.append(clock.now())
    step = timedelta(minutes=minutes)
    assert sent_at == [utc(2, 10), utc(2, 10) + step, utc(2, 10) + 2 * step]
