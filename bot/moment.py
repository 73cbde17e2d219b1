"""One message per moment of her day: her anastrozole and her other medicines due at the
same local minute come in one message, not one per feature.

A moment is a local day and time ("2026-03-29", "08:00"). Each feature with doses at a
moment is a `Member` (registry.moment_member): it opens its doses, shows them as a `Part`
(a line each, a row of buttons for each open one) and takes them all. The message is
composed from every member's part (`compose`), and any button under it redraws the whole,
so no feature needs another's code. Which event sends it is the features' to agree: the
daily reminder carries the moment at its own minute and other members stand down then
(handlers/reminders/kinds.py, handlers/medicines/kinds.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Annotated, Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import Core
from bot.pure.callbacks import DAY, CallbackData, Text
from db import people
from db.events import Recipient

V = TypeVar("V", contravariant=True)  # bot.services.Services

Row = tuple[tuple[str, str], ...]  # a row of buttons: (label, callback data) each
SNOOZE_MINUTES = 15  # every dose's Snooze in a moment's message


@dataclass(frozen=True)
class Reader:
    """Whom a moment's message is for, read once (her language, zone and reminder time):
    composing it then asks the database only for the doses, not her record line by line
    (a grouped reminder's fan-out: docs/performance.md)."""

    core: Core
    chat_id: int
    language: str
    zone: ZoneInfo
    remind_at: str | None

    @classmethod
    def of(cls, core: Core, chat_id: int) -> Reader:
        """From her record (a button press)."""
        person = people.get(core.db, chat_id)
        remind_at = person.remind_at if person else None
        return cls(core, chat_id, core.language(chat_id), core.zone(chat_id), remind_at)

    @classmethod
    def sent_to(cls, core: Core, chat_id: int, person: Recipient | None) -> Reader:
        """From the person the tick read with the event (a scheduled send)."""
        if person is None:
            return cls.of(core, chat_id)
        zone = ZoneInfo(person.timezone) if person.timezone else ZoneInfo("UTC")
        return cls(core, chat_id, person.language, zone, person.remind_at)

    def text(self, key: str, **values: Any) -> str:
        """Interface text in her language (HTML)."""
        return self.core.catalog.text(self.language, key, **values)

    def label(self, key: str, **values: Any) -> str:
        """Plain text (a button)."""
        return self.core.catalog.label(self.language, key, **values)


@dataclass(frozen=True)
class Part:
    """What one member has at a moment."""

    lines: tuple[str, ...]  # one per dose, with its state (HTML)
    rows: tuple[Row, ...]  # buttons for the doses still open
    open: int  # how many are still open


class Member(Protocol[V]):
    """A feature's doses at a moment of hers."""

    def open(self, core: Core, chat_id: int, day: str, slot: str, due: int) -> int:
        """Make its doses due then (once: a second call finds them); how many are open."""
        ...

    def part(self, reader: Reader, day: str, slot: str) -> Part | None:
        """Its doses at the moment, or None when it has none then."""
        ...

    def sent(self, core: Core, chat_id: int, day: str, slot: str, message_id: int) -> None:
        """Another member's message carried its doses (in the tick's transaction)."""
        ...

    async def take_all(self, services: V, bot: Bot, chat_id: int, day: str, slot: str) -> list[str]:
        """All taken was pressed: record its open doses; what to say besides (refills ...)."""
        ...


class AllTaken(CallbackData, prefix="meds:all"):
    """Every dose of one moment: "meds:all:<day>:<HHMM>" (the prefix its first buttons had,
    when only the medicines' messages showed it, so those still work)."""

    day: Annotated[str, DAY]
    slot: Annotated[str, Text(4, "0-9")]

    def __post_init__(self) -> None:
        date.fromisoformat(self.day)  # ValueError: not a day (the codec reads Text's
        time.fromisoformat(f"{self.slot[:2]}:{self.slot[2:]}")  # characters, not its shape)

    @property
    def at(self) -> str:
        return f"{self.slot[:2]}:{self.slot[2:]}"


def of(day: str, slot: str) -> AllTaken:
    return AllTaken(day, slot.replace(":", ""))


def dose_row(reader: Reader, taken: tuple[str, str], snooze: str, skip: str) -> Row:
    """One open dose's buttons, alike for every member: Taken (its name), Snooze, Skip."""
    snooze_label = reader.label("moment_snooze_button", minutes=SNOOZE_MINUTES)
    return (taken, (snooze_label, snooze), (reader.label("moment_skip_button"), skip))


@dataclass(frozen=True)
class Message:
    """A moment's message as it stands."""

    text: str
    rows: tuple[Row, ...]
    open: int
    members: int  # how many members have doses then

    def markup(self) -> InlineKeyboardMarkup | None:
        """Its buttons for an edit (PTB objects)."""
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [[InlineKeyboardButton(t, callback_data=d) for t, d in row] for row in self.rows]
        )

    def keyboard(self) -> dict[str, Any] | None:
        """Its buttons as the Bot API's JSON value, for a send (no PTB objects to build and
        serialise for every message of a fan-out)."""
        if not self.rows:
            return None
        rows = [[{"text": t, "callback_data": d} for t, d in row] for row in self.rows]
        return {"inline_keyboard": rows}


def compose(
    reader: Reader, members: Sequence[Member[Any]], day: str, slot: str, header: str
) -> Message:
    """The header, then each member's lines; each open dose's buttons, then All taken when
    two or more are open."""
    parts = [p for m in members if (p := m.part(reader, day, slot)) is not None]
    lines = [header, *(line for p in parts for line in p.lines)]
    rows = [row for p in parts for row in p.rows]
    still = sum(p.open for p in parts)
    if still > 1:
        rows.append(((reader.label("moment_all_button"), of(day, slot).pack()),))
    return Message("\n".join(lines), tuple(rows), still, len(parts))
