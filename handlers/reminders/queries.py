"""Her dose days as others may read them (bot/queries.py DoseDays): the diary's chart and
report, a caregiver's alert and weekly summary. The `doses` table stays the reminders'."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from bot.queries import DoseDay
from db import doses, reminders
from handlers.reminders import planning


def _day(dose: doses.Dose | None) -> DoseDay | None:
    if dose is None:
        return None
    return DoseDay(date.fromisoformat(dose.local_date), dose.status, dose.due, dose.message_id)


class Doses:
    def between(self, db: Database, chat_id: int, first: date, last: date) -> list[DoseDay]:
        found = doses.between(db, chat_id, first.isoformat(), last.isoformat())
        return [day for day in map(_day, found) if day is not None]

    def on(self, db: Database, chat_id: int, day: date) -> DoseDay | None:
        return _day(doses.get(db, chat_id, day.isoformat()))

    def latest(self, db: Database, chat_id: int) -> DoseDay | None:
        return _day(doses.latest(db, chat_id))

    def close_before(self, db: Database, chat_id: int, day: date) -> None:
        doses.close_before(db, chat_id, day.isoformat())

    def carries(self, db: Database, chat_id: int, day: date, due: int) -> bool:
        return planning.carries(db, chat_id, day.isoformat(), due)

    def follow_up_minutes(self, db: Database, chat_id: int) -> int:
        return reminders.get(db, chat_id).nudge_minutes
