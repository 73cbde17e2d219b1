"""The operator's figures (/admin and metrics): counts only, never a name or a health datum.

Deliveries are read from the ledger: `due` is when an occurrence was due and `sent_at` when
its outcome was recorded (sent, blocked or failed), both UTC epoch seconds.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("stats")

HOUR = 3600
DAY = 24 * HOUR


@migrations()
def index_ledger_by_outcome_time(db: Database) -> None:
    """The figures count the last hour's and day's outcomes: this index answers them without
    reading the whole ledger, which keeps one row per delivery ever made."""
    db.execute(
        "CREATE INDEX ledger_by_sent_at ON ledger (sent_at, status, due) WHERE sent_at IS NOT NULL"
    )


@dataclass(frozen=True)
class Figures:
    people: int
    patients_with_reminder: int
    caregiver_links: int
    sent_last_hour: int
    sent_last_day: int
    failed_last_day: int
    paused_chats: int
    lateness_median: int | None  # seconds a reminder went out after it was due, last day
    lateness_p95: int | None
    database_bytes: int


def _count(db: Database, sql: str, params: list[int] | None = None) -> int:
    return int(db.conn.execute(sql, params or []).fetchone()[0])


def figures(db: Database, now: int) -> Figures:
    """Every figure at `now` (UTC epoch seconds)."""
    day_ago, hour_ago = now - DAY, now - HOUR
    sent = "SELECT count(*) FROM ledger WHERE sent_at > ? AND status = 'sent'"
    median, p95 = _lateness(db, day_ago)
    return Figures(
        people=_count(db, "SELECT count(*) FROM people"),
        patients_with_reminder=_count(
            db, "SELECT count(*) FROM people WHERE remind_at IS NOT NULL"
        ),
        caregiver_links=_count(db, "SELECT count(*) FROM caregiver_links"),
        sent_last_hour=_count(db, sent, [hour_ago]),
        sent_last_day=_count(db, sent, [day_ago]),
        failed_last_day=_count(
            db, "SELECT count(*) FROM ledger WHERE sent_at > ? AND status = 'failed'", [day_ago]
        ),
        paused_chats=_count(db, "SELECT count(*) FROM people WHERE blocked = 1"),
        lateness_median=median,
        lateness_p95=p95,
        database_bytes=_count(
            db, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
        ),
    )


def _lateness(db: Database, since: int) -> tuple[int | None, int | None]:
    """Median and 95th percentile (nearest rank) of sent_at - due over sends since `since`."""
    where = "FROM ledger WHERE sent_at > ? AND status = 'sent'"
    total = _count(db, f"SELECT count(*) {where}", [since])
    if total == 0:
        return None, None

    def rank(percent: int) -> int:
        offset = (total * percent + 99) // 100 - 1  # the ceil(n * p / 100)-th smallest
        row = db.conn.execute(
            f"SELECT max(sent_at - due, 0) AS late {where} ORDER BY late LIMIT 1 OFFSET ?",
            [since, offset],
        ).fetchone()
        return int(row[0])

    return rank(50), rank(95)


def read_only(path: Path | str) -> Database:
    """A read-only connection for another thread (the metrics server) or process (check):
    it can neither change the database nor create it."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout=5000")
    return Database(conn)
