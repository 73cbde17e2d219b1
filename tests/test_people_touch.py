"""people.touch runs on every update: it must keep the record right while writing only
when something changed (last_seen_at is kept to the day)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database

from db import people
from db.store import open_database

MORNING = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def last_seen(db: Database, chat_id: int) -> str:
    row = next(db.query("SELECT last_seen_at FROM people WHERE chat_id = ?", [chat_id]))
    return str(row["last_seen_at"])


def test_first_touch_creates_the_person(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    touched, was_blocked = people.touch(db, 7, "Anna", "en", MORNING)
    assert was_blocked is False
    assert touched == people.get(db, 7)
    person = people.get(db, 7)
    assert person is not None and (person.first_name, person.language) == ("Anna", "en")
    assert last_seen(db, 7) == MORNING.isoformat()


def test_later_the_same_day_nothing_is_rewritten(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    people.touch(db, 7, "Anna", "en", MORNING)
    people.touch(db, 7, "Anna", "en", MORNING + timedelta(hours=3))
    assert last_seen(db, 7) == MORNING.isoformat()
    assert not db.conn.in_transaction


def test_a_new_day_or_a_new_name_is_recorded(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    people.touch(db, 7, "Anna", "en", MORNING)
    people.touch(db, 7, "Anna", "en", MORNING + timedelta(days=1))
    assert last_seen(db, 7) == (MORNING + timedelta(days=1)).isoformat()
    people.touch(db, 7, "Anne", "de", MORNING + timedelta(days=1, hours=1))
    person = people.get(db, 7)
    assert person is not None and (person.first_name, person.language) == ("Anne", "de")


def test_writing_after_a_block_reports_it_once_and_unblocks(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    people.touch(db, 7, "Anna", "en", MORNING)
    people.mark_blocked(db, 7)
    assert people.touch(db, 7, "Anna", "en", MORNING)[1] is True
    assert people.touch(db, 7, "Anna", "en", MORNING)[1] is False
    person = people.get(db, 7)
    assert person is not None and not person.blocked


def test_touch_returns_her_whole_record_as_it_now_stands(tmp_path: Path) -> None:
    """Handlers use this instead of reading her row again (bot/services.py BotContext)."""
    db = open_database(tmp_path / "bot.db")
    people.touch(db, 7, "Anna", "en", MORNING)
    people.set_timezone(db, 7, "Europe/Berlin")
    people.set_remind_at(db, 7, "08:30")
    people.set_awaiting(db, 7, {"kind": "checkups", "step": 2})
    people.mark_blocked(db, 7)
    touched, was_blocked = people.touch(db, 7, "Anne", "de", MORNING + timedelta(hours=1))
    assert was_blocked is True
    assert touched == people.get(db, 7)
    assert (touched.timezone, touched.remind_at, touched.awaiting) == (
        "Europe/Berlin",
        "08:30",
        {"kind": "checkups", "step": 2},
    )
