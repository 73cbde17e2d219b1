"""Scheduled events and the delivery ledger: the queries behind the scheduler tick."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from db import dump


@dataclass(frozen=True)
class Event:
    id: int
    chat_id: int
    kind: str
    ref: str
    next_fire: int
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Delivery:
    """One claimed occurrence of an event: everything needed to (re)send it."""

    id: int
    chat_id: int
    kind: str
    ref: str
    occurrence: str
    due: int
    payload: dict[str, Any]
    attempts: int


def _event(row: dict[str, Any]) -> Event:
    return Event(
        id=row["id"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        ref=row["ref"],
        next_fire=row["next_fire"],
        payload=json.loads(row["payload"]),
    )


def _delivery(row: dict[str, Any]) -> Delivery:
    return Delivery(
        id=row["id"],
        chat_id=row["chat_id"],
        kind=row["kind"],
        ref=row["ref"],
        occurrence=row["occurrence"],
        due=row["due"],
        payload=json.loads(row["payload"]),
        attempts=row["attempts"],
    )


def schedule(
    db: Database,
    chat_id: int,
    kind: str,
    next_fire: int,
    ref: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    """Create or replace the one event of this kind and ref for a chat."""
    db.execute(
        "INSERT INTO events (chat_id, kind, ref, next_fire, payload) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (chat_id, kind, ref) DO UPDATE SET"
        " next_fire = excluded.next_fire, payload = excluded.payload",
        [chat_id, kind, ref, next_fire, json.dumps(payload or {})],
    )


def cancel(db: Database, chat_id: int, kind: str, ref: str | None = None) -> None:
    """Remove a chat's events of a kind (all refs, or one)."""
    if ref is None:
        db.execute("DELETE FROM events WHERE chat_id = ? AND kind = ?", [chat_id, kind])
    else:
        db.execute(
            "DELETE FROM events WHERE chat_id = ? AND kind = ? AND ref = ?", [chat_id, kind, ref]
        )


def find(db: Database, chat_id: int, kind: str, ref: str = "") -> Event | None:
    row = next(
        db.query(
            "SELECT * FROM events WHERE chat_id = ? AND kind = ? AND ref = ?", [chat_id, kind, ref]
        ),
        None,
    )
    return _event(row) if row else None


def for_chat(db: Database, chat_id: int) -> list[Event]:
    return [_event(r) for r in db.query("SELECT * FROM events WHERE chat_id = ?", [chat_id])]


def due(db: Database, now: int, limit: int) -> list[Event]:
    """The earliest due, unpaused events (served by the partial index events_due).

    Every tick runs this: rows are read as plain tuples and an empty payload is not parsed,
    which halves its time on a full batch (docs/performance.md)."""
    rows = db.conn.execute(
        "SELECT id, chat_id, kind, ref, next_fire, payload FROM events"
        " WHERE paused = 0 AND next_fire <= ? ORDER BY next_fire LIMIT ?",
        [now, limit],
    )
    return [
        Event(id_, chat_id, kind, ref, next_fire, json.loads(payload) if payload != "{}" else {})
        for id_, chat_id, kind, ref, next_fire, payload in rows
    ]


def move(db: Database, event_id: int, next_fire: int | None) -> None:
    """Advance an event to its next occurrence, or drop it when it has none."""
    if next_fire is None:
        db.execute("DELETE FROM events WHERE id = ?", [event_id])
    else:
        db.execute("UPDATE events SET next_fire = ? WHERE id = ?", [next_fire, event_id])


def set_paused(db: Database, chat_id: int, paused: bool) -> None:
    db.execute("UPDATE events SET paused = ? WHERE chat_id = ?", [int(paused), chat_id])


def _ledger_key(event: Event, occurrence: str) -> str:
    return f"{event.kind}:{event.chat_id}:{event.ref}:{occurrence}"


def claimed(db: Database, event: Event, occurrence: str) -> bool:
    """Whether this occurrence of the event is already in the ledger (sent or on its way)."""
    found = db.query("SELECT 1 FROM ledger WHERE key = ?", [_ledger_key(event, occurrence)])
    return next(found, None) is not None


def claim(
    db: Database, event: Event, occurrence: str, due_at: int, status: str, retry_at: int
) -> bool:
    """Insert the ledger row for one occurrence; False when it was already claimed."""
    key = _ledger_key(event, occurrence)
    cursor = db.execute(
        "INSERT INTO ledger (key, chat_id, kind, ref, occurrence, due, payload, status, retry_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING",
        [
            key,
            event.chat_id,
            event.kind,
            event.ref,
            occurrence,
            due_at,
            json.dumps(event.payload),
            status,
            retry_at,
        ],
    )
    return cursor.rowcount == 1


def take_pending(db: Database, now: int, lease_until: int, limit: int) -> list[Delivery]:
    """Claimed but unsent deliveries whose turn has come; leased so no one takes them twice."""
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        rows = list(
            db.query(
                "SELECT * FROM ledger WHERE status = 'claimed' AND retry_at <= ?"
                " ORDER BY retry_at LIMIT ?",
                [now, limit],
            )
        )
        db.conn.executemany(
            "UPDATE ledger SET retry_at = ? WHERE id = ?", [(lease_until, r["id"]) for r in rows]
        )
    return [_delivery(r) for r in rows]


def release_leases(db: Database, now: int) -> int:
    """At start-up: claims a crash left unsent become due again at once."""
    return db.execute(
        "UPDATE ledger SET retry_at = ? WHERE status = 'claimed' AND retry_at > ?", [now, now]
    ).rowcount


def finish(db: Database, outcomes: Iterable[tuple[str, int | None, int, int]]) -> None:
    """Record (status, message_id, sent_at, ledger id) for delivered or given-up rows."""
    with db.atomic():
        db.conn.executemany(
            "UPDATE ledger SET status = ?, message_id = ?, sent_at = ? WHERE id = ?",
            list(outcomes),
        )


def retry_later(db: Database, ledger_id: int, retry_at: int) -> None:
    db.execute(
        "UPDATE ledger SET attempts = attempts + 1, retry_at = ? WHERE id = ?",
        [retry_at, ledger_id],
    )


# Caregiver kinds (handlers/caregiver_alerts.py) put a patient's chat id in `ref`: such rows
# in a caregiver's chat are about the patient, so they are not the caregiver's to export, and
# the patient's deletion removes them (db/caregivers.py forget).
ABOUT_A_PATIENT = "caregiver\\_%"  # a LIKE pattern, with ESCAPE '\'


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her scheduled events and the deliveries sent to her (see db/account.py)."""
    where = "WHERE chat_id = ? AND kind NOT LIKE ? ESCAPE '\\' ORDER BY id"
    params = [chat_id, ABOUT_A_PATIENT]
    return {
        "scheduled": dump.rows(
            db,
            f"SELECT kind, ref, next_fire, paused, payload FROM events {where}",
            params,
            ["next_fire"],
            ["payload"],
        ),
        "deliveries": dump.rows(
            db,
            f"SELECT kind, ref, occurrence, due, status, sent_at, payload FROM ledger {where}",
            params,
            ["due", "sent_at"],
            ["payload"],
        ),
    }


def forget(db: Database, chat_id: int) -> None:
    db.execute("DELETE FROM events WHERE chat_id = ?", [chat_id])
    db.execute("DELETE FROM ledger WHERE chat_id = ?", [chat_id])
