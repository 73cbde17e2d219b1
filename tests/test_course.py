"""The treatment course and the calendar file, through the real application."""

from datetime import UTC, datetime

from icalendar import Calendar

from bot import scheduler
from bot.app import App
from bot.clock import FakeClock
from bot.services import Services
from db import events, people
from tests.support import Person


async def test_started_and_progress_show_the_day_count_and_next_milestone(
    anna: Person,
) -> None:
    [answer] = await anna.send("/started 2025-01-26")  # today is 2 March 2026
    assert "26 January 2025" in answer and "5 years" in answer
    assert "Day 401 of 1,826" in answer and "21%" in answer
    [answer] = await anna.send("/progress")
    assert "Day 401 of 1,826" in answer
    assert "2 years on 26 January 2027" in answer
    [answer] = await anna.send("/started 2025-01-26 10")
    assert "Day 401 of 3,652" in answer


async def test_progress_before_started_explains_how(anna: Person) -> None:
    [answer] = await anna.send("/progress")
    assert "/started" in answer


async def test_started_refuses_bad_input(anna: Person, services: Services) -> None:
    assert "in the future" in (await anna.send("/started 2026-03-03"))[0]
    assert "doesn't exist" in (await anna.send("/started 2025-02-29"))[0]
    assert "couldn't read" in (await anna.send("/started last spring"))[0]
    assert "1 to 10" in (await anna.send("/started 2025-01-26 11"))[0]
    assert events.for_chat(services.db, anna.chat_id) == []


async def test_the_last_year_is_the_end_of_the_course(anna: Person, clock: FakeClock) -> None:
    await anna.send("/started 2021-06-01")
    [answer] = await anna.send("/progress")
    assert "end of your planned course, 1 June 2026" in answer
    clock.set(datetime(2026, 6, 2, 9, 0, tzinfo=UTC))
    [answer] = await anna.send("/progress")
    assert "reached the end of your planned 5 years (1 June 2026)" in answer


async def test_an_anniversary_note_arrives_at_her_reminder_time_once(
    app: App, anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/started 2025-03-02")  # first anniversary is today, 2 March 2026
    people.set_timezone(services.db, anna.chat_id, "Europe/Berlin")
    people.set_remind_at(services.db, anna.chat_id, "11:00")
    scheduler.reschedule_chat(services, anna.chat_id)
    start = len(anna.request.calls)
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    await scheduler.tick(app.bot, services)
    await scheduler.tick(app.bot, services)
    notes = [p["text"] for m, p in anna.calls_since(start) if m == "sendMessage"]
    assert len(notes) == 1 and "1 year" in notes[0]
    event = events.find(services.db, anna.chat_id, "anniversary")
    assert event is not None
    assert event.next_fire == int(datetime(2027, 3, 2, 10, 0, tzinfo=UTC).timestamp())


async def test_calendar_file_holds_the_scan_checkups_and_the_daily_reminder(
    anna: Person, services: Services
) -> None:
    await anna.send("/help")
    people.set_timezone(services.db, anna.chat_id, "Europe/London")
    people.set_remind_at(services.db, anna.chat_id, "08:30")
    await anna.send("/bonescan 2025-01-10")
    await anna.send("/cholesterol 2024-01-10")  # overdue: shown from today
    start = len(anna.request.calls)
    await anna.send("/calendar")
    [(method, params)] = anna.calls_since(start)
    assert method == "sendDocument"
    filename, data, _mime = params["_files"]["document"]
    assert filename == "anastrozole.ics"
    parsed = Calendar.from_ical(data)
    found = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    assert found["Bone-density (DEXA) scan due"].decoded("dtstart").isoformat() == "2027-01-10"
    assert found["Cholesterol test (lipid panel) due"].decoded("dtstart").isoformat() == (
        "2026-03-02"
    )
    dose = found["Take your anastrozole tablet"]
    assert dose["rrule"]["FREQ"] == ["DAILY"]
    assert b"DTSTART;TZID=Europe/London:20260302T083000" in data
    assert b"BEGIN:VTIMEZONE" in data


async def test_calendar_with_nothing_to_add_says_so(anna: Person) -> None:
    [answer] = await anna.send("/calendar")
    assert "nothing to put in a calendar" in answer
