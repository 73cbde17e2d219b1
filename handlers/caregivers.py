"""Caregivers: the patient invites whom she chooses, they accept, and they hear about an
unconfirmed dose, the week and an overdue scan, as far as she allows. Either side ends it.

Every alert is an event in the caregiver's chat, delivered by the scheduler tick and its
ledger (so never lost or doubled); each delivery checks the link and its switch again, so
ending a link or turning a switch off stops news at once, even a delivery in flight.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot import caregiving
from bot.permissions import Act, See, may_accept, may_do, may_see
from bot.services import Services, chat_id_of, get_services
from bot.timerules import epoch, from_epoch, local_date
from db import caregivers as store
from db import doses, events, people
from db.caregivers import SWITCHES, Invitation, Link
from db.events import Delivery, Event

log = logging.getLogger(__name__)

DEEP_LINK_PREFIX = "care-"
TOKEN_BYTES = 24  # 192 random bits: 32 URL-safe characters
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
INVITATION_VALID = timedelta(days=7)

ALERT = "caregiver_alert"
WEEKLY = "caregiver_weekly"
FOLLOWUP = "caregiver_followup"
BONESCAN = "caregiver_bonescan"
KINDS = (ALERT, WEEKLY, FOLLOWUP, BONESCAN)
UNCONFIRMED = ("pending", "missed")

Markup = InlineKeyboardMarkup | None


# --- small helpers ------------------------------------------------------------------------
def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _name(services: Services, chat_id: int, reader: int) -> str:
    person = people.get(services.db, chat_id)
    if person and person.first_name:
        return person.first_name
    return html.unescape(services.text(reader, "caregivers_someone"))


def _label(services: Services, chat_id: int, key: str, **values: Any) -> str:
    """Button text: catalog text without HTML escaping (buttons are plain text)."""
    return html.unescape(services.text(chat_id, key, **values))


def _button(label: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=data)


async def _send(bot: Bot, chat_id: int, text: str, markup: Markup = None) -> int:
    message = await bot.send_message(
        chat_id,
        text,
        parse_mode=ParseMode.HTML,
        disable_web_page_preview=True,
        reply_markup=markup,
    )
    return message.message_id


async def _tell(bot: Bot, chat_id: int, text: str, markup: Markup = None) -> None:
    """A courtesy notice to the other side; if it can't arrive (blocked bot), so be it."""
    try:
        await _send(bot, chat_id, text, markup)
    except TelegramError as exc:
        log.warning("caregiver notice to a chat not delivered: %s", type(exc).__name__)


def _delay_words(services: Services, reader: int, minutes: int) -> str:
    """Plain text (a value for a template or a button label)."""
    if minutes == 0:
        return _label(services, reader, "caregivers_delay_off")
    if minutes == 60:
        return _label(services, reader, "caregivers_delay_hour")
    if minutes % 60 == 0:
        return _label(services, reader, "caregivers_delay_hours", count=minutes // 60)
    return _label(services, reader, "caregivers_delay_minutes", count=minutes)


def _delay(services: Services, patient: int) -> int:
    return store.alert_delay(services.db, patient, services.settings.caregiver_alert_after_minutes)


def _receives(services: Services, reader: int, link: Link) -> str:
    """Plain text listing what the link lets the caregiver receive."""
    items = [
        _label(services, reader, f"caregivers_item_{switch}")
        for switch in SWITCHES
        if link.allows(switch)
    ]
    return ", ".join(items) or _label(services, reader, "caregivers_items_nothing")


# --- scheduling ---------------------------------------------------------------------------
def _alert_after(services: Services, patient: int, minutes: int, after: datetime) -> datetime:
    """Her next dose time plus the delay; without a dose time, look again in a day."""
    person = people.get(services.db, patient)
    if person is None or not person.remind_at:
        return after + timedelta(days=1)
    return caregiving.next_alert(
        time.fromisoformat(person.remind_at),
        services.zone(patient),
        timedelta(minutes=minutes),
        after,
    )


def sync_events(services: Services, patient: int, caregiver: int) -> None:
    """Make the caregiver's alert and weekly events match the link's switches and delay."""
    db, now, ref = services.db, services.clock.now(), str(patient)
    link = store.get_link(db, patient, caregiver)
    minutes = _delay(services, patient)
    if link is not None and link.missed_dose and minutes:
        fire = _alert_after(services, patient, minutes, now)
        events.schedule(db, caregiver, ALERT, epoch(fire), ref, {"delay": minutes})
    else:
        events.cancel(db, caregiver, ALERT, ref)
    if link is not None and link.weekly:
        fire = caregiving.next_weekly(services.zone(caregiver), now)
        events.schedule(db, caregiver, WEEKLY, epoch(fire), ref)
    else:
        events.cancel(db, caregiver, WEEKLY, ref)


class MissedDoseAlert:
    """Daily in the caregiver's chat at the patient's dose time plus her delay."""

    name = ALERT

    @staticmethod
    def _minutes(event_payload: dict[str, Any]) -> int:
        return int(event_payload.get("delay", 0))

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        delay = timedelta(minutes=self._minutes(event.payload))
        return caregiving.alert_occurrence(due, services.zone(int(event.ref)), delay)

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return _alert_after(services, int(event.ref), self._minutes(event.payload), after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = int(delivery.ref), delivery.chat_id
        link = store.get_link(services.db, patient, caregiver)
        minutes = _delay(services, patient)
        if not may_see(caregiver, patient, link, See.MISSED_DOSE) or not minutes:
            return None
        day = caregiving.occurrence_day(delivery.occurrence)
        dose = doses.get(services.db, patient, day)
        if dose is None or dose.status not in UNCONFIRMED or dose.message_id is None:
            return None  # answered, or no reminder went out (the bot was down): no alert
        if store.alert_was_sent(services.db, ALERT, caregiver, patient, day):
            return None  # one alert per dose, even if her dose time changed since
        if from_epoch(dose.due) + timedelta(minutes=minutes) > services.clock.now():
            return None  # her dose time moved later today: not overdue yet
        due_local = from_epoch(dose.due).astimezone(services.zone(patient))
        text = services.text(
            caregiver,
            "caregivers_alert",
            patient=_name(services, patient, caregiver),
            time=due_local.strftime("%H:%M"),
        )
        return await _send(bot, caregiver, text)

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None  # an alert hours too late helps no one; the ledger records "late"


class WeeklySummary:
    """Sunday 19:00 in the caregiver's own zone: the patient's last 7 days."""

    name = WEEKLY

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return caregiving.next_weekly(services.zone(event.chat_id), after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = int(delivery.ref), delivery.chat_id
        link = store.get_link(services.db, patient, caregiver)
        if not may_see(caregiver, patient, link, See.WEEKLY):
            return None
        now = services.clock.now()
        today = local_date(now, services.zone(patient))
        first = today - timedelta(days=caregiving.WEEK - 1)
        rows = doses.between(services.db, patient, first.isoformat(), today.isoformat())
        week = caregiving.summarize_week(rows, today, epoch(now))
        name = _name(services, patient, caregiver)
        if week.reminded == 0:
            return await _send(
                bot, caregiver, services.text(caregiver, "caregivers_weekly_none", patient=name)
            )
        text = services.text(
            caregiver,
            "caregivers_weekly",
            patient=name,
            first=week.first.strftime("%d %b"),
            last=week.last.strftime("%d %b"),
            taken=week.taken,
            days=week.reminded,
            skipped=week.skipped,
            unconfirmed=week.unconfirmed,
        )
        return await _send(bot, caregiver, text)

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


@dataclass
class Note:
    """A one-shot message to a caregiver (the day is in the payload), if she may see it."""

    name: str
    see: See
    compose: Callable[[Services, Delivery, int, int], str | None]

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return str(event.payload["day"])

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = int(delivery.ref.split(":")[0]), delivery.chat_id
        link = store.get_link(services.db, patient, caregiver)
        if not may_see(caregiver, patient, link, self.see):
            return None
        text = self.compose(services, delivery, patient, caregiver)
        return await _send(bot, caregiver, text) if text else None

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


def _taken_after_all(
    services: Services, delivery: Delivery, patient: int, caregiver: int
) -> str | None:
    day = delivery.occurrence
    dose = doses.get(services.db, patient, day)
    if dose is None or dose.status != "taken":
        return None
    if not store.alert_was_sent(services.db, ALERT, caregiver, patient, day):
        return None  # she never heard it was missing, so "after all" would only confuse
    name = _name(services, patient, caregiver)
    return services.text(caregiver, "caregivers_taken_after_all", patient=name)


def _bonescan_overdue(
    services: Services, delivery: Delivery, patient: int, caregiver: int
) -> str | None:
    name = _name(services, patient, caregiver)
    return services.text(caregiver, "caregivers_bonescan", patient=name)


# --- signals from the patient's side ------------------------------------------------------
async def on_dose_answered(
    services: Services, bot: Bot, chat_id: int, local_date: Any, status: str, **_: Any
) -> None:
    """Taken after an alert went out: queue a short follow-up for each alerted caregiver."""
    if status != "taken":
        return
    day = str(local_date)
    now = epoch(services.clock.now())
    with services.db.atomic():
        for caregiver in store.alerted_caregivers(services.db, ALERT, chat_id, day):
            events.schedule(services.db, caregiver, FOLLOWUP, now, f"{chat_id}:{day}", {"day": day})


async def on_bonescan_overdue(services: Services, bot: Bot, chat_id: int, **_: Any) -> None:
    now = services.clock.now()
    day = local_date(now, services.zone(chat_id)).isoformat()
    with services.db.atomic():
        for link in store.caregivers_of(services.db, chat_id):
            if link.bonescan:
                events.schedule(
                    services.db, link.caregiver, BONESCAN, epoch(now), str(chat_id), {"day": day}
                )


# --- invitation ---------------------------------------------------------------------------
async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services, chat_id = get_services(context), chat_id_of(update)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = services.clock.now()
    store.create_invitation(
        services.db, _hash(token), chat_id, epoch(now), epoch(now + INVITATION_VALID)
    )
    link = f"https://t.me/{context.bot.username}?start={DEEP_LINK_PREFIX}{token}"
    share_text = _label(services, chat_id, "caregivers_invite_share_text")
    share = "https://t.me/share/url?" + urlencode(
        {"url": link, "text": share_text}, quote_via=quote
    )
    button = InlineKeyboardButton(
        _label(services, chat_id, "caregivers_invite_share_button"), url=share
    )
    text = services.text(chat_id, "caregivers_invite", link=link)
    await _send(context.bot, chat_id, text, InlineKeyboardMarkup([[button]]))


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
    return services.text(viewer, key, patient=_name(services, found.patient, viewer))


async def open_invitation(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`/start care-<token>`: show whose updates these are and what would come, and ask."""
    services, chat_id = get_services(context), chat_id_of(update)
    token = (context.args[0] if context.args else "")[len(DEEP_LINK_PREFIX) :]
    problem, found = _check_invitation(services, token, chat_id)
    if problem or found is None:
        await _send(context.bot, chat_id, _problem_text(services, chat_id, problem, found))
        return
    preview = Link(patient=found.patient, caregiver=chat_id)
    minutes = _delay(services, found.patient)
    delay = _delay_words(services, chat_id, minutes)
    when = "caregivers_offer_when" if minutes else "caregivers_offer_when_off"
    text = services.text(
        chat_id,
        "caregivers_offer",
        patient=_name(services, found.patient, chat_id),
        items=_receives(services, chat_id, preview),
        when=_label(services, chat_id, when, delay=delay),
    )
    markup = InlineKeyboardMarkup(
        [
            [
                _button(
                    _label(services, chat_id, "caregivers_accept_button"),
                    f"caregivers:accept:{token}",
                ),
                _button(
                    _label(services, chat_id, "caregivers_decline_button"),
                    f"caregivers:decline:{token}",
                ),
            ]
        ]
    )
    await _send(context.bot, chat_id, text, markup)


# --- buttons ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Press:
    """One button press: who pressed, where, and the arguments after `caregivers:<action>:`."""

    services: Services
    bot: Bot
    chat_id: int
    args: list[str]
    update: Update

    async def edit(self, text: str, markup: Markup = None) -> None:
        query = self.update.callback_query
        assert query is not None
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, disable_web_page_preview=True, reply_markup=markup
        )


async def _valid_offer(press: Press) -> Invitation | None:
    """The invitation behind an Accept/Decline button, or None after saying why not."""
    problem, found = _check_invitation(press.services, press.args[0], press.chat_id)
    if problem or found is None:
        await press.edit(_problem_text(press.services, press.chat_id, problem, found))
        return None
    return found


async def accept(press: Press) -> bool:
    services, caregiver, token = press.services, press.chat_id, press.args[0]
    found = await _valid_offer(press)
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
        services.text(caregiver, "caregivers_accepted", patient=_name(services, patient, caregiver))
    )
    name = _name(services, caregiver, patient)
    remove = _button(
        _label(services, patient, "caregivers_remove_button", caregiver=name),
        f"caregivers:remove:{caregiver}",
    )
    text = services.text(patient, "caregivers_now_follows", caregiver=name)
    await _tell(press.bot, patient, text, InlineKeyboardMarkup([[remove]]))
    return True


async def decline(press: Press) -> bool:
    services, caregiver, token = press.services, press.chat_id, press.args[0]
    found = await _valid_offer(press)
    if found is None:
        return True
    now = epoch(services.clock.now())
    if store.use_invitation(services.db, _hash(token), caregiver, now):
        name = _name(services, caregiver, found.patient)
        await _tell(
            press.bot,
            found.patient,
            services.text(found.patient, "caregivers_patient_declined", caregiver=name),
        )
    await press.edit(services.text(caregiver, "caregivers_declined"))
    return True


async def _end(press: Press, link: Link) -> None:
    """Either side ends a link: everything for it stops at once, and the other side is told."""
    services = press.services
    with services.db.atomic():
        store.remove_link(services.db, link.patient, link.caregiver)
        store.cancel_link_events(services.db, link.patient, link.caregiver, KINDS)
    patient_name = _name(services, link.patient, link.caregiver)
    caregiver_name = _name(services, link.caregiver, link.patient)
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
    await _tell(press.bot, other, notice)


def _int(value: str) -> int | None:
    return int(value) if re.fullmatch(r"-?\d{1,19}", value) else None


async def remove(press: Press) -> bool:
    """The patient removes one of her caregivers (the presser is always the patient)."""
    caregiver = _int(press.args[0])
    link = store.get_link(press.services.db, press.chat_id, caregiver) if caregiver else None
    if link is None or not may_do(press.chat_id, link.patient, link, Act.MANAGE_CAREGIVERS):
        return False
    await _end(press, link)
    return True


async def unsubscribe(press: Press) -> bool:
    """A caregiver stops following (the presser is always the caregiver)."""
    patient = _int(press.args[0])
    link = store.get_link(press.services.db, patient, press.chat_id) if patient else None
    if link is None or not may_do(press.chat_id, link.patient, link, Act.END_LINK):
        return False
    await _end(press, link)
    return True


async def switch(press: Press) -> bool:
    services, patient = press.services, press.chat_id
    caregiver = _int(press.args[0])
    name = press.args[1] if len(press.args) > 1 else ""
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


async def set_delay(press: Press) -> bool:
    services, patient = press.services, press.chat_id
    minutes = _int(press.args[0])
    if minutes not in caregiving.DELAY_CHOICES:
        return False
    with services.db.atomic():
        store.set_alert_delay(services.db, patient, minutes)
        for link in store.caregivers_of(services.db, patient):
            sync_events(services, patient, link.caregiver)
    await press.edit(*_header(services, patient))
    return True


BUTTONS: dict[str, tuple[int, Callable[[Press], Awaitable[bool]]]] = {
    "accept": (1, accept),
    "decline": (1, decline),
    "remove": (1, remove),
    "unsub": (1, unsubscribe),
    "switch": (2, switch),
    "delay": (1, set_delay),
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`caregivers:<action>:<args>`; anything malformed, stale or not the presser's is refused."""
    query = update.callback_query
    if query is None:
        return
    services, chat_id = get_services(context), chat_id_of(update)
    parts = (query.data or "").split(":")
    action, args = (parts[1] if len(parts) > 1 else ""), parts[2:]
    handler = BUTTONS.get(action)
    done = False
    if handler is not None and len(args) == handler[0] and all(args):
        done = await handler[1](Press(services, context.bot, chat_id, args, update))
    if done:
        await query.answer()
    else:
        await query.answer(services.text(chat_id, "button_expired"), show_alert=True)


# --- lists --------------------------------------------------------------------------------
def _header(services: Services, patient: int) -> tuple[str, InlineKeyboardMarkup]:
    current = _delay(services, patient)
    buttons = []
    for minutes in caregiving.DELAY_CHOICES:
        key = "caregivers_delay_off_button" if minutes == 0 else ""
        label = _label(services, patient, key) if key else _delay_words(services, patient, minutes)
        mark = "✓ " if minutes == current else ""
        buttons.append(_button(mark + label, f"caregivers:delay:{minutes}"))
    text = services.text(
        patient, "caregivers_list_header", delay=_delay_words(services, patient, current)
    )
    return text, InlineKeyboardMarkup([buttons[:3], buttons[3:]])


def _card(services: Services, link: Link) -> tuple[str, InlineKeyboardMarkup]:
    patient = link.patient
    name = _name(services, link.caregiver, patient)
    rows = [
        [
            _button(
                ("✅ " if link.allows(s) else "⬜ ")
                + _label(services, patient, f"caregivers_switch_{s}"),
                f"caregivers:switch:{link.caregiver}:{s}",
            )
        ]
        for s in SWITCHES
    ]
    rows.append(
        [
            _button(
                _label(services, patient, "caregivers_remove_button", caregiver=name),
                f"caregivers:remove:{link.caregiver}",
            )
        ]
    )
    text = services.text(
        patient, "caregivers_card", caregiver=name, items=_receives(services, patient, link)
    )
    return text, InlineKeyboardMarkup(rows)


async def list_caregivers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/caregivers: for the patient, who follows her and what each receives."""
    services, patient = get_services(context), chat_id_of(update)
    links = store.caregivers_of(services.db, patient)
    if not links:
        await _send(context.bot, patient, services.text(patient, "caregivers_list_none"))
        return
    await _send(context.bot, patient, *_header(services, patient))
    for link in links:
        await _send(context.bot, patient, *_card(services, link))


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/following: for a caregiver, whose reminders she follows, with a way out."""
    services, caregiver = get_services(context), chat_id_of(update)
    links = store.patients_of(services.db, caregiver)
    if not links:
        await _send(context.bot, caregiver, services.text(caregiver, "caregivers_following_none"))
        return
    for link in links:
        name = _name(services, link.patient, caregiver)
        text = services.text(
            caregiver,
            "caregivers_following_card",
            patient=name,
            items=_receives(services, caregiver, link),
        )
        button = _button(
            _label(services, caregiver, "caregivers_unsubscribe_button", patient=name),
            f"caregivers:unsub:{link.patient}",
        )
        await _send(context.bot, caregiver, text, InlineKeyboardMarkup([[button]]))


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("invite", invite, "caregivers", "Invite someone to follow your reminders", 10)
    registry.command(
        "caregivers", list_caregivers, "caregivers", "Who follows you, what they see", 20
    )
    registry.command("following", following, "caregivers", "Whose reminders you follow", 30)
    registry.on_deep_link(DEEP_LINK_PREFIX, open_invitation)
    registry.listen("dose_answered", on_dose_answered)
    registry.listen("bonescan_overdue", on_bonescan_overdue)
    services.add_kind(MissedDoseAlert())
    services.add_kind(WeeklySummary())
    services.add_kind(Note(FOLLOWUP, See.MISSED_DOSE, _taken_after_all))
    services.add_kind(Note(BONESCAN, See.BONESCAN, _bonescan_overdue))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^caregivers:"))
