"""Caregivers who leave quietly: when a caregiver's chat blocks the bot or is deleted, her
alerts stop arriving (the scheduler pauses her chat). The patient would not know, and would
count on alerts no one receives; so she is told once, in her language, and /caregivers shows
the link as paused (usecases.py card_text). It resumes by itself when the caregiver writes
again (her chat unpauses then, and the card shows nothing more)."""

from __future__ import annotations

from datetime import datetime

from telegram import Bot

from bot.core import name_of
from bot.pure.timerules import epoch
from bot.replies import send
from bot.services import Services
from db import caregivers as store
from db import events, people
from db.events import Delivery, Event

GONE = "link_paused"  # to the patient; ref: the caregiver (not a "caregiver_" kind: it is hers)


class CaregiverGone:
    """A one-shot note in the patient's chat, named by when the caregiver was lost, so the
    ledger sends it once however often that is looked at."""

    name = GONE

    def chat_blocked(self, services: Services, chat_id: int, now: datetime) -> None:
        """The scheduler found `chat_id` blocked (EventKind.chat_blocked): each patient she
        follows is to be told, in the same transaction."""
        since = epoch(now)
        for link in store.patients_of(services.db, chat_id):
            events.schedule(services.db, link.patient, GONE, since, str(chat_id), {"since": since})

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return str(event.payload["since"])

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        return None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        patient, caregiver = delivery.chat_id, int(delivery.ref)
        if store.get_link(services.db, patient, caregiver) is None:
            return None  # removed meanwhile
        if not people.is_blocked(services.db, caregiver):
            return None  # she came back before the note went out
        name = name_of(services, caregiver, patient)
        return await send(bot, patient, services.text(patient, "caregivers_gone", caregiver=name))

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None
