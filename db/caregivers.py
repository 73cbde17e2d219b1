"""Caregivers: invitations (only a hash of each link is stored), who follows whom with
which switches, and each patient's alert delay."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from db import dump

# Caregiver kinds (handlers/caregivers/alerts.py) put a patient's chat id in `ref`: such rows
# in a caregiver's chat are about the patient, so they are not the caregiver's to export
# (db/account.py gives this to db/events.py export), and the patient's deletion removes
# them (`forget` below).
ABOUT_A_PATIENT = "caregiver\\_%"  # a LIKE pattern, with ESCAPE '\'

migrations = Migrations("caregivers")

# What a caregiver may receive; each is a column of caregiver_links, switched by the patient.
SWITCHES = ("missed_dose", "weekly", "bonescan", "diary")


@migrations()
def create_invitations_and_links(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE invitations (
            token_hash TEXT PRIMARY KEY,
            patient INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER,
            used_by INTEGER
        )
        """
    )
    db.execute(
        """
        CREATE TABLE caregiver_links (
            patient INTEGER NOT NULL,
            caregiver INTEGER NOT NULL,
            since INTEGER NOT NULL,
            missed_dose INTEGER NOT NULL DEFAULT 1,
            weekly INTEGER NOT NULL DEFAULT 1,
            bonescan INTEGER NOT NULL DEFAULT 1,
            diary INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (patient, caregiver)
        )
        """
    )
    db.execute("CREATE INDEX caregiver_links_by_caregiver ON caregiver_links (caregiver)")
    db.execute(
        "CREATE TABLE caregiver_alert_delays"
        " (patient INTEGER PRIMARY KEY, minutes INTEGER NOT NULL)"
    )


@migrations()
def index_ledger_by_patient(db: Database) -> None:
    """Which caregivers were alerted about her on a day: found by key, not by a ledger scan."""
    db.execute("CREATE INDEX ledger_about ON ledger (kind, ref, occurrence)")


@dataclass(frozen=True)
class Invitation:
    patient: int
    expires_at: int
    used_at: int | None


@dataclass(frozen=True)
class Link:
    """One caregiver following one patient, with what the patient lets her receive."""

    patient: int
    caregiver: int
    missed_dose: bool = True
    weekly: bool = True
    bonescan: bool = True
    diary: bool = False

    def allows(self, switch: str) -> bool:
        if switch not in SWITCHES:
            raise ValueError(switch)
        return bool(getattr(self, switch))


def _link(row: dict[str, Any]) -> Link:
    return Link(
        patient=row["patient"],
        caregiver=row["caregiver"],
        **{switch: bool(row[switch]) for switch in SWITCHES},
    )


def create_invitation(
    db: Database, token_hash: str, patient: int, now: int, expires_at: int
) -> None:
    db.execute(
        "INSERT INTO invitations (token_hash, patient, created_at, expires_at) VALUES (?, ?, ?, ?)",
        [token_hash, patient, now, expires_at],
    )


def invitation(db: Database, token_hash: str) -> Invitation | None:
    row = next(db.query("SELECT * FROM invitations WHERE token_hash = ?", [token_hash]), None)
    return Invitation(row["patient"], row["expires_at"], row["used_at"]) if row else None


def use_invitation(db: Database, token_hash: str, caregiver: int, now: int) -> bool:
    """Spend an invitation once; False when it was used or expired meanwhile."""
    cursor = db.execute(
        "UPDATE invitations SET used_at = ?, used_by = ?"
        " WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?",
        [now, caregiver, token_hash, now],
    )
    return cursor.rowcount == 1


@dataclass(frozen=True)
class OpenInvitation:
    """An invitation not used yet and not expired; `number` (its rowid) names its button."""

    number: int
    created_at: int
    expires_at: int


def open_invitations(db: Database, patient: int, now: int) -> list[OpenInvitation]:
    rows = db.query(
        "SELECT rowid, created_at, expires_at FROM invitations"
        " WHERE patient = ? AND used_at IS NULL AND expires_at > ? ORDER BY created_at, rowid",
        [patient, now],
    )
    return [OpenInvitation(r["rowid"], r["created_at"], r["expires_at"]) for r in rows]


def cancel_invitation(db: Database, patient: int, number: int, created_at: int) -> bool:
    """Withdraw one of her unused invitations; False when it is not hers or already used.
    `created_at` tells it from a later one given the same rowid after it was deleted."""
    cursor = db.execute(
        "DELETE FROM invitations"
        " WHERE rowid = ? AND created_at = ? AND patient = ? AND used_at IS NULL",
        [number, created_at, patient],
    )
    return cursor.rowcount == 1


def purge_invitations(db: Database, now: int) -> int:
    """Drop invitations that expired unused (bot/retention.py). A used one stays as the
    record of her consent (see `was_invited`) until either side deletes her data."""
    return db.execute(
        "DELETE FROM invitations WHERE used_at IS NULL AND expires_at <= ?", [now]
    ).rowcount


def was_invited(db: Database, patient: int, caregiver: int) -> bool:
    """Whether she once answered an invitation of this patient's (an old button of hers
    may then name the patient; to anyone else it reveals nothing)."""
    row = next(
        db.query(
            "SELECT 1 FROM invitations WHERE patient = ? AND used_by = ? LIMIT 1",
            [patient, caregiver],
        ),
        None,
    )
    return row is not None


def add_link(db: Database, patient: int, caregiver: int, now: int) -> bool:
    """Start following with the default switches; False when she already follows."""
    cursor = db.execute(
        "INSERT INTO caregiver_links (patient, caregiver, since) VALUES (?, ?, ?)"
        " ON CONFLICT (patient, caregiver) DO NOTHING",
        [patient, caregiver, now],
    )
    return cursor.rowcount == 1


def get_link(db: Database, patient: int, caregiver: int) -> Link | None:
    row = next(
        db.query(
            "SELECT * FROM caregiver_links WHERE patient = ? AND caregiver = ?",
            [patient, caregiver],
        ),
        None,
    )
    return _link(row) if row else None


def caregivers_of(db: Database, patient: int) -> list[Link]:
    rows = db.query(
        "SELECT * FROM caregiver_links WHERE patient = ? ORDER BY since, caregiver", [patient]
    )
    return [_link(r) for r in rows]


def patients_of(db: Database, caregiver: int) -> list[Link]:
    rows = db.query(
        "SELECT * FROM caregiver_links WHERE caregiver = ? ORDER BY since, patient", [caregiver]
    )
    return [_link(r) for r in rows]


def set_switch(db: Database, patient: int, caregiver: int, switch: str, on: bool) -> None:
    if switch not in SWITCHES:
        raise ValueError(switch)
    db.execute(
        f"UPDATE caregiver_links SET {switch} = ? WHERE patient = ? AND caregiver = ?",
        [int(on), patient, caregiver],
    )


def remove_link(db: Database, patient: int, caregiver: int) -> bool:
    cursor = db.execute(
        "DELETE FROM caregiver_links WHERE patient = ? AND caregiver = ?", [patient, caregiver]
    )
    return cursor.rowcount == 1


def alert_delay(db: Database, patient: int, default: int) -> int:
    """Minutes an unconfirmed dose waits before her caregivers hear of it; 0 = never."""
    row = next(
        db.query("SELECT minutes FROM caregiver_alert_delays WHERE patient = ?", [patient]), None
    )
    return int(row["minutes"]) if row else default


def set_alert_delay(db: Database, patient: int, minutes: int) -> None:
    db.execute(
        "INSERT INTO caregiver_alert_delays (patient, minutes) VALUES (?, ?)"
        " ON CONFLICT (patient) DO UPDATE SET minutes = excluded.minutes",
        [patient, minutes],
    )


# Alert occurrences are named "<local day>@<dose time>" (see bot/pure/caregiving.py).


def _day_range(local_date: str) -> tuple[str, str]:
    """Alert occurrences of one day are `<day>@<dose time>`: a key range the index serves
    (a bound LIKE would scan the whole ledger, which grows with every reminder ever sent)."""
    return f"{local_date}@", f"{local_date}A"  # "A" sorts right after "@"


def alerted_caregivers(db: Database, kind: str, patient: int, local_date: str) -> list[int]:
    """Caregivers whose missed-dose alert for that day was sent or is being sent (ledger)."""
    rows = db.query(
        "SELECT DISTINCT chat_id FROM ledger WHERE kind = ? AND ref = ?"
        " AND occurrence >= ? AND occurrence < ? AND status IN ('claimed', 'sent')",
        [kind, str(patient), *_day_range(local_date)],
    )
    return [int(r["chat_id"]) for r in rows]


def alert_was_sent(db: Database, kind: str, caregiver: int, patient: int, local_date: str) -> bool:
    row = next(
        db.query(
            "SELECT 1 FROM ledger WHERE kind = ? AND chat_id = ? AND ref = ?"
            " AND occurrence >= ? AND occurrence < ? AND status = 'sent'",
            [kind, caregiver, str(patient), *_day_range(local_date)],
        ),
        None,
    )
    return row is not None


def cancel_link_events(db: Database, patient: int, caregiver: int, kinds: tuple[str, ...]) -> None:
    """Drop every event in the caregiver's chat that concerns this patient."""
    marks = ", ".join("?" for _ in kinds)
    db.execute(
        f"DELETE FROM events WHERE chat_id = ? AND kind IN ({marks})"
        " AND (ref = ? OR ref LIKE ? || ':%')",
        [caregiver, *kinds, str(patient), str(patient)],
    )


def export(db: Database, chat_id: int) -> dict[str, Any]:
    """Her side of caregiving (see db/account.py): of anyone else, only a first name."""
    switches = ", ".join(f"l.{switch}" for switch in SWITCHES)
    name = "COALESCE(p.first_name, '') AS name"
    caregivers = dump.rows(
        db,
        f"SELECT {name}, l.since, {switches} FROM caregiver_links l"
        " LEFT JOIN people p ON p.chat_id = l.caregiver WHERE l.patient = ? ORDER BY l.since",
        [chat_id],
        ["since"],
    )
    following = dump.rows(
        db,
        f"SELECT {name} FROM caregiver_links l"
        " LEFT JOIN people p ON p.chat_id = l.patient WHERE l.caregiver = ? ORDER BY l.since",
        [chat_id],
    )
    invitations = dump.rows(
        db,
        "SELECT created_at, expires_at, used_at FROM invitations WHERE patient = ?"
        " ORDER BY created_at",
        [chat_id],
        ["created_at", "expires_at", "used_at"],
    )
    delay = dump.rows(db, "SELECT minutes FROM caregiver_alert_delays WHERE patient = ?", [chat_id])
    return {
        "caregivers": caregivers,
        "caregiver_alert_delay_minutes": delay[0]["minutes"] if delay else None,
        "invitations": invitations,
        "following": following,
    }


def forget(db: Database, chat_id: int) -> None:
    """Every link she is part of, her invitations and delay, and her caregivers' alert
    events and deliveries about her (in their chats, naming her in `ref`)."""
    for table in ("events", "ledger"):
        db.execute(
            f"DELETE FROM {table} WHERE kind LIKE ? ESCAPE '\\' AND (ref = ? OR ref LIKE ?)",
            [ABOUT_A_PATIENT, str(chat_id), f"{chat_id}:%"],
        )
    db.execute("DELETE FROM caregiver_links WHERE patient = ? OR caregiver = ?", [chat_id] * 2)
    db.execute("DELETE FROM caregiver_alert_delays WHERE patient = ?", [chat_id])
    db.execute("DELETE FROM invitations WHERE patient = ?", [chat_id])
    db.execute("UPDATE invitations SET used_by = NULL WHERE used_by = ?", [chat_id])
