"""The pure time rules, over many zones and every DST transition in 2026-2030.

Properties of `next_daily` (the daily reminder's schedule):
- exactly one fire per local day, day after day, with no gaps;
- on the right instant: the wall time itself when it exists; in a spring-forward gap the
  instant of the jump; in an autumn fold the first of the two occurrences.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pure.timerules import from_epoch, local_date, next_daily, resolve

NAMED_ZONES = (
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "America/Santiago",
    "Europe/Berlin",
    "America/New_York",
    "Pacific/Chatham",
    "America/St_Johns",
    "Europe/London",
    "Australia/Adelaide",
    "America/Havana",
    "Europe/Dublin",
)
ALL_ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("SystemV"))
START, END = datetime(2026, 1, 1, tzinfo=UTC), datetime(2031, 1, 1, tzinfo=UTC)


@cache
def transitions(name: str) -> tuple[datetime, ...]:
    """Every UTC instant in 2026-2030 at which the zone's offset changes (to the minute)."""
    zone = ZoneInfo(name)
    found = []
    step = timedelta(hours=6)
    at = START
    while at < END:
        if (at + step).astimezone(zone).utcoffset() != at.astimezone(zone).utcoffset():
            low, high = at, at + step
            while high - low > timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(second=0, microsecond=0))
        at += step
    return tuple(found)


def occurrences(day: date, at: time, zone: ZoneInfo) -> list[datetime]:
    """Every UTC instant at which the wall time `at` is shown on `day` (0, 1 or 2)."""
    found = set()
    for fold in (0, 1):
        local = datetime.combine(day, at, tzinfo=zone).replace(fold=fold)
        instant = local.astimezone(UTC)
        back = instant.astimezone(zone)
        if back.replace(tzinfo=None, fold=0) == local.replace(tzinfo=None, fold=0):
            found.add(instant)
    return sorted(found)


def check_fire(fire: datetime, day: date, at: time, zone: ZoneInfo) -> None:
    """The fire for `day` is on the right instant by the stated policy."""
    shown = occurrences(day, at, zone)
    if shown:
        assert fire == shown[0]  # exists: at the wall time; twice: the first time
        return
    # In the gap: the first valid minute after it, i.e. the instant of the jump.
    assert fire in transitions(zone.key) or fire.replace(second=0) in transitions(zone.key)
    before = (fire - timedelta(minutes=1)).astimezone(zone)
    assert before.replace(tzinfo=None) < datetime.combine(day, at)
    assert fire.astimezone(zone).replace(tzinfo=None) > datetime.combine(day, at)


def check_chain(at: time, zone: ZoneInfo, after: datetime, count: int) -> list[datetime]:
    """Follow next_daily `count` times: one fire per local day, no day skipped."""
    fires = []
    previous = after
    first_day = local_date(after, zone)
    for _ in range(count):
        fire = next_daily(at, zone, previous)
        assert fire > previous
        fires.append(fire)
        previous = fire
    days = [local_date(f, zone) for f in fires]
    assert days == [days[0] + timedelta(days=i) for i in range(count)]
    assert days[0] - first_day in (timedelta(0), timedelta(days=1))
    for fire, day in zip(fires, days, strict=True):
        check_fire(fire, day, at, zone)
    return fires


times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
instants = st.integers(int(START.timestamp()), int(END.timestamp()) - 86400 * 8).map(from_epoch)


@settings(max_examples=400, deadline=None)
@given(zone=st.sampled_from(ALL_ZONES), at=times, after=instants)
def test_one_fire_per_local_day_in_any_zone(zone: str, at: time, after: datetime) -> None:
    check_chain(at, ZoneInfo(zone), after, count=6)


@settings(max_examples=400, deadline=None)
@given(zone=st.sampled_from(NAMED_ZONES), at=times, data=st.data())
def test_around_every_transition_in_named_zones(zone: str, at: time, data: st.DataObject) -> None:
    changes = transitions(zone)
    if not changes:
        return
    change = data.draw(st.sampled_from(changes))
    offset = data.draw(st.integers(-3 * 86400, 0))
    check_chain(at, ZoneInfo(zone), change + timedelta(seconds=offset), count=5)


def critical_times(zone: ZoneInfo, change: datetime) -> set[time]:
    """Midnight, 00:30, and the wall minutes on both sides of the change and inside it."""
    found = {time(0, 0), time(0, 30), time(23, 30)}
    for delta in (-61, -60, -30, -1, 0, 1, 30, 59, 60):
        local = (change + timedelta(minutes=delta)).astimezone(zone)
        found.add(time(local.hour, local.minute))
    before = (change - timedelta(minutes=1)).astimezone(zone)
    found.add(time(before.hour, before.minute))
    # wall minutes in the gap or fold, seen from the other offset
    other = (change + timedelta(minutes=-1)).astimezone(zone).utcoffset()
    assert other is not None
    for minutes in (0, 15, 29, 30, 45):
        wall = (change.replace(tzinfo=None) + other + timedelta(minutes=minutes)).time()
        found.add(wall.replace(second=0, microsecond=0))
    return found


@pytest.mark.parametrize("zone", NAMED_ZONES)
def test_every_transition_2026_2030_at_critical_times(zone: str) -> None:
    tz = ZoneInfo(zone)
    changes = transitions(zone)
    if zone in ("Asia/Kolkata", "Asia/Kathmandu"):
        assert changes == ()
    else:
        assert len(changes) >= 8, changes  # DST twice a year (a zone may drop it later)
    for change in changes:
        for at in critical_times(tz, change):
            check_chain(at, tz, change - timedelta(days=2), count=4)


def test_spring_gap_fires_at_the_jump() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    # 29 March 2026: 02:00 CET jumps to 03:00 CEST, at 01:00 UTC.
    assert resolve(date(2026, 3, 29), time(2, 30), berlin) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    assert resolve(date(2026, 3, 29), time(3, 0), berlin) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_autumn_fold_fires_once_at_the_first() -> None:
    new_york = ZoneInfo("America/New_York")
    # 1 November 2026: 01:30 happens at 05:30 UTC (EDT) and 06:30 UTC (EST).
    first = next_daily(time(1, 30), new_york, datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    assert first == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    following = next_daily(time(1, 30), new_york, first)
    assert following == datetime(2026, 11, 2, 6, 30, tzinfo=UTC)


def test_midnight_on_a_change_day_in_santiago() -> None:
    santiago = ZoneInfo("America/Santiago")
    # 6 September 2026: 00:00 -04 jumps to 01:00 -03 (04:00 UTC); 00:00 and 00:30 fire then.
    for at in (time(0, 0), time(0, 30)):
        assert resolve(date(2026, 9, 6), at, santiago) == datetime(2026, 9, 6, 4, 0, tzinfo=UTC)


def test_lord_howe_half_hour_shift() -> None:
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    # 4 October 2026: 02:00 +10:30 jumps to 02:30 +11 (15:30 UTC on the 3rd).
    assert resolve(date(2026, 10, 4), time(2, 15), lord_howe) == datetime(
        2026, 10, 3, 15, 30, tzinfo=UTC
    )
