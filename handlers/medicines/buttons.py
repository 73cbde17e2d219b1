"""The medicines' buttons: each press is a small typed value of the codec (bot/pure/callbacks.py),
"meds:<action>:...", and the keyboards beside them. Whether a press still means something
(her medicine, a dose still open) is the handler's to decide."""

from __future__ import annotations

from typing import Annotated, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.moment import Reader, Row, dose_row
from bot.pure.callbacks import CallbackData, Digits, Text, pattern
from bot.pure.medschedule import KINDS
from bot.replies import button
from bot.reports import Say
from db.medicines import Dose, Medicine

ID = Annotated[int, Digits(15)]
SHORT_NAME = 24  # characters of a name on a button: the rest of the row must still fit


class Menu(CallbackData, prefix="meds"):
    """ "meds:add" (start the flow), "meds:list" (her list), "meds:history"."""

    action: Literal["add", "list", "history"]


class KindPress(CallbackData, prefix="meds:kind"):
    """The kind of schedule, during the flow: "meds:kind:<kind>"."""

    kind: Annotated[str, Text(12, "a-z_")]

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError("no such kind of schedule")


class Manage(CallbackData, prefix="meds"):
    """One of her medicines: open its card, pause, resume, change, stop (asks once), stop
    for good, or log a dose of an "as needed" one now."""

    action: Literal["card", "pause", "resume", "change", "stop", "stopyes", "took", "pack", "share"]
    medicine: ID


class DosePress(CallbackData, prefix="meds"):
    """Under a reminder, per medicine: "meds:take:<dose>", "meds:skip:<dose>",
    "meds:snooze:<dose>"."""

    action: Literal["take", "skip", "snooze"]
    dose: ID


Press = Menu | KindPress | Manage | DosePress
PATTERN = pattern(Menu, KindPress, Manage, DosePress)  # All taken: bot/moment.py


def unpack(data: str) -> Press | None:
    """The press a callback data means, or None for anything made up or out of date."""
    return (
        Menu.unpack(data) or KindPress.unpack(data) or Manage.unpack(data) or DosePress.unpack(data)
    )


def _button(text: str, press: Press) -> InlineKeyboardButton:
    return button(text, press.pack())


def short(name: str) -> str:
    return name if len(name) <= SHORT_NAME else name[: SHORT_NAME - 1] + "…"


def kinds(say: Say) -> InlineKeyboardMarkup:
    """The kinds of schedule, one a row (their names are long)."""
    return InlineKeyboardMarkup(
        [[_button(say(f"medicines_kind_{kind}"), KindPress(kind))] for kind in KINDS]
    )


def listing(say: Say, listed: list[Medicine]) -> InlineKeyboardMarkup:
    """A button per medicine (its card), then Add and History."""
    rows = [[_button(f"💊 {short(m.name)}", Manage("card", m.id))] for m in listed]
    rows.append(
        [
            _button(say("medicines_add_button"), Menu("add")),
            _button(say("medicines_history_button"), Menu("history")),
        ]
    )
    return InlineKeyboardMarkup(rows)


def card(say: Say, medicine: Medicine, as_needed: bool) -> InlineKeyboardMarkup:
    """What she can do with one medicine."""
    pause = Manage("resume" if medicine.status == "paused" else "pause", medicine.id)
    rows = [
        [
            _button(say(f"medicines_{pause.action}_button"), pause),
            _button(say("medicines_change_button"), Manage("change", medicine.id)),
            _button(say("medicines_stop_button"), Manage("stop", medicine.id)),
        ]
    ]
    first = [_button(say("medicines_pack_button"), Manage("pack", medicine.id))]
    if as_needed:
        first.insert(0, _button(say("medicines_took_button"), Manage("took", medicine.id)))
    rows.insert(0, first)
    share = (
        "medicines_share_off_button"
        if medicine.share_with_caregivers
        else "medicines_share_on_button"
    )
    rows.append([_button(say(share), Manage("share", medicine.id))])
    rows.append([_button(say("medicines_list_button"), Menu("list"))])
    return InlineKeyboardMarkup(rows)


def given(say: Say, medicine: Medicine) -> InlineKeyboardMarkup:
    """Under the morning an injection is due: note that it was given."""
    return InlineKeyboardMarkup(
        [[_button(say("medicines_injection_done_button"), Manage("took", medicine.id))]]
    )


def confirm_stop(say: Say, medicine: Medicine) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(say("medicines_stopyes_button"), Manage("stopyes", medicine.id)),
                _button(say("medicines_keep_button"), Manage("card", medicine.id)),
            ]
        ]
    )


def reminder(reader: Reader, doses: list[Dose]) -> tuple[Row, ...]:
    """A row per medicine still open (Taken / Snooze / Skip); All taken is the moment's."""
    say = reader.label
    return tuple(
        dose_row(
            reader,
            (say("medicines_taken_button", name=short(d.medicine)), DosePress("take", d.id).pack()),
            DosePress("snooze", d.id).pack(),
            DosePress("skip", d.id).pack(),
        )
        for d in doses
        if d.status == "pending"
    )
