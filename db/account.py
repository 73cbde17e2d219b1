"""Everything the bot stores about one person: export it, or forget it.

Each feature's db module owns its tables, so each one says what in them is hers, with two
functions: `export(db, chat_id) -> dict` (JSON-ready sections; of anyone else only a first
name) and `forget(db, chat_id)` (delete, or unlink, every row about her). This module only
lists those owners: no module knows every table, and a feature adding tables adds one line
here. A plain list beats a registration hook: the owners are db modules, known at import
time, and the order matters (people last: the other owners may look up names in it).
tests/test_account.py scans every table after a deletion, so a table whose owner is
missing here makes it fail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlite_utils import Database

from db import caregivers, checkups, diary, doses, events, medicines, people, reminders
from db.store import checkpoint


class Owner(Protocol):
    """A db module that owns tables: what in them is hers."""

    def export(self, db: Database, chat_id: int) -> dict[str, Any]: ...

    def forget(self, db: Database, chat_id: int) -> None: ...


class _Events:
    """The scheduler's tables (db/events.py, which knows no feature): the rows in her chat
    that are about someone else are named by the feature that makes them."""

    @staticmethod
    def export(db: Database, chat_id: int) -> dict[str, Any]:
        return events.export(db, chat_id, not_hers=[caregivers.ABOUT_A_PATIENT])

    @staticmethod
    def forget(db: Database, chat_id: int) -> None:
        events.forget(db, chat_id)


OWNERS: tuple[Owner, ...] = (
    caregivers,
    checkups,
    diary,
    medicines,
    reminders,
    doses,
    _Events(),
    people,
)


def export(db: Database, chat_id: int, now: datetime) -> dict[str, Any]:
    """One document with every section of every owner."""
    document: dict[str, Any] = {"exported_at": now.isoformat()}
    for owner in OWNERS:
        section = owner.export(db, chat_id)
        clash = document.keys() & section.keys()
        if clash:
            raise ValueError(f"export sections named twice: {sorted(clash)}")
        document.update(section)
    return document


def forget(db: Database, chat_id: int) -> None:
    """Delete everything about her in one transaction: all of it goes, or none. Then the
    write-ahead log is emptied, so no copy of her rows is left in the files either
    (`secure_delete` has zeroed them in the database's pages)."""
    with db.atomic():
        for owner in OWNERS:
            owner.forget(db, chat_id)
    checkpoint(db)
