"""Her course and check-ups as others may read them (bot/queries.py Checkups): the diary's
report for the oncologist."""

from __future__ import annotations

from sqlite_utils import Database

from bot.pure.dates import next_due
from bot.queries import CheckDue, Course
from db import checkups
from db.checkups import CHECKS


class Checkups:
    def course(self, db: Database, chat_id: int) -> Course | None:
        found = checkups.get_course(db, chat_id)
        return Course(found.started, found.years) if found else None

    def kept(self, db: Database, chat_id: int) -> list[CheckDue]:
        kept = []
        for name in CHECKS:
            check = checkups.get(db, chat_id, name)
            if not check.enabled:
                continue
            due = check.booked_date or (
                next_due(check.last_date, check.months) if check.last_date else None
            )
            kept.append(CheckDue(name, check.last_date, due))
        return kept
