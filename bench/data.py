"""Bench databases: many patients, each with a daily dose reminder (and, for the medicines
population, 1-4 other medicines with their grouped "meds" events), generated fast and cached."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.pure.medschedule import Timed, from_json
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


def cached_database(folder: Path, count: int, meds: bool = False) -> Path:
    """A database of `count` patients under `folder` (with `meds`, each also keeps her other
    medicines), generated once and reused; its schema is brought up to date (pending
    migrations applied) before every use."""
    path = folder / (f"patients-meds-{count}.db" if meds else f"patients-{count}.db")
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        partial.unlink(missing_ok=True)
        db = open_database(partial)
        populate(db, count, GENERATED_AFTER)
        if meds:
            add_medicines(db, count, GENERATED_AFTER)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.conn.close()
        partial.rename(path)
    open_database(path).conn.close()
    return path


# --- her other medicines (issue 22) ------------------------------------------------------
# Regimens as patients keep them: most daily at one or two common times, some weekly, a few
# every N days or monthly. Patient i keeps 1 + i % 4 of them (mean 2.5), drawn in turn.
START = GENERATED_AFTER.date() - timedelta(days=7)  # every N days counts from it
REGIMENS: tuple[dict[str, Any], ...] = (
    {"kind": "daily", "times": ["08:00"]},
    {"kind": "daily", "times": ["09:00", "21:00"]},
    {"kind": "daily", "times": ["20:00"]},
    {"kind": "daily", "times": ["08:00", "20:00"]},
    {"kind": "daily", "times": ["21:00"]},
    {"kind": "daily", "times": ["09:00"]},
    {"kind": "weekly", "times": ["08:00"], "weekdays": [0]},
    {"kind": "daily", "times": ["08:00", "20:00"]},
    {"kind": "every_days", "times": ["09:00"], "every": 3, "start": START.isoformat()},
    {"kind": "daily", "times": ["12:00"]},
    {"kind": "weekly", "times": ["09:00"], "weekdays": [6]},
    {"kind": "monthly", "times": ["08:00"], "day_of_month": 1},
)


def _regimens(index: int) -> list[int]:
    """The regimens (indexes into REGIMENS) of patient `index`: 1 to 4, mean 2.5."""
    return [(index * 5 + j * 7) % len(REGIMENS) for j in range(1 + index % 4)]


@lru_cache(maxsize=len(ZONES) * len(REGIMENS) * 8)
def _slot_fire(zone: str, regimen: int, slot: str, after: datetime) -> int | None:
    """The regimen's next due instant at local `slot` (None: it has no such time)."""
    schedule = from_json(REGIMENS[regimen])
    assert isinstance(schedule, Timed)
    at = time.fromisoformat(slot)
    if at not in schedule.times:
        return None
    fire = replace(schedule, times=(at,)).next_after(after, ZoneInfo(zone))
    return None if fire is None else epoch(fire)


def _slots(zone: str, regimens: list[int], after: datetime) -> dict[str, int]:
    """Her "meds" events: each distinct local time of her medicines at its next due instant."""
    times = {t for r in regimens for t in REGIMENS[r]["times"]}
    fires = {s: [f for r in regimens if (f := _slot_fire(zone, r, s, after))] for s in times}
    return {slot: min(found) for slot, found in fires.items() if found}


def add_medicines(
    db: Database,
    count: int,
    after: datetime,
    at: str | None = None,
    zones: Sequence[str] = (),
    first: int = FIRST_CHAT_ID,
) -> None:
    """Give `count` patients from chat `first` on their other medicines and "meds" events;
    their zones as `populate` made them, or `zones` (one each: the peak hour's people). With
    `at`, every medicine is daily at `at` local time (all due at once)."""
    with db.conn:
        for start in range(0, count, CHUNK):
            medicines, slots = [], []
            for index in range(start, min(start + CHUNK, count)):
                chat_id = first + index
                zone = zones[index] if zones else "UTC" if at else ZONES[index % len(ZONES)]
                regimens = _regimens(index)
                for regimen in regimens:
                    schedule = {"kind": "daily", "times": [at]} if at else REGIMENS[regimen]
                    medicines.append((chat_id, f"Medicine {regimen}", schedule))
                fires = {at: _fire(zone, at, after)} if at else _slots(zone, regimens, after)
                slots += [(chat_id, slot, fire) for slot, fire in fires.items()]
            db.conn.executemany(
                "INSERT INTO medicines (chat_id, name, kind, schedule, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(c, n, s["kind"], json.dumps(s), epoch(after)) for c, n, s in medicines],
            )
            db.conn.executemany(
                "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'meds', ?, ?)",
                slots,
            )
