"""Her medicines as others may read them (bot/queries.py Medicines, Injections): her
calendar, her report and her caregivers' summary read what she takes and how it went;
/checkups lists her injections with her scans and tests. The tables stay the medicines'."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from bot.pure.medschedule import EveryNMonths, ScheduleError, from_json
from bot.queries import Injection, Taking, Tally
from db import medicines


class Medicines:
    def taking(self, db: Database, chat_id: int) -> list[Taking]:
        found: list[Taking] = []
        for medicine in medicines.listed(db, chat_id):
            try:
                schedule = from_json(medicine.schedule)
            except ScheduleError:
                continue
            if medicine.status == "active":
                found.append(Taking(medicine.id, medicine.name, schedule))
        return found

    def tallies(
        self, db: Database, chat_id: int, first: date, today: date, shared: bool = False
    ) -> list[Tally]:
        rows = medicines.tallies(db, chat_id, first.isoformat(), today.isoformat(), shared)
        return [Tally(*row) for row in rows]


class Injections:
    def kept(self, db: Database, chat_id: int, today: date) -> list[Injection]:
        return [
            Injection(taking.name, taking.schedule.due_from(today))
            for taking in Medicines().taking(db, chat_id)
            if isinstance(taking.schedule, EveryNMonths)
        ]
