"""An iCalendar (.ics) file of her dates, for her phone's calendar (pure: no Telegram)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Literal, assert_never
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.pure.medschedule import Daily, EveryNDays, Monthly, Reminded, Weekly

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")  # RFC 5545 BYDAY, 0 = Monday


@dataclass(frozen=True)
class Repeat:
    """How an event repeats (an RFC 5545 RRULE): every `interval` days, or weeks on
    `weekdays` (0 = Monday), or every month on `month_day`."""

    freq: Literal["daily", "weekly", "monthly"]
    interval: int = 1
    weekdays: tuple[int, ...] = ()
    month_day: int = 0

    def rule(self) -> dict[str, Any]:
        rule: dict[str, Any] = {"freq": self.freq}
        if self.interval > 1:
            rule["interval"] = self.interval
        if self.weekdays:
            rule["byday"] = [WEEKDAYS[d] for d in self.weekdays]
        if self.month_day > 28:
            # A plain BYMONTHDAY=31 skips shorter months; the last of 28..31 the month has
            # is her day, or the month's last day when it has none (as medschedule's Monthly).
            rule["bymonthday"] = list(range(28, self.month_day + 1))
            rule["bysetpos"] = -1
        elif self.month_day:
            rule["bymonthday"] = self.month_day
        return rule


DAILY = Repeat("daily")


@dataclass(frozen=True)
class CalendarItem:
    """An all-day date, or (with `at`) a local time, repeated as `repeat` says."""

    key: str
    summary: str
    day: date
    at: time | None = None
    repeat: Repeat | None = None


def repeat_of(schedule: Reminded) -> Repeat:
    match schedule:
        case Daily():
            return DAILY
        case Weekly():
            return Repeat("weekly", weekdays=tuple(sorted(schedule.weekdays)))
        case EveryNDays():
            return Repeat("daily", interval=schedule.every)
        case Monthly():
            return Repeat("monthly", month_day=schedule.day_of_month)
        case _:
            assert_never(schedule)


def reminders(key: str, summary: str, schedule: Reminded, today: date) -> list[CalendarItem]:
    """A medicine's reminders from its first due day on or after `today`, one event per time
    of day (a repeating event has one time); keyed by the time's place, so a changed time
    updates its event when she imports the file again."""
    first, repeat = schedule.first_due(today), repeat_of(schedule)
    return [
        CalendarItem(f"{key}-{n}", summary, first, at, repeat)
        for n, at in enumerate(schedule.times)
    ]


def build_calendar(items: list[CalendarItem], zone: ZoneInfo, chat_id: int, now: datetime) -> bytes:
    """Stable UIDs per person and item, so importing again updates rather than duplicates."""
    calendar = Calendar()
    calendar.add("prodid", "-//Anastrozole Companion//EN")
    calendar.add("version", "2.0")
    for item in items:
        event = Event()
        event.add("uid", f"{item.key}-{chat_id}@anastrozole-companion")
        event.add("summary", item.summary)
        event.add("dtstamp", now)
        if item.at is None:
            event.add("dtstart", item.day)
        else:
            event.add("dtstart", datetime.combine(item.day, item.at, tzinfo=zone))
        if item.repeat is not None:
            event.add("rrule", item.repeat.rule())
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
