"""The diary's buttons: each press is a small typed value, packed into callback data and
unpacked here only, so no handler parses strings by hand. Keyboards live beside them."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.diary import SEVERITIES, SYMPTOMS
from bot.replies import button
from bot.reports import Say

PREFIX = "diary:"


@dataclass(frozen=True)
class Pick:
    symptom: str


@dataclass(frozen=True)
class Rate:
    symptom: str
    severity: int


@dataclass(frozen=True)
class SkipNote:
    entry: int


@dataclass(frozen=True)
class Another:
    pass


@dataclass(frozen=True)
class Done:
    nothing: bool  # True: "Nothing to note" from the check-in


@dataclass(frozen=True)
class CheckIn:
    on: bool


@dataclass(frozen=True)
class Chart:
    days: int


Press = Pick | Rate | SkipNote | Another | Done | CheckIn | Chart
CHART_DAYS = (30, 90)


def pack(press: Press) -> str:
    match press:
        case Pick(symptom):
            return f"{PREFIX}pick:{symptom}"
        case Rate(symptom, severity):
            return f"{PREFIX}rate:{symptom}:{severity}"
        case SkipNote(entry):
            return f"{PREFIX}skip:{entry}"
        case Another():
            return f"{PREFIX}another"
        case Done(nothing):
            return f"{PREFIX}{'nothing' if nothing else 'done'}"
        case CheckIn(on):
            return f"{PREFIX}checkin:{'on' if on else 'off'}"
        case Chart(days):
            return f"{PREFIX}chart:{days}"


def unpack(data: str) -> Press | None:
    """The press a callback data means, or None for anything made up or out of date."""
    parts = data.removeprefix(PREFIX).split(":") if data.startswith(PREFIX) else []
    match parts:
        case ["pick", symptom] if symptom in SYMPTOMS:
            return Pick(symptom)
        case ["rate", symptom, severity] if symptom in SYMPTOMS and severity in (
            "0",
            "1",
            "2",
            "3",
        ):
            return Rate(symptom, int(severity))
        case ["skip", entry] if entry.isascii() and entry.isdecimal() and len(entry) <= 15:
            return SkipNote(int(entry))
        case ["another"]:
            return Another()
        case ["done" | "nothing" as which]:
            return Done(which == "nothing")
        case ["checkin", "on" | "off" as which]:
            return CheckIn(which == "on")
        case ["chart", days] if days in {str(d) for d in CHART_DAYS}:
            return Chart(int(days))
    return None


def _button(text: str, press: Press) -> InlineKeyboardButton:
    """A button that carries one of this feature's presses, packed here."""
    return button(text, pack(press))


def symptoms(say: Say, checkin: bool = False) -> InlineKeyboardMarkup:
    """Two symptoms a row (long names stay readable on a phone); the check-in adds Nothing."""
    buttons = [_button(say(f"diary_symptom_{s}"), Pick(s)) for s in SYMPTOMS]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    if checkin:
        rows.append([_button(say("diary_nothing_button"), Done(nothing=True))])
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
            [_button(say("diary_done_button"), Done(nothing=False))],
        ]
    )


def checkin_switch(say: Say, on: bool) -> InlineKeyboardMarkup:
    key = "diary_checkin_off_button" if on else "diary_checkin_on_button"
    return InlineKeyboardMarkup([[_button(say(key), CheckIn(not on))]])


def more_days(say: Say) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(say("diary_chart_90_button"), Chart(90))]])
