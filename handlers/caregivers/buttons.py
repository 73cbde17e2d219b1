"""The caregivers' buttons: typed callback data of the codec (bot/pure/callbacks.py), read and
written here only ("caregivers:<action>:<fields>"), and the keyboards that carry them.
Unpacking checks each field's type and size; whether the press still means something is
the handler's to decide."""

from __future__ import annotations

from typing import Annotated, Literal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core import Core, label, name_of
from bot.pure import caregiving
from bot.pure.callbacks import CallbackData, Digits, Text, pattern
from bot.replies import button
from db.caregivers import SWITCHES, Link, OpenInvitation
from handlers.caregivers.usecases import delay_words

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


def _one(text: str, data: CallbackData) -> list[InlineKeyboardButton]:
    return [button(text, data.pack())]


def offer_keyboard(core: Core, viewer: int, token: str) -> InlineKeyboardMarkup:
    """Accept or decline an invitation."""
    accept = label(core, viewer, "caregivers_accept_button")
    decline = label(core, viewer, "caregivers_decline_button")
    return InlineKeyboardMarkup(
        [
            _one(accept, InviteButton("accept", token))
            + _one(decline, InviteButton("decline", token))
        ]
    )


def _remove(core: Core, patient: int, caregiver: int) -> list[InlineKeyboardButton]:
    name = name_of(core, caregiver, patient)
    text = label(core, patient, "caregivers_remove_button", caregiver=name)
    return _one(text, LinkButton("remove", caregiver))


def remove_keyboard(core: Core, patient: int, caregiver: int) -> InlineKeyboardMarkup:
    """Remove this caregiver (asks once more)."""
    return InlineKeyboardMarkup([_remove(core, patient, caregiver)])


def confirm_keyboard(core: Core, patient: int, caregiver: int) -> InlineKeyboardMarkup:
    """Remove her for good, or keep her."""
    name = name_of(core, caregiver, patient)
    remove = label(core, patient, "caregivers_remove_yes", caregiver=name)
    keep = label(core, patient, "caregivers_remove_keep")
    return InlineKeyboardMarkup(
        [_one(remove, LinkButton("rmyes", caregiver)) + _one(keep, LinkButton("keep", caregiver))]
    )


def delay_keyboard(core: Core, patient: int, current: int) -> InlineKeyboardMarkup:
    """The delays to choose from, the current one ticked, in two rows."""
    buttons = []
    for minutes in caregiving.DELAY_CHOICES:
        key = "caregivers_delay_off_button" if minutes == 0 else ""
        words = label(core, patient, key) if key else delay_words(core, patient, minutes)
        mark = "✓ " if minutes == current else ""
        buttons.append(button(mark + words, DelayButton("delay", minutes).pack()))
    return InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def card_keyboard(core: Core, link: Link) -> InlineKeyboardMarkup:
    """One switch per kind of news, then Remove."""
    patient = link.patient
    rows = [
        _one(
            ("✅ " if link.allows(s) else "⬜ ") + label(core, patient, f"caregivers_switch_{s}"),
            SwitchButton("switch", link.caregiver, s),
        )
        for s in SWITCHES
    ]
    return InlineKeyboardMarkup([*rows, _remove(core, patient, link.caregiver)])


def invitations_keyboard(
    core: Core, patient: int, found: list[OpenInvitation]
) -> InlineKeyboardMarkup:
    """A Cancel button for each unused invitation, numbered as they are listed."""
    return InlineKeyboardMarkup(
        [
            _one(
                label(core, patient, "caregivers_invitation_cancel_button", n=position),
                UninviteButton("uninvite", invitation.number, invitation.created_at),
            )
            for position, invitation in enumerate(found, start=1)
        ]
    )


def unsubscribe_keyboard(core: Core, link: Link) -> InlineKeyboardMarkup:
    """A caregiver's way out of following her."""
    name = name_of(core, link.patient, link.caregiver)
    text = label(core, link.caregiver, "caregivers_unsubscribe_button", patient=name)
    return InlineKeyboardMarkup([_one(text, LinkButton("unsub", link.patient))])
