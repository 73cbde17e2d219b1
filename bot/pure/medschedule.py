"""Pure schedule rules for her other medicines (issue 22): no Telegram, no database.

One small class per kind of schedule. A timed kind says on which local days it is due
(`due_on`) and at which local times; `next_after(instant, zone)` is the first due instant
strictly after `instant`, by the same daylight-saving policy as the daily tablet
(bot/timerules.resolve: a time in the spring gap fires at the jump, a doubled autumn time
fires once, at the first occurrence). An injection every few months and "as needed" have
no reminder (`next_after` is None): the first is shown as a due date, like the check-ups.

A schedule is stored as JSON (`to_json` / `from_json`); `from_json` refuses anything out of
range with a ScheduleError naming why, so a damaged or forged row never schedules nonsense.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from bot.pure.dates import add_months
from bot.pure.parsing import format_time, parse_time
from bot.pure.timerules import resolve

MAX_TIMES = 6  # times a day: more is a mistake, not a regimen
EVERY_DAYS = (2, 90)  # every N days: 1 is daily, more than a quarter is "every N months"
EVERY_MONTHS = (1, 24)  # injections and infusions


class ScheduleError(ValueError):
    """A schedule that cannot be: `reason` names the interface text that says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_times(times: tuple[time, ...]) -> tuple[time, ...]:
    """Distinct minutes, sorted; one to MAX_TIMES of them."""
    found = tuple(sorted({t.replace(second=0, microsecond=0) for t in times}))
    if not 1 <= len(found) <= MAX_TIMES:
        raise ScheduleError("times")
    return found


@dataclass(frozen=True)
class Timed:
    """A schedule with reminders: due on some local days, at `times` (local wall times),
    never before `start`."""

    kind: ClassVar[str]
    times: tuple[time, ...]
    start: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "times", check_times(self.times))

    def due_on(self, day: date) -> bool:
        return self.start is None or day >= self.start

    def horizon(self) -> int:
        """Days ahead within which the next due day always lies."""
        return 2

    def first_due(self, day: date) -> date:
        """The first local day on or after `day` (and `start`) it is due."""
        day = max(day, self.start) if self.start else day
        while not self.due_on(day):
            day += timedelta(days=1)
        return day

    def next_after(self, instant: datetime, zone: ZoneInfo) -> datetime | None:
        """The first due instant strictly after `instant`. The search starts a day early:
        a time in the spring gap of the day before can resolve after `instant`."""
        day = instant.astimezone(zone).date() - timedelta(days=1)
        if self.start is not None and day < self.start:
            day = self.start - timedelta(days=1)
        for _ in range(self.horizon() + 2):
            if self.due_on(day):
                later = [f for at in self.times if (f := resolve(day, at, zone)) > instant]
                if later:
                    return min(later)
            day += timedelta(days=1)
        return None

    def params(self) -> dict[str, Any]:
        return {}

    def to_json(self) -> dict[str, Any]:
        start = self.start.isoformat() if self.start else None
        times = [format_time(t) for t in self.times]
        return {"kind": self.kind, "times": times, "start": start, **self.params()}


@dataclass(frozen=True)
class Daily(Timed):
    """Every day, at one or more times."""

    kind: ClassVar[str] = "daily"


@dataclass(frozen=True)
class Weekly(Timed):
    """On certain weekdays (0 = Monday): a weekly bisphosphonate."""

    kind: ClassVar[str] = "weekly"
    weekdays: frozenset[int] = frozenset()

    def __post_init__(self) -> None:
        super().__post_init__()
        if not self.weekdays or not self.weekdays <= set(range(7)):
            raise ScheduleError("weekdays")

    def due_on(self, day: date) -> bool:
        return super().due_on(day) and day.weekday() in self.weekdays

    def horizon(self) -> int:
        return 8

    def params(self) -> dict[str, Any]:
        return {"weekdays": sorted(self.weekdays)}


@dataclass(frozen=True)
class EveryNDays(Timed):
    """Every `every` days from `start` (which is due)."""

    kind: ClassVar[str] = "every_days"
    every: int = 2

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.start is None:
            raise ScheduleError("start")
        if not EVERY_DAYS[0] <= self.every <= EVERY_DAYS[1]:
            raise ScheduleError("every_days")

    def due_on(self, day: date) -> bool:
        assert self.start is not None
        return super().due_on(day) and (day - self.start).days % self.every == 0

    def horizon(self) -> int:
        return self.every + 1

    def params(self) -> dict[str, Any]:
        return {"every": self.every}


def last_day(day: date) -> int:
    return calendar.monthrange(day.year, day.month)[1]


@dataclass(frozen=True)
class Monthly(Timed):
    """Once a month on `day_of_month`; a month too short for it has it on its last day."""

    kind: ClassVar[str] = "monthly"
    day_of_month: int = 1

    def __post_init__(self) -> None:
        super().__post_init__()
        if not 1 <= self.day_of_month <= 31:
            raise ScheduleError("day_of_month")

    def due_on(self, day: date) -> bool:
        return super().due_on(day) and day.day == min(self.day_of_month, last_day(day))

    def horizon(self) -> int:
        return 32

    def params(self) -> dict[str, Any]:
        return {"day_of_month": self.day_of_month}


@dataclass(frozen=True)
class EveryNMonths:
    """An injection or infusion every `months` months from `start`: a due date to show,
    no daily reminder (each date counted from `start`, so 31 January stays the month's end)."""

    kind: ClassVar[str] = "every_months"
    start: date
    months: int

    def __post_init__(self) -> None:
        if not EVERY_MONTHS[0] <= self.months <= EVERY_MONTHS[1]:
            raise ScheduleError("every_months")

    def next_after(self, instant: datetime, zone: ZoneInfo) -> datetime | None:
        return None

    def due_from(self, today: date) -> date:
        """The first due date on or after `today` (`start` itself while it is ahead)."""
        count = 0
        while (due := add_months(self.start, count * self.months)) < today:
            count += 1
        return due

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "start": self.start.isoformat(), "months": self.months}


@dataclass(frozen=True)
class AsNeeded:
    """Taken when she needs it: no reminder, logged when she says so."""

    kind: ClassVar[str] = "as_needed"

    def next_after(self, instant: datetime, zone: ZoneInfo) -> datetime | None:
        return None

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind}


Reminded = Daily | Weekly | EveryNDays | Monthly  # the kinds with reminders
Schedule = Reminded | EveryNMonths | AsNeeded
KINDS: tuple[str, ...] = ("daily", "weekly", "every_days", "monthly", "every_months", "as_needed")


def _times(value: Any) -> tuple[time, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScheduleError("times")
    parsed = tuple(parse_time(v) for v in value)
    if any(t is None for t in parsed):
        raise ScheduleError("times")
    return tuple(t for t in parsed if t is not None)


def _date(value: Any, reason: str = "start") -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ScheduleError(reason) from None


def _int(value: Any, reason: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScheduleError(reason)
    return value


def from_json(data: Any) -> Schedule:
    """The schedule a stored JSON value describes; ScheduleError for anything else."""
    if not isinstance(data, dict):
        raise ScheduleError("kind")
    kind = data.get("kind")
    if kind == AsNeeded.kind:
        return AsNeeded()
    if kind == EveryNMonths.kind:
        return EveryNMonths(_date(data.get("start")), _int(data.get("months"), "every_months"))
    times = _times(data.get("times"))
    start = None if data.get("start") is None else _date(data["start"])
    if kind == Daily.kind:
        return Daily(times, start)
    if kind == Weekly.kind:
        days = data.get("weekdays")
        if not isinstance(days, list):
            raise ScheduleError("weekdays")
        return Weekly(times, start, frozenset(_int(d, "weekdays") for d in days))
    if kind == EveryNDays.kind:
        return EveryNDays(times, start, _int(data.get("every"), "every_days"))
    if kind == Monthly.kind:
        return Monthly(times, start, _int(data.get("day_of_month"), "day_of_month"))
    raise ScheduleError("kind")


@lru_cache(maxsize=1024)
def read(text: str) -> Schedule | None:
    """A schedule as stored (its JSON text), or None for a damaged one (never scheduled).
    Kept: the tick reads the medicines of every patient with a reminder due, and most
    patients share a few regimens."""
    try:
        return from_json(json.loads(text))
    except ValueError:  # bad JSON, or a ScheduleError
        return None


@lru_cache(maxsize=4096)
def next_at(schedule: Timed, at: time, after: datetime, zone: ZoneInfo) -> datetime | None:
    """The first instant strictly after `after` at which `schedule` is due at local time
    `at` (None: it has no such time). Kept: at a busy minute many patients share the
    schedule, the zone and the instant (the tick asks it for every due reminder)."""
    if at not in schedule.times:
        return None
    return replace(schedule, times=(at,)).next_after(after, zone)


# Weekday words she may type, English and Russian (0 = Monday): a full name, its start of
# two letters or more naming one day only ("tu", "thurs", "пятн"), or a Russian abbreviation.
_DAY_NAMES = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "понедельник": 0, "вторник": 1, "среда": 2, "среду": 2, "четверг": 3,
    "пятница": 4, "пятницу": 4, "суббота": 5, "субботу": 5, "воскресенье": 6,
    "пн": 0, "вт": 1, "ср": 2, "чт": 3, "пт": 4, "сб": 5, "вс": 6,
}  # fmt: skip
_SPLIT = re.compile(r"(?:[\s,;/+&.]|\band\b|\bи\b)+")


def _weekday(word: str) -> int | None:
    if word in _DAY_NAMES:
        return _DAY_NAMES[word]
    found = {n for name, n in _DAY_NAMES.items() if len(word) >= 2 and name.startswith(word)}
    return found.pop() if len(found) == 1 else None


def parse_weekdays(text: str) -> frozenset[int] | None:
    """ "Sunday", "mon, thu", "вт и пт" -> weekdays; None when any word is no weekday."""
    words = [w for w in _SPLIT.split(text.strip().lower()) if w]
    days = [_weekday(w) for w in words]
    if not days or any(d is None for d in days):
        return None
    return frozenset(d for d in days if d is not None)


def weekdays_in(text: str) -> frozenset[int]:
    """The weekdays a sentence names in full, any ending ("once a week on Sundays", "по
    вторникам и пятницам"); short forms are left out: in a sentence "we", "по" or "sat" are
    other words."""
    return frozenset(
        day
        for word in _SPLIT.split(text.lower())
        for name, day in _DAY_NAMES.items()
        if len(name) > 3 and word.startswith(name[:-1]) and len(word) <= len(name) + 3
    )


def parse_times(text: str) -> tuple[time, ...] | None:
    """ "8:00", "8am, 8pm", "08:00 и 20:00" -> times (distinct, sorted); None when any part is
    not a time or there are more than MAX_TIMES."""
    parts = [p for p in re.split(r"(?:[,;/&+]|\band\b|\bи\b)+", text.lower()) if p.strip()]
    parsed = [parse_time(p) for p in parts]
    if not parsed or any(t is None for t in parsed):
        return None
    try:
        return check_times(tuple(t for t in parsed if t is not None))
    except ScheduleError:
        return None
