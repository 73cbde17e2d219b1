"""Caregivers: the patient invites whom she chooses, they accept or decline, and either side
ends it. Each command and press is parsed here and answered with what usecases.py decides;
what caregivers then receive (alerts, summaries, notes) is in alerts.py."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot.core import label, name_of
from bot.pure.words import her_words
from bot.replies import Markup, edit, expired, pressed, send, tell
from bot.services import BotContext, Services, chat_id_of, typed_text
from db.caregivers import Invitation, Link
from handlers.caregivers import alerts, paused, usecases
from handlers.caregivers.buttons import (
    PATTERN,
    DelayButton,
    InviteButton,
    LinkButton,
    SwitchButton,
    UninviteButton,
    card_keyboard,
    confirm_keyboard,
    delay_keyboard,
    invitations_keyboard,
    offer_keyboard,
    remove_keyboard,
    unsubscribe_keyboard,
)
from handlers.caregivers.planning import alert_delay

log = logging.getLogger(__name__)

DEEP_LINK_PREFIX = "care-"
NOTICE = "caregiver notice to a chat"  # what a notice that could not arrive is logged as


# --- invitation ---------------------------------------------------------------------------
async def invite(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    token = usecases.invite(services, chat_id)
    if token is None:
        limit = usecases.MAX_OPEN_INVITATIONS
        await send(
            context.bot, chat_id, services.text(chat_id, "caregivers_invite_limit", count=limit)
        )
        return
    link = f"https://t.me/{context.bot.username}?start={DEEP_LINK_PREFIX}{token}"
    share_text = label(services, chat_id, "caregivers_invite_share_text")
    share = "https://t.me/share/url?" + urlencode(
        {"url": link, "text": share_text}, quote_via=quote
    )
    button = InlineKeyboardButton(
        label(services, chat_id, "caregivers_invite_share_button"), url=share
    )
    defaults = usecases.receives(services, chat_id, Link(patient=chat_id, caregiver=0))
    text = services.text(chat_id, "caregivers_invite", link=link, items=defaults)
    await send(context.bot, chat_id, text, InlineKeyboardMarkup([[button]]))


async def open_invitation(update: Update, context: BotContext) -> None:
    """`/start care-<token>`: show whose updates these are and what would come, and ask."""
    services, chat_id = context.services, chat_id_of(update)
    token = (context.args[0] if context.args else "")[len(DEEP_LINK_PREFIX) :]
    problem, found = usecases.check_invitation(services, token, chat_id)
    if problem or found is None:
        await send(context.bot, chat_id, usecases.problem_text(services, chat_id, problem, found))
        return
    text = usecases.offer_text(services, found.patient, chat_id)
    await send(context.bot, chat_id, text, offer_keyboard(services, chat_id, token))
    usecases.await_offer(services, chat_id, token)  # "yes" typed answers it too


async def on_typed_offer(update: Update, context: BotContext) -> bool:
    """ "Yes" or "no" typed to an invitation (both languages): as Accept or Decline.
    Anything else closes the question and goes on (False)."""
    services, chat_id = context.services, chat_id_of(update)
    token = usecases.offered(services, chat_id)
    usecases.stop_waiting(services, chat_id)
    answer = her_words(services.settings.content_path).answer(typed_text(update))
    if token is None or answer not in ("yes", "no"):
        return False
    press = Press(services, context.bot, chat_id, update)
    await (accept(press, token) if answer == "yes" else decline(press, token))
    return True


# --- buttons ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Press:
    """One button press: who pressed, where, and the arguments after `caregivers:<action>:`."""

    services: Services
    bot: Bot
    chat_id: int
    update: Update

    async def edit(self, text: str, markup: Markup = None) -> None:
        """The pressed message, changed; a new message for an answer typed in words."""
        query = self.update.callback_query
        if query is None:
            await send(self.bot, self.chat_id, text, markup)
            return
        await edit(query, text, markup)


async def _valid_offer(press: Press, token: str) -> Invitation | None:
    """The invitation behind an Accept/Decline button, or None after saying why not (either
    way the invitation's question is answered: her next words are free)."""
    if usecases.offered(press.services, press.chat_id) is not None:
        usecases.stop_waiting(press.services, press.chat_id)
    problem, found = usecases.check_invitation(press.services, token, press.chat_id)
    if problem or found is None:
        await press.edit(usecases.problem_text(press.services, press.chat_id, problem, found))
        return None
    return found


async def accept(press: Press, token: str) -> bool:
    services, caregiver = press.services, press.chat_id
    found = await _valid_offer(press, token)
    if found is None:
        return True
    patient = found.patient
    if not usecases.accept(services, token, patient, caregiver):
        await press.edit(services.text(caregiver, "caregivers_link_used"))
        return True
    name = name_of(services, patient, caregiver)
    await press.edit(services.text(caregiver, "caregivers_accepted", patient=name))
    name = name_of(services, caregiver, patient)
    text = services.text(patient, "caregivers_now_follows", caregiver=name)
    markup = remove_keyboard(services, patient, caregiver)
    await tell(press.bot, patient, text, markup, what=NOTICE)
    return True


async def decline(press: Press, token: str) -> bool:
    services, caregiver = press.services, press.chat_id
    found = await _valid_offer(press, token)
    if found is None:
        return True
    if usecases.decline(services, token, caregiver):
        name = name_of(services, caregiver, found.patient)
        text = services.text(found.patient, "caregivers_patient_declined", caregiver=name)
        await tell(press.bot, found.patient, text, what=NOTICE)
    await press.edit(services.text(caregiver, "caregivers_declined"))
    return True


async def _end(press: Press, link: Link) -> None:
    """Either side ends a link: everything for it stops at once, and the other side is told."""
    services = press.services
    usecases.end(services, link)
    await services.flights.settle(link.caregiver)  # an alert under way lands before "removed"
    done, other, notice = usecases.ended_texts(services, link, press.chat_id)
    await press.edit(done)
    await tell(press.bot, other, notice, what=NOTICE)


async def remove(press: Press, caregiver: int) -> bool:
    """Remove asks once: one tap must not end a link by accident."""
    services, patient = press.services, press.chat_id
    link = usecases.her_caregiver(services, patient, caregiver)
    if link is None:
        return False
    name = name_of(services, link.caregiver, patient)
    text = services.text(patient, "caregivers_remove_confirm", caregiver=name)
    await press.edit(text, confirm_keyboard(services, patient, link.caregiver))
    return True


async def remove_confirmed(press: Press, caregiver: int) -> bool:
    """The patient removes one of her caregivers (the presser is always the patient)."""
    link = usecases.her_caregiver(press.services, press.chat_id, caregiver)
    if link is None:
        return False
    await _end(press, link)
    return True


async def keep(press: Press, caregiver: int) -> bool:
    """Remove not confirmed: her caregiver's card again, unchanged."""
    link = usecases.her_caregiver(press.services, press.chat_id, caregiver)
    if link is None:
        return False
    await press.edit(*_card(press.services, link))
    return True


async def unsubscribe(press: Press, patient: int) -> bool | str:
    """A caregiver stops following (the presser is always the caregiver). Once the link
    has ended, her old button says so, naming the person she followed."""
    found = usecases.leaving(press.services, patient, press.chat_id)
    if isinstance(found, Link):
        await _end(press, found)
        return True
    return found or False


async def switch(press: Press, caregiver: int, name: str) -> bool:
    updated = usecases.toggle(press.services, press.chat_id, caregiver, name)
    if updated is None:
        return False
    await press.edit(*_card(press.services, updated))
    return True


async def set_delay(press: Press, minutes: int) -> bool:
    if not usecases.set_delay(press.services, press.chat_id, minutes):
        return False
    await press.edit(*_header(press.services, press.chat_id))
    return True


async def cancel_invitation(press: Press, number: int, created: int) -> bool:
    """The patient withdraws one unused invitation link from /caregivers."""
    if not usecases.withdraw(press.services, press.chat_id, number, created):
        return False
    await press.edit(*_invitations(press.services, press.chat_id))
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
    return usecases.header_text(services, patient), delay_keyboard(services, patient, current)


def _card(services: Services, link: Link) -> tuple[str, InlineKeyboardMarkup]:
    return usecases.card_text(services, link), card_keyboard(services, link)


def _invitations(services: Services, patient: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """Her unused invitation links, each with a Cancel button (or a line saying none is left)."""
    found = usecases.open_invitations(services, patient)
    if not found:
        return services.text(patient, "caregivers_invitations_none"), None
    text = usecases.invitation_lines(services, patient, found)
    return text, invitations_keyboard(services, patient, found)


async def list_caregivers(update: Update, context: BotContext) -> None:
    """/caregivers: for the patient, who follows her and what each receives, and her
    invitation links nobody has used yet."""
    services, patient = context.services, chat_id_of(update)
    links = usecases.caregivers_of(services, patient)
    if not links:
        await send(context.bot, patient, services.text(patient, "caregivers_list_none"))
    else:
        await send(context.bot, patient, *_header(services, patient))
    for link in links:
        await send(context.bot, patient, *_card(services, link))
    if usecases.open_invitations(services, patient):
        await send(context.bot, patient, *_invitations(services, patient))


async def following(update: Update, context: BotContext) -> None:
    """/following: for a caregiver, whose reminders she follows, with a way out."""
    services, caregiver = context.services, chat_id_of(update)
    links = usecases.patients_of(services, caregiver)
    if not links:
        await send(context.bot, caregiver, services.text(caregiver, "caregivers_following_none"))
        return
    for link in links:
        text = usecases.following_text(services, link)
        await send(context.bot, caregiver, text, unsubscribe_keyboard(services, link))


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("invite", invite, "caregivers", "caregivers_menu_invite", 10)
    registry.command("caregivers", list_caregivers, "caregivers", "caregivers_menu_caregivers", 20)
    registry.command("following", following, "caregivers", "caregivers_menu_following", 30)
    registry.on_deep_link(DEEP_LINK_PREFIX, open_invitation)
    registry.on_reply(usecases.OFFERED, on_typed_offer)
    alerts.register(services)
    services.add_kind(paused.CaregiverGone())
    app.add_handler(CallbackQueryHandler(on_button, pattern=PATTERN))
