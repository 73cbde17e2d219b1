"""Caregivers: the patient invites whom she chooses, they accept or decline, and either side
ends it. What they then receive (alerts, summaries, notes) is in alerts.py."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote, urlencode

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot import caregiving
from bot.permissions import Act, may_accept, may_do
from bot.replies import Markup, button, edit, expired, label, name_of, pressed, send, tell
from bot.services import BotContext, Services, chat_id_of
from bot.timerules import epoch, from_epoch, local_date
from db import caregivers as store
from db.caregivers import SWITCHES, Invitation, Link
from handlers.caregivers import alerts, paused
from handlers.caregivers.alerts import KINDS, alert_delay, reschedule_patient, sync_events
from handlers.caregivers.buttons import (
    PATTERN,
    DelayButton,
    InviteButton,
    LinkButton,
    SwitchButton,
    UninviteButton,
)

# What a patient can switch on for a caregiver: every switch (the diary one is off by default).

log = logging.getLogger(__name__)

DEEP_LINK_PREFIX = "care-"
TOKEN_BYTES = 24  # 192 random bits: 32 URL-safe characters
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
INVITATION_VALID = timedelta(days=7)
MAX_OPEN_INVITATIONS = 5  # unused links at once: each is a way into her news


# --- small helpers ------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


NOTICE = "caregiver notice to a chat"  # what a notice that could not arrive is logged as


def _delay_words(services: Services, reader: int, minutes: int) -> str:
    """Plain text (a value for a template or a button label)."""
    if minutes == 0:
        return label(services, reader, "caregivers_delay_off")
    if minutes == 60:
        return label(services, reader, "caregivers_delay_hour")
    if minutes % 60 == 0:
        return label(services, reader, "caregivers_delay_hours", count=minutes // 60)
    return label(services, reader, "caregivers_delay_minutes", count=minutes)


def _receives(services: Services, reader: int, link: Link) -> str:
    """Plain text listing what the link lets the caregiver receive."""
    items = [
        label(services, reader, f"caregivers_item_{switch}")
        for switch in SWITCHES
        if link.allows(switch)
    ]
    return ", ".join(items) or label(services, reader, "caregivers_items_nothing")


# --- invitation ---------------------------------------------------------------------------
async def invite(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    now = services.clock.now()
    if len(store.open_invitations(services.db, chat_id, epoch(now))) >= MAX_OPEN_INVITATIONS:
        text = services.text(chat_id, "caregivers_invite_limit", count=MAX_OPEN_INVITATIONS)
        await send(context.bot, chat_id, text)
        return
    token = secrets.token_urlsafe(TOKEN_BYTES)
    store.create_invitation(
        services.db, _hash(token), chat_id, epoch(now), epoch(now + INVITATION_VALID)
    )
    link = f"https://t.me/{context.bot.username}?start={DEEP_LINK_PREFIX}{token}"
    share_text = label(services, chat_id, "caregivers_invite_share_text")
    share = "https://t.me/share/url?" + urlencode(
        {"url": link, "text": share_text}, quote_via=quote
    )
    button = InlineKeyboardButton(
        label(services, chat_id, "caregivers_invite_share_button"), url=share
    )
    defaults = _receives(services, chat_id, Link(patient=chat_id, caregiver=0))
    text = services.text(chat_id, "caregivers_invite", link=link, items=defaults)
    await send(context.bot, chat_id, text, InlineKeyboardMarkup([[button]]))


def _check_invitation(services: Services, token: str, viewer: int) -> tuple[str, Invitation | None]:
    """The catalog key that explains why the link can't be used, or "" with the invitation.

    The explanations never name the patient, except to someone who already follows her."""
    found = store.invitation(services.db, _hash(token)) if TOKEN_PATTERN.fullmatch(token) else None
    if found is None:
        return "caregivers_link_invalid", None
    if found.used_at is not None:
        return "caregivers_link_used", None
    if found.expires_at <= epoch(services.clock.now()):
        return "caregivers_link_expired", None
    if not may_accept(viewer, found.patient):
        return "caregivers_link_own", None
    if store.get_link(services.db, found.patient, viewer) is not None:
        return "caregivers_already_following", found
    return "", found


def _problem_text(services: Services, viewer: int, key: str, found: Invitation | None) -> str:
    if found is None:
        return services.text(viewer, key)
    return services.text(viewer, key, patient=name_of(services, found.patient, viewer))


async def open_invitation(update: Update, context: BotContext) -> None:
    """`/start care-<token>`: show whose updates these are and what would come, and ask."""
    services, chat_id = context.services, chat_id_of(update)
    token = (context.args[0] if context.args else "")[len(DEEP_LINK_PREFIX) :]
    problem, found = _check_invitation(services, token, chat_id)
    if problem or found is None:
        await send(context.bot, chat_id, _problem_text(services, chat_id, problem, found))
        return
    preview = Link(patient=found.patient, caregiver=chat_id)
    minutes = alert_delay(services, found.patient)
    delay = _delay_words(services, chat_id, minutes)
    when = "caregivers_offer_when" if minutes else "caregivers_offer_when_off"
    text = services.text(
        chat_id,
        "caregivers_offer",
        patient=name_of(services, found.patient, chat_id),
        items=_receives(services, chat_id, preview),
        when=label(services, chat_id, when, delay=delay),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                button(
                    label(services, chat_id, "caregivers_accept_button"),
                    InviteButton("accept", token).pack(),
                ),
                button(
                    label(services, chat_id, "caregivers_decline_button"),
                    InviteButton("decline", token).pack(),
                ),
            ]
        ]
    )
    await send(context.bot, chat_id, text, markup)


# --- buttons ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Press:
    """One button press: who pressed, where, and the arguments after `caregivers:<action>:`."""

    services: Services
    bot: Bot
    chat_id: int
    update: Update

    async def edit(self, text: str, markup: Markup = None) -> None:
        query = self.update.callback_query
        assert query is not None
        await edit(query, text, markup)


async def _valid_offer(press: Press, token: str) -> Invitation | None:
    """The invitation behind an Accept/Decline button, or None after saying why not."""
    problem, found = _check_invitation(press.services, token, press.chat_id)
    if problem or found is None:
        await press.edit(_problem_text(press.services, press.chat_id, problem, found))
        return None
    return found


async def accept(press: Press, token: str) -> bool:
    services, caregiver = press.services, press.chat_id
    found = await _valid_offer(press, token)
    if found is None:
        return True
    patient, now = found.patient, epoch(services.clock.now())
    with services.db.atomic():
        used = store.use_invitation(services.db, _hash(token), caregiver, now)
        if used:
            store.add_link(services.db, patient, caregiver, now)
            sync_events(services, patient, caregiver)
    if not used:
        await press.edit(services.text(caregiver, "caregivers_link_used"))
        return True
    await press.edit(
        services.text(
            caregiver, "caregivers_accepted", patient=name_of(services, patient, caregiver)
        )
    )
    name = name_of(services, caregiver, patient)
    remove = button(
        label(services, patient, "caregivers_remove_button", caregiver=name),
        LinkButton("remove", caregiver).pack(),
    )
    text = services.text(patient, "caregivers_now_follows", caregiver=name)
    await tell(press.bot, patient, text, InlineKeyboardMarkup([[remove]]), what=NOTICE)
    return True


async def decline(press: Press, token: str) -> bool:
    services, caregiver = press.services, press.chat_id
    found = await _valid_offer(press, token)
    if found is None:
        return True
    now = epoch(services.clock.now())
    if store.use_invitation(services.db, _hash(token), caregiver, now):
        name = name_of(services, caregiver, found.patient)
        text = services.text(found.patient, "caregivers_patient_declined", caregiver=name)
        await tell(press.bot, found.patient, text, what=NOTICE)
    await press.edit(services.text(caregiver, "caregivers_declined"))
    return True


async def _end(press: Press, link: Link) -> None:
    """Either side ends a link: everything for it stops at once, and the other side is told."""
    services = press.services
    with services.db.atomic():
        store.remove_link(services.db, link.patient, link.caregiver)
        store.cancel_link_events(services.db, link.patient, link.caregiver, KINDS)
    await services.flights.settle(link.caregiver)  # an alert under way lands before "removed"
    patient_name = name_of(services, link.patient, link.caregiver)
    caregiver_name = name_of(services, link.caregiver, link.patient)
    if press.chat_id == link.patient:
        done = services.text(
            link.patient, "caregivers_removed_by_patient", caregiver=caregiver_name
        )
        other, notice = (
            link.caregiver,
            services.text(link.caregiver, "caregivers_told_removed", patient=patient_name),
        )
    else:
        done = services.text(link.caregiver, "caregivers_unsubscribed", patient=patient_name)
        other, notice = (
            link.patient,
            services.text(link.patient, "caregivers_told_unsubscribed", caregiver=caregiver_name),
        )
    await press.edit(done)
    await tell(press.bot, other, notice, what=NOTICE)


def _her_caregiver(press: Press, caregiver: int) -> Link | None:
    """The link to the caregiver named in the button, if the presser is that patient."""
    link = store.get_link(press.services.db, press.chat_id, caregiver) if caregiver else None
    if link is None or not may_do(press.chat_id, link.patient, link, Act.MANAGE_CAREGIVERS):
        return None
    return link


async def remove(press: Press, caregiver: int) -> bool:
    """Remove asks once: one tap must not end a link by accident."""
    link = _her_caregiver(press, caregiver)
    if link is None:
        return False
    services, patient = press.services, press.chat_id
    name = name_of(services, link.caregiver, patient)
    buttons = [
        button(
            label(services, patient, "caregivers_remove_yes", caregiver=name),
            LinkButton("rmyes", link.caregiver).pack(),
        ),
        button(
            label(services, patient, "caregivers_remove_keep"),
            LinkButton("keep", link.caregiver).pack(),
        ),
    ]
    text = services.text(patient, "caregivers_remove_confirm", caregiver=name)
    await press.edit(text, InlineKeyboardMarkup([buttons]))
    return True


async def remove_confirmed(press: Press, caregiver: int) -> bool:
    """The patient removes one of her caregivers (the presser is always the patient)."""
    link = _her_caregiver(press, caregiver)
    if link is None:
        return False
    await _end(press, link)
    return True


async def keep(press: Press, caregiver: int) -> bool:
    """Remove not confirmed: her caregiver's card again, unchanged."""
    link = _her_caregiver(press, caregiver)
    if link is None:
        return False
    await press.edit(*_card(press.services, link))
    return True


async def unsubscribe(press: Press, patient: int) -> bool | str:
    """A caregiver stops following (the presser is always the caregiver). Once the link
    has ended, her old button says so, naming the person she followed."""
    services = press.services
    link = store.get_link(services.db, patient, press.chat_id) if patient else None
    if link is None:
        if not patient or not store.was_invited(services.db, patient, press.chat_id):
            return False
        name = name_of(services, patient, press.chat_id)
        return services.text(press.chat_id, "caregivers_no_longer_follow", patient=name)
    if not may_do(press.chat_id, link.patient, link, Act.END_LINK):
        return False
    await _end(press, link)
    return True


async def switch(press: Press, caregiver: int, name: str) -> bool:
    services, patient = press.services, press.chat_id
    link = store.get_link(services.db, patient, caregiver) if caregiver else None
    if link is None or name not in SWITCHES:
        return False
    if not may_do(patient, link.patient, link, Act.MANAGE_CAREGIVERS):
        return False
    with services.db.atomic():
        store.set_switch(services.db, patient, link.caregiver, name, not link.allows(name))
        sync_events(services, patient, link.caregiver)
    updated = store.get_link(services.db, patient, link.caregiver)
    assert updated is not None
    await press.edit(*_card(services, updated))
    return True


async def set_delay(press: Press, minutes: int) -> bool:
    services, patient = press.services, press.chat_id
    if minutes not in caregiving.DELAY_CHOICES:
        return False
    with services.db.atomic():
        store.set_alert_delay(services.db, patient, minutes)
        reschedule_patient(services, patient)
    await press.edit(*_header(services, patient))
    return True


async def cancel_invitation(press: Press, number: int, created: int) -> bool:
    """The patient withdraws one unused invitation link from /caregivers."""
    services, patient = press.services, press.chat_id
    if not store.cancel_invitation(services.db, patient, number, created):
        return False
    await press.edit(*_invitations(services, patient))
    return True


async def _act(press: Press, data: str) -> bool | str:
    """What the press does: True (done), False (refused as an old or forged button) or a
    text to show instead."""
    if (invite := InviteButton.unpack(data)) is not None:
        act = accept if invite.action == "accept" else decline
        return await act(press, invite.token)
    if (link := LinkButton.unpack(data)) is not None:
        match link.action:
            case "remove":
                return await remove(press, link.chat)
            case "rmyes":
                return await remove_confirmed(press, link.chat)
            case "keep":
                return await keep(press, link.chat)
            case "unsub":
                return await unsubscribe(press, link.chat)
    if (switched := SwitchButton.unpack(data)) is not None:
        return await switch(press, switched.caregiver, switched.switch)
    if (delay := DelayButton.unpack(data)) is not None:
        return await set_delay(press, delay.minutes)
    if (withdrawn := UninviteButton.unpack(data)) is not None:
        return await cancel_invitation(press, withdrawn.number, withdrawn.created)
    return False


async def on_button(update: Update, context: BotContext) -> None:
    """A caregivers' button; anything malformed, stale or not the presser's is refused."""
    query, services, chat_id, data = pressed(update, context)
    done = await _act(Press(services, context.bot, chat_id, update), data)
    if isinstance(done, str):
        await query.answer(done, show_alert=True)
    elif done:
        await query.answer()
    else:
        await expired(query, services, chat_id, context)


# --- lists --------------------------------------------------------------------------------
def _header(services: Services, patient: int) -> tuple[str, InlineKeyboardMarkup]:
    current = alert_delay(services, patient)
    buttons = []
    for minutes in caregiving.DELAY_CHOICES:
        key = "caregivers_delay_off_button" if minutes == 0 else ""
        words = label(services, patient, key) if key else _delay_words(services, patient, minutes)
        mark = "✓ " if minutes == current else ""
        buttons.append(button(mark + words, DelayButton("delay", minutes).pack()))
    text = services.text(
        patient, "caregivers_list_header", delay=_delay_words(services, patient, current)
    )
    return text, InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def _card(services: Services, link: Link) -> tuple[str, InlineKeyboardMarkup]:
    patient = link.patient
    name = name_of(services, link.caregiver, patient)
    rows = [
        [
            button(
                ("✅ " if link.allows(s) else "⬜ ")
                + label(services, patient, f"caregivers_switch_{s}"),
                SwitchButton("switch", link.caregiver, s).pack(),
            )
        ]
        for s in SWITCHES
    ]
    rows.append(
        [
            button(
                label(services, patient, "caregivers_remove_button", caregiver=name),
                LinkButton("remove", link.caregiver).pack(),
            )
        ]
    )
    text = services.text(
        patient, "caregivers_card", caregiver=name, items=_receives(services, patient, link)
    )
    return text + paused.card_line(services, patient, link.caregiver), InlineKeyboardMarkup(rows)


def _invitations(services: Services, patient: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Her unused invitation links, each with a Cancel button (or a line saying none is left)."""
    found = store.open_invitations(services.db, patient, epoch(services.clock.now()))
    if not found:
        return services.text(patient, "caregivers_invitations_none"), None
    zone = services.zone(patient)
    lines, buttons = [], []
    for position, invitation in enumerate(found, start=1):
        made = local_date(from_epoch(invitation.created_at), zone)  # shown in her language
        until = local_date(from_epoch(invitation.expires_at), zone)
        lines.append(
            label(
                services, patient, "caregivers_invitation_line", n=position, made=made, until=until
            )
        )
        buttons.append(
            [
                button(
                    label(services, patient, "caregivers_invitation_cancel_button", n=position),
                    UninviteButton("uninvite", invitation.number, invitation.created_at).pack(),
                )
            ]
        )
    text = services.text(patient, "caregivers_invitations", links="\n".join(lines))
    return text, InlineKeyboardMarkup(buttons)


async def list_caregivers(update: Update, context: BotContext) -> None:
    """/caregivers: for the patient, who follows her and what each receives, and her
    invitation links nobody has used yet."""
    services, patient = context.services, chat_id_of(update)
    links = store.caregivers_of(services.db, patient)
    if not links:
        await send(context.bot, patient, services.text(patient, "caregivers_list_none"))
    else:
        await send(context.bot, patient, *_header(services, patient))
    for link in links:
        await send(context.bot, patient, *_card(services, link))
    if store.open_invitations(services.db, patient, epoch(services.clock.now())):
        await send(context.bot, patient, *_invitations(services, patient))


async def following(update: Update, context: BotContext) -> None:
    """/following: for a caregiver, whose reminders she follows, with a way out."""
    services, caregiver = context.services, chat_id_of(update)
    links = store.patients_of(services.db, caregiver)
    if not links:
        await send(context.bot, caregiver, services.text(caregiver, "caregivers_following_none"))
        return
    for link in links:
        name = name_of(services, link.patient, caregiver)
        text = services.text(
            caregiver,
            "caregivers_following_card",
            patient=name,
            items=_receives(services, caregiver, link),
        )
        unsubscribe = button(
            label(services, caregiver, "caregivers_unsubscribe_button", patient=name),
            LinkButton("unsub", link.patient).pack(),
        )
        await send(context.bot, caregiver, text, InlineKeyboardMarkup([[unsubscribe]]))


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("invite", invite, "caregivers", "caregivers_menu_invite", 10)
    registry.command("caregivers", list_caregivers, "caregivers", "caregivers_menu_caregivers", 20)
    registry.command("following", following, "caregivers", "caregivers_menu_following", 30)
    registry.on_deep_link(DEEP_LINK_PREFIX, open_invitation)
    alerts.register(services)
    services.add_kind(paused.CaregiverGone())
    app.add_handler(CallbackQueryHandler(on_button, pattern=PATTERN))
