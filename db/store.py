"""Open the database file and bring its schema up to date."""

from __future__ import annotations

from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import schema


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
    """Open (creating folders as needed) in WAL mode and apply every pending migration."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = Store(path, execute_plugins=False)
    if str(path) != ":memory:":
        db.enable_wal()
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=5000")
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA secure_delete=ON")  # deleted rows are zeroed on disk
    migrate(db, schema.MIGRATION_SETS)
    return db


def migrate(db: Database, sets: list[Migrations]) -> None:
    for migrations in sets:
        migrations.apply(db)
