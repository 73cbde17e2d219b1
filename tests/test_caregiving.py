"""Pure caregiver time rules: when alerts and weekly summaries fall due."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from bot.pure.caregiving import (
    WEEKLY_AT,
    alert_occurrence,
    next_alert,
    next_weekly,
)
from bot.pure.timerules import next_daily

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
ZONES = st.sampled_from(
    [ZoneInfo(z) for z in ("UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe")]
)
INSTANTS = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC)
)
TIMES = st.times().map(lambda t: t.replace(second=0, microsecond=0))
DELAYS = st.sampled_from([timedelta(minutes=m) for m in (1, 30, 60, 120, 240)])


def test_alert_comes_the_delay_after_the_dose_time() -> None:
    after = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    alert = next_alert(time(8, 0), BERLIN, timedelta(hours=2), after)
    assert alert == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)  # 08:00 CET + 2 h
    assert alert_occurrence(alert, BERLIN, timedelta(hours=2)) == "2026-03-03@08:00"


def test_alert_for_a_late_evening_dose_belongs_to_the_dose_day() -> None:
    after = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    alert = next_alert(time(23, 0), BERLIN, timedelta(hours=4), after)
    assert alert == datetime(2026, 3, 3, 2, 0, tzinfo=UTC)  # 03:00 local the next morning
    assert alert_occurrence(alert, BERLIN, timedelta(hours=4)) == "2026-03-02@23:00"


@given(at=TIMES, zone=ZONES, delay=DELAYS, after=INSTANTS)
def test_alert_is_a_dose_time_plus_delay_strictly_after(
    at: time, zone: ZoneInfo, delay: timedelta, after: datetime
) -> None:
    alert = next_alert(at, zone, delay, after)
    assert alert > after
    assert alert - delay == next_daily(at, zone, after - delay)
    assert alert - after <= timedelta(days=1, hours=1)


def test_weekly_is_sunday_evening_in_the_caregivers_zone_across_dst() -> None:
    # 8 March 2026: New York springs forward at 02:00; 19:00 that evening is EDT (UTC-4).
    after = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert next_weekly(NEW_YORK, after) == datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    assert next_weekly(BERLIN, after) == datetime(2026, 3, 8, 18, 0, tzinfo=UTC)


@given(zone=ZONES, after=INSTANTS)
def test_weekly_lands_on_sunday_at_19_within_a_week(zone: ZoneInfo, after: datetime) -> None:
    fire = next_weekly(zone, after)
    local = fire.astimezone(zone)
    assert fire > after
    assert fire - after <= timedelta(days=7, hours=1)
    assert local.weekday() == 6
    assert local.time() == WEEKLY_AT
