"""Check-up buttons: each press is typed callback data of the codec (bot/pure/callbacks.py),
"checkups:<action>:<check>[:<months or answer>]"; the keyboards beside them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import label
from bot.pure.callbacks import CallbackData, Digits, Text, pattern
from bot.replies import button
from bot.services import Services
from db.checkups import CHECKS
from handlers.checkups import usecases
from handlers.checkups.planning import postponed_to

MONTH_BUTTONS = (6, 12, 24)
BASELINE_ANSWERS: tuple[Literal["yes", "no", "unsure"], ...] = ("yes", "no", "unsure")


CHECK = Annotated[str, Text(16, "a-z")]  # a name of db.checkups.CHECKS


class CheckButton(CallbackData, prefix="checkups"):
    """Done / booked / later / today / off, for one check: "checkups:<action>:<check>"."""

    action: Literal["done", "book", "later", "today", "off"]
    check: CHECK

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError("no such check")


class EveryButton(CallbackData, prefix="checkups"):
    """A check every <months>: "checkups:every:<check>:<months>"."""

    action: Literal["every"]
    check: CHECK
    months: Annotated[int, Digits(2)]

    def __post_init__(self) -> None:
        if self.check not in CHECKS or self.months not in MONTH_BUTTONS:
            raise ValueError("no such check or choice")


class BaselineButton(CallbackData, prefix="checkups"):
    """The answer to "have you had a baseline scan?": "checkups:baseline:bonescan:<answer>"."""

    action: Literal["baseline"]
    check: Literal["bonescan"]
    answer: Literal["yes", "no", "unsure"]


class CourseButton(CallbackData, prefix="checkups"):
    """Under "when did you start anastrozole?": "checkups:course:later" (not now)."""

    action: Literal["course"]
    answer: Literal["later"]


CheckupsButton = CheckButton | EveryButton | BaselineButton | CourseButton
PATTERN = pattern(CheckButton, EveryButton, BaselineButton, CourseButton)


def _button(
    services: Services, chat_id: int, key: str, press: CheckupsButton, **values: Any
) -> InlineKeyboardButton:
    """A button whose text is the catalog's `key` in her language."""
    return button(label(services, chat_id, key, **values), press.pack())


def answer_buttons(
    services: Services, chat_id: int, name: str, later: bool = True
) -> InlineKeyboardMarkup:
    """Done, Booked and (when there is a prompt it can move) Later; for a bone scan she has
    recorded none of, "Never had one" (a first scan is then suggested, as at the start)."""
    row = [
        _button(services, chat_id, "checkups_button_done", CheckButton("done", name)),
        _button(services, chat_id, "checkups_button_booked", CheckButton("book", name)),
    ]
    if later:
        later_press = CheckButton("later", name)
        row.append(_button(services, chat_id, "checkups_button_later", later_press))
    rows = [row]
    if name == "bonescan" and not usecases.scan_recorded(services, chat_id):
        never = BaselineButton("baseline", "bonescan", "no")
        rows.append([_button(services, chat_id, "checkups_button_never", never)])
    return InlineKeyboardMarkup(rows)


def status_buttons(services: Services, chat_id: int, name: str) -> InlineKeyboardMarkup:
    later = postponed_to(services, chat_id, name) is not None
    return answer_buttons(services, chat_id, name, later)


def interval_buttons(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Per check: every 6 / 12 / 24 months, or off, two buttons a row to fit a phone; her
    current choice is ticked."""
    rows = []
    for name in CHECKS:
        check = usecases.check(services, chat_id, name)
        short = services.text(chat_id, f"checkups_short_{name}")

        def ticked(
            key: str, press: CheckupsButton, chosen: bool, short: str = short, **values: Any
        ) -> InlineKeyboardButton:
            plain = _button(services, chat_id, key, press, short=short, **values)
            return button(f"✓ {plain.text}", press.pack()) if chosen else plain

        buttons = [
            ticked(
                "checkups_button_every",
                EveryButton("every", name, m),
                check.enabled and check.months == m,
                months=m,
            )
            for m in MONTH_BUTTONS
        ]
        off = CheckButton("off", name)
        buttons.append(ticked("checkups_button_off", off, not check.enabled))
        rows += [buttons[:2], buttons[2:]]
    return InlineKeyboardMarkup(rows)


def today_button(services: Services, chat_id: int, name: str) -> InlineKeyboardMarkup:
    """Under "when was it?": one tap for today."""
    press = CheckButton("today", name)
    return InlineKeyboardMarkup([[_button(services, chat_id, "checkups_button_today", press)]])


def baseline_buttons(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Yes / No / Not sure to "have you had a baseline scan?"."""
    answers = [
        _button(
            services,
            chat_id,
            f"checkups_button_{answer}",
            BaselineButton("baseline", "bonescan", answer),
        )
        for answer in BASELINE_ANSWERS
    ]
    return InlineKeyboardMarkup([answers])


def course_buttons(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Later, under "when did you start?" (the day itself is typed)."""
    later = _button(services, chat_id, "checkups_button_later", CourseButton("course", "later"))
    return InlineKeyboardMarkup([[later]])
