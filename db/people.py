"""The people who talk to the bot: patients and caregivers alike."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from db import dump

# An open question (a date asked for ...) older than this no longer catches a reply.
AWAIT_SECONDS = 30 * 60


@dataclass(frozen=True)
class Person:
    chat_id: int
    first_name: str
    language: str
    timezone: str | None
    remind_at: str | None
    blocked: bool
    awaiting: dict[str, Any] | None


def _person(row: dict[str, Any]) -> Person:
    return Person(
        chat_id=row["chat_id"],
        first_name=row["first_name"],
        language=row["language"],
        timezone=row["timezone"],
        remind_at=row["remind_at"],
        blocked=bool(row["blocked"]),
        awaiting=json.loads(row["awaiting"]) if row["awaiting"] else None,
    )


def touch(
    db: Database, chat_id: int, first_name: str, language: str, now: datetime
) -> tuple[Person, bool]:
    """Create or refresh a person on every update: her record as it now stands, and True
    when she had blocked the bot before. `language` is her Telegram app's; one she chose
    with /language outranks it.

    Writes only when something changed: last_seen_at is kept to the day, so the messages of
    a conversation cost one read each instead of a write and a commit. That one read is the
    whole row, so the update's handlers need not read it again (bot/services.py BotContext).
    """
    stamp = now.isoformat()
    # Straight on the connection: a plain tuple, no dict per row (runs on every update).
    row = db.conn.execute(
        "SELECT first_name, language, blocked, last_seen_at, timezone, remind_at, awaiting,"
        " chosen_language FROM people WHERE chat_id = ?",
        [chat_id],
    ).fetchone()
    if row is None:
        db.execute(
            "INSERT INTO people (chat_id, first_name, language, created_at, last_seen_at)"
            " VALUES (?, ?, ?, ?, ?)",
            [chat_id, first_name, language, stamp, stamp],
        )
        return Person(chat_id, first_name, language, None, None, False, None), False
    old_name, old_language, blocked, last_seen_at, timezone, remind_at, awaiting, chosen = row
    language = chosen or language
    person = Person(
        chat_id,
        first_name,
        language,
        timezone,
        remind_at,
        blocked=False,
        awaiting=json.loads(awaiting) if awaiting else None,
    )
    unchanged = (old_name, old_language, blocked) == (first_name, language, 0)
    if unchanged and last_seen_at[:10] == stamp[:10]:
        return person, False
    db.execute(  # she wrote: any question whether to keep her data is answered
        "UPDATE people SET first_name = ?, language = ?, last_seen_at = ?, blocked = 0,"
        " inactive_asked_at = NULL WHERE chat_id = ?",
        [first_name, language, stamp, chat_id],
    )
    return person, bool(blocked)


def get(db: Database, chat_id: int) -> Person | None:
    row = next(db.query("SELECT * FROM people WHERE chat_id = ?", [chat_id]), None)
    return _person(row) if row else None


def existing(db: Database, chat_ids: set[int]) -> set[int]:
    """Which of these people still exist (the scheduler asks before and after a send)."""
    if not chat_ids:
        return set()
    marks = ",".join("?" * len(chat_ids))
    sql = f"SELECT chat_id FROM people WHERE chat_id IN ({marks})"
    return {row[0] for row in db.conn.execute(sql, list(chat_ids))}


def language(db: Database, chat_id: int) -> str | None:
    """Just the language: every answer needs it, so it is read alone."""
    row = next(db.query("SELECT language FROM people WHERE chat_id = ?", [chat_id]), None)
    return str(row["language"]) if row else None


def choose_language(db: Database, chat_id: int, language: str) -> None:
    """Her own choice (/language): kept whatever language her Telegram app uses."""
    db.execute(
        "UPDATE people SET chosen_language = ?, language = ? WHERE chat_id = ?",
        [language, language, chat_id],
    )


def set_timezone(db: Database, chat_id: int, timezone: str) -> None:
    db.execute("UPDATE people SET timezone = ? WHERE chat_id = ?", [timezone, chat_id])


def set_remind_at(db: Database, chat_id: int, remind_at: str | None) -> None:
    """The daily reminder's local time as HH:MM, or None when reminders are off."""
    db.execute("UPDATE people SET remind_at = ? WHERE chat_id = ?", [remind_at, chat_id])


def await_if_free(db: Database, chat_id: int, awaiting: dict[str, Any]) -> None:
    """Open a question her next message may answer (`awaiting["since"]`: now), unless one
    is open and fresh already: a question asked with buttons never takes the place of one
    still waiting for words; one older than AWAIT_SECONDS no longer catches a reply."""
    db.execute(
        "UPDATE people SET awaiting = ? WHERE chat_id = ? AND (awaiting IS NULL"
        " OR json_extract(awaiting, '$.since') < ?)",  # no since: never stale (router)
        [json.dumps(awaiting), chat_id, int(awaiting["since"]) - AWAIT_SECONDS],
    )


def awaited(db: Database, chat_id: int, kind: str, key: str) -> str | None:
    """A text field of her open question when it is of `kind` (the check, the symptom, the
    invitation her next words answer); None otherwise."""
    person = get(db, chat_id)
    awaiting = person.awaiting if person and person.awaiting else {}
    value = awaiting.get(key) if awaiting.get("kind") == kind else None
    return value if isinstance(value, str) else None


def set_awaiting(db: Database, chat_id: int, awaiting: dict[str, Any] | None) -> None:
    """Remember what the next plain-text message answers (a date, a time ...), or forget it."""
    value = json.dumps(awaiting) if awaiting is not None else None
    db.execute("UPDATE people SET awaiting = ? WHERE chat_id = ?", [value, chat_id])


def mark_blocked(db: Database, chat_id: int) -> bool:
    """True when she had not blocked the bot before: news of it is given once."""
    cursor = db.execute(
        "UPDATE people SET blocked = 1 WHERE chat_id = ? AND blocked = 0", [chat_id]
    )
    return cursor.rowcount == 1


def is_blocked(db: Database, chat_id: int) -> bool:
    row = db.conn.execute("SELECT blocked FROM people WHERE chat_id = ?", [chat_id]).fetchone()
    return bool(row and row[0])


def silent(db: Database, seen_before: datetime, limit: int) -> list[int]:
    """People not heard from since `seen_before`, with no daily reminder, not yet asked
    whether to keep their data (INACTIVE_DAYS)."""
    rows = db.conn.execute(
        "SELECT chat_id FROM people WHERE last_seen_at < ? AND remind_at IS NULL"
        " AND inactive_asked_at IS NULL ORDER BY last_seen_at LIMIT ?",
        [seen_before.isoformat(), limit],
    )
    return [row[0] for row in rows]


def asked_to_keep(db: Database, chat_ids: list[int], at: int) -> None:
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        db.conn.executemany(
            "UPDATE people SET inactive_asked_at = ? WHERE chat_id = ?",
            [(at, chat_id) for chat_id in chat_ids],
        )


def unanswered(db: Database, asked_before: int) -> list[int]:
    """People asked before `asked_before` who have not written since (writing clears it)."""
    rows = db.conn.execute(
        "SELECT chat_id FROM people WHERE inactive_asked_at <= ? ORDER BY chat_id",
        [asked_before],
    )
    return [row[0] for row in rows]


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her record as the bot keeps it (see db/account.py)."""
    found = dump.rows(db, "SELECT * FROM people WHERE chat_id = ?", [chat_id], (), ["awaiting"])
    return {"person": found[0] if found else None}


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM people WHERE chat_id = ?", [chat_id])
