"""Upgrades are safe: a database left at any earlier migration state, with data in every
table it had, upgrades to the latest schema with nothing lost.

The states are every prefix of the migrations in the order `open_database` applies them, so a
migration added later is covered without touching this test. Rows are representative where a
column's meaning is known (times, zones, JSON payloads) and distinct values elsewhere.
"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db.schema import MIGRATION_SETS
from db.store import open_database

# Values a real database holds in columns whose content later code reads back.
REPRESENTATIVE: dict[str, list[Any]] = {
    "first_name": ["Anna", "Зоя"],
    "language": ["en", "de"],
    "timezone": ["Europe/Berlin", "Asia/Kolkata"],
    "remind_at": ["08:00", "21:30"],
    "awaiting": [None, '{"kind": "bonescan_date"}'],
    "payload": ["{}", '{"attempt": 1}'],
    "status": ["sent", "pending"],
    "local_date": ["2026-03-01", "2026-03-02"],
    "occurrence": ["2026-03-01", "2026-03-02@08:00"],
    "name": ["bonescan", "cholesterol"],
    "kind": ["dose", "caregiver_alert"],
    "started": ["2025-01-26", "2024-02-29"],
    "last_date": ["2025-01-10", None],
    "booked_date": [None, "2026-04-01"],
    "created_at": ["2026-01-01T08:00:00+00:00", "2026-02-01T08:00:00+00:00"],
    "last_seen_at": ["2026-03-01T08:00:00+00:00", "2026-03-02T08:00:00+00:00"],
}


def all_migrations() -> list[tuple[Migrations, str]]:
    """Every migration, in the order open_database applies them."""
    empty = Database(memory=True)
    return [(m, migration.name) for m in MIGRATION_SETS for migration in m.pending(empty)]


def build_state(path: Path, applied: int) -> Database:
    """A database with exactly the first `applied` migrations."""
    db = Database(path)
    db.enable_wal()
    remaining = applied
    for migrations in MIGRATION_SETS:
        names = [migration.name for migration in migrations.pending(Database(memory=True))]
        if remaining >= len(names):
            migrations.apply(db)
            remaining -= len(names)
        else:
            if remaining:
                migrations.apply(db, stop_before=names[remaining])
            break
    return db


def data_tables(db: Database) -> list[str]:
    return [t for t in db.table_names() if not t.startswith(("_", "sqlite_"))]


def fill(db: Database) -> dict[str, list[dict[str, Any]]]:
    """Two rows in every table, every column given a value; returns what was written."""
    written: dict[str, list[dict[str, Any]]] = {}
    for table in data_tables(db):
        rows = []
        for index in range(2):
            row: dict[str, Any] = {}
            for column in db[table].columns:
                if column.name in REPRESENTATIVE:
                    row[column.name] = REPRESENTATIVE[column.name][index]
                elif column.type.upper() == "INTEGER":
                    row[column.name] = 1_000 + 17 * index + len(row)
                else:
                    row[column.name] = f"{table}.{column.name}.{index}"
                if row[column.name] is None and column.notnull:
                    row[column.name] = REPRESENTATIVE[column.name][1 - index]
            rows.append(row)
        db[table].insert_all(rows)
        written[table] = rows
    return written


def schema_of(db: Database) -> list[tuple[str, str, str]]:
    rows = db.conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()
    return [(kind, name, sql) for kind, name, sql in rows]


MIGRATIONS = all_migrations()


def test_every_migration_set_is_in_the_upgrade_path() -> None:
    assert len(MIGRATIONS) >= 9
    assert len({(m.name, name) for m, name in MIGRATIONS}) == len(MIGRATIONS)


@pytest.mark.parametrize(
    "applied",
    range(1, len(MIGRATIONS)),
    ids=[f"after-{m.name}.{name}" for m, name in MIGRATIONS[:-1]],
)
def test_a_database_at_an_earlier_state_upgrades_with_nothing_lost(
    tmp_path: Path, applied: int
) -> None:
    path = tmp_path / "old.db"
    with closing(build_state(path, applied)) as old:
        written = fill(old)
        assert written, "an earlier state with no tables proves nothing"

    with (
        closing(open_database(path)) as upgraded,
        closing(open_database(tmp_path / "fresh.db")) as fresh,
    ):
        assert schema_of(upgraded) == schema_of(fresh)
        for table, rows in written.items():
            for row in rows:
                where = " AND ".join(f"[{column}] IS ?" for column in row)
                found = upgraded.conn.execute(
                    f"SELECT count(*) FROM [{table}] WHERE {where}", list(row.values())
                ).fetchone()[0]
                assert found == 1, (table, row)
        assert sum(len(m.pending(upgraded)) for m in MIGRATION_SETS) == 0
