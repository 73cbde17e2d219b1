"""The reminders' buttons: each family of callback data is one small typed value of the
codec (bot/pure/callbacks.py), so no handler reads strings by hand. Unpacking checks the shape;
whether the press still means something (her dose of today, a nudge she can choose) is
the handler's to decide. The keyboards that carry them are made here too."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import Core
from bot.pure.adherence import SYMBOLS
from bot.pure.callbacks import DAY, CallbackData, Digits, Text, pattern
from bot.replies import button
from db.reminders import NUDGE_CHOICES
from handlers.reminders.planning import SNOOZE_CHOICES

ONBOARDING = "onboarding"  # the reminder's set-up step after /start (bot/registry.py)
TYPICAL_TIMES = ("07:00", "08:00", "09:00", "20:00", "21:00", "22:00")
# Every press under /remind, her reminders and /history: one handler (commands.py).
MINUTES = Annotated[int, Digits(3)]


class DoseButton(CallbackData, prefix="rem"):
    """Under a reminder: "rem:take:<day>", "rem:skip:<day>", "rem:snooze:<day>:<minutes>"."""

    action: Literal["take", "skip", "snooze"]
    day: Annotated[str, DAY]
    minutes: MINUTES | None = None


class SettingButton(CallbackData, prefix="rem"):
    """Under /remind: "rem:at:HHMM" (a time), "rem:nudge:<minutes>", "rem:off"; while she
    sets up after /start: "rem:first:HHMM" (a time, then the next question) and "rem:later"
    (not now: the next question)."""

    action: Literal["at", "first", "nudge", "off", "later"]
    arg: Annotated[str, Text(4, "0-9")] | None = None

    def __post_init__(self) -> None:
        if (self.arg is None) != (self.action in ("off", "later")):
            raise ValueError("off and later alone take no argument")


class DaysButton(CallbackData, prefix="rem"):
    """Fill in or correct a day: "rem:days" (the last days to choose from) and "rem:nomark"
    (record nothing)."""

    action: Literal["days", "nomark"]


class PickButton(CallbackData, prefix="rem"):
    """ "rem:pick:<day>": that day's choices."""

    action: Literal["pick"]
    day: Annotated[str, DAY]


class MarkButton(CallbackData, prefix="rem"):
    """ "rem:mark:<day>:<taken|skipped>": record it."""

    action: Literal["mark"]
    day: Annotated[str, DAY]
    status: Literal["taken", "skipped"]


DayButton = DaysButton | PickButton | MarkButton


class ZoneButton(CallbackData, prefix="rem"):
    """A time zone to choose: "rem:zone:<IANA name>"."""

    action: Literal["zone"]
    zone: Annotated[str, Text(55, r"A-Za-z0-9_+\-/")]


class LocationButton(CallbackData, prefix="rem"):
    """ "rem:loc": share her location (under the zone choices)."""

    action: Literal["loc"]


PATTERN = pattern(DoseButton, SettingButton, DaysButton, PickButton, MarkButton)
ZONE_PATTERN = pattern(ZoneButton, LocationButton)


def time_buttons(first: bool = False) -> list[list[InlineKeyboardButton]]:
    """Typical reminder times, one tap each (`first`: while she sets up after /start)."""
    action: Literal["at", "first"] = "first" if first else "at"
    row = [button(t, SettingButton(action, t.replace(":", "")).pack()) for t in TYPICAL_TIMES]
    return [row[:3], row[3:]]


def setup_time_keyboard(core: Core, chat_id: int) -> InlineKeyboardMarkup:
    """The time question while she sets up: typical times, and Later."""
    return InlineKeyboardMarkup([*time_buttons(first=True), [later_button(core, chat_id)]])


def later_button(core: Core, chat_id: int) -> InlineKeyboardButton:
    """Under a set-up question: not now (she can set it any time with /remind)."""
    return button(core.text(chat_id, "reminders_button_later"), SettingButton("later").pack())


def settings_keyboard(core: Core, chat_id: int, nudge: int, on: bool) -> InlineKeyboardMarkup:
    """Under /remind: the typical times, the follow-up minutes (hers ticked), Off when on."""
    keyboard = time_buttons()
    keyboard.append(
        [
            button(
                ("✓ " if nudge == m else "") + core.text(chat_id, f"reminders_nudge_{m}"),
                SettingButton("nudge", str(m)).pack(),
            )
            for m in NUDGE_CHOICES
        ]
    )
    if on:
        keyboard.append(
            [button(core.text(chat_id, "reminders_button_off"), SettingButton("off").pack())]
        )
    return InlineKeyboardMarkup(keyboard)


def fill_in_keyboard(core: Core, chat_id: int) -> InlineKeyboardMarkup:
    """Under /history: fill in or correct a day."""
    text = core.text(chat_id, "reminders_button_fill_in")
    return InlineKeyboardMarkup([[button(text, DaysButton("days").pack())]])


def after_all_keyboard(text: str, day: str) -> InlineKeyboardMarkup:
    """After a Skip, one button corrects it: she may have taken it after all."""
    return InlineKeyboardMarkup([[button(text, MarkButton("mark", day, "taken").pack())]])


def days_keyboard(
    core: Core, chat_id: int, days: list[tuple[date, str | None]]
) -> InlineKeyboardMarkup:
    """Her last days, each with its symbol, two a row."""
    buttons = [
        button(
            f"{SYMBOLS[status]} {core.weekday(chat_id, day)}",
            PickButton("pick", day.isoformat()).pack(),
        )
        for day, status in days
    ]
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def confirm_keyboard(core: Core, chat_id: int, day: str) -> InlineKeyboardMarkup:
    """Taken / Not taken for one day, and a way to record nothing."""
    return InlineKeyboardMarkup(
        [
            [
                button(
                    core.text(chat_id, "reminders_button_mark_taken"),
                    MarkButton("mark", day, "taken").pack(),
                ),
                button(
                    core.text(chat_id, "reminders_button_mark_skipped"),
                    MarkButton("mark", day, "skipped").pack(),
                ),
            ],
            [button(core.text(chat_id, "reminders_button_nomark"), DaysButton("nomark").pack())],
        ]
    )


def snoozed_keyboard(
    core: Core, chat_id: int, day: str, minutes: int, dose: InlineKeyboardMarkup
) -> InlineKeyboardMarkup:
    """The reminder's buttons again, and the other snoozes to choose instead."""
    instead = [
        button(
            core.text(chat_id, "reminders_snooze_instead", minutes=m),
            DoseButton("snooze", day, m).pack(),
        )
        for m in SNOOZE_CHOICES
        if m != minutes
    ]
    return InlineKeyboardMarkup([*dose.inline_keyboard, instead])
