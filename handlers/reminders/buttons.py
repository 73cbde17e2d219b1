"""The reminders' buttons: each family of callback data is one small typed value, packed
and unpacked here only, so no handler reads strings by hand. Unpacking checks the shape;
whether the press still means something (her dose of today, a nudge she can choose) is
the handler's to decide."""

from __future__ import annotations

import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton

from bot.replies import button

TYPICAL_TIMES = ("07:00", "08:00", "09:00", "20:00", "21:00", "22:00")
# Every callback data of this feature starts so (the handlers' patterns).
PATTERN = r"^rem:(take|skip|snooze|at|nudge|off|days|pick|mark|nomark)"
ZONE_PATTERN = r"^rem:(zone|loc)"
LOCATION = "rem:loc"  # "share my location" under the zone choices

_DOSE = re.compile(r"^rem:(take|skip|snooze):(\d{4}-\d{2}-\d{2})(?::(\d{1,3}))?$")
_SETTING = re.compile(r"^rem:(at|nudge|off):?(\d{0,4})$")
_DAY = re.compile(r"^rem:(days|pick|mark|nomark)(?::(\d{4}-\d{2}-\d{2}))?(?::(taken|skipped))?$")
# Which parts each day action carries: (a day, a status).
_DAY_SHAPES = {
    "days": (False, False),
    "pick": (True, False),
    "mark": (True, True),
    "nomark": (False, False),
}
_ZONE = re.compile(r"^rem:zone:([A-Za-z0-9_+\-/]{1,55})$")  # 64 bytes in all


@dataclass(frozen=True)
class DoseButton:
    """Under a reminder: "rem:take:<day>", "rem:skip:<day>", "rem:snooze:<day>:<minutes>"."""

    action: str
    day: str
    minutes: int | None = None

    def pack(self) -> str:
        tail = f":{self.minutes}" if self.minutes is not None else ""
        return f"rem:{self.action}:{self.day}{tail}"

    @classmethod
    def unpack(cls, data: str) -> DoseButton | None:
        match = _DOSE.match(data)
        if match is None:
            return None
        return cls(match[1], match[2], int(match[3]) if match[3] is not None else None)


@dataclass(frozen=True)
class SettingButton:
    """Under /remind: "rem:at:HHMM" (a time), "rem:nudge:<minutes>", "rem:off"."""

    action: str
    arg: str = ""

    def pack(self) -> str:
        return f"rem:{self.action}:{self.arg}" if self.arg else f"rem:{self.action}"

    @classmethod
    def unpack(cls, data: str) -> SettingButton | None:
        match = _SETTING.match(data)
        return cls(match[1], match[2]) if match else None


@dataclass(frozen=True)
class DayButton:
    """The buttons that fill in or correct a day: "rem:days" (the last days to choose from),
    "rem:pick:<day>" (that day's choices), "rem:mark:<day>:<taken|skipped>" (record it) and
    "rem:nomark" (record nothing)."""

    action: str
    day: str = ""
    status: str = ""

    def pack(self) -> str:
        return ":".join(p for p in ("rem", self.action, self.day, self.status) if p)

    @classmethod
    def unpack(cls, data: str) -> DayButton | None:
        match = _DAY.match(data)
        if match is None:
            return None
        found = cls(match[1], match[2] or "", match[3] or "")
        shape = _DAY_SHAPES[found.action]
        return found if shape == (bool(found.day), bool(found.status)) else None


@dataclass(frozen=True)
class ZoneButton:
    """A time zone to choose: "rem:zone:<IANA name>"."""

    zone: str

    def pack(self) -> str:
        return f"rem:zone:{self.zone}"

    @classmethod
    def unpack(cls, data: str) -> ZoneButton | None:
        match = _ZONE.match(data)
        return cls(match[1]) if match else None


def time_buttons() -> list[list[InlineKeyboardButton]]:
    """Typical reminder times, one tap each."""
    row = [button(t, SettingButton("at", t.replace(":", "")).pack()) for t in TYPICAL_TIMES]
    return [row[:3], row[3:]]
