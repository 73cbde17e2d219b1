"""Periodic checks (bone-density scan, cholesterol) and the treatment course, per patient.

A `checks` row exists once she has told the bot something about that check; without one,
the defaults in `CHECKS` apply. Dates are her local calendar dates as YYYY-MM-DD.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import dump

migrations = Migrations("checkups")


@migrations()
def create_checks_and_courses(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE checks (
            chat_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            last_date TEXT,
            months INTEGER,
            enabled INTEGER NOT NULL DEFAULT 1,
            booked_date TEXT,
            PRIMARY KEY (chat_id, name)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE courses (
            chat_id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            years INTEGER NOT NULL
        )
        """
    )


@dataclass(frozen=True)
class CheckKind:
    name: str
    default_months: int


# Bone density: baseline, then every 24 months by default, 12 if her team says so
# (NHS; Cancer Australia). Cholesterol: no fixed interval in the sources; yearly by default.
CHECKS = {
    "bonescan": CheckKind("bonescan", 24),
    "cholesterol": CheckKind("cholesterol", 12),
}


@dataclass(frozen=True)
class Check:
    chat_id: int
    name: str
    last_date: date | None
    months: int
    enabled: bool
    booked_date: date | None
    recorded: bool  # False: nothing told yet, defaults shown


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def get(db: Database, chat_id: int, name: str) -> Check:
    row = next(
        db.query("SELECT * FROM checks WHERE chat_id = ? AND name = ?", [chat_id, name]), None
    )
    default = CHECKS[name].default_months
    if row is None:
        return Check(chat_id, name, None, default, True, None, False)
    return Check(
        chat_id,
        name,
        _day(row["last_date"]),
        row["months"] or default,
        bool(row["enabled"]),
        _day(row["booked_date"]),
        True,
    )


def _set(db: Database, chat_id: int, name: str, **columns: Any) -> None:
    """Create the row with these columns, or update them; column names are ours, not input."""
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    db.execute(
        f"INSERT INTO checks (chat_id, name, {names}) VALUES (?, ?, {marks})"
        f" ON CONFLICT (chat_id, name) DO UPDATE SET {updates}",
        [chat_id, name, *columns.values()],
    )


def record_done(db: Database, chat_id: int, name: str, day: date) -> None:
    """Her last check was on `day` (what she says wins, so a mistyped date can be fixed)."""
    _set(db, chat_id, name, last_date=day.isoformat(), booked_date=None, enabled=1)


def touch(db: Database, chat_id: int, name: str) -> None:
    """Remember she answered about this check (e.g. "no baseline scan yet")."""
    db.execute(
        "INSERT INTO checks (chat_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", [chat_id, name]
    )


def set_months(db: Database, chat_id: int, name: str, months: int) -> None:
    _set(db, chat_id, name, months=months, enabled=1)


def turn_off(db: Database, chat_id: int, name: str) -> None:
    _set(db, chat_id, name, enabled=0, booked_date=None)


def book(db: Database, chat_id: int, name: str, day: date) -> None:
    _set(db, chat_id, name, booked_date=day.isoformat(), enabled=1)


@dataclass(frozen=True)
class Course:
    started: date
    years: int


def get_course(db: Database, chat_id: int) -> Course | None:
    row = next(db.query("SELECT * FROM courses WHERE chat_id = ?", [chat_id]), None)
    return Course(date.fromisoformat(row["started"]), row["years"]) if row else None


def set_course(db: Database, chat_id: int, started: date, years: int) -> None:
    db.execute(
        "INSERT INTO courses (chat_id, started, years) VALUES (?, ?, ?) ON CONFLICT (chat_id)"
        " DO UPDATE SET started = excluded.started, years = excluded.years",
        [chat_id, started.isoformat(), years],
    )


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her checks and treatment course (see db/account.py)."""
    checks = dump.rows(db, "SELECT * FROM checks WHERE chat_id = ? ORDER BY name", [chat_id])
    course = dump.rows(db, "SELECT * FROM courses WHERE chat_id = ?", [chat_id])
    return {"checks": checks, "course": course[0] if course else None}


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM checks WHERE chat_id = ?", [chat_id])
    db.execute("DELETE FROM courses WHERE chat_id = ?", [chat_id])
