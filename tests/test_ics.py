"""The calendar file's repeating rules, pure: each medicine schedule's RRULE, expanded as a
calendar would (dateutil's RFC 5545 reader), gives exactly the days the bot reminds her, and
the file stays valid iCalendar (CRLF lines of at most 75 octets, one VTIMEZONE)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st
from icalendar import Calendar

from bot.pure.ics import build_calendar, reminders
from bot.pure.medschedule import Daily, EveryNDays, Monthly, Reminded, Weekly

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
DAYS = 800  # two years and more: every month length, a leap day


def expanded(schedule: Reminded, today: date) -> tuple[list[date], bytes]:
    """The days the file's first event falls on within DAYS of today, and the file."""
    data = build_calendar(reminders("m", "Take it", schedule, today), LONDON, 1, NOW)
    [event, *_] = Calendar.from_ical(data).walk("VEVENT")
    start = event.decoded("dtstart")
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    end = datetime.combine(today + timedelta(days=DAYS - 1), time(23, 59), tzinfo=LONDON)
    return [moment.date() for moment in rule.between(start, end, inc=True)], data


def due_days(schedule: Reminded, today: date) -> list[date]:
    span = (today + timedelta(days=n) for n in range(DAYS))
    return [day for day in span if schedule.due_on(day)]


schedules = st.one_of(
    st.builds(Daily, st.just((time(8, 0),))),
    st.builds(
        Weekly,
        st.just((time(7, 0),)),
        st.none(),
        st.frozensets(st.integers(0, 6), min_size=1),
    ),
    st.builds(
        EveryNDays,
        st.just((time(20, 30),)),
        st.dates(date(2026, 1, 1), date(2026, 6, 1)),
        st.integers(2, 90),
    ),
    st.builds(Monthly, st.just((time(9, 0),)), st.none(), st.integers(1, 31)),
)


@given(schedules, st.dates(date(2026, 1, 1), date(2027, 12, 31)))
def test_a_calendar_repeats_a_medicine_on_the_days_she_is_reminded(
    schedule: Reminded, today: date
) -> None:
    found, _data = expanded(schedule, today)
    assert found == due_days(schedule, today)


def test_a_day_31_falls_on_each_months_last_day_when_it_is_shorter() -> None:
    found, data = expanded(Monthly((time(9, 0),), None, 31), date(2027, 12, 1))
    assert found[:4] == [
        date(2027, 12, 31),
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
    ]
    assert b"RRULE:FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1" in data


def test_each_time_of_day_is_an_event_and_the_file_is_well_formed() -> None:
    schedule = Weekly((time(7, 0), time(19, 0)), None, frozenset({0, 3}))
    data = build_calendar(reminders("m", "Take it " * 20, schedule, NOW.date()), LONDON, 1, NOW)
    events = Calendar.from_ical(data).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [
        datetime(2026, 3, 2, 7, 0, tzinfo=LONDON),
        datetime(2026, 3, 2, 19, 0, tzinfo=LONDON),
    ]
    assert {str(e["uid"]) for e in events} == {
        "m-0-1@anastrozole-companion",
        "m-1-1@anastrozole-companion",
    }
    assert all(e["rrule"] == {"FREQ": ["WEEKLY"], "BYDAY": ["MO", "TH"]} for e in events)
    lines = data.split(b"\r\n")
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)  # long lines folded (RFC 5545 3.1)
    assert data.count(b"BEGIN:VTIMEZONE") == 1
