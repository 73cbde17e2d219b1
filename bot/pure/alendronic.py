"""Alendronic acid, a bisphosphonate tablet for bone strength that women on anastrozole are
often given: knowing it by name, and finding another tablet scheduled too soon after it.
The NHS page (https://www.nhs.uk/medicines/alendronic-acid/) says to take it at least 30
minutes before breakfast, other drinks or other medicines; the words she is shown are in
content/<language>/ui/medicines.yaml. Pure: no Telegram, no database."""

from __future__ import annotations

from datetime import date, time, timedelta
from functools import lru_cache

from bot.pure.medschedule import Timed

# Lower-case beginnings of its names, generic and brand (NHS: "also known as alendronate
# sodium or alendronate ... Fosamax and Binosto ... with colecalciferol, Fosavance").
NAMES = ("alendron", "fosamax", "binosto", "fosavance", "алендрон", "фосамакс")
WAIT_MINUTES = 30
SHARED_DAYS = 62  # any two of the schedule kinds that ever share a day do so within this


@lru_cache(maxsize=1024)
def is_alendronic(name: str) -> bool:
    """(Kept per name: asked for every dose of every reminder's fan-out.)"""
    lowered = name.lower()
    return any(word in lowered for word in NAMES)


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def too_soon_after(first: Timed, other: Timed, today: date) -> list[tuple[time, time]]:
    """(its time, the other's time) for each time the other medicine is due less than
    WAIT_MINUTES after `first` (or at the same minute) on a day both are due."""
    days = (today + timedelta(days=n) for n in range(SHARED_DAYS))
    if not any(first.due_on(d) and other.due_on(d) for d in days):
        return []
    return [
        (at, later)
        for at in first.times
        for later in other.times
        if 0 <= _minutes(later) - _minutes(at) < WAIT_MINUTES
    ]
