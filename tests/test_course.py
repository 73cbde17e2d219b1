"""The treatment course and the calendar file, through the real application."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import yaml
from icalendar import Calendar

from bot import scheduler
from bot.app import App
from bot.pure.i18n import Catalog
from bot.pure.timerules import from_epoch
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from db import checkups, events, people
from tests.support import Person, en
from tests.test_render import problems


def utc(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


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
    for typed, expected in [
        ("/started 2026-03-03", "in the future"),
        ("/started 2025-02-29", "doesn't exist"),
        ("/started last spring", "couldn't read"),
    ]:
        [answer] = await anna.send(typed)
        assert expected in answer and "<code>/started 2 March 2026</code>" in answer
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
    texts = [p["text"] for m, p in anna.calls_since(start) if m == "sendMessage"]
    notes = [t for t in texts if "Today marks" in t]  # the other: her first cholesterol prompt
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
    assert filename == "anastrozole-calendar-Anna-2026-03-02.ics"
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
    assert en("calendar_empty") in answer


async def test_started_in_the_future_or_for_7_years(anna: Person, services: Services) -> None:
    [answer] = await anna.send("/started 2026-04-01")
    assert "in the future" in answer and "first tablet" in answer and "done" not in answer
    assert checkups.get_course(services.db, anna.chat_id) is None
    # 7 years is a real plan (extended or switched therapy); the team decides, so 1-10 is taken
    [answer] = await anna.send("/started 2026-03-02 7")
    assert "planned 7 years" in answer and "Day 1 of 2,557" in answer


async def test_a_course_started_on_29_february_has_its_anniversary_on_28_february(
    app: App, anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/cholesterol 2026-02-01")  # a test recorded: only the note is sent
    [answer] = await anna.send("/started 2024-02-29")
    assert "Day 733 of 1,826" in answer and "3 years on 28 February 2027" in answer
    event = events.find(services.db, anna.chat_id, "anniversary")
    assert event is not None and from_epoch(event.next_fire) == utc(2027, 2, 28, 10)
    start = len(anna.request.calls)
    for _ in range(2):
        clock.set(utc(2027, 2, 28, 10))
        await scheduler.tick(app.bot, services)
        scheduler.reschedule_chat(services, anna.chat_id)  # recomputing must not resend
    clock.set(utc(2027, 2, 28, 23))
    await scheduler.tick(app.bot, services)
    notes = [p["text"] for m, p in anna.calls_since(start) if m == "sendMessage"]
    assert len(notes) == 1 and "<b>3 years</b>" in notes[0]
    [answer] = await anna.send("/progress")
    assert "Day 1,096 of 1,826" in answer and "4 years on 29 February 2028" in answer


async def test_a_note_due_but_not_yet_sent_survives_a_recompute(
    app: App, anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/cholesterol 2026-02-01")
    await anna.send("/started 2025-03-03")
    clock.set(utc(2026, 3, 3, 10, 0, 5))  # due at 10:00; the tick has not run yet
    scheduler.reschedule_chat(services, anna.chat_id)
    start = len(anna.request.calls)
    await scheduler.tick(app.bot, services)
    [note] = [p["text"] for m, p in anna.calls_since(start) if m == "sendMessage"]
    assert "1 year" in note


async def test_without_a_test_cholesterol_is_asked_a_year_after_the_start(
    app: App, anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/help")
    people.set_timezone(services.db, anna.chat_id, "America/New_York")
    assert events.find(services.db, anna.chat_id, "checkup_prompt", "cholesterol") is None
    [answer] = await anna.send("/started 2025-06-10")
    assert "cholesterol test on 10 June 2026" in answer
    clock.set(utc(2026, 6, 10, 14))  # 10:00 in New York
    await scheduler.tick(app.bot, services)
    [prompt] = anna.texts_since(len(anna.request.calls) - 1)
    assert "can raise cholesterol" in prompt and "overdue" not in prompt
    assert set(anna.buttons()) == {"✅ Done", "📅 Booked", "⏰ Later"}
    [answer] = await anna.send("/cholesterol 2026-05-20")  # she had one: that date wins
    assert "20 May 2027" in answer
    event = events.find(services.db, anna.chat_id, "checkup_prompt", "cholesterol")
    assert event is not None and from_epoch(event.next_fire) == utc(2027, 5, 20, 14)


async def test_started_long_ago_without_a_test_asks_about_cholesterol_soon(
    anna: Person, services: Services
) -> None:
    [answer] = await anna.send("/started 2023-01-10")
    assert "cholesterol test on 2 March 2026" in answer  # 10:00 UTC today is still ahead
    await anna.send("/checkups cholesterol off")
    [answer] = await anna.send("/started 2023-01-10")
    assert "cholesterol" not in answer
    assert events.find(services.db, anna.chat_id, "checkup_prompt", "cholesterol") is None


async def test_calendar_for_new_york_has_dates_a_daily_rule_and_its_zone(
    anna: Person, services: Services
) -> None:
    await anna.send("/help")
    people.set_timezone(services.db, anna.chat_id, "America/New_York")
    people.set_remind_at(services.db, anna.chat_id, "21:30")  # 02:30 UTC the next day
    await anna.send("/bonescan 2024-06-30")
    await anna.press("checkups:book:bonescan")
    await anna.send("2026-06-15")
    start = len(anna.request.calls)
    await anna.send("/calendar")
    [(_method, params)] = anna.calls_since(start)
    parsed = Calendar.from_ical(params["_files"]["document"][1])
    found = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    assert set(found) == {
        "Bone-density (DEXA) scan",
        "Bone-density (DEXA) scan due",
        "Take your anastrozole tablet",
    }
    assert found["Bone-density (DEXA) scan"].decoded("dtstart") == date(2026, 6, 15)
    assert found["Bone-density (DEXA) scan due"].decoded("dtstart") == date(2026, 6, 30)
    dose = found["Take your anastrozole tablet"]
    start_at = dose.decoded("dtstart")
    assert start_at == datetime(2026, 3, 2, 21, 30, tzinfo=ZoneInfo("America/New_York"))
    assert dose["dtstart"].params["TZID"] == "America/New_York"
    assert dose["rrule"] == {"FREQ": ["DAILY"]}
    [zone] = parsed.walk("VTIMEZONE")
    assert zone["tzid"] == "America/New_York"
    # a named zone, not a fixed offset: 21:30 stays 21:30 local after DST starts on 8 March
    after = dose.decoded("dtstart") + timedelta(days=7)
    assert after.astimezone(UTC) == datetime(2026, 3, 10, 1, 30, tzinfo=UTC)
    uids = [str(e["uid"]) for e in parsed.walk("VEVENT")]
    assert len(set(uids)) == 3 and all(str(anna.chat_id) in u for u in uids)


def test_every_scan_checkup_and_course_text_is_valid_telegram_html(settings: Settings) -> None:
    """Filled with text that needs escaping, as a name or date from a person would be."""
    catalog = Catalog.load(settings.content_path)
    source = yaml.safe_load((settings.content_path / "en/ui/checkups.yaml").read_text())
    assert len(source) > 50
    for key, template in source.items():
        fields = dict.fromkeys(re.findall(r"{(\w+)}", template), "<b>&x")
        for language in catalog.languages():
            message = catalog.text(language, key, **fields)
            assert problems(message) == [], (language, key, message)
