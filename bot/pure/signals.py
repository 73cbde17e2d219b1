"""News one feature gives the others through the registry (Registry.listen / emit), so no
feature imports another. Each signal is a small frozen dataclass: listeners are typed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DoseAnswered:
    """From reminders: a day's dose was recorded (a button, her words, /history)."""

    chat_id: int
    local_date: str  # the dose's day, ISO
    status: str  # "taken" or "skipped"


@dataclass(frozen=True)
class ReminderChanged:
    """From reminders: her dose time or time zone changed (or reminders went off)."""

    chat_id: int


@dataclass(frozen=True)
class BonescanOverdue:
    """From check-ups: an overdue bone-scan prompt was sent to her."""

    chat_id: int


@dataclass(frozen=True)
class MedicineMissed:
    """From medicines: doses of other medicines she lets caregivers hear about were still
    unconfirmed after their follow-ups."""

    chat_id: int
    local_date: str  # ISO
    local_time: str  # HH:MM, her time
    medicines: tuple[str, ...]  # their names, as she wrote them


Signal = DoseAnswered | ReminderChanged | BonescanOverdue | MedicineMissed
