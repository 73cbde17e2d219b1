"""What one feature may read of another's data. Each feature owns its tables; another
reads them only through one of these small protocols, implemented by the owner, wired by
the composition root (handlers/__init__.py QUERIES) and reached as `services.queries`.
The records are small and frozen: a reader sees what it needs, not the owner's rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from sqlite_utils import Database

from bot.pure.medschedule import Schedule


@dataclass(frozen=True)
class DoseDay:
    """One day's dose as the reminders recorded it."""

    local_date: date
    status: str  # pending, taken, skipped or missed
    due: int  # the reminder's time, UTC epoch seconds
    message_id: int | None  # the reminder's message; None when none went out


class DoseDays(Protocol):
    """Her dose days (reminders)."""

    def between(self, db: Database, chat_id: int, first: date, last: date) -> list[DoseDay]: ...

    def on(self, db: Database, chat_id: int, day: date) -> DoseDay | None: ...

    def latest(self, db: Database, chat_id: int) -> DoseDay | None: ...

    def close_before(self, db: Database, chat_id: int, day: date) -> None:
        """Mark the days before `day` still pending as missed, so every reader counts a
        past day alike (/history, a caregiver's summary)."""
        ...

    def carries(self, db: Database, chat_id: int, day: date, due: int) -> bool:
        """Whether her daily reminder of `day` goes (or went) out at `due`, carrying what
        else is due at its minute (bot/moment.py): others stand down then."""
        ...

    def follow_up_minutes(self, db: Database, chat_id: int) -> int:
        """Her follow-up step for an unanswered reminder (/remind; 0: none), which her
        other medicines' reminders follow too."""
        ...


@dataclass(frozen=True)
class Logged:
    """A symptom she logged: what and how bad, never her note."""

    local_date: date
    symptom: str
    severity: int


class Symptoms(Protocol):
    """Her symptom diary (diary)."""

    def between(self, db: Database, chat_id: int, first: date, last: date) -> list[Logged]: ...


@dataclass(frozen=True)
class Course:
    started: date
    years: int


@dataclass(frozen=True)
class CheckDue:
    """A check-up she keeps (not turned off): when it was last done and when it is due."""

    name: str
    last: date | None
    due: date | None  # booked, or the last date plus the interval


class Checkups(Protocol):
    """Her course and check-ups (checkups)."""

    def course(self, db: Database, chat_id: int) -> Course | None: ...

    def kept(self, db: Database, chat_id: int) -> list[CheckDue]: ...


class Links(Protocol):
    """Who follows whom (caregivers)."""

    def caregivers(self, db: Database, patient: int) -> list[int]: ...

    def patients(self, db: Database, caregiver: int) -> list[int]: ...


@dataclass(frozen=True)
class Injection:
    """An injection or infusion every few months she keeps, and its next due date."""

    name: str
    due: date


class Injections(Protocol):
    """Her injections every few months (medicines), shown with her check-ups."""

    def kept(self, db: Database, chat_id: int, today: date) -> list[Injection]: ...


@dataclass(frozen=True)
class Taking:
    """A medicine she takes now (neither paused nor stopped) and its schedule."""

    id: int
    name: str
    schedule: Schedule


@dataclass(frozen=True)
class Tally:
    """One medicine's doses over some days (a dose left open on a past day was missed)."""

    name: str
    taken: int
    skipped: int
    missed: int


class Medicines(Protocol):
    """Her other medicines and their doses (medicines): her calendar, her report, and what
    she shares with caregivers."""

    def taking(self, db: Database, chat_id: int) -> list[Taking]: ...

    def tallies(
        self, db: Database, chat_id: int, first: date, today: date, shared: bool = False
    ) -> list[Tally]:
        """Per medicine with doses from `first` to `today` (today's open ones not yet
        counted); `shared`: only those she shares with caregivers."""
        ...


@dataclass(frozen=True)
class Queries:
    doses: DoseDays
    symptoms: Symptoms
    checkups: Checkups
    links: Links
    injections: Injections
    medicines: Medicines
