"""Who someone is to the bot, read from what she has told it: a caregiver follows someone
and has no reminder or treatment course of her own. Setting a reminder makes anyone a
patient. Features ask here instead of importing the caregivers feature."""

from __future__ import annotations

from sqlite_utils import Database


def is_caregiver(db: Database, chat_id: int, reminder_known_off: bool = False) -> bool:
    """True for someone who only follows a patient (no reminder, no dose, no course).
    `reminder_known_off`: the caller has her record in hand and she has no reminder, so her
    row is not read again."""
    reminder = (
        ""
        if reminder_known_off
        else " AND NOT EXISTS (SELECT 1 FROM people WHERE chat_id = :id AND remind_at IS NOT NULL)"
    )
    row = next(
        db.query(
            "SELECT EXISTS (SELECT 1 FROM caregiver_links WHERE caregiver = :id)"
            + reminder
            + " AND NOT EXISTS (SELECT 1 FROM doses WHERE chat_id = :id)"
            " AND NOT EXISTS (SELECT 1 FROM courses WHERE chat_id = :id) AS caregiver",
            {"id": chat_id},
        )
    )
    return bool(row["caregiver"])
