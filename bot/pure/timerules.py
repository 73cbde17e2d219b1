"""Pure time rules: local wall times to UTC instants, with the daylight-saving policy.

Policy (stated in docs/architecture.md and tested with hypothesis):
- a local time that does not exist that day (spring-forward gap) fires at the first valid
  minute after it, i.e. the instant the clocks jump;
- a local time that occurs twice (autumn fold) fires once, at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ONE_MINUTE = timedelta(minutes=1)


def _exists(local: datetime) -> bool:
    """A wall time exists when it survives a round trip through UTC."""
    back = local.astimezone(UTC).astimezone(local.tzinfo)
    return back.replace(tzinfo=None) == local.replace(tzinfo=None, fold=0)


def resolve(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant at which `at` on `day` happens in `zone`, by the policy above."""
    local = datetime.combine(day, at.replace(second=0, microsecond=0), tzinfo=zone)
    if _exists(local):
        return local.replace(fold=0).astimezone(UTC)
    # In a gap: fold=1 reads the wall time with the offset after the jump, fold=0 before;
    # the jump itself lies between the two readings. Find it to the minute.
    low = local.replace(fold=1).astimezone(UTC)
    high = local.replace(fold=0).astimezone(UTC)
    if low > high:
        low, high = high, low
    offset_before = low.astimezone(zone).utcoffset()
    while high - low > ONE_MINUTE:
        middle = low + (high - low) / 2
        middle = middle.replace(second=0, microsecond=0)
        if middle.astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return high


def next_daily(at: time, zone: ZoneInfo, after: datetime) -> datetime:
    """The first daily occurrence of local `at` strictly after the instant `after`."""
    day = after.astimezone(zone).date() - timedelta(days=1)
    while True:
        candidate = resolve(day, at, zone)
        if candidate > after:
            return candidate
        day += timedelta(days=1)


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def epoch(instant: datetime) -> int:
    return int(instant.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
