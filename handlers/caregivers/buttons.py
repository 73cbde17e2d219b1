"""The caregivers' buttons: typed callback data of the codec (bot/callbacks.py), read and
written here only ("caregivers:<action>:<fields>"). Unpacking checks each field's type and
size; whether the press still means something is the handler's to decide."""

from __future__ import annotations

from typing import Annotated, Literal

from bot.callbacks import CallbackData, Digits, Text, pattern

CHAT = Annotated[int, Digits(16)]  # a private chat's id (they fit in 52 bits)


class InviteButton(CallbackData, prefix="caregivers"):
    """Under an invitation: accept or decline it, by its token (base64url, 32 characters)."""

    action: Literal["accept", "decline"]
    token: Annotated[str, Text(43, r"A-Za-z0-9_\-")]


class LinkButton(CallbackData, prefix="caregivers"):
    """A link to act on: the patient removes a caregiver (remove, then rmyes or keep), a
    caregiver stops following a patient (unsub); `chat` is the other side."""

    action: Literal["remove", "rmyes", "keep", "unsub"]
    chat: CHAT


class SwitchButton(CallbackData, prefix="caregivers"):
    """Turn one kind of news to one caregiver on or off."""

    action: Literal["switch"]
    caregiver: CHAT
    switch: Annotated[str, Text(16, "a-z_")]


class DelayButton(CallbackData, prefix="caregivers"):
    """How long after her dose time an unconfirmed dose is told (minutes)."""

    action: Literal["delay"]
    minutes: Annotated[int, Digits(4)]


class UninviteButton(CallbackData, prefix="caregivers"):
    """Withdraw an unused invitation: its number and creation time."""

    action: Literal["uninvite"]
    number: Annotated[int, Digits(9)]
    created: Annotated[int, Digits(12)]


PRESSES = (InviteButton, LinkButton, SwitchButton, DelayButton, UninviteButton)
PATTERN = pattern(*PRESSES)
