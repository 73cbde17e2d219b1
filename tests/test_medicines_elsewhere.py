"""Her other medicines where she sees her data elsewhere, through the real application:
the calendar file (/calendar), the oncologist's report (/report) and her caregivers' weekly
summary, each in her language (or the caregiver's), and nothing of a medicine she keeps to
herself in what a caregiver receives."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar

from bot.app import App
from bot.services import Services
from bot.trial.recording_request import RecordingRequest
from db import medicines
from tests.support import Person
from tests.test_medicines import ANNA, add

LONDON = ZoneInfo("Europe/London")


def calendar_of(person: Person, since: int) -> Calendar:
    [document] = [p for m, p in person.calls_since(since) if m == "sendDocument"]
    return Calendar.from_ical(document["_files"]["document"][1])


# --- the calendar file ------------------------------------------------------------------
async def test_the_calendar_repeats_each_medicine_she_takes_as_she_is_reminded(
    anna: Person, services: Services
) -> None:
    """Monday 2 March 2026 in London: every kind of schedule, one paused, one stopped."""
    await anna.send("/timezone Europe/London")
    await add(anna, "Calcium", "daily", "08:00, 20:00")
    await add(anna, "Alendronic acid", "weekly", "Sunday", "07:00")
    await add(anna, "Iron", "every_days", "3", "tomorrow", "08:00")
    await add(anna, "B12", "monthly", "31", "09:00")
    await add(anna, "Denosumab", "every_months", "6", "2026-04-15")
    await add(anna, "Paracetamol", "as_needed")
    await add(anna, "Vitamin D", "daily", "10:00")
    await add(anna, "Metformin", "daily", "12:00")
    *_, vitamin, metformin = medicines.listed(services.db, ANNA)
    await anna.press(f"meds:pause:{vitamin.id}")
    await anna.press(f"meds:stop:{metformin.id}")
    await anna.press(f"meds:stopyes:{metformin.id}")
    since = len(anna.request.calls)
    await anna.send("/calendar")
    found = [(str(e["summary"]), e) for e in calendar_of(anna, since).walk("VEVENT")]
    starts = {(s, e.decoded("dtstart")) for s, e in found}
    assert starts == {
        ("Take Calcium", datetime(2026, 3, 2, 8, 0, tzinfo=LONDON)),
        ("Take Calcium", datetime(2026, 3, 2, 20, 0, tzinfo=LONDON)),
        ("Take Alendronic acid", datetime(2026, 3, 8, 7, 0, tzinfo=LONDON)),
        ("Take Iron", datetime(2026, 3, 3, 8, 0, tzinfo=LONDON)),
        ("Take B12", datetime(2026, 3, 31, 9, 0, tzinfo=LONDON)),
        ("Denosumab due", date(2026, 4, 15)),
    }
    rules = {s: e["rrule"] for s, e in found if "rrule" in e}
    assert rules == {
        "Take Calcium": {"FREQ": ["DAILY"]},
        "Take Alendronic acid": {"FREQ": ["WEEKLY"], "BYDAY": ["SU"]},
        "Take Iron": {"FREQ": ["DAILY"], "INTERVAL": [3]},
        "Take B12": {"FREQ": ["MONTHLY"], "BYMONTHDAY": [28, 29, 30, 31], "BYSETPOS": [-1]},
    }
    assert all(e["dtstart"].params.get("TZID") == "Europe/London" for s, e in found if "Take" in s)
    assert len({str(e["uid"]) for _s, e in found}) == len(found) == 6


async def test_a_calendar_in_russian_names_her_medicine_in_russian(
    app: App, request_layer: RecordingRequest
) -> None:
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await add(olga, "Кальций & D3", "daily", "08:00")
    await add(olga, "Деносумаб", "every_months", "6", "2026-04-15")
    since = len(request_layer.calls)
    await olga.send("/calendar")
    summaries = {str(e["summary"]) for e in calendar_of(olga, since).walk("VEVENT")}
    assert summaries == {"Примите: Кальций & D3", "Срок: Деносумаб"}
