"""Who follows whom, as others may read it (bot/queries.py Links): the account's goodbye
to each linked person. The links stay the caregivers' tables."""

from __future__ import annotations

from sqlite_utils import Database

from db import caregivers


class Links:
    def caregivers(self, db: Database, patient: int) -> list[int]:
        return [link.caregiver for link in caregivers.caregivers_of(db, patient)]

    def patients(self, db: Database, caregiver: int) -> list[int]:
        return [link.patient for link in caregivers.patients_of(db, caregiver)]
