"""Her other medicines (issue 22): the list, what changed in it, and their doses.

- `medicines`: one row per medicine she added; its schedule as JSON (bot/pure/medschedule.py
  reads it), her pack size and tablets left, whether caregivers hear of a missed dose (off
  by default), and a status: active, paused or stopped. Stopping never deletes a row.
- `medicine_changes`: every add, pause, resume, change and stop, with the schedule then.
- `medicine_doses`: one row per due (medicine, local date, local time), unique, so a
  restart can never make the same dose twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import dump

migrations = Migrations("medicines")

NAME_LIMIT = 60  # characters of a medicine's name: a name, not a note
MAX_MEDICINES = 30  # on her list at once (stopped ones do not count)
STATUSES = ("active", "paused", "stopped")


@migrations()
def create_medicines(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE medicines (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            name TEXT NOT NULL,
            kind TEXT NOT NULL,
            schedule TEXT NOT NULL,
            pack_size INTEGER,
            tablets_left INTEGER,
            share_with_caregivers INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'active',
            created_at INTEGER NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX medicines_chat ON medicines (chat_id, status)")
    db.execute(
        """
        CREATE TABLE medicine_changes (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            at INTEGER NOT NULL,
            change TEXT NOT NULL,
            schedule TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX medicine_changes_chat ON medicine_changes (chat_id)")
    db.execute(
        """
        CREATE TABLE medicine_doses (
            id INTEGER PRIMARY KEY,
            medicine_id INTEGER NOT NULL,
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            local_time TEXT NOT NULL,
            due INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            answered_at INTEGER,
            message_id INTEGER,
            UNIQUE (medicine_id, local_date, local_time)
        )
        """
    )
    db.execute("CREATE INDEX medicine_doses_chat ON medicine_doses (chat_id, local_date)")


@dataclass(frozen=True)
class Medicine:
    id: int
    chat_id: int
    name: str
    schedule: dict[str, Any]  # bot.pure.medschedule.from_json reads it
    pack_size: int | None
    tablets_left: int | None
    share_with_caregivers: bool
    status: str


class Dose(NamedTuple):
    """One dose of a medicine (a row per medicine, local day and time). A named tuple: a
    reminder's fan-out reads one for every dose it shows (docs/performance.md)."""

    id: int
    medicine_id: int
    medicine: str  # its name
    local_date: str
    local_time: str
    due: int
    status: str
    answered_at: int | None
    message_id: int | None


def _medicine(row: dict[str, Any]) -> Medicine:
    try:
        schedule = json.loads(row["schedule"])
    except ValueError:
        schedule = {}  # damaged: from_json refuses it, so it is never scheduled
    return Medicine(
        row["id"],
        row["chat_id"],
        row["name"],
        schedule if isinstance(schedule, dict) else {},
        row["pack_size"],
        row["tablets_left"],
        bool(row["share_with_caregivers"]),
        row["status"],
    )


def _change(db: Database, medicine_id: int, chat_id: int, at: int, change: str) -> None:
    db.execute(
        "INSERT INTO medicine_changes (medicine_id, chat_id, at, change, schedule)"
        " SELECT id, chat_id, ?, ?, schedule FROM medicines WHERE id = ? AND chat_id = ?",
        [at, change, medicine_id, chat_id],
    )


def add(db: Database, chat_id: int, name: str, schedule: dict[str, Any], at: int) -> int | None:
    """A new active medicine; None when her list is full (MAX_MEDICINES not stopped)."""
    with db.atomic():
        if len(listed(db, chat_id)) >= MAX_MEDICINES:
            return None
        cursor = db.execute(
            "INSERT INTO medicines (chat_id, name, kind, schedule, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [chat_id, name[:NAME_LIMIT], schedule.get("kind", ""), json.dumps(schedule), at],
        )
        medicine_id = int(cursor.lastrowid or 0)
        _change(db, medicine_id, chat_id, at, "added")
    return medicine_id


def get(db: Database, chat_id: int, medicine_id: int) -> Medicine | None:
    """One of her own medicines (another chat's id finds nothing)."""
    sql = "SELECT * FROM medicines WHERE id = ? AND chat_id = ?"
    row = next(db.query(sql, [medicine_id, chat_id]), None)
    return _medicine(row) if row else None


def listed(db: Database, chat_id: int, stopped: bool = False) -> list[Medicine]:
    """Her medicines, oldest first: active and paused ones, or the stopped ones."""
    where = "status = 'stopped'" if stopped else "status != 'stopped'"
    rows = db.query(f"SELECT * FROM medicines WHERE chat_id = ? AND {where} ORDER BY id", [chat_id])
    return [_medicine(r) for r in rows]


def active(db: Database, chat_id: int) -> list[tuple[int, str, str]]:
    """(id, name, schedule as stored) of her active medicines, oldest first. The tick reads
    them for every due reminder of hers: plain tuples, straight on the connection."""
    rows = db.conn.execute(
        "SELECT id, name, schedule FROM medicines WHERE chat_id = ? AND status = 'active'"
        " ORDER BY id",
        [chat_id],
    )
    return rows.fetchall()


def set_status(db: Database, chat_id: int, medicine_id: int, status: str, at: int) -> bool:
    """Pause, resume or stop one of hers (a stopped one stays stopped); False if none."""
    assert status in STATUSES
    with db.atomic():
        cursor = db.execute(
            "UPDATE medicines SET status = ? WHERE id = ? AND chat_id = ?"
            " AND status NOT IN ('stopped', ?)",
            [status, medicine_id, chat_id, status],
        )
        if cursor.rowcount != 1:
            return False
        _change(db, medicine_id, chat_id, at, status)
    return True


def set_schedule(
    db: Database, chat_id: int, medicine_id: int, schedule: dict[str, Any], at: int
) -> bool:
    with db.atomic():
        cursor = db.execute(
            "UPDATE medicines SET kind = ?, schedule = ? WHERE id = ? AND chat_id = ?"
            " AND status != 'stopped'",
            [schedule.get("kind", ""), json.dumps(schedule), medicine_id, chat_id],
        )
        if cursor.rowcount != 1:
            return False
        _change(db, medicine_id, chat_id, at, "changed")
    return True


def set_pack(db: Database, chat_id: int, medicine_id: int, pack_size: int, left: int) -> bool:
    cursor = db.execute(
        "UPDATE medicines SET pack_size = ?, tablets_left = ? WHERE id = ? AND chat_id = ?",
        [pack_size, left, medicine_id, chat_id],
    )
    return cursor.rowcount == 1


def count_one_down(db: Database, chat_id: int, medicine_id: int) -> int | None:
    """One tablet fewer; the tablets left after it (None: she keeps no count)."""
    db.execute(
        "UPDATE medicines SET tablets_left = tablets_left - 1"
        " WHERE id = ? AND chat_id = ? AND tablets_left > 0",
        [medicine_id, chat_id],
    )
    found = get(db, chat_id, medicine_id)
    return found.tablets_left if found else None


def set_sharing(db: Database, chat_id: int, medicine_id: int, share: bool) -> bool:
    cursor = db.execute(
        "UPDATE medicines SET share_with_caregivers = ? WHERE id = ? AND chat_id = ?",
        [int(share), medicine_id, chat_id],
    )
    return cursor.rowcount == 1


_DOSES = (  # a Dose's columns, in its order
    "SELECT d.id, d.medicine_id, m.name, d.local_date, d.local_time, d.due, d.status,"
    " d.answered_at, d.message_id FROM medicine_doses d JOIN medicines m ON m.id = d.medicine_id"
)


def _doses(db: Database, where: str, params: list[Any]) -> list[Dose]:
    return [Dose(*row) for row in db.conn.execute(f"{_DOSES} WHERE {where}", params)]


def open_dose(
    db: Database,
    medicine_id: int,
    chat_id: int,
    day: str,
    at: str,
    due: int,
    status: str = "pending",
    answered_at: int | None = None,
) -> bool:
    """The dose row for (medicine, day, time), made once: False when it already existed."""
    cursor = db.execute(
        "INSERT INTO medicine_doses"
        " (medicine_id, chat_id, local_date, local_time, due, status, answered_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (medicine_id, local_date, local_time) DO NOTHING",
        [medicine_id, chat_id, day, at, due, status, answered_at],
    )
    return cursor.rowcount == 1


def doses_at(db: Database, chat_id: int, day: str, at: str) -> list[Dose]:
    """Her doses of one local day and time (one message's rows), by medicine."""
    where = "d.chat_id = ? AND d.local_date = ? AND d.local_time = ? ORDER BY d.id"
    return _doses(db, where, [chat_id, day, at])


def dose(db: Database, chat_id: int, dose_id: int) -> Dose | None:
    """One of her doses (another chat's id finds nothing)."""
    found = _doses(db, "d.id = ? AND d.chat_id = ?", [dose_id, chat_id])
    return found[0] if found else None


def set_messages(db: Database, chat_id: int, day: str, at: str, message_id: int) -> None:
    db.execute(
        "UPDATE medicine_doses SET message_id = ? WHERE chat_id = ? AND local_date = ?"
        " AND local_time = ?",
        [message_id, chat_id, day, at],
    )


def shared_open(db: Database, chat_id: int, day: str, at: str) -> list[str]:
    """The names of her doses of (day, time) still open whose medicine she shares with
    caregivers."""
    rows = db.conn.execute(
        "SELECT m.name FROM medicine_doses d JOIN medicines m ON m.id = d.medicine_id"
        " WHERE d.chat_id = ? AND d.local_date = ? AND d.local_time = ? AND d.status = 'pending'"
        " AND m.share_with_caregivers = 1 AND m.status = 'active' ORDER BY d.id",
        [chat_id, day, at],
    )
    return [name for (name,) in rows]


def set_dose(db: Database, chat_id: int, dose_id: int, status: str, at: int) -> None:
    """Record taken or skipped on one of her doses."""
    db.execute(
        "UPDATE medicine_doses SET status = ?, answered_at = ? WHERE id = ? AND chat_id = ?",
        [status, at, dose_id, chat_id],
    )


def close_before(db: Database, chat_id: int, day: str) -> None:
    """Doses still pending from a local day before `day` were missed."""
    db.execute(
        "UPDATE medicine_doses SET status = 'missed' WHERE chat_id = ? AND status = 'pending'"
        " AND local_date < ?",
        [chat_id, day],
    )


def history(db: Database, chat_id: int, since: str) -> list[Dose]:
    """Her doses from local date `since` on, newest first."""
    where = "d.chat_id = ? AND d.local_date >= ?"
    where += " ORDER BY d.local_date DESC, d.local_time DESC, d.id"
    return _doses(db, where, [chat_id, since])


def tallies(
    db: Database, chat_id: int, first: str, today: str, shared: bool
) -> list[tuple[str, int, int, int]]:
    """(name, taken, skipped, missed) per medicine with answered or missed doses from local
    date `first` to `today`, oldest medicine first: a dose still pending before `today`
    counts as missed, one of `today` not yet; `shared`: only medicines she shares with
    caregivers."""
    rows = db.conn.execute(
        "SELECT m.name, SUM(d.status = 'taken'), SUM(d.status = 'skipped'),"
        " SUM(d.status = 'missed' OR (d.status = 'pending' AND d.local_date < ?))"
        " FROM medicine_doses d JOIN medicines m ON m.id = d.medicine_id"
        " WHERE d.chat_id = ? AND d.local_date BETWEEN ? AND ?"
        " AND (? = 0 OR m.share_with_caregivers = 1)"
        " GROUP BY m.id ORDER BY m.id",
        [today, chat_id, first, today, int(shared)],
    )
    return [(name, t, s, m) for name, t, s, m in rows if t + s + m]


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her medicines, what changed in them, and their doses (see db/account.py)."""
    return {
        "medicines": dump.rows(
            db,
            "SELECT id, name, kind, schedule, pack_size, tablets_left, share_with_caregivers,"
            " status, created_at FROM medicines WHERE chat_id = ? ORDER BY id",
            [chat_id],
            ["created_at"],
            ["schedule"],
        ),
        "medicine_changes": dump.rows(
            db,
            "SELECT medicine_id, at, change, schedule FROM medicine_changes WHERE chat_id = ?"
            " ORDER BY id",
            [chat_id],
            ["at"],
            ["schedule"],
        ),
        "medicine_doses": dump.rows(
            db,
            "SELECT m.name AS medicine, d.local_date, d.local_time, d.due, d.status,"
            " d.answered_at FROM medicine_doses d JOIN medicines m ON m.id = d.medicine_id"
            " WHERE d.chat_id = ? ORDER BY d.local_date, d.local_time, m.name",
            [chat_id],
            ["due", "answered_at"],
        ),
    }


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM medicine_doses WHERE chat_id = ?", [chat_id])
    db.execute("DELETE FROM medicine_changes WHERE chat_id = ?", [chat_id])
    db.execute("DELETE FROM medicines WHERE chat_id = ?", [chat_id])
