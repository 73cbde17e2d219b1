"""The caregivers' buttons: one typed value, packed into callback data and unpacked here
only ("caregivers:<action>:<arguments>"). Unpacking checks the action and how many
arguments it takes; whether they still mean something is the handler's to decide."""

from __future__ import annotations

from dataclasses import dataclass

# Each action and how many arguments it carries.
ARITY = {
    "accept": 1,  # the invitation token
    "decline": 1,
    "remove": 1,  # a caregiver's chat id
    "rmyes": 1,
    "keep": 1,
    "unsub": 1,  # a patient's chat id
    "switch": 2,  # a caregiver's chat id, a switch
    "delay": 1,  # minutes
    "uninvite": 2,  # an invitation's number and creation time
}
PATTERN = r"^caregivers:"


@dataclass(frozen=True)
class CaregiversButton:
    action: str
    args: tuple[str, ...]

    def pack(self) -> str:
        return ":".join(("caregivers", self.action, *self.args))

    @classmethod
    def make(cls, action: str, *args: object) -> str:
        """The callback data of `action` with `args`."""
        return cls(action, tuple(str(a) for a in args)).pack()

    @classmethod
    def unpack(cls, data: str) -> CaregiversButton | None:
        """The press a callback data means, or None for anything malformed."""
        match data.split(":"):
            case ["caregivers", action, *args] if ARITY.get(action) == len(args) and all(args):
                return cls(action, tuple(args))
        return None
