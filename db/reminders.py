"""Reminder preferences beyond people.remind_at/timezone: follow-up nudges and tablets on hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import dump

reminders = Migrations("reminders")

NUDGE_CHOICES = (0, 30, 60, 120)  # minutes; 0 = no follow-up
DEFAULT_NUDGE_MINUTES = 60


@reminders()
def create_reminder_prefs(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE reminder_prefs (
            chat_id INTEGER PRIMARY KEY,
            nudge_minutes INTEGER NOT NULL DEFAULT 60,
            pills INTEGER
        )
        """
    )


@dataclass(frozen=True)
class Prefs:
    nudge_minutes: int = DEFAULT_NUDGE_MINUTES
    pills: int | None = None


def get(db: Database, chat_id: int) -> Prefs:
    row = next(
        db.query("SELECT nudge_minutes, pills FROM reminder_prefs WHERE chat_id = ?", [chat_id]),
        None,
    )
    return Prefs(row["nudge_minutes"], row["pills"]) if row else Prefs()


def set_nudge(db: Database, chat_id: int, minutes: int) -> None:
    if minutes not in NUDGE_CHOICES:
        raise ValueError(minutes)
    db.execute(
        "INSERT INTO reminder_prefs (chat_id, nudge_minutes) VALUES (?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET nudge_minutes = excluded.nudge_minutes",
        [chat_id, minutes],
    )


def set_pills(db: Database, chat_id: int, pills: int | None) -> None:
    db.execute(
        "INSERT INTO reminder_prefs (chat_id, pills) VALUES (?, ?)"
        " ON CONFLICT (chat_id) DO UPDATE SET pills = excluded.pills",
        [chat_id, pills],
    )


def take_pill(db: Database, chat_id: int) -> int | None:
    """Count one tablet down (never below 0); the new count, or None when not counting."""
    db.execute(
        "UPDATE reminder_prefs SET pills = pills - 1 WHERE chat_id = ? AND pills > 0", [chat_id]
    )
    return get(db, chat_id).pills


def return_pill(db: Database, chat_id: int) -> None:
    """A Taken corrected to not taken: the tablet is still in the pack."""
    db.execute(
        "UPDATE reminder_prefs SET pills = pills + 1 WHERE chat_id = ? AND pills IS NOT NULL",
        [chat_id],
    )


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her follow-up and tablet-count settings (see db/account.py)."""
    found = dump.rows(db, "SELECT * FROM reminder_prefs WHERE chat_id = ?", [chat_id])
    return {"reminder_settings": found[0] if found else None}


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM reminder_prefs WHERE chat_id = ?", [chat_id])
