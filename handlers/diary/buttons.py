"""The diary's buttons: each press is a small typed value of the codec (bot/pure/callbacks.py),
so no handler parses strings by hand. Keyboards live beside them."""

from __future__ import annotations

from typing import Annotated, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.pure.callbacks import CallbackData, Digits, Text, pattern
from bot.pure.diary import SEVERITIES, SYMPTOMS
from bot.replies import button
from bot.reports import Say

CHART_DAYS = (30, 90)


class Pick(CallbackData, prefix="diary:pick"):
    symptom: Annotated[str, Text(24, "a-z_")]

    def __post_init__(self) -> None:
        if self.symptom not in SYMPTOMS:
            raise ValueError("no such symptom")


class Rate(CallbackData, prefix="diary:rate"):
    symptom: Annotated[str, Text(24, "a-z_")]
    severity: Annotated[int, Digits(1)]

    def __post_init__(self) -> None:
        if self.symptom not in SYMPTOMS or self.severity not in SEVERITIES:
            raise ValueError("no such symptom or severity")


class SkipNote(CallbackData, prefix="diary:skip"):
    entry: Annotated[int, Digits(15)]


class Another(CallbackData, prefix="diary:another"):
    pass


class Done(CallbackData, prefix="diary"):
    """ "diary:done", or "diary:nothing" ("Nothing to note" from the check-in)."""

    action: Literal["done", "nothing"]


class CheckIn(CallbackData, prefix="diary:checkin"):
    state: Literal["on", "off"]


class Chart(CallbackData, prefix="diary:chart"):
    days: Annotated[int, Digits(2)]

    def __post_init__(self) -> None:
        if self.days not in CHART_DAYS:
            raise ValueError("not a chart's length")


Press = Pick | Rate | SkipNote | Another | Done | CheckIn | Chart
PRESSES = (Pick, Rate, SkipNote, Another, Done, CheckIn, Chart)
PATTERN = pattern(*PRESSES)


def unpack(data: str) -> Press | None:
    """The press a callback data means, or None for anything made up or out of date."""
    return (
        Pick.unpack(data)
        or Rate.unpack(data)
        or SkipNote.unpack(data)
        or Another.unpack(data)
        or Done.unpack(data)
        or CheckIn.unpack(data)
        or Chart.unpack(data)
    )


def _button(text: str, press: Press) -> InlineKeyboardButton:
    """A button that carries one of this feature's presses, packed here."""
    return button(text, press.pack())


def symptoms(say: Say, checkin: bool = False) -> InlineKeyboardMarkup:
    """Two symptoms a row (long names stay readable on a phone); the check-in adds Nothing."""
    buttons = [_button(say(f"diary_symptom_{s}"), Pick(s)) for s in SYMPTOMS]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if checkin:
        rows.append([_button(say("diary_nothing_button"), Done("nothing"))])
    return InlineKeyboardMarkup(rows)


def severities(say: Say, symptom: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[_button(say(f"diary_severity_{s}"), Rate(symptom, s)) for s in SEVERITIES]]
    )


def after_save(say: Say, entry: int | None = None) -> InlineKeyboardMarkup:
    """Under a saved entry: skip the note (while one is awaited), log another, or stop."""
    first = [_button(say("diary_skip_note_button"), SkipNote(entry))] if entry else []
    return InlineKeyboardMarkup(
        [
            [*first, _button(say("diary_another_button"), Another())],
            [_button(say("diary_done_button"), Done("done"))],
        ]
    )


def checkin_switch(say: Say, on: bool) -> InlineKeyboardMarkup:
    key = "diary_checkin_off_button" if on else "diary_checkin_on_button"
    return InlineKeyboardMarkup([[_button(say(key), CheckIn("off" if on else "on"))]])


def more_days(say: Say) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(say("diary_chart_90_button"), Chart(90))]])
