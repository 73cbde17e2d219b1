"""Her anastrozole as a member of a moment (bot/moment.py): when other medicines are due at
her reminder's minute, the daily reminder carries them all in one message, its tablet a line
and a row of buttons like the others.

The daily reminder is the moment's carrier at its own minute: it opens the others' doses
(DoseKind.prepare) and the others stand down while planning.carries holds (asked through
bot/queries.py DoseDays.carries). Both sides ask the same question, so whichever event
is prepared first, one message goes out."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import Bot

from bot.core import Core
from bot.moment import SNOOZE_MINUTES, Part, Reader, dose_row
from bot.pure.parsing import parse_time
from bot.pure.signals import DoseAnswered
from bot.pure.timerules import epoch, from_epoch, resolve
from db import doses
from db.doses import Dose
from handlers.reminders import usecases
from handlers.reminders.buttons import DoseButton

if TYPE_CHECKING:
    from bot.services import Services

NAME = "reminders"  # its name among the moment's members


def slot_of(core: Core, chat_id: int, dose: Dose, remind_at: str | None) -> str:
    """The moment ("HH:MM") a day's reminder belongs to: her reminder time when it was due
    then (also inside a daylight-saving gap, where the clock never showed it), else the
    local time it was due."""
    zone = core.zone(chat_id)
    at = parse_time(remind_at) if remind_at else None
    if at is not None and epoch(resolve(date.fromisoformat(dose.local_date), at, zone)) == dose.due:
        return remind_at or ""
    return from_epoch(dose.due).astimezone(zone).strftime("%H:%M")


def _at(core: Core, chat_id: int, day: str, slot: str, zone: ZoneInfo) -> Dose | None:
    """The day's dose when its reminder is at this moment."""
    dose = doses.get(core.db, chat_id, day)
    at = parse_time(slot)
    if dose is None or at is None:
        return None
    due = epoch(resolve(date.fromisoformat(day), at, zone))
    return dose if dose.due == due else None


class Anastrozole:
    """The daily tablet's line and buttons in a moment's message."""

    def open(self, core: Core, chat_id: int, day: str, slot: str, due: int) -> int:
        """Its row is made by the daily reminder itself (DoseKind.prepare), never here."""
        dose = _at(core, chat_id, day, slot, core.zone(chat_id))
        return int(dose is not None and dose.status == "pending")

    def part(self, reader: Reader, day: str, slot: str) -> Part | None:
        """Only at her reminder's minute (the moments of her other medicines ask nothing
        more of the database)."""
        if slot != reader.remind_at:
            return None
        dose = _at(reader.core, reader.chat_id, day, slot, reader.zone)
        if dose is None:
            return None
        line = reader.text(f"moment_row_{dose.status}", name=reader.text("reminders_anastrozole"))
        if dose.status != "pending":
            return Part((line,), (), 0)
        taken = (reader.label("reminders_moment_taken"), DoseButton("take", day).pack())
        snooze = DoseButton("snooze", day, SNOOZE_MINUTES).pack()
        row = dose_row(reader, taken, snooze, DoseButton("skip", day).pack())
        return Part((line,), (row,), 1)

    def sent(self, core: Core, chat_id: int, day: str, slot: str, message_id: int) -> None:
        """Never carried by another: the daily reminder records its own message."""

    async def take_all(
        self, services: Services, bot: Bot, chat_id: int, day: str, slot: str
    ) -> list[str]:
        dose = _at(services, chat_id, day, slot, services.zone(chat_id))
        if dose is None or dose.status != "pending":
            return []
        now = epoch(services.clock.now())
        already, left = usecases.answer(services, chat_id, dose, "taken", now)
        if already:
            return []
        await services.registry.emit(services, bot, DoseAnswered(chat_id, day, "taken"))
        return [note] if (note := usecases.refill(services, chat_id, left)) else []
