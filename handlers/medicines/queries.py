"""Her injections every few months as others may read them (bot/queries.py Injections):
/checkups lists them with her scans and tests. The `medicines` table stays the medicines'."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from bot.pure.medschedule import EveryNMonths, ScheduleError, from_json
from bot.queries import Injection
from db import medicines


class Injections:
    def kept(self, db: Database, chat_id: int, today: date) -> list[Injection]:
        found: list[Injection] = []
        for medicine in medicines.listed(db, chat_id):
            try:
                every = from_json(medicine.schedule)
            except ScheduleError:
                continue
            if medicine.status == "active" and isinstance(every, EveryNMonths):
                found.append(Injection(medicine.name, every.due_from(today)))
        return found
