"""Check-up buttons: each press is a typed `CheckupsButton`, packed into callback data and
unpacked here only ("checkups:<action>:<check>[:<months or answer>]"); the keyboards beside
them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.replies import button, label
from bot.services import Services
from db import checkups
from db.checkups import CHECKS
from handlers.checkups.planning import postponed_to

MONTH_BUTTONS = (6, 12, 24)
BASELINE_ANSWERS = ("yes", "no", "unsure")
PLAIN = ("done", "book", "later", "today", "off")  # actions with no argument


@dataclass(frozen=True)
class CheckupsButton:
    """done / book / later / today / off a check; every <months>; baseline <answer>."""

    action: str
    check: str
    arg: str | None = None

    def pack(self) -> str:
        tail = f":{self.arg}" if self.arg is not None else ""
        return f"checkups:{self.action}:{self.check}{tail}"

    @classmethod
    def unpack(cls, data: str) -> CheckupsButton | None:
        """The press a callback data means, or None for anything made up or out of date."""
        match data.split(":"):
            case ["checkups", action, check] if check in CHECKS and action in PLAIN:
                return cls(action, check)
            case ["checkups", "every", check, months] if check in CHECKS and months in {
                str(m) for m in MONTH_BUTTONS
            }:
                return cls("every", check, months)
            case ["checkups", "baseline", "bonescan", answer] if answer in BASELINE_ANSWERS:
                return cls("baseline", "bonescan", answer)
        return None


def _button(
    services: Services, chat_id: int, key: str, press: CheckupsButton, **values: Any
) -> InlineKeyboardButton:
    """A button whose text is the catalog's `key` in her language."""
    return button(label(services, chat_id, key, **values), press.pack())


def answer_buttons(
    services: Services, chat_id: int, name: str, later: bool = True
) -> InlineKeyboardMarkup:
    """Done, Booked and (when there is a prompt it can move) Later."""
    row = [
        _button(services, chat_id, "checkups_button_done", CheckupsButton("done", name)),
        _button(services, chat_id, "checkups_button_booked", CheckupsButton("book", name)),
    ]
    if later:
        later_press = CheckupsButton("later", name)
        row.append(_button(services, chat_id, "checkups_button_later", later_press))
    return InlineKeyboardMarkup([row])


def status_buttons(services: Services, chat_id: int, name: str) -> InlineKeyboardMarkup:
    later = postponed_to(services, chat_id, name) is not None
    return answer_buttons(services, chat_id, name, later)


def interval_buttons(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Per check: every 6 / 12 / 24 months, or off, two buttons a row to fit a phone; her
    current choice is ticked."""
    rows = []
    for name in CHECKS:
        check = checkups.get(services.db, chat_id, name)
        short = services.text(chat_id, f"checkups_short_{name}")

        def ticked(
            key: str, press: CheckupsButton, chosen: bool, short: str = short, **values: Any
        ) -> InlineKeyboardButton:
            plain = _button(services, chat_id, key, press, short=short, **values)
            return button(f"✓ {plain.text}", press.pack()) if chosen else plain

        buttons = [
            ticked(
                "checkups_button_every",
                CheckupsButton("every", name, str(m)),
                check.enabled and check.months == m,
                months=m,
            )
            for m in MONTH_BUTTONS
        ]
        off = CheckupsButton("off", name)
        buttons.append(ticked("checkups_button_off", off, not check.enabled))
        rows += [buttons[:2], buttons[2:]]
    return InlineKeyboardMarkup(rows)


def today_button(services: Services, chat_id: int, name: str) -> InlineKeyboardMarkup:
    """Under "when was it?": one tap for today."""
    press = CheckupsButton("today", name)
    return InlineKeyboardMarkup([[_button(services, chat_id, "checkups_button_today", press)]])


def baseline_buttons(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Yes / No / Not sure to "have you had a baseline scan?"."""
    answers = [
        _button(
            services,
            chat_id,
            f"checkups_button_{answer}",
            CheckupsButton("baseline", "bonescan", answer),
        )
        for answer in BASELINE_ANSWERS
    ]
    return InlineKeyboardMarkup([answers])
