"""Versioned migrations, one named set per feature, applied in this order.

A migration, once released, is never edited: change the schema with a new function.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db.caregivers import migrations as caregiver_migrations
from db.checkups import migrations as checkup_migrations
from db.diary import migrations as diary_migrations
from db.medicines import migrations as medicine_migrations
from db.reminders import reminders
from db.stats import migrations as stats_migrations

core = Migrations("core")


@core()
def create_people(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE people (
            chat_id INTEGER PRIMARY KEY,
            first_name TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL DEFAULT 'en',
            timezone TEXT,
            blocked INTEGER NOT NULL DEFAULT 0,
            awaiting TEXT,
            created_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        )
        """
    )


@core()
def create_events_and_ledger(db: Database) -> None:
    """Every future event is a row with its next fire time (UTC epoch seconds).

    The ledger holds one row per occurrence, claimed before sending: its unique key is
    what makes a restart unable to send the same day's reminder twice.
    """
    db.execute(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            chat_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL DEFAULT '',
            next_fire INTEGER NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0,
            payload TEXT NOT NULL DEFAULT '{}',
            UNIQUE (chat_id, kind, ref)
        )
        """
    )
    db.execute("CREATE INDEX events_due ON events (next_fire) WHERE paused = 0")
    db.execute(
        """
        CREATE TABLE ledger (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            chat_id INTEGER NOT NULL,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            occurrence TEXT NOT NULL,
            due INTEGER NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            retry_at INTEGER,
            sent_at INTEGER,
            message_id INTEGER
        )
        """
    )
    db.execute("CREATE INDEX ledger_pending ON ledger (retry_at) WHERE status = 'claimed'")
    db.execute("CREATE INDEX ledger_chat ON ledger (chat_id, kind, due)")


@core()
def create_reminder_settings_and_doses(db: Database) -> None:
    """A patient's daily reminder time (local HH:MM) and one row per dose day."""
    db.execute("ALTER TABLE people ADD COLUMN remind_at TEXT")
    db.execute(
        """
        CREATE TABLE doses (
            chat_id INTEGER NOT NULL,
            local_date TEXT NOT NULL,
            due INTEGER NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            answered_at INTEGER,
            message_id INTEGER,
            PRIMARY KEY (chat_id, local_date)
        )
        """
    )


# A set whose tables hold anything about a person also adds its module to db/account.py OWNERS.
@core()
def cover_the_due_query(db: Database) -> None:
    """Every tick asks for the earliest due events: an index holding all the columns it reads
    answers without touching the table (1.2 ms instead of 2.2 ms for 500 among 1,000,000)."""
    db.execute(
        "CREATE INDEX events_due_covering ON events (next_fire, id, chat_id, kind, ref, payload)"
        " WHERE paused = 0"
    )
    db.execute("DROP INDEX events_due")


@core()
def add_chosen_language(db: Database) -> None:
    """The language she picked with /language; it outranks her Telegram app's language."""
    db.execute("ALTER TABLE people ADD COLUMN chosen_language TEXT")


@core()
def count_event_failures(db: Database) -> None:
    """An event that fails to be worked out is parked with back-off: its failures in a row."""
    db.execute("ALTER TABLE events ADD COLUMN failures INTEGER NOT NULL DEFAULT 0")


@core()
def ask_the_silent(db: Database) -> None:
    """When she was asked whether to keep her data after INACTIVE_DAYS of silence."""
    db.execute("ALTER TABLE people ADD COLUMN inactive_asked_at INTEGER")


MIGRATION_SETS: list[Migrations] = [
    core,
    reminders,
    caregiver_migrations,
    checkup_migrations,
    stats_migrations,
    diary_migrations,
    medicine_migrations,
]
