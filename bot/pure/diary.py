"""Pure diary rules: the symptoms she can log, how bad, and each symptom's trend over a span.
No Telegram, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol


class Logged(Protocol):
    """A symptom logged, as the weekly rule reads it (bot.queries.Logged is one)."""

    @property
    def local_date(self) -> date: ...
    @property
    def symptom(self) -> str: ...
    @property
    def severity(self) -> int: ...


class Entry(Logged, Protocol):
    """A diary entry as these rules read it (db.diary.Entry is one): no database here."""

    @property
    def id(self) -> int: ...


# The side effects women most often stop anastrozole for come first (seed guide, NHS).
SYMPTOMS = (
    "joints",
    "flushes",
    "tired",
    "mood",
    "sleep",
    "dryness",
    "bones",
    "headache",
    "nausea",
    "other",
)
SEVERITIES = (0, 1, 2, 3)  # none, mild, moderate, severe
CHECKIN_EVERY = timedelta(days=7)


@dataclass(frozen=True)
class Trend:
    symptom: str
    count: int
    latest: Entry
    worst: int
    direction: str  # "worse", "better", "same" or "new" (nothing to compare with)


def trends(entries: Sequence[Entry], today: date, days: int = 30) -> list[Trend]:
    """One line per symptom logged in the `days` ending today, the most recent first.

    The direction compares the average severity of the span's later half with its earlier
    half; a symptom seen in only one half is "new" (or simply not compared)."""
    first = today - timedelta(days=days - 1)
    middle = first + timedelta(days=days // 2)
    found: dict[str, list[Entry]] = {}
    for entry in entries:
        if first <= entry.local_date <= today:
            found.setdefault(entry.symptom, []).append(entry)
    lines = []
    for symptom, logged in found.items():
        early = [e.severity for e in logged if e.local_date < middle]
        late = [e.severity for e in logged if e.local_date >= middle]
        direction = "new"
        if early and late:
            change = sum(late) / len(late) - sum(early) / len(early)
            direction = "worse" if change >= 0.5 else "better" if change <= -0.5 else "same"
        latest = max(logged, key=lambda e: (e.local_date, e.id))
        worst = max(e.severity for e in logged)
        lines.append(Trend(symptom, len(logged), latest, worst, direction))
    return sorted(lines, key=lambda t: (t.latest.local_date, t.latest.id), reverse=True)


def checkin_due(on: bool, last: date | None, today: date) -> bool:
    """Ask "How have you been?" after a Taken at most once a week, and only if she chose it."""
    return on and (last is None or today - last >= CHECKIN_EVERY)


def this_week(entries: Sequence[Logged], today: date) -> list[tuple[str, int]]:
    """Each symptom logged in the 7 days ending today with its worst severity (for the
    caregiver's weekly line), in the order of SYMPTOMS."""
    first = today - timedelta(days=6)
    worst: dict[str, int] = {}
    for entry in entries:
        if first <= entry.local_date <= today and entry.severity > 0:
            worst[entry.symptom] = max(worst.get(entry.symptom, 0), entry.severity)
    return [(s, worst[s]) for s in SYMPTOMS if s in worst]
