"""Scheduled events and the delivery ledger: the queries behind the scheduler tick."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlite_utils import Database

from db import dump


class Recipient(NamedTuple):
    """What the event kinds need of the person in the event's chat, read with the event
    (one join per batch instead of a lookup per use; see docs/performance.md). A named
    tuple: one is made per due row, and it is cheaper to make than a frozen dataclass."""

    first_name: str
    language: str
    timezone: str | None
    remind_at: str | None


class Event(NamedTuple):
    """A scheduled event, as the due query reads it. A named tuple, like Recipient: the
    tick makes one per due row, a quarter of the cost of a frozen dataclass."""

    id: int
    chat_id: int
    kind: str
    ref: str
    next_fire: int
    payload: dict[str, Any]
    person: Recipient | None = None  # None: nobody with that chat id
    damaged: str | None = None  # the payload could not be read: the error's type


class Delivery(NamedTuple):
    """One claimed occurrence of an event: everything needed to (re)send it (a named
    tuple, as Event)."""

    id: int
    chat_id: int
    kind: str
    ref: str
    occurrence: str
    due: int
    payload: dict[str, Any]
    attempts: int
    person: Recipient | None = None
    damaged: str | None = None  # as Event.damaged


# The person's columns, joined to every event and delivery read (a LEFT JOIN on her key).
_PERSON = "p.first_name, p.language, p.timezone, p.remind_at"
_EVENTS = (
    f"SELECT e.id, e.chat_id, e.kind, e.ref, e.next_fire, e.payload, {_PERSON}"
    " FROM events e LEFT JOIN people p ON p.chat_id = e.chat_id"
)


def _payload(text: str) -> tuple[dict[str, Any], str | None]:
    """(payload, None), or ({}, the error's type) for a damaged one: the scheduler parks
    that row alone instead of failing the whole batch. Most payloads are empty: those are
    not parsed (every tick reads hundreds)."""
    if text == "{}":
        return {}, None
    try:
        payload = json.loads(text)
    except (ValueError, TypeError) as exc:
        return {}, type(exc).__name__
    return (payload, None) if isinstance(payload, dict) else ({}, "NotAnObject")


def _recipient(row: tuple[Any, ...], start: int) -> Recipient | None:
    """The person's columns from `start` on (None when the join found nobody)."""
    return None if row[start] is None else Recipient._make(row[start : start + 4])


def _event(row: tuple[Any, ...]) -> Event:
    payload, damaged = _payload(row[5])
    return Event(row[0], row[1], row[2], row[3], row[4], payload, _recipient(row, 6), damaged)


def _delivery(row: tuple[Any, ...]) -> Delivery:
    id_, chat_id, kind, ref, occurrence, due, text, attempts = row[:8]
    payload, damaged = _payload(text)
    person = _recipient(row, 8)
    return Delivery(id_, chat_id, kind, ref, occurrence, due, payload, attempts, person, damaged)


def delivery_of(event: Event, occurrence: str) -> Delivery:
    """The delivery an occurrence of the event makes (before it has a ledger row)."""
    return Delivery(
        0,
        event.chat_id,
        event.kind,
        event.ref,
        occurrence,
        event.next_fire,
        event.payload,
        0,
        event.person,
        event.damaged,
    )


def schedule(
    db: Database,
    chat_id: int,
    kind: str,
    next_fire: int,
    ref: str = "",
    payload: dict[str, Any] | None = None,
) -> None:
    """Create or replace the one event of this kind and ref for a chat. Replacing one that
    was parked for failing (scheduler._park) gives it a fresh start: her settings changed."""
    db.execute(
        "INSERT INTO events (chat_id, kind, ref, next_fire, payload) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (chat_id, kind, ref) DO UPDATE SET"
        " next_fire = excluded.next_fire, payload = excluded.payload,"
        " paused = CASE WHEN failures > 0 THEN 0 ELSE paused END, failures = 0",
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
    sql = f"{_EVENTS} WHERE e.chat_id = ? AND e.kind = ? AND e.ref = ?"
    row = db.conn.execute(sql, [chat_id, kind, ref]).fetchone()
    return _event(row) if row else None


def for_chat(db: Database, chat_id: int) -> list[Event]:
    return [_event(r) for r in db.conn.execute(f"{_EVENTS} WHERE e.chat_id = ?", [chat_id])]


def _first(column: str, kinds: Sequence[str]) -> str:
    """The leading ORDER BY term that puts the `kinds` first (none without kinds)."""
    return f"{column} NOT IN ({', '.join('?' * len(kinds))}), " if kinds else ""


def due(db: Database, now: int, limit: int, first: Sequence[str] = ()) -> list[Event]:
    """The due, unpaused events, each with its person: the `first` kinds (a patient's own
    reminders) before the others, the earliest due first within each. The covering partial
    index events_due_covering finds the due rows; SQLite sorts only those (a top-`limit`
    sort). People are joined to the `limit` rows chosen, not to every due row (at a peak a
    third more are due than a batch takes: 2.3 ms instead of 6 ms at 1M). Every tick runs
    this: rows are read as tuples."""
    rows = db.conn.execute(
        f"SELECT e.id, e.chat_id, e.kind, e.ref, e.next_fire, e.payload, {_PERSON} FROM ("
        "SELECT id, chat_id, kind, ref, next_fire, payload FROM events"
        f" WHERE paused = 0 AND next_fire <= ? ORDER BY {_first('kind', first)}next_fire"
        " LIMIT ?) e LEFT JOIN people p ON p.chat_id = e.chat_id"
        f" ORDER BY {_first('e.kind', first)}e.next_fire",
        [now, *first, limit, *first],
    )
    return [_event(row) for row in rows]


def due_ahead(db: Database, kind: str, after: int, until: int) -> int:
    """How many unpaused events of `kind` fall due in (after, until]: the coming peak
    (counted on the covering index alone)."""
    sql = "SELECT count(*) FROM events WHERE paused = 0 AND next_fire > ? AND next_fire <= ?"
    return int(db.conn.execute(f"{sql} AND kind = ?", [after, until, kind]).fetchone()[0])


def early(
    db: Database, kind: str, after: int, until: int, limit: int, only: str = ""
) -> list[Event]:
    """Events of `kind` due in (after, until], earliest first, that may start early; `only`
    is the kind's own condition on the event row `e` (an SQL expression from the db module
    that owns the tables it reads, e.g. db/doses.py LATEST_DAY_CLOSED)."""
    condition = f" AND ({only})" if only else ""
    rows = db.conn.execute(
        f"{_EVENTS} WHERE e.paused = 0 AND e.next_fire > ? AND e.next_fire <= ?"
        f" AND e.kind = ?{condition} ORDER BY e.next_fire LIMIT ?",
        [after, until, kind, limit],
    )
    return [_event(row) for row in rows]


def earliest(db: Database) -> int | None:
    """When the next unpaused event is due (`make try` steps its clock from one to the next)."""
    row = db.conn.execute("SELECT MIN(next_fire) FROM events WHERE paused = 0").fetchone()
    return None if row[0] is None else int(row[0])


def move(db: Database, event_id: int, next_fire: int | None) -> None:
    """Advance an event to its next occurrence, or drop it when it has none."""
    if next_fire is None:
        db.execute("DELETE FROM events WHERE id = ?", [event_id])
    else:
        db.execute("UPDATE events SET next_fire = ? WHERE id = ?", [next_fire, event_id])


def move_all(db: Database, moves: list[tuple[int, int | None]]) -> None:
    """`move` for many events (event id, next fire), two statements for a whole batch."""
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        db.conn.executemany(
            "UPDATE events SET next_fire = ?, failures = 0 WHERE id = ?",
            [(fire, id_) for id_, fire in moves if fire is not None],
        )
        db.conn.executemany(
            "DELETE FROM events WHERE id = ?", [(id_,) for id_, fire in moves if fire is None]
        )


def park_all(db: Database, event_ids: list[int], now: int, pause_after: int) -> None:
    """Events that failed to be worked out wait alone: 5 s, 10 s, 20 s ... (at most 15 min)
    after `now`, and are paused at their `pause_after`-th failure in a row (until she
    writes again: scheduler.resume_chat)."""
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        db.conn.executemany(
            "UPDATE events SET failures = failures + 1,"
            " next_fire = ? + min(5 * (1 << min(failures, 10)), 900),"
            " paused = (failures + 1 >= ?) WHERE id = ?",
            [(now, pause_after, id_) for id_ in event_ids],
        )


def set_paused(db: Database, chat_id: int, paused: bool) -> None:
    """Pause or resume all her events (resuming also forgets their failures)."""
    db.execute(
        "UPDATE events SET paused = ?, failures = failures * ? WHERE chat_id = ?",
        [int(paused), int(paused), chat_id],
    )


def _ledger_key(event: Event, occurrence: str) -> str:
    return f"{event.kind}:{event.chat_id}:{event.ref}:{occurrence}"


def claimed(db: Database, event: Event, occurrence: str) -> bool:
    """Whether this occurrence of the event is already in the ledger (sent or on its way)."""
    found = db.query("SELECT 1 FROM ledger WHERE key = ?", [_ledger_key(event, occurrence)])
    return next(found, None) is not None


_CLAIM = (
    "INSERT INTO ledger (key, chat_id, kind, ref, occurrence, due, payload, status, retry_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING"
)


def _claim_row(event: Event, occurrence: str, status: str, retry_at: int) -> tuple[Any, ...]:
    payload = json.dumps(event.payload) if event.payload else "{}"
    key = _ledger_key(event, occurrence)
    row = (event.chat_id, event.kind, event.ref, occurrence, event.next_fire, payload)
    return (key, *row, status, retry_at)


def claim(db: Database, event: Event, occurrence: str, status: str, retry_at: int) -> bool:
    """Insert the ledger row for one occurrence (due at the event's next fire); False when
    it was already claimed."""
    cursor = db.execute(_CLAIM, _claim_row(event, occurrence, status, retry_at))
    return cursor.rowcount == 1


def claim_all(db: Database, claims: list[tuple[Event, str]], retry_at: int) -> None:
    """`claim` many (event, occurrence) in one statement, for sending; one already claimed
    is left as it is."""
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        rows = [_claim_row(event, occurrence, "claimed", retry_at) for event, occurrence in claims]
        db.conn.executemany(_CLAIM, rows)


def take_pending(
    db: Database, now: int, lease_until: int, limit: int, first: Sequence[str] = ()
) -> list[Delivery]:
    """Claimed but unsent deliveries whose turn has come, in the order they go out (the
    `first` kinds, then the earliest due); leased so no one takes them twice."""
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        rows = db.conn.execute(
            "SELECT l.id, l.chat_id, l.kind, l.ref, l.occurrence, l.due, l.payload, l.attempts,"
            f" {_PERSON} FROM ledger l LEFT JOIN people p ON p.chat_id = l.chat_id"
            " WHERE l.status = 'claimed' AND l.retry_at <= ?"
            f" ORDER BY {_first('l.kind', first)}l.due LIMIT ?",
            [now, *first, limit],
        ).fetchall()
        db.conn.executemany(
            "UPDATE ledger SET retry_at = ? WHERE id = ?", [(lease_until, r[0]) for r in rows]
        )
    return [_delivery(row) for row in rows]


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


def retry_all(db: Database, retries: list[tuple[int, int, int]]) -> None:
    """Put deliveries back in the queue: (attempts to add, retry at, ledger id)."""
    with db.atomic():  # conn.executemany outside a transaction would leave one open
        db.conn.executemany(
            "UPDATE ledger SET attempts = attempts + ?, retry_at = ? WHERE id = ?"
            " AND status = 'claimed'",
            retries,
        )


def export(db: Database, chat_id: int, not_hers: Sequence[str] = ()) -> dict[str, Any]:
    """Her scheduled events and the deliveries sent to her (see db/account.py). `not_hers`:
    LIKE patterns (ESCAPE '\\') of kinds whose rows in her chat are about someone else,
    named by the module that owns them (db/caregivers.py ABOUT_A_PATIENT)."""
    others = "".join(" AND kind NOT LIKE ? ESCAPE '\\'" for _pattern in not_hers)
    where = f"WHERE chat_id = ?{others} ORDER BY id"
    params = [chat_id, *not_hers]
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


def purge_ledger(db: Database, before: int, limit: int) -> int:
    """Drop up to `limit` finished delivery records due before `before` (bot/retention.py);
    a claim still on its way stays until it is sent or given up. The oldest rows come first
    in rowid order, so each batch finds its rows without reading the whole ledger."""
    cursor = db.execute(
        "DELETE FROM ledger WHERE id IN (SELECT id FROM ledger"
        " WHERE due < ? AND status != 'claimed' ORDER BY id LIMIT ?)",
        [before, limit],
    )
    return cursor.rowcount
