"""Her symptom diary: one row per symptom a day (how bad, an optional short note; logging it
again that day updates it), and her diary settings (the weekly "How have you been?" after a
Taken). Bounded so a year is at most 365 x 10 rows: /report and /chart read them all.

Dates are her local calendar dates as YYYY-MM-DD; severity is 0 (none) to 3 (severe)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import dump

migrations = Migrations("diary")

NOTE_LIMIT = 200  # characters kept of a note: a short line, not a journal
NOTES_PER_DAY = 20  # whatever the symptoms: a day's notes are a few lines, never a flood


@migrations()
def create_diary(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE diary_entries (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            logged_at INTEGER NOT NULL,
            symptom TEXT NOT NULL,
            severity INTEGER NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX diary_entries_chat ON diary_entries (chat_id, local_date)")
    db.execute(
        """
        CREATE TABLE diary_settings (
            chat_id INTEGER PRIMARY KEY,
            checkin INTEGER NOT NULL DEFAULT 0,
            last_checkin TEXT
        )
        """
    )


@migrations()
def one_entry_per_symptom_a_day(db: Database) -> None:
    """Older versions kept every press: keep each day's latest of a symptom, with its
    latest note."""
    db.execute(
        """
        UPDATE diary_entries SET note = COALESCE((
            SELECT d.note FROM diary_entries d
            WHERE d.chat_id = diary_entries.chat_id AND d.local_date = diary_entries.local_date
              AND d.symptom = diary_entries.symptom AND d.note != ''
            ORDER BY d.id DESC LIMIT 1), '')
        WHERE id IN (SELECT MAX(id) FROM diary_entries GROUP BY chat_id, local_date, symptom)
        """
    )
    db.execute(
        "DELETE FROM diary_entries WHERE id NOT IN"
        " (SELECT MAX(id) FROM diary_entries GROUP BY chat_id, local_date, symptom)"
    )
    db.execute(
        "CREATE UNIQUE INDEX diary_entries_day ON diary_entries (chat_id, local_date, symptom)"
    )


@dataclass(frozen=True)
class Entry:
    id: int
    local_date: date
    symptom: str
    severity: int
    note: str


@dataclass(frozen=True)
class Settings:
    checkin: bool
    last_checkin: date | None


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(
        row["id"],
        date.fromisoformat(row["local_date"]),
        row["symptom"],
        row["severity"],
        row["note"],
    )


def add(db: Database, chat_id: int, day: date, at: int, symptom: str, severity: int) -> int:
    """Record a symptom for the day, or update that day's entry of it (its note is kept);
    the id lets a note follow."""
    db.execute(  # no RETURNING: sqlite-utils would leave its implicit transaction open
        "INSERT INTO diary_entries (chat_id, local_date, logged_at, symptom, severity)"
        " VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (chat_id, local_date, symptom) DO UPDATE SET"
        " logged_at = excluded.logged_at, severity = excluded.severity",
        [chat_id, day.isoformat(), at, symptom, severity],
    )
    (entry_id,) = db.conn.execute(
        "SELECT id FROM diary_entries WHERE chat_id = ? AND local_date = ? AND symptom = ?",
        [chat_id, day.isoformat(), symptom],
    ).fetchone()
    return int(entry_id)


def set_note(db: Database, chat_id: int, entry_id: int, note: str) -> bool:
    """Attach her note to one of her own entries; False when there is no such entry, or
    when that day already holds NOTES_PER_DAY notes on other entries."""
    cursor = db.execute(
        "UPDATE diary_entries SET note = ? WHERE id = ? AND chat_id = ? AND ("
        " SELECT count(*) FROM diary_entries d WHERE d.chat_id = diary_entries.chat_id"
        " AND d.local_date = diary_entries.local_date AND d.note != '' AND d.id != ?) < ?",
        [note[:NOTE_LIMIT], entry_id, chat_id, entry_id, NOTES_PER_DAY],
    )
    return cursor.rowcount == 1


def get(db: Database, chat_id: int, entry_id: int) -> Entry | None:
    row = next(
        db.query("SELECT * FROM diary_entries WHERE id = ? AND chat_id = ?", [entry_id, chat_id]),
        None,
    )
    return _entry(row) if row else None


def between(db: Database, chat_id: int, first: date, last: date) -> list[Entry]:
    """Her entries of these days, oldest first."""
    rows = db.query(
        "SELECT * FROM diary_entries WHERE chat_id = ? AND local_date BETWEEN ? AND ?"
        " ORDER BY local_date, id",
        [chat_id, first.isoformat(), last.isoformat()],
    )
    return [_entry(r) for r in rows]


def settings(db: Database, chat_id: int) -> Settings:
    row = next(db.query("SELECT * FROM diary_settings WHERE chat_id = ?", [chat_id]), None)
    if row is None:
        return Settings(checkin=False, last_checkin=None)
    last = row["last_checkin"]
    return Settings(bool(row["checkin"]), date.fromisoformat(last) if last else None)


def set_checkin(db: Database, chat_id: int, on: bool) -> None:
    db.execute(
        "INSERT INTO diary_settings (chat_id, checkin) VALUES (?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET checkin = excluded.checkin",
        [chat_id, int(on)],
    )


def checked_in(db: Database, chat_id: int, day: date) -> None:
    """The day she was last asked "How have you been?"."""
    db.execute(
        "UPDATE diary_settings SET last_checkin = ? WHERE chat_id = ?", [day.isoformat(), chat_id]
    )


@migrations()
def add_report_details(db: Database) -> None:
    """Her full name and date of birth, for the oncologist's report only (she adds them)."""
    db.execute("ALTER TABLE diary_settings ADD COLUMN report_name TEXT")
    db.execute("ALTER TABLE diary_settings ADD COLUMN report_born TEXT")


def report_details(db: Database, chat_id: int) -> tuple[str, date | None]:
    """The name and date of birth she gave for her report ("" and None when none)."""
    row = next(
        db.query(
            "SELECT report_name, report_born FROM diary_settings WHERE chat_id = ?", [chat_id]
        ),
        None,
    )
    if row is None:
        return "", None
    born = row["report_born"]
    return row["report_name"] or "", date.fromisoformat(born) if born else None


def set_report_details(db: Database, chat_id: int, name: str, born: date | None) -> None:
    db.execute(
        "INSERT INTO diary_settings (chat_id, report_name, report_born) VALUES (?, ?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET report_name = excluded.report_name,"
        " report_born = excluded.report_born",
        [chat_id, name or None, born.isoformat() if born else None],
    )


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her diary and its settings (see db/account.py)."""
    entries = "SELECT * FROM diary_entries WHERE chat_id = ? ORDER BY local_date, id"
    found = dump.rows(db, "SELECT * FROM diary_settings WHERE chat_id = ?", [chat_id], ())
    return {
        "diary": dump.rows(db, entries, [chat_id], ("logged_at",)),
        "diary_settings": found[0] if found else None,
    }


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM diary_entries WHERE chat_id = ?", [chat_id])
    db.execute("DELETE FROM diary_settings WHERE chat_id = ?", [chat_id])
