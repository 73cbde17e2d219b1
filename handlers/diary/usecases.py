"""Diary use cases: rules and the database, no Telegram. The commands and buttons call these."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core import Core
from bot.pure.dates import DateProblem, parse_date, show_short
from bot.pure.diary import SYMPTOMS, checkin_due, trends
from bot.pure.timerules import epoch, local_date
from bot.reports import Say
from bot.reports.pdf import CheckDates, ReportData, first_month
from db import diary, people
from db.diary import Entry
from db.people import Person

SYMPTOMS_DAYS = 30
MAX_NAME = 80  # characters of the name she gives for her report
BORN_AFTER = date(1900, 1, 1)
LATEST_SHOWN = 5
REPORT_DAYS = 366


def today(core: Core, chat_id: int) -> date:
    return local_date(core.clock.now(), core.zone(chat_id))


def say_for(core: Core, chat_id: int) -> Say:
    """Plain text in her language: for buttons, the chart and the PDF (no HTML there)."""
    return core.say(chat_id)


def log(core: Core, chat_id: int, symptom: str, severity: int) -> int:
    """Record a symptom for her local today; its id lets a note follow."""
    now = core.clock.now()
    return diary.add(core.db, chat_id, today(core, chat_id), epoch(now), symptom, severity)


NOTE = "diary_note"  # what her next plain text answers (registry.on_reply)


RATE = "diary_rate"  # ... or how bad the symptom she picked has been, in words


def await_rate(core: Core, chat_id: int, symptom: str) -> None:
    """Her next message may say how bad it was ("mild", "очень сильно")."""
    since = epoch(core.clock.now())
    people.set_awaiting(core.db, chat_id, {"kind": RATE, "symptom": symptom, "since": since})


def awaited_symptom(core: Core, chat_id: int) -> str | None:
    """The symptom whose severity her typed words answer (None when that is no longer so)."""
    symptom = people.awaited(core.db, chat_id, RATE, "symptom")
    return symptom if symptom in SYMPTOMS else None


def await_note(core: Core, chat_id: int, entry_id: int) -> None:
    people.set_awaiting(core.db, chat_id, {"kind": NOTE, "entry": entry_id})


def stop_waiting(core: Core, chat_id: int) -> None:
    people.set_awaiting(core.db, chat_id, None)


def symptoms_text(core: Core, chat_id: int) -> str:
    """/symptoms: one line per symptom with its trend, then the latest entries."""
    now = today(core, chat_id)
    entries = diary.between(core.db, chat_id, now - timedelta(days=SYMPTOMS_DAYS - 1), now)
    if not entries:
        return core.text(chat_id, "diary_symptoms_none")
    say = say_for(core, chat_id)
    lines = [core.text(chat_id, "diary_symptoms_header")]
    for trend in trends(entries, now, SYMPTOMS_DAYS):
        lines.append(
            core.text(
                chat_id,
                "diary_symptoms_line",
                symptom=say(f"diary_symptom_{trend.symptom}"),
                count=trend.count,
                severity=say(f"diary_severity_{trend.latest.severity}").lower(),
                day=show_short(trend.latest.local_date, core.names(chat_id)),
                trend=say(f"diary_trend_{trend.direction}"),
            )
        )
    lines += ["", core.text(chat_id, "diary_symptoms_latest")]
    for entry in reversed(entries[-LATEST_SHOWN:]):
        lines.append(entry_line(core, chat_id, entry))
    lines += ["", core.text(chat_id, "diary_symptoms_footer")]
    return "\n".join(lines)


def entry_line(core: Core, chat_id: int, entry: Entry) -> str:
    say = say_for(core, chat_id)
    values = {
        "day": show_short(entry.local_date, core.names(chat_id)),
        "symptom": say(f"diary_symptom_{entry.symptom}"),
        "severity": say(f"diary_severity_{entry.severity}").lower(),
    }
    if entry.note:
        return core.text(chat_id, "diary_symptoms_entry_note", note=entry.note, **values)
    return core.text(chat_id, "diary_symptoms_entry", **values)


def checkin_status(core: Core, chat_id: int) -> bool:
    return diary.settings(core.db, chat_id).checkin


def set_checkin(core: Core, chat_id: int, on: bool) -> None:
    diary.set_checkin(core.db, chat_id, on)


def entry(core: Core, chat_id: int, entry_id: int) -> Entry | None:
    return diary.get(core.db, chat_id, entry_id)


def save_note(core: Core, chat_id: int, text: str, person: Person | None) -> Entry | None:
    """The note she typed, on the entry she was asked about (`person`: her record if this
    update read it already); the entry, or None when it is gone."""
    person = person or people.get(core.db, chat_id)
    awaiting = person.awaiting if person and person.awaiting else {}
    stop_waiting(core, chat_id)
    entry_id = awaiting.get("entry")
    if not isinstance(entry_id, int) or not diary.set_note(core.db, chat_id, entry_id, text):
        return None
    return diary.get(core.db, chat_id, entry_id)


def named(say: Say, symptom: str, severity: int) -> dict[str, str]:
    return {
        "symptom": say(f"diary_symptom_{symptom}"),
        "severity": say(f"diary_severity_{severity}").lower(),
    }


def saved_text(core: Core, chat_id: int, entry: Entry) -> str:
    say = say_for(core, chat_id)
    key = "diary_saved_note" if entry.note else "diary_saved"
    saved = core.text(chat_id, key, **named(say, entry.symptom, entry.severity))
    return saved + "\n" + core.text(chat_id, "diary_saved_footer")


def checkin_now(core: Core, chat_id: int) -> bool:
    """After a Taken: whether to ask "How have you been?" now (and note that it was asked)."""
    settings = diary.settings(core.db, chat_id)
    day = today(core, chat_id)
    if not checkin_due(settings.checkin, settings.last_checkin, day):
        return False
    diary.checked_in(core.db, chat_id, day)
    return True


def dose_days(core: Core, chat_id: int, days: int) -> dict[date, str]:
    """Her stored dose status per local day, the `days` ending today (from the reminders)."""
    now = today(core, chat_id)
    first = now - timedelta(days=days - 1)
    rows = core.queries.doses.between(core.db, chat_id, first, now)
    return {d.local_date: d.status for d in rows}


def entries(core: Core, chat_id: int, days: int) -> list[Entry]:
    now = today(core, chat_id)
    return diary.between(core.db, chat_id, now - timedelta(days=days - 1), now)


def report_details(core: Core, chat_id: int, words: list[str]) -> str | None:
    """/report name Anna Smith, /report born 14 March 1956, /report clear: what the report
    prints to be filed (hers to give, for the report only); the answer, or None when the
    words are none of these (the report itself is asked for)."""
    if not words or words[0].lower() not in ("name", "born", "clear"):
        return None
    name, born = diary.report_details(core.db, chat_id)
    action, rest = words[0].lower(), " ".join(words[1:]).strip()
    if action == "clear":
        diary.set_report_details(core.db, chat_id, "", None)
        return core.text(chat_id, "diary_report_details_cleared")
    if action == "name":
        if not rest or len(rest) > MAX_NAME:
            return core.text(chat_id, "diary_report_name_usage", limit=MAX_NAME)
        diary.set_report_details(core.db, chat_id, rest, born)
        return core.text(chat_id, "diary_report_name_saved", name=rest)
    day = parse_date(rest, core.names(chat_id))
    now = today(core, chat_id)
    if isinstance(day, DateProblem) or not BORN_AFTER <= day <= now:
        return core.text(chat_id, "diary_report_born_usage")
    diary.set_report_details(core.db, chat_id, name, day)
    return core.text(chat_id, "diary_report_born_saved", born=day)


def report_data(core: Core, chat_id: int) -> ReportData:
    """Everything the oncologist's report shows, read from her records of the last year."""
    full_name, born = diary.report_details(core.db, chat_id)
    now = today(core, chat_id)
    course = core.queries.checkups.course(core.db, chat_id)
    person = people.get(core.db, chat_id)
    say = say_for(core, chat_id)
    checks = [
        CheckDates(say(f"checkups_title_{check.name}"), check.last, check.due)
        for check in core.queries.checkups.kept(core.db, chat_id)
    ]
    return ReportData(
        name=person.first_name if person else "",
        today=now,
        started=course.started if course else None,
        years=course.years if course else None,
        doses=dose_days(core, chat_id, REPORT_DAYS),
        entries=entries(core, chat_id, REPORT_DAYS),
        checks=checks,
        names=core.names(chat_id),
        full_name=full_name,
        born=born,
        medicines=core.queries.medicines.tallies(core.db, chat_id, first_month(now), now),
    )
