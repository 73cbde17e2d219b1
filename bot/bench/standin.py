"""A bench-only "dose" event kind, used only while the reminders feature is not in the
build: it lets the fan-out measure run the real tick with a kind that sends one text.
The bench reports which kind it measured."""

from __future__ import annotations

from datetime import datetime, time

from telegram import Bot

from bot.services import Services
from bot.timerules import local_date, next_daily
from db import people
from db.events import Delivery, Event


class StandInDose:
    name = "dose"

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        person = people.get(services.db, event.chat_id)
        if person is None or person.remind_at is None:
            return None
        return next_daily(time.fromisoformat(person.remind_at), services.zone(event.chat_id), after)

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        message = await bot.send_message(delivery.chat_id, "Time for your anastrozole tablet.")
        return message.message_id

    def expire(self, services: Services, delivery: Delivery) -> None:
        return None


def ensure_dose_kind(services: Services) -> str:
    """Which "dose" kind the fan-out measures: the real one, or the stand-in."""
    if "dose" in services.kinds:
        return "dose (reminders feature)"
    services.add_kind(StandInDose())
    return "bench stand-in (reminders feature not merged)"
