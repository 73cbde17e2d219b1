"""Open the database file and bring its schema up to date."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Generator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import schema

BUSY_TIMEOUT_MS = 250
PRIVATE_FOLDER, PRIVATE_FILE = 0o700, 0o600  # hers alone: no other user of the machine reads
SIDE_FILES = ("-wal", "-shm")  # SQLite's files beside the database, holding its pages too


class Store(Database):
    """sqlite-utils' Database, with plain reads run straight on the connection.

    sqlite-utils 4 wraps every `query()` in a savepoint (three statements, and a commit when
    no transaction is open) so that a write passed to query() can be refused and undone. A
    SELECT needs no such guard, and on the lookups every update makes the guard cost more
    than the lookup itself (measured by `make bench`, see docs/performance.md).
    """

    def query(
        self, sql: str, params: Sequence[Any] | dict[str, Any] | None = None
    ) -> Generator[dict[str, Any], None, None]:
        if sql.lstrip()[:6].upper() != "SELECT":
            return super().query(sql, params)
        if self._tracer:
            self._tracer(sql, params)
        cursor = self.conn.execute(sql, params if params is not None else ())
        keys = [column[0] for column in cursor.description]
        return (dict(zip(keys, row, strict=True)) for row in cursor)


def open_database(path: Path | str) -> Database:
    """Open (creating folders as needed) in WAL mode and apply every pending migration.
    The folder and the files are made private (0700, 0600) whatever the umask or an older
    version left: they hold health data."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = Store(path, execute_plugins=False)
    if str(path) != ":memory:":
        db.enable_wal()
        make_private(Path(path))
    db.execute("PRAGMA synchronous=NORMAL")
    # A write waits this long for another process's lock, then fails (the tick retries, a
    # handler apologises): longer would freeze the event loop, and every chat with it.
    db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed on disk
    migrate(db, schema.MIGRATION_SETS)
    return db


def make_private(path: Path) -> None:
    """The database's folder 0700, the database and its -wal and -shm 0600."""
    path.parent.chmod(PRIVATE_FOLDER)
    for file in (path, *(path.with_name(path.name + side) for side in SIDE_FILES)):
        if file.exists():
            file.chmod(PRIVATE_FILE)


def checkpoint(db: Database) -> bool:
    """Copy the write-ahead log into the database and cut it to nothing.

    After a deletion the log still holds the pages as they were before it (her note, her
    name) until later writes happen to overwrite them; `secure_delete` zeroes only the
    database's own pages. TRUNCATE leaves neither old frames nor old bytes in `-wal`.
    False when a reader held an older snapshot or a statement was still open (its frames
    stay until the next one: the daily purge checkpoints again)."""
    try:
        busy, _log, _done = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:  # "database table is locked": never fail the deletion
        return False
    return not busy


def migrate(db: Database, sets: list[Migrations]) -> None:
    for migrations in sets:
        migrations.apply(db)


def unknown_migrations(db: Database, sets: list[Migrations]) -> list[str]:
    """Migrations the database has that this code does not know: it was written by a newer
    version, and running this one on it is a downgrade."""
    empty = Database(memory=True)
    known = {(m.name, migration.name) for m in sets for migration in m.pending(empty)}
    if not db["_sqlite_migrations"].exists():
        return []
    rows = db.conn.execute("SELECT migration_set, name FROM _sqlite_migrations").fetchall()
    return [f"{set_name}.{name}" for set_name, name in rows if (set_name, name) not in known]


def pending_migrations(db: Database, sets: list[Migrations]) -> int:
    """How many migrations the next start will apply (read-only)."""
    return sum(len(m.pending(db)) for m in sets)


def backup(source: Path, target: Path) -> int:
    """Copy a live database, consistent at one moment, with SQLite's online backup API
    (the bot may keep writing meanwhile); returns the copy's size in bytes.

    The copy is written beside the target and renamed into place when whole and checked,
    so a target never holds half a backup. It is one self-contained file (no -wal).
    """
    if not source.is_file():
        raise FileNotFoundError(f"no database at {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise ValueError("the backup cannot overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    partial.touch(mode=PRIVATE_FILE)  # private from its first byte, whatever the umask
    partial.chmod(PRIVATE_FILE)
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as live:
        live.execute("PRAGMA busy_timeout=5000")
        with closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            (verdict,) = copy.execute("PRAGMA quick_check").fetchone()
    if verdict != "ok":
        partial.unlink()
        raise ValueError(f"the copy failed its check: {verdict}")
    os.replace(partial, target)
    return target.stat().st_size
