"""Pure caregiver rules: when a missed-dose alert is due and when the weekly summary goes out.
No Telegram, no I/O. A week of doses adds up by the /history rules (bot/pure/adherence.py)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.pure.timerules import local_date, next_daily

# Delays a patient can choose, in minutes; 0 means her caregivers get no missed-dose alerts.
DELAY_CHOICES = (30, 60, 120, 240, 0)
WEEKLY_DAY = 6  # Sunday
WEEKLY_AT = time(19, 0)
WEEK = 7


def next_alert(remind_at: time, zone: ZoneInfo, delay: timedelta, after: datetime) -> datetime:
    """The first dose time plus delay strictly after `after` (dose times follow the DST policy)."""
    return next_daily(remind_at, zone, after - delay) + delay


def alert_occurrence(alert_due: datetime, zone: ZoneInfo, delay: timedelta) -> str:
    """Name an alert by the dose it is about: the patient's local day and dose time
    ("2026-03-03@08:00"), so that a dose time moved later the same day gets its own chance."""
    dose = (alert_due - delay).astimezone(zone)
    return f"{dose.date().isoformat()}@{dose.strftime('%H:%M')}"


def occurrence_day(occurrence: str) -> str:
    return occurrence.split("@")[0]


def next_weekly(zone: ZoneInfo, after: datetime) -> datetime:
    """The first Sunday 19:00 in `zone` strictly after `after`."""
    candidate = next_daily(WEEKLY_AT, zone, after)
    while local_date(candidate, zone).weekday() != WEEKLY_DAY:
        candidate = next_daily(WEEKLY_AT, zone, candidate)
    return candidate
