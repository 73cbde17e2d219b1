"""A test double for SQLite's bad days: wraps the store's connection and makes chosen
writes fail as SQLite does ("database is locked", disk full, I/O error)."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from sqlite_utils import Database

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
ERRORS = ["database is locked", "database or disk is full", "disk I/O error"]


class FaultyConnection:
    """Passes everything to the real connection, except writes containing `match` while
    `error` is set: those raise sqlite3.OperationalError(error), `times` times (0: always)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.error: str | None = None
        self.match = ""
        self.times = 0
        self.failed = 0

    def arm(self, error: str, match: str = "", times: int = 0) -> None:
        self.error, self.match, self.times, self.failed = error, match, times, 0

    def disarm(self) -> None:
        self.error = None

    def _check(self, sql: str) -> None:
        if self.error is None or not WRITE.match(sql) or self.match not in sql:
            return
        self.failed += 1
        if self.times and self.failed >= self.times:
            self.error, error = None, self.error
        else:
            error = self.error
        raise sqlite3.OperationalError(error)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self._conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self._conn.executemany(sql, *args)

    def __enter__(self) -> sqlite3.Connection:
        return self._conn.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._conn.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)


def install(db: Database) -> FaultyConnection:
    faulty = FaultyConnection(db.conn)
    db.conn = faulty  # type: ignore[assignment]
    return faulty
