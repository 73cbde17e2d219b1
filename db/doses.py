"""One row per patient and local day with a dose reminder: pending, taken, skipped or missed.

A pending row whose local day has ended is missed. The row is marked so (`close_before`) by
her next reminder and before anything reads the days (/history, a caregiver's weekly summary),
so the table, /history and the summary always agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from db import dump

# A condition on an event row `e` (db/events.py early): her latest dose day is closed
# (answered or missed), so her next reminder may start early at a peak; never while her
# previous reminder is still open.
LATEST_DAY_CLOSED = (
    "(SELECT d.status FROM doses d WHERE d.chat_id = e.chat_id"
    " ORDER BY d.local_date DESC LIMIT 1) IS NOT 'pending'"
)


@dataclass(frozen=True)
class Dose:
    chat_id: int
    local_date: str
    due: int
    status: str
    answered_at: int | None
    message_id: int | None


def _dose(row: dict[str, Any]) -> Dose:
    return Dose(**{k: row[k] for k in Dose.__dataclass_fields__})


def open_dose(
    db: Database, chat_id: int, local_date: str, due: int, message_id: int | None
) -> None:
    """Record that the reminder for this day went out (idempotent: a resend keeps status)."""
    db.execute(
        "INSERT INTO doses (chat_id, local_date, due, message_id) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (chat_id, local_date) DO UPDATE SET message_id = excluded.message_id",
        [chat_id, local_date, due, message_id],
    )


def set_message(db: Database, chat_id: int, local_date: str, message_id: int) -> None:
    """The reminder message now on her screen for that day (its buttons answer it)."""
    db.execute(
        "UPDATE doses SET message_id = ? WHERE chat_id = ? AND local_date = ?",
        [message_id, chat_id, local_date],
    )


def get(db: Database, chat_id: int, local_date: str) -> Dose | None:
    row = next(
        db.query("SELECT * FROM doses WHERE chat_id = ? AND local_date = ?", [chat_id, local_date]),
        None,
    )
    return _dose(row) if row else None


def latest(db: Database, chat_id: int) -> Dose | None:
    """Her most recent day with a reminder."""
    row = next(
        db.query(
            "SELECT * FROM doses WHERE chat_id = ? ORDER BY local_date DESC LIMIT 1", [chat_id]
        ),
        None,
    )
    return _dose(row) if row else None


def answer(db: Database, chat_id: int, local_date: str, status: str, at: int) -> bool:
    """Set taken/skipped once; False when the day was already answered (a second tap)."""
    if status not in ("taken", "skipped"):
        raise ValueError(status)
    cursor = db.execute(
        "UPDATE doses SET status = ?, answered_at = ?"
        " WHERE chat_id = ? AND local_date = ? AND status IN ('pending', 'missed')",
        [status, at, chat_id, local_date],
    )
    return cursor.rowcount == 1


def correct(
    db: Database, chat_id: int, local_date: str, status: str, at: int, due: int
) -> str | None:
    """Record her answer for a day even when one is there already (a mistaken Skip) or the
    day had no reminder (filled in from /history); the status it had before, or None."""
    if status not in ("taken", "skipped"):
        raise ValueError(status)
    before = get(db, chat_id, local_date)
    db.execute(
        "INSERT INTO doses (chat_id, local_date, due, status, answered_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (chat_id, local_date) DO UPDATE SET status = excluded.status,"
        " answered_at = excluded.answered_at",
        [chat_id, local_date, due, status, at],
    )
    return before.status if before else None


def between(db: Database, chat_id: int, first: str, last: str) -> list[Dose]:
    rows = db.query(
        "SELECT * FROM doses WHERE chat_id = ? AND local_date BETWEEN ? AND ? ORDER BY local_date",
        [chat_id, first, last],
    )
    return [_dose(r) for r in rows]


def record_missed(db: Database, chat_id: int, local_date: str, due: int) -> None:
    """A reminder too late to send after downtime: the day counts as missed (an answer stays)."""
    db.execute(
        "INSERT INTO doses (chat_id, local_date, due, status) VALUES (?, ?, ?, 'missed')"
        " ON CONFLICT (chat_id, local_date) DO UPDATE SET status = 'missed'"
        " WHERE doses.status = 'pending'",
        [chat_id, local_date, due],
    )


def close_before(db: Database, chat_id: int, local_date: str) -> None:
    """Days before `local_date` still pending are over: mark them missed."""
    db.execute(
        "UPDATE doses SET status = 'missed'"
        " WHERE chat_id = ? AND local_date < ? AND status = 'pending'",
        [chat_id, local_date],
    )


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Every dose day of hers (see db/account.py)."""
    sql = "SELECT * FROM doses WHERE chat_id = ? ORDER BY local_date"
    return {"doses": dump.rows(db, sql, [chat_id], ("due", "answered_at"))}


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM doses WHERE chat_id = ?", [chat_id])
