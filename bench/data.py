"""Bench databases: many patients, each with a daily dose reminder, generated fast and cached."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time
from functools import lru_cache
from itertools import islice
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.pure.timerules import epoch, next_daily
from db.store import open_database

# Far enough ahead that no cached database ever holds a reminder already due in real time:
# the start-up measure runs the real `python -m bot` on these files.
GENERATED_AFTER = datetime(2030, 1, 7, 0, 0, tzinfo=UTC)
ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "UTC",
)
FIRST_CHAT_ID = 10_000_000
CHUNK = 50_000


@lru_cache(maxsize=len(ZONES) * 1440)
def _fire(zone: str, remind_at: str, after: datetime) -> int:
    return epoch(next_daily(time.fromisoformat(remind_at), ZoneInfo(zone), after))


def _patients(count: int, after: datetime, at: str | None) -> Iterator[tuple[int, str, str, int]]:
    """(chat_id, zone, HH:MM, next fire): spread over zones and minutes, or all at `at` UTC."""
    for index in range(count):
        if at is None:
            zone, minute = ZONES[index % len(ZONES)], (index * 7919) % 1440
            remind_at = f"{minute // 60:02d}:{minute % 60:02d}"
        else:
            zone, remind_at = "UTC", at
        yield FIRST_CHAT_ID + index, zone, remind_at, _fire(zone, remind_at, after)


def populate(db: Database, count: int, after: datetime, at: str | None = None) -> None:
    """Add `count` patients with a daily "dose" event each, in one transaction."""
    stamp = after.isoformat()
    patients = _patients(count, after, at)
    with db.conn:
        while chunk := list(islice(patients, CHUNK)):
            db.conn.executemany(
                "INSERT INTO people (chat_id, first_name, language, timezone, remind_at,"
                " created_at, last_seen_at) VALUES (?, 'Patient', 'en', ?, ?, ?, ?)",
                [(chat_id, zone, at_, stamp, stamp) for chat_id, zone, at_, _ in chunk],
            )
            db.conn.executemany(
                "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'dose', '', ?)",
                [(chat_id, fire) for chat_id, _, _, fire in chunk],
            )


def cached_database(folder: Path, count: int) -> Path:
    """A database of `count` patients under `folder`, generated once and reused; its schema
    is brought up to date (pending migrations applied) before every use."""
    path = folder / f"patients-{count}.db"
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        db = open_database(partial)
        populate(db, count, GENERATED_AFTER)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        partial.rename(path)
    open_database(path).conn.close()
    return path
