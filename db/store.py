"""Open the database file and bring its schema up to date."""

from __future__ import annotations

from pathlib import Path

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
