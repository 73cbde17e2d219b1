"""Her other medicines as a member of a moment (bot/moment.py): a line per dose due then
and a row of buttons for each still open, in whichever message carries the moment (their
own reminder, or her daily anastrozole reminder at its minute)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from telegram import Bot

from bot.core import Core
from bot.moment import Part, Reader
from bot.pure.alendronic import is_alendronic
from db import medicines
from handlers.medicines import buttons
from handlers.medicines.planning import follow_up_step, schedule_missed_check
from handlers.medicines.usecases import answer_dose, due_at

if TYPE_CHECKING:
    from bot.services import Services


def open_due(core: Core, chat_id: int, day: str, slot: str, due: int) -> int:
    """The doses due at (day, slot), made once each (a restart finds them and makes none);
    how many are still open."""
    due_then = due_at(core, chat_id, date.fromisoformat(day), slot)
    if not due_then:  # most of her days' reminders (one read: her daily tablet's fan-out)
        return 0
    medicines.close_before(core.db, chat_id, day)
    made = [medicines.open_dose(core.db, m, chat_id, day, slot, due) for m in due_then]
    if all(made):  # all new, so all open (the usual first time: no read back)
        return len(made)
    return sum(d.status == "pending" for d in medicines.doses_at(core.db, chat_id, day, slot))


def still_open(core: Core, chat_id: int, day: str, slot: str) -> bool:
    return any(d.status == "pending" for d in medicines.doses_at(core.db, chat_id, day, slot))


class Medicines:
    """Her other medicines' lines and buttons in a moment's message."""

    def open(self, core: Core, chat_id: int, day: str, slot: str, due: int) -> int:
        return open_due(core, chat_id, day, slot, due)

    def part(self, reader: Reader, day: str, slot: str) -> Part | None:
        doses = medicines.doses_at(reader.core.db, reader.chat_id, day, slot)
        if not doses:
            return None
        lines = [reader.text(f"moment_row_{d.status}", name=d.medicine) for d in doses]
        if any(is_alendronic(d.medicine) for d in doses):
            lines += ["", reader.text("medicines_alendronic_how")]
        rows = buttons.reminder(reader, doses)
        return Part(tuple(lines), rows, sum(d.status == "pending" for d in doses))

    def sent(self, core: Core, chat_id: int, day: str, slot: str, message_id: int) -> None:
        """Carried by her daily reminder, whose follow-ups carry them too: only the check
        whether caregivers should hear of a missed one is theirs."""
        medicines.set_messages(core.db, chat_id, day, slot, message_id)
        schedule_missed_check(core, chat_id, day, slot, follow_up_step(core, chat_id))

    async def take_all(
        self, services: Services, bot: Bot, chat_id: int, day: str, slot: str
    ) -> list[str]:
        doses = medicines.doses_at(services.db, chat_id, day, slot)
        return [answer_dose(services, chat_id, d, "taken") for d in doses if d.status == "pending"]
