"""Open the database file and bring its schema up to date."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import schema


def open_database(path: Path | str) -> Database:
    """Open (creating folders as needed) in WAL mode and apply every pending migration."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = Database(path, execute_plugins=False)
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db, schema.MIGRATION_SETS)
    return db


def migrate(db: Database, sets: list[Migrations]) -> None:
    for migrations in sets:
        migrations.apply(db)


def read(db: Database, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
    """Rows (read by column name) of a plain SELECT, run straight on the connection.

    sqlite-utils 4 wraps every `query()` in a savepoint (three statements, and a commit when
    no transaction is open) and builds a dict per row: on the lookups every update makes,
    that cost more than the lookup itself. A SELECT needs no guard.
    """
    cursor = db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params).fetchall()
