"""Who may see and do what about a patient: pure rules, no Telegram, no I/O.

Everyone is one of three roles towards a given patient: the patient herself, a caregiver
she accepted (a link), or anyone else. A caregiver of another patient is "anyone else" here:
a link counts only for the patient it names. The patient decides what her caregivers receive
(the link's switches); a caregiver can only ever end her own link, never act for the patient.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol


class Link(Protocol):
    """A caregiver link as these rules read it (db.caregivers.Link is one), so the rules
    need no database."""

    @property
    def patient(self) -> int: ...
    @property
    def caregiver(self) -> int: ...
    def allows(self, switch: str) -> bool: ...


class Role(StrEnum):
    PATIENT = "patient"
    CAREGIVER = "caregiver"
    STRANGER = "stranger"


class See(StrEnum):
    """News about the patient; the values are the link switches that allow them."""

    MISSED_DOSE = "missed_dose"
    WEEKLY = "weekly"
    BONESCAN = "bonescan"
    DIARY = "diary"


class Act(StrEnum):
    """What someone may do about a patient from another chat (doses, reminders and the
    diary are answered in her own chat only, so they need no rule)."""

    MANAGE_CAREGIVERS = "manage_caregivers"
    END_LINK = "end_link"


def role_of(viewer: int, patient: int, link: Link | None) -> Role:
    if viewer == patient:
        return Role.PATIENT
    if link is not None and link.patient == patient and link.caregiver == viewer:
        return Role.CAREGIVER
    return Role.STRANGER


def may_see(viewer: int, patient: int, link: Link | None, what: See) -> bool:
    role = role_of(viewer, patient, link)
    if role is Role.PATIENT:
        return True
    return role is Role.CAREGIVER and link is not None and link.allows(what.value)


def may_do(viewer: int, patient: int, link: Link | None, act: Act) -> bool:
    role = role_of(viewer, patient, link)
    if role is Role.PATIENT:
        return True
    return role is Role.CAREGIVER and act is Act.END_LINK


def may_accept(viewer: int, patient: int) -> bool:
    """Anyone holding a valid invitation may follow, except the patient herself."""
    return viewer != patient
