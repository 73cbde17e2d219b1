"""Pure adherence rules for /history: counts, percentage, streak and a week-per-line calendar.

A pending dose from a day that has ended counts as missed; today's pending dose counts as
nothing yet (she may still take it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

SYMBOLS = {"taken": "✅", "skipped": "➖", "missed": "❌", "pending": "⏳", None: "▫️"}


@dataclass(frozen=True)
class Summary:
    taken: int
    skipped: int
    missed: int
    percent: int | None  # None when there is nothing to count yet
    streak: int  # taken days in a row up to today (today's open dose does not break it)
    # one string of symbols per week (Monday to Sunday), oldest first, each with its first day
    calendar: list[tuple[date, str]]


def effective(status: str | None, day: date, today: date) -> str | None:
    """The status that counts: a pending dose from a past day is missed."""
    if status == "pending" and day < today:
        return "missed"
    return status


def summarise(statuses: Mapping[date, str], today: date, days: int = 30) -> Summary:
    """Summarise the `days` local days ending today; `statuses` maps day -> dose status."""
    span = [today - timedelta(days=offset) for offset in range(days - 1, -1, -1)]
    counted = [effective(statuses.get(day), day, today) for day in span]
    taken = counted.count("taken")
    skipped = counted.count("skipped")
    missed = counted.count("missed")
    total = taken + skipped + missed
    percent = round(100 * taken / total) if total else None
    streak = 0
    history = counted if counted[-1] == "taken" else counted[:-1]  # today may still come
    for status in reversed(history):
        if status != "taken":
            break
        streak += 1
    calendar: list[tuple[date, str]] = []
    for day, status in zip(span, counted, strict=True):
        if not calendar or day.weekday() == 0:
            calendar.append((day, ""))
        calendar[-1] = (calendar[-1][0], calendar[-1][1] + SYMBOLS[status])
    return Summary(taken, skipped, missed, percent, streak, calendar)
