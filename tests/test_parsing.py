from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.pure.parsing import find_zones, format_time, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("8:30", time(8, 30)),
        ("08:30", time(8, 30)),
        ("8.30", time(8, 30)),
        ("8am", time(8, 0)),
        ("8 AM", time(8, 0)),
        ("8:30 pm", time(20, 30)),
        ("8:30 p.m.", time(20, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("0:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("20h15", time(20, 15)),
        ("7", time(7, 0)),
        ("８:３０", time(8, 30)),  # full-width digits from a CJK keyboard
    ],
)
def test_time_forms(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text", ["25:99", "24:00", "8:60", "13pm", "0am", "lunch", "", "8:5", "830", "-1:00"]
)
def test_not_times(text: str) -> None:
    assert parse_time(text) is None


@given(st.integers(0, 23), st.integers(0, 59))
def test_format_then_parse_round_trips(hour: int, minute: int) -> None:
    assert parse_time(format_time(time(hour, minute))) == time(hour, minute)


@given(st.text(max_size=40))
def test_any_text_is_a_time_or_none(text: str) -> None:
    result = parse_time(text)
    assert result is None or isinstance(result, time)


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Berlin", "Europe/Berlin"),
        ("europe/berlin", "Europe/Berlin"),
        ("Berlin", "Europe/Berlin"),
        ("new york", "America/New_York"),
        ("São Paulo", "America/Sao_Paulo"),
        ("Kathmandu", "Asia/Kathmandu"),
        ("India", "Asia/Kolkata"),
        ("Germany", "Europe/Berlin"),
        ("UK", "Europe/London"),
        ("UTC", "UTC"),
    ],
)
def test_one_zone(text: str, zone: str) -> None:
    assert find_zones(text) == (zone,)


def test_country_with_several_zones() -> None:
    zones = find_zones("USA")
    main = {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"}
    assert main <= set(zones[:12])  # the ones shown as buttons


@pytest.mark.parametrize("text", ["Atlantis", "", "!!!", "x" * 5000, "<b>"])
def test_unknown_places(text: str) -> None:
    assert find_zones(text) == ()
