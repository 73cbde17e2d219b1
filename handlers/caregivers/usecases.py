"""Caregivers' use cases: invitations, links, their switches and the alert delay, and the
texts that show them (the database and the rules, no Telegram). commands.py parses a
command or a press, calls these and answers; the keyboards are in buttons.py."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from bot.core import Core, label, name_of
from bot.pure import caregiving
from bot.pure.permissions import Act, may_accept, may_do
from bot.pure.timerules import epoch, from_epoch, local_date
from db import caregivers as store
from db import people
from db.caregivers import SWITCHES, Invitation, Link, OpenInvitation
from handlers.caregivers.planning import KINDS, alert_delay, reschedule_patient, sync_events

TOKEN_BYTES = 24  # 192 random bits: 32 URL-safe characters
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
INVITATION_VALID = timedelta(days=7)
MAX_OPEN_INVITATIONS = 5  # unused links at once: each is a way into her news


OFFERED = "caregivers_offer"  # her next text may answer an invitation (registry.on_reply)


def await_offer(core: Core, chat_id: int, token: str) -> None:
    """Her next message may answer the invitation just shown ("yes", "нет")."""
    since = epoch(core.clock.now())
    people.set_awaiting(core.db, chat_id, {"kind": OFFERED, "token": token, "since": since})


def offered(core: Core, chat_id: int) -> str | None:
    """The invitation her typed words answer (None when that is no longer so)."""
    return people.awaited(core.db, chat_id, OFFERED, "token")


def stop_waiting(core: Core, chat_id: int) -> None:
    people.set_awaiting(core.db, chat_id, None)


def _hash(token: str) -> str:
    """Only this is stored: a leaked table opens no link."""
    return hashlib.sha256(token.encode()).hexdigest()


def delay_words(core: Core, reader: int, minutes: int) -> str:
    """Plain text (a value for a template or a button label)."""
    if minutes == 0:
        return label(core, reader, "caregivers_delay_off")
    if minutes == 60:
        return label(core, reader, "caregivers_delay_hour")
    if minutes % 60 == 0:
        return label(core, reader, "caregivers_delay_hours", count=minutes // 60)
    return label(core, reader, "caregivers_delay_minutes", count=minutes)


def receives(core: Core, reader: int, link: Link) -> str:
    """Plain text listing what the link lets the caregiver receive."""
    items = [
        label(core, reader, f"caregivers_item_{switch}")
        for switch in SWITCHES
        if link.allows(switch)
    ]
    return ", ".join(items) or label(core, reader, "caregivers_items_nothing")


# --- invitations --------------------------------------------------------------------------
def invite(core: Core, patient: int) -> str | None:
    """A new invitation's token, or None while MAX_OPEN_INVITATIONS are still unused."""
    now = core.clock.now()
    if len(store.open_invitations(core.db, patient, epoch(now))) >= MAX_OPEN_INVITATIONS:
        return None
    token = secrets.token_urlsafe(TOKEN_BYTES)
    store.create_invitation(
        core.db, _hash(token), patient, epoch(now), epoch(now + INVITATION_VALID)
    )
    return token


def check_invitation(core: Core, token: str, viewer: int) -> tuple[str, Invitation | None]:
    """The catalog key that explains why the link can't be used, or "" with the invitation.

    The explanations never name the patient, except to someone who already follows her."""
    found = store.invitation(core.db, _hash(token)) if TOKEN_PATTERN.fullmatch(token) else None
    if found is None:
        return "caregivers_link_invalid", None
    if found.used_at is not None:
        return "caregivers_link_used", None
    if found.expires_at <= epoch(core.clock.now()):
        return "caregivers_link_expired", None
    if not may_accept(viewer, found.patient):
        return "caregivers_link_own", None
    if store.get_link(core.db, found.patient, viewer) is not None:
        return "caregivers_already_following", found
    return "", found


def problem_text(core: Core, viewer: int, key: str, found: Invitation | None) -> str:
    if found is None:
        return core.text(viewer, key)
    return core.text(viewer, key, patient=name_of(core, found.patient, viewer))


def offer_text(core: Core, patient: int, viewer: int) -> str:
    """Whose updates these are and what would come, before she accepts."""
    minutes = alert_delay(core, patient)
    when = "caregivers_offer_when" if minutes else "caregivers_offer_when_off"
    return core.text(
        viewer,
        "caregivers_offer",
        patient=name_of(core, patient, viewer),
        items=receives(core, viewer, Link(patient=patient, caregiver=viewer)),
        when=label(core, viewer, when, delay=delay_words(core, viewer, minutes)),
    )


def accept(core: Core, token: str, patient: int, caregiver: int) -> bool:
    """Follow her, with the default news; False when the invitation was used meanwhile."""
    now = epoch(core.clock.now())
    with core.db.atomic():
        used = store.use_invitation(core.db, _hash(token), caregiver, now)
        if used:
            store.add_link(core.db, patient, caregiver, now)
            sync_events(core, patient, caregiver)
    return used


def decline(core: Core, token: str, caregiver: int) -> bool:
    """Use the invitation up without following; False when it was used meanwhile."""
    return store.use_invitation(core.db, _hash(token), caregiver, epoch(core.clock.now()))


def withdraw(core: Core, patient: int, number: int, created: int) -> bool:
    """Her unused invitation is cancelled; False when it is gone already."""
    return store.cancel_invitation(core.db, patient, number, created)


def open_invitations(core: Core, patient: int) -> list[OpenInvitation]:
    return store.open_invitations(core.db, patient, epoch(core.clock.now()))


def invitation_lines(core: Core, patient: int, found: list[OpenInvitation]) -> str:
    """Her unused invitation links, numbered, each with when it was made and until when."""
    zone = core.zone(patient)
    lines = [
        label(
            core,
            patient,
            "caregivers_invitation_line",
            n=position,
            made=local_date(from_epoch(invitation.created_at), zone),  # in her language
            until=local_date(from_epoch(invitation.expires_at), zone),
        )
        for position, invitation in enumerate(found, start=1)
    ]
    return core.text(patient, "caregivers_invitations", links="\n".join(lines))


# --- links --------------------------------------------------------------------------------
def caregivers_of(core: Core, patient: int) -> list[Link]:
    return store.caregivers_of(core.db, patient)


def patients_of(core: Core, caregiver: int) -> list[Link]:
    return store.patients_of(core.db, caregiver)


def her_caregiver(core: Core, patient: int, caregiver: int) -> Link | None:
    """The link to this caregiver, if `patient` is the patient who may manage it."""
    link = store.get_link(core.db, patient, caregiver) if caregiver else None
    if link is None or not may_do(patient, link.patient, link, Act.MANAGE_CAREGIVERS):
        return None
    return link


def leaving(core: Core, patient: int, caregiver: int) -> Link | str | None:
    """The link a caregiver may end; once it has ended, a text saying so (naming the person
    she followed, who invited her); None when the press means nothing."""
    link = store.get_link(core.db, patient, caregiver) if patient else None
    if link is None:
        if not patient or not store.was_invited(core.db, patient, caregiver):
            return None
        name = name_of(core, patient, caregiver)
        return core.text(caregiver, "caregivers_no_longer_follow", patient=name)
    return link if may_do(caregiver, link.patient, link, Act.END_LINK) else None


def end(core: Core, link: Link) -> None:
    """Everything for the link stops at once: the link and its events."""
    with core.db.atomic():
        store.remove_link(core.db, link.patient, link.caregiver)
        store.cancel_link_events(core.db, link.patient, link.caregiver, KINDS)


def ended_texts(core: Core, link: Link, by: int) -> tuple[str, int, str]:
    """What the side that ended the link reads, and the other side with its notice."""
    patient_name = name_of(core, link.patient, link.caregiver)
    caregiver_name = name_of(core, link.caregiver, link.patient)
    if by == link.patient:
        done = core.text(link.patient, "caregivers_removed_by_patient", caregiver=caregiver_name)
        notice = core.text(link.caregiver, "caregivers_told_removed", patient=patient_name)
        return done, link.caregiver, notice
    done = core.text(link.caregiver, "caregivers_unsubscribed", patient=patient_name)
    notice = core.text(link.patient, "caregivers_told_unsubscribed", caregiver=caregiver_name)
    return done, link.patient, notice


def toggle(core: Core, patient: int, caregiver: int, switch: str) -> Link | None:
    """Turn one kind of news to her caregiver on or off; the link as it now stands."""
    link = her_caregiver(core, patient, caregiver)
    if link is None or switch not in SWITCHES:
        return None
    with core.db.atomic():
        store.set_switch(core.db, patient, caregiver, switch, not link.allows(switch))
        sync_events(core, patient, caregiver)
    return store.get_link(core.db, patient, caregiver)


def set_delay(core: Core, patient: int, minutes: int) -> bool:
    """Her caregivers' alerts come `minutes` after her dose time (0: off)."""
    if minutes not in caregiving.DELAY_CHOICES:
        return False
    with core.db.atomic():
        store.set_alert_delay(core.db, patient, minutes)
        reschedule_patient(core, patient)
    return True


def header_text(core: Core, patient: int) -> str:
    """Above her caregivers' cards: how long after her dose time they are told."""
    delay = delay_words(core, patient, alert_delay(core, patient))
    return core.text(patient, "caregivers_list_header", delay=delay)


def card_text(core: Core, link: Link) -> str:
    """A caregiver's card for the patient: what she receives, and whether she is reached."""
    patient, caregiver = link.patient, link.caregiver
    name = name_of(core, caregiver, patient)
    text = core.text(
        patient, "caregivers_card", caregiver=name, items=receives(core, patient, link)
    )
    if not people.is_blocked(core.db, caregiver):
        return text
    return text + "\n" + core.text(patient, "caregivers_card_paused", caregiver=name)


def following_text(core: Core, link: Link) -> str:
    """A patient's card for her caregiver: whom she follows and what comes."""
    caregiver = link.caregiver
    name = name_of(core, link.patient, caregiver)
    items = receives(core, caregiver, link)
    return core.text(caregiver, "caregivers_following_card", patient=name, items=items)
