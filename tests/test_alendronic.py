"""Alendronic acid's rules alone: its names, and another tablet less than 30 minutes after
it on a day both are due."""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.pure.alendronic import is_alendronic, too_soon_after
from bot.pure.medschedule import Daily, EveryNDays, Monthly, Weekly

TODAY = date(2026, 3, 2)  # a Monday
SUNDAY_SEVEN = Weekly((time(7, 0),), weekdays=frozenset({6}))


@pytest.mark.parametrize(
    ("name", "known"),
    [
        ("Alendronic acid 70mg", True),
        ("alendronate", True),
        ("FOSAMAX", True),
        ("Binosto", True),
        ("Алендроновая кислота", True),
        ("Фосамакс", True),
        ("Calcium + D3", False),
        ("Risedronate", False),  # another bisphosphonate: no NHS text here, so no rules
        ("", False),
    ],
)
def test_its_names(name: str, known: bool) -> None:
    assert is_alendronic(name) is known


@pytest.mark.parametrize(
    ("other", "pairs"),
    [
        (Daily((time(7, 15),)), [(time(7, 0), time(7, 15))]),
        (Daily((time(7, 0),)), [(time(7, 0), time(7, 0))]),
        (Daily((time(7, 29), time(20, 0))), [(time(7, 0), time(7, 29))]),
        (Daily((time(7, 30),)), []),  # 30 minutes after: as the NHS asks
        (Daily((time(6, 45),)), []),  # before it: not this rule
        (Weekly((time(7, 10),), weekdays=frozenset({0})), []),  # never on a Sunday
        (Weekly((time(7, 10),), weekdays=frozenset({0, 6})), [(time(7, 0), time(7, 10))]),
        (EveryNDays((time(7, 5),), date(2026, 3, 3), 3), [(time(7, 0), time(7, 5))]),
        (Monthly((time(7, 5),), day_of_month=15), [(time(7, 0), time(7, 5))]),
    ],
)
def test_another_tablet_too_soon_after_it(other: Daily, pairs: list[tuple[time, time]]) -> None:
    assert too_soon_after(SUNDAY_SEVEN, other, TODAY) == pairs
