"""Her symptoms as others may read them (bot/queries.py Symptoms): a caregiver's weekly
line, when she shares her diary. Never her notes: they stay in `diary_entries`."""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from bot.queries import Logged
from db import diary


class Symptoms:
    def between(self, db: Database, chat_id: int, first: date, last: date) -> list[Logged]:
        entries = diary.between(db, chat_id, first, last)
        return [Logged(e.local_date, e.symptom, e.severity) for e in entries]
