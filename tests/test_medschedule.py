"""The other medicines' schedule rules (bot/pure/medschedule.py), alone: each kind's due days,
and every timed kind across daylight-saving changes in several zones (hypothesis): a fire
at the right local instant by the stated policy, once per due day and time, never
skipped, strictly increasing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pure.medschedule import (
    KINDS,
    AsNeeded,
    Daily,
    EveryNDays,
    EveryNMonths,
    Monthly,
    ScheduleError,
    Timed,
    Weekly,
    from_json,
    next_at,
    parse_times,
    parse_weekdays,
    read,
)
from bot.pure.timerules import from_epoch, local_date
from tests.test_timerules import check_fire, transitions

ZONES = ("Europe/London", "America/New_York", "Australia/Sydney", "Europe/Moscow")
START = date(2026, 1, 1)


def chain(schedule: Timed, zone: ZoneInfo, after: datetime, until: datetime) -> list[datetime]:
    """Follow next_after from `after` while before `until`."""
    fires: list[datetime] = []
    at = after
    while (fire := schedule.next_after(at, zone)) is not None and fire < until:
        assert fire > at  # strictly increasing
        fires.append(fire)
        at = fire
    return fires


def expected_days(schedule: Timed, first: date, last: date) -> list[date]:
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if schedule.due_on(d)]


def check_schedule(schedule: Timed, zone: ZoneInfo, after: datetime, days: int) -> None:
    """Every due (day, time) in the window fires exactly once, at the policy's instant."""
    until = after + timedelta(days=days)
    fires = chain(schedule, zone, after, until)
    first, last = (
        local_date(after, zone) + timedelta(days=1),
        local_date(until, zone) - timedelta(days=1),
    )
    inside = [f for f in fires if first <= local_date(f, zone) <= last]
    wanted = [(d, t) for d in expected_days(schedule, first, last) for t in schedule.times]
    # A fire in the spring gap lands on the jump, still on the same local day.
    assert len(inside) == len(wanted)
    for fire, (day, at) in zip(inside, wanted, strict=True):
        check_fire(fire, day, at, zone)


times = st.lists(
    st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 59])),
    min_size=1,
    max_size=3,
    unique=True,
)


def around_a_change(data: st.DataObject, zone: str) -> datetime:
    change = data.draw(st.sampled_from(transitions(zone) or (datetime(2027, 3, 28, tzinfo=UTC),)))
    return change + timedelta(seconds=data.draw(st.integers(-9 * 86400, 86400)))


@settings(max_examples=150, deadline=None)
@given(zone=st.sampled_from(ZONES), at=times, data=st.data())
def test_daily_across_changes(zone: str, at: list[time], data: st.DataObject) -> None:
    check_schedule(Daily(tuple(at)), ZoneInfo(zone), around_a_change(data, zone), 12)


@settings(max_examples=150, deadline=None)
@given(
    zone=st.sampled_from(ZONES),
    at=times,
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    data=st.data(),
)
def test_weekly_across_changes(
    zone: str, at: list[time], weekdays: frozenset[int], data: st.DataObject
) -> None:
    check_schedule(
        Weekly(tuple(at), weekdays=weekdays), ZoneInfo(zone), around_a_change(data, zone), 20
    )


@settings(max_examples=100, deadline=None)
@given(zone=st.sampled_from(ZONES), at=times, every=st.integers(2, 90), data=st.data())
def test_every_n_days_across_changes(
    zone: str, at: list[time], every: int, data: st.DataObject
) -> None:
    start = START + timedelta(days=data.draw(st.integers(0, 900)))
    check_schedule(
        EveryNDays(tuple(at), start, every), ZoneInfo(zone), around_a_change(data, zone), 100
    )


@settings(max_examples=100, deadline=None)
@given(zone=st.sampled_from(ZONES), at=times, day=st.integers(1, 31), data=st.data())
def test_monthly_across_changes(zone: str, at: list[time], day: int, data: st.DataObject) -> None:
    check_schedule(
        Monthly(tuple(at), day_of_month=day), ZoneInfo(zone), around_a_change(data, zone), 70
    )


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize(
    "at", [time(0, 30), time(1, 0), time(1, 30), time(2, 0), time(2, 30), time(3, 0)]
)
def test_a_weekly_dose_on_every_dst_sunday_fires_once(zone: str, at: time) -> None:
    """A Sunday dose at any time near the change: one fire on each Sunday, the right one."""
    sunday = Weekly((at,), weekdays=frozenset({6}))
    tz = ZoneInfo(zone)
    for change in transitions(zone):
        after = change - timedelta(days=3)
        fires = chain(sunday, tz, after, after + timedelta(days=7))
        assert len(fires) == 1
        day = local_date(fires[0], tz)
        assert day.weekday() == 6
        check_fire(fires[0], day, at, tz)


def test_london_spring_gap_and_autumn_fold_exactly() -> None:
    london = ZoneInfo("Europe/London")
    sunday = Weekly((time(1, 30),), weekdays=frozenset({6}))
    # 29 March 2026: 01:00 -> 02:00; 01:30 does not exist: at the jump, 01:00 UTC.
    assert sunday.next_after(datetime(2026, 3, 28, tzinfo=UTC), london) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )
    # 25 October 2026: 01:30 happens twice (BST then GMT): the first, 00:30 UTC, only.
    first = sunday.next_after(datetime(2026, 10, 24, tzinfo=UTC), london)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert first is not None
    assert sunday.next_after(first, london) == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)


def test_monthly_uses_a_short_months_last_day() -> None:
    utc = ZoneInfo("UTC")
    thirty_first = Monthly((time(9, 0),), day_of_month=31)
    fires = chain(
        thirty_first, utc, datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC)
    )
    assert [f.date() for f in fires][:4] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert len(fires) == 12
    assert Monthly((time(9, 0),), day_of_month=29).due_on(date(2028, 2, 29))


def test_every_n_days_counts_from_its_start_and_never_before() -> None:
    utc = ZoneInfo("UTC")
    third = EveryNDays((time(8, 0),), date(2026, 5, 10), 3)
    fire = third.next_after(datetime(2026, 1, 1, tzinfo=UTC), utc)
    assert fire == datetime(2026, 5, 10, 8, 0, tzinfo=UTC)
    assert third.next_after(fire, utc) == datetime(2026, 5, 13, 8, 0, tzinfo=UTC)
    assert not third.due_on(date(2026, 5, 7))


def test_several_times_a_day_come_in_order() -> None:
    utc = ZoneInfo("UTC")
    twice = Daily((time(20, 0), time(8, 0)))
    assert twice.times == (time(8, 0), time(20, 0))
    fires = chain(
        twice, utc, datetime(2026, 6, 1, 12, tzinfo=UTC), datetime(2026, 6, 3, tzinfo=UTC)
    )
    assert [f.hour for f in fires] == [20, 8, 20]


def test_injections_and_as_needed_have_no_reminder() -> None:
    utc, now = ZoneInfo("UTC"), datetime(2026, 6, 1, tzinfo=UTC)
    every_six = EveryNMonths(date(2026, 1, 31), 6)
    assert every_six.next_after(now, utc) is None
    assert AsNeeded().next_after(now, utc) is None
    assert every_six.due_from(date(2026, 6, 1)) == date(2026, 7, 31)
    assert every_six.due_from(date(2026, 8, 1)) == date(2027, 1, 31)
    assert EveryNMonths(date(2026, 8, 31), 6).due_from(date(2026, 9, 1)) == date(2027, 2, 28)
    assert every_six.due_from(date(2025, 1, 1)) == date(2026, 1, 31)


@pytest.mark.parametrize(
    "schedule",
    [
        Daily((time(8, 0), time(20, 30))),
        Daily((time(8, 0),), date(2026, 2, 1)),
        Weekly((time(7, 0),), weekdays=frozenset({0, 6})),
        EveryNDays((time(9, 0),), date(2026, 1, 5), 14),
        Monthly((time(9, 0),), day_of_month=31),
        EveryNMonths(date(2026, 1, 31), 6),
        AsNeeded(),
    ],
)
def test_json_round_trip(schedule: object) -> None:
    assert from_json(schedule.to_json()) == schedule  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (None, "kind"),
        ({"kind": "hourly", "times": ["08:00"]}, "kind"),
        ({"kind": "daily", "times": []}, "times"),
        ({"kind": "daily", "times": ["25:00"]}, "times"),
        ({"kind": "daily", "times": [f"0{h}:00" for h in range(8)]}, "times"),
        ({"kind": "daily", "times": "08:00"}, "times"),
        ({"kind": "weekly", "times": ["08:00"], "weekdays": [7]}, "weekdays"),
        ({"kind": "weekly", "times": ["08:00"], "weekdays": []}, "weekdays"),
        ({"kind": "weekly", "times": ["08:00"], "weekdays": [True]}, "weekdays"),
        (
            {"kind": "every_days", "times": ["08:00"], "every": 1, "start": "2026-01-01"},
            "every_days",
        ),
        ({"kind": "every_days", "times": ["08:00"], "every": 3}, "start"),
        ({"kind": "every_days", "times": ["08:00"], "every": 3, "start": "2026-02-30"}, "start"),
        ({"kind": "monthly", "times": ["08:00"], "day_of_month": 32}, "day_of_month"),
        ({"kind": "every_months", "start": "2026-01-01", "months": 0}, "every_months"),
        ({"kind": "every_months", "start": "2026-01-01", "months": "6"}, "every_months"),
    ],
)
def test_nonsense_is_refused_with_a_reason(data: object, reason: str) -> None:
    with pytest.raises(ScheduleError) as refused:
        from_json(data)
    assert refused.value.reason == reason


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("Sunday", {6}),
        ("sun", {6}),
        ("Mon, Thu", {0, 3}),
        ("tuesday and friday", {1, 4}),
        ("воскресенье", {6}),
        ("вт и пт", {1, 4}),
        ("в субботу", None),
        ("s", None),
        ("t", None),
        ("someday", None),
        ("", None),
    ],
)
def test_weekdays_she_may_type(typed: str, days: set[int] | None) -> None:
    assert parse_weekdays(typed) == (None if days is None else frozenset(days))


@pytest.mark.parametrize(
    ("typed", "hours"),
    [
        ("8:00", [8]),
        ("20:00, 8am", [8, 20]),
        ("08:00 и 20:00", [8, 20]),
        ("8am and 8pm", [8, 20]),
        ("25:00", None),
        ("8:00, soon", None),
        ("1,2,3,4,5,6,7", None),
        ("", None),
    ],
)
def test_times_she_may_type(typed: str, hours: list[int] | None) -> None:
    found = parse_times(typed)
    assert (None if found is None else [t.hour for t in found]) == hours


def test_epoch_fires_keep_whole_minutes() -> None:
    fire = Daily((time(8, 0),)).next_after(from_epoch(1_780_000_000), ZoneInfo("Europe/Moscow"))
    assert fire is not None and fire.second == 0


def test_every_kind_is_named_once() -> None:
    classes = (Daily, Weekly, EveryNDays, Monthly, EveryNMonths, AsNeeded)
    assert tuple(c.kind for c in classes) == KINDS


@given(zone=st.sampled_from(ZONES), at=times, data=st.data())
def test_next_at_is_the_schedule_alone_at_that_time(
    zone: str, at: list[time], data: st.DataObject
) -> None:
    """The tick's kept answer (`next_at`) is what the schedule says at that one time, also
    around a clock change; None for a time it does not have."""
    schedule = Weekly(tuple(at), None, frozenset({0, 6}))
    after, where = around_a_change(data, zone), ZoneInfo(zone)
    for slot in schedule.times:
        alone = Weekly((slot,), None, frozenset({0, 6}))
        assert next_at(schedule, slot, after, where) == alone.next_after(after, where)
    assert next_at(schedule, time(0, 1), after, where) is None


def test_read_keeps_a_stored_schedule_and_refuses_a_damaged_one() -> None:
    daily = Daily((time(8, 0),))
    assert read(json.dumps(daily.to_json())) == daily
    assert read("{not json") is None
    assert read('{"kind": "daily", "times": ["25:00"]}') is None
