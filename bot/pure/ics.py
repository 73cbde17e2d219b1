"""An iCalendar (.ics) file of her dates, for her phone's calendar (pure: no Telegram)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event


@dataclass(frozen=True)
class CalendarItem:
    """An all-day date, or (with `at`) a local time, repeated daily when `daily`."""

    key: str
    summary: str
    day: date
    at: time | None = None
    daily: bool = False


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
        if item.daily:
            event.add("rrule", {"freq": "daily"})
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
