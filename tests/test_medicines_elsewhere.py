"""Her other medicines where she sees her data elsewhere, through the real application:
the calendar file (/calendar), the oncologist's report (/report) and her caregivers' weekly
summary, each in her language (or the caregiver's), and nothing of a medicine she keeps to
herself in what a caregiver receives."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from pypdf import PdfReader

from bot.app import App
from bot.services import Services
from bot.trial.recording_request import RecordingRequest
from db import medicines
from tests.support import Move, Person, en
from tests.test_caregivers import CAROL, follow, messages
from tests.test_medicines import ANNA, add, buttons_of, reminders_to

TODAY = date(2026, 3, 2)  # the test clock's Monday
BEA = 5005

LONDON = ZoneInfo("Europe/London")


def calendar_of(person: Person, since: int) -> Calendar:
    [document] = [p for m, p in person.calls_since(since) if m == "sendDocument"]
    return Calendar.from_ical(document["_files"]["document"][1])


# --- the calendar file ------------------------------------------------------------------
async def test_the_calendar_repeats_each_medicine_she_takes_as_she_is_reminded(
    app: App, anna: Person, services: Services, request_layer: RecordingRequest
) -> None:
    """Monday 2 March 2026 in London: every kind of schedule, one paused, one stopped, and
    nothing of another person's medicines."""
    await add(
        Person(app, request_layer, chat_id=BEA, first_name="Bea"), "Bea's pill", "daily", "9am"
    )
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


# --- the oncologist's report --------------------------------------------------------------
def record(services: Services, medicine_id: int, statuses: list[str], at: str = "08:00") -> None:
    """One dose a day, the last today, as her reminders and answers store them."""
    for back, status in enumerate(reversed(statuses)):
        day = (TODAY - timedelta(days=back)).isoformat()
        answered = 0 if status in ("taken", "skipped") else None
        medicines.open_dose(services.db, medicine_id, ANNA, day, at, 0, status, answered)


def report_text(person: Person, since: int) -> str:
    [document] = [p for m, p in person.calls_since(since) if m == "sendDocument"]
    pages = PdfReader(io.BytesIO(document["_files"]["document"][1])).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


async def test_the_report_counts_each_medicines_doses_over_its_months(
    anna: Person, services: Services
) -> None:
    """Since 1 April 2025: a dose left open on a past day was missed, today's open one not
    yet; a stopped medicine's doses still count; one with no doses is not listed; another
    person's doses are not hers."""
    await add(anna, "Calcium", "daily", "08:00")
    await add(anna, "Metformin", "daily", "12:00")
    await add(anna, "Vitamin D", "daily", "20:00")
    calcium, metformin, _vitamin = medicines.listed(services.db, ANNA)
    past = ["taken"] * 30 + ["skipped"] * 4 + ["missed", "pending"] * 3
    record(services, calcium.id, [*past, "pending"])  # today's, still open
    medicines.open_dose(services.db, calcium.id, ANNA, "2025-03-31", "08:00", 0, "missed")
    record(services, metformin.id, ["taken", "missed", "taken", "taken"], at="12:00")
    medicines.open_dose(services.db, calcium.id, BEA, TODAY.isoformat(), "09:00", 0, "taken")
    await anna.press(f"meds:stop:{metformin.id}")
    await anna.press(f"meds:stopyes:{metformin.id}")
    since = len(anna.request.calls)
    await anna.send("/report")
    text = report_text(anna, since)
    assert "Her other medicines: doses since 1 April 2025" in text
    assert "Medicine Taken Skipped Missed Taken % Calcium 30 4 6 75% Metformin 3 0 1 75%" in text
    assert "Vitamin D" not in text


async def test_a_russian_report_names_the_columns_in_russian(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    olga = Person(app, request_layer, chat_id=ANNA, first_name="Ольга", language_code="ru")
    await add(olga, "Кальций", "daily", "08:00")
    [calcium] = medicines.listed(services.db, ANNA)
    record(services, calcium.id, ["taken", "skipped", "pending", "taken"])
    since = len(request_layer.calls)
    await olga.send("/report")
    text = report_text(olga, since)
    assert "Другие лекарства: дозы с 1 апреля 2025" in text
    assert "Лекарство Принято Не принято Пропущено Принято, % Кальций 2 1 1 50%" in text


# --- the caregivers' weekly summary -------------------------------------------------------
def summaries(person: Person, since: int) -> list[str]:
    return [t for t in messages(person, since) if t.startswith("📅")]


async def test_the_weekly_summary_gives_the_week_of_each_medicine_she_shares_only(
    app: App, anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    """Calcium shared, Metformin not; Carol reads English, Olga Russian. Tuesday to Sunday
    at 08:00: Calcium taken three times, skipped once, left open on Friday and on Sunday
    (still open at 19:00 that day: not counted yet)."""
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await follow(anna, carol)
    await follow(anna, olga)
    await add(anna, "Calcium", "daily", "08:00")
    await add(anna, "Metformin", "daily", "08:00")
    calcium, _metformin = medicines.listed(services.db, ANNA)
    await anna.press(f"meds:share:{calcium.id}")
    since = len(request_layer.calls)
    for day, answer in [(3, "take"), (4, "take"), (5, "take"), (6, None), (7, "skip")]:
        await move(datetime(2026, 3, day, 8, 0, tzinfo=UTC))
        if answer:
            await anna.press(
                buttons_of(reminders_to(request_layer)[-1])["✅ Calcium"].replace("take", answer)
            )
    await move(datetime(2026, 3, 8, 19, 0, tzinfo=UTC))  # Sunday 19:00, the caregivers' zone
    [week] = summaries(carol, since)
    assert week.endswith(
        "\n"
        + en("caregivers_weekly_medicines")
        + "\n"
        + en(
            "caregivers_weekly_medicine", name="Calcium", taken=3, doses=5, skipped=1, unconfirmed=1
        )
    )
    [russian] = summaries(olga, since)
    assert "💊 <b>Calcium</b>: принято 3 из 5, не принято 1, не подтверждено 1" in russian
    assert not any("Metformin" in t for t in messages(carol, since) + messages(olga, since))
    await anna.press(f"meds:share:{calcium.id}")  # no longer shared: nothing of it
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 15, 19, 0, tzinfo=UTC))
    [week] = summaries(carol, since)
    assert "💊" not in week and "Calcium" not in week
