"""The reminders' buttons: each family of callback data is one small typed value of the
codec (bot/callbacks.py), so no handler reads strings by hand. Unpacking checks the shape;
whether the press still means something (her dose of today, a nudge she can choose) is
the handler's to decide."""

from __future__ import annotations

from typing import Annotated, Literal

from telegram import InlineKeyboardButton

from bot.callbacks import DAY, CallbackData, Digits, Text, pattern
from bot.replies import button

TYPICAL_TIMES = ("07:00", "08:00", "09:00", "20:00", "21:00", "22:00")
# Every press under /remind, her reminders and /history: one handler (commands.py).
MINUTES = Annotated[int, Digits(3)]


class DoseButton(CallbackData, prefix="rem"):
    """Under a reminder: "rem:take:<day>", "rem:skip:<day>", "rem:snooze:<day>:<minutes>"."""

    action: Literal["take", "skip", "snooze"]
    day: Annotated[str, DAY]
    minutes: MINUTES | None = None


class SettingButton(CallbackData, prefix="rem"):
    """Under /remind: "rem:at:HHMM" (a time), "rem:nudge:<minutes>", "rem:off"."""

    action: Literal["at", "nudge", "off"]
    arg: Annotated[str, Text(4, "0-9")] | None = None

    def __post_init__(self) -> None:
        if (self.arg is None) != (self.action == "off"):
            raise ValueError("off alone takes no argument")


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


def time_buttons() -> list[list[InlineKeyboardButton]]:
    """Typical reminder times, one tap each."""
    row = [button(t, SettingButton("at", t.replace(":", "")).pack()) for t in TYPICAL_TIMES]
    return [row[:3], row[3:]]
