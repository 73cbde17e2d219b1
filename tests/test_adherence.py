from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.pure.adherence import summarise

TODAY = date(2026, 3, 30)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def test_counts_percent_streak_calendar() -> None:
    statuses = {
        days_ago(5): "taken",
        days_ago(4): "skipped",
        days_ago(3): "pending",  # a past day never answered: missed
        days_ago(2): "taken",
        days_ago(1): "taken",
        days_ago(0): "pending",  # today: still open, breaks nothing
    }
    summary = summarise(statuses, TODAY)
    assert (summary.taken, summary.skipped, summary.missed) == (3, 1, 1)
    assert summary.percent == 60
    assert summary.streak == 2
    # 1 to 30 March 2026: a Sunday, four whole weeks, and today, a Monday.
    assert len(summary.calendar) == 6
    weeks = [symbols for _first, symbols in summary.calendar]
    assert weeks[0] == "▫️" and weeks[1] == "▫️" * 7
    assert weeks[-2:] == ["▫️▫️✅➖❌✅✅", "⏳"]
    assert summary.calendar[-1][0] == TODAY and summary.calendar[1][0].weekday() == 0


def test_nothing_to_count() -> None:
    summary = summarise({}, TODAY)
    assert summary.percent is None and summary.streak == 0


def test_streak_counts_today_when_taken() -> None:
    summary = summarise({days_ago(1): "taken", days_ago(0): "taken"}, TODAY)
    assert summary.streak == 2


statuses = st.dictionaries(
    st.integers(0, 40).map(days_ago), st.sampled_from(["pending", "taken", "skipped", "missed"])
)


@given(statuses)
def test_invariants(found: dict[date, str]) -> None:
    summary = summarise(found, TODAY)
    counted = summary.taken + summary.skipped + summary.missed
    assert counted <= 30
    assert summary.streak <= summary.taken
    assert summary.percent is None or 0 <= summary.percent <= 100
    assert sum(len(line) for _first, line in summary.calendar) >= 30
