import calendar
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.pure.dates import (
    DateProblem,
    add_months,
    is_overdue,
    next_anniversary,
    next_due,
    parse_date,
    parse_day,
    progress,
    show,
    show_weekday,
)
from bot.pure.i18n import Catalog

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
months = st.integers(min_value=0, max_value=120)


@given(days, months)
def test_add_months_lands_in_the_right_month_and_clamps_to_its_end(day: date, n: int) -> None:
    later = add_months(day, n)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == n
    last = calendar.monthrange(later.year, later.month)[1]
    assert later.day == min(day.day, last)


@given(days, months, months)
def test_add_months_never_moves_backwards_and_composes_up_to_clamping(
    day: date, a: int, b: int
) -> None:
    assert add_months(day, a) >= day
    assert add_months(add_months(day, a), b) <= add_months(day, a + b)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 8, 31), 24, date(2028, 8, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
    ],
)
def test_add_months_examples(start: date, n: int, expected: date) -> None:
    assert add_months(start, n) == expected


@given(days, st.sampled_from([6, 12, 24]), days)
def test_overdue_exactly_after_the_due_day(last: date, interval: int, today: date) -> None:
    due = next_due(last, interval)
    assert is_overdue(due, today) == (today > due)
    assert not is_overdue(due, due)
    assert is_overdue(due, due + timedelta(days=1))


@given(days)
def test_iso_dates_round_trip_and_show_has_the_year(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert str(day.year) in show(day)
    assert parse_date(show(day)) == day


def test_a_day_this_week_shows_its_weekday_and_month_name() -> None:
    assert show_weekday(date(2026, 3, 3)) == "Tue 3 March"
    assert show_weekday(date(2026, 11, 29)) == "Sun 29 November"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("14 March 2026", date(2026, 3, 14)),
        ("14 mar 2026", date(2026, 3, 14)),
        ("March 14, 2026", date(2026, 3, 14)),
        ("1st Sept 2025", date(2025, 9, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2024-02-30", DateProblem("impossible")),
        ("2025-02-29", DateProblem("impossible")),
        ("2026-13-01", DateProblem("impossible")),
        ("31 April 2026", DateProblem("impossible")),
        ("soon", DateProblem("unreadable")),
        ("14/03/2026", DateProblem("unreadable")),
        ("14 Smarch 2026", DateProblem("unreadable")),
        ("", DateProblem("unreadable")),
    ],
)
def test_parse_date(text: str, expected: object) -> None:
    assert parse_date(text) == expected


@given(st.text(max_size=200))
def test_parse_date_never_raises(text: str) -> None:
    assert isinstance(parse_date(text), date | DateProblem)


def test_parse_day_checks_against_today() -> None:
    today = date(2026, 3, 2)
    assert parse_day("today", today, "past") == today
    assert parse_day("yesterday", today, "past") == date(2026, 3, 1)
    assert parse_day("2026-03-03", today, "past") == DateProblem("future")
    assert parse_day("2026-03-01", today, "future") == DateProblem("past")
    assert parse_day("tomorrow", today, "future") == date(2026, 3, 3)
    assert parse_day("2030-01-01", today, "future") == DateProblem("impossible")
    assert parse_day("1900-01-01", today, "past") == DateProblem("impossible")


def test_progress_counts_the_first_day_as_day_one() -> None:
    start = date(2025, 1, 27)
    assert progress(start, 5, start).day == 1
    shown = progress(start, 5, start + timedelta(days=400))
    assert (shown.day, shown.total, shown.percent, shown.finished) == (401, 1826, 21, False)
    assert progress(start, 10, start).total == 3652
    assert progress(start, 5, date(2030, 1, 27)).finished


@given(days, st.integers(min_value=1, max_value=10), days)
def test_next_anniversary_is_strictly_after_and_within_the_course(
    start: date, years: int, after: date
) -> None:
    found = next_anniversary(start, years, after)
    if found is None:
        assert add_months(start, 12 * years) <= after
    else:
        year, day = found
        assert day > after and 1 <= year <= years
        assert day == add_months(start, 12 * year)
        assert year == 1 or add_months(start, 12 * (year - 1)) <= after


def test_a_language_reads_and_shows_its_own_month_names() -> None:
    russian = Catalog.load(Path(__file__).resolve().parents[1] / "content").names("ru")
    assert show(date(2027, 3, 14), russian) == "14 марта 2027"
    assert show_weekday(date(2026, 3, 3), russian) == "вт 3 марта"
    assert parse_date("14 Марта 2027", russian) == date(2027, 3, 14)
    assert parse_date("14 March 2027", russian) == date(2027, 3, 14)  # English is always read
    assert parse_date("14 марта 2027") == DateProblem("unreadable")  # not without the names
    today = date(2026, 3, 2)
    assert parse_day("Завтра", today, "future", russian) == date(2026, 3, 3)
    assert parse_day("yesterday", today, "past", russian) == date(2026, 3, 1)
