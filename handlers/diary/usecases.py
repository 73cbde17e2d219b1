"""Diary use cases: rules and the database, no Telegram. The commands and buttons call these."""

from __future__ import annotations

from datetime import date, timedelta

from bot.dates import next_due
from bot.diary import checkin_due, trends
from bot.reports import Say
from bot.reports.pdf import CheckDates, ReportData
from bot.services import Services
from bot.timerules import epoch, local_date
from db import checkups, diary, doses, people
from db.checkups import CHECKS
from db.diary import Entry

SYMPTOMS_DAYS = 30
LATEST_SHOWN = 5
REPORT_DAYS = 366


def today(services: Services, chat_id: int) -> date:
    return local_date(services.clock.now(), services.zone(chat_id))


def say_for(services: Services, chat_id: int) -> Say:
    """Plain text in her language: for buttons, the chart and the PDF (no HTML there)."""
    return services.say(chat_id)


def log(services: Services, chat_id: int, symptom: str, severity: int) -> int:
    """Record a symptom for her local today; its id lets a note follow."""
    now = services.clock.now()
    return diary.add(services.db, chat_id, today(services, chat_id), epoch(now), symptom, severity)


NOTE = "diary_note"  # what her next plain text answers (registry.on_reply)


def await_note(services: Services, chat_id: int, entry_id: int) -> None:
    people.set_awaiting(services.db, chat_id, {"kind": NOTE, "entry": entry_id})


def stop_waiting(services: Services, chat_id: int) -> None:
    people.set_awaiting(services.db, chat_id, None)


def symptoms_text(services: Services, chat_id: int) -> str:
    """/symptoms: one line per symptom with its trend, then the latest entries."""
    now = today(services, chat_id)
    entries = diary.between(services.db, chat_id, now - timedelta(days=SYMPTOMS_DAYS - 1), now)
    if not entries:
        return services.text(chat_id, "diary_symptoms_none")
    say = say_for(services, chat_id)
    lines = [services.text(chat_id, "diary_symptoms_header")]
    for trend in trends(entries, now, SYMPTOMS_DAYS):
        lines.append(
            services.text(
                chat_id,
                "diary_symptoms_line",
                symptom=say(f"diary_symptom_{trend.symptom}"),
                count=trend.count,
                severity=say(f"diary_severity_{trend.latest.severity}").lower(),
                day=trend.latest.local_date.strftime("%-d %b"),
                trend=say(f"diary_trend_{trend.direction}"),
            )
        )
    lines += ["", services.text(chat_id, "diary_symptoms_latest")]
    for entry in reversed(entries[-LATEST_SHOWN:]):
        lines.append(entry_line(services, chat_id, entry))
    lines += ["", services.text(chat_id, "diary_symptoms_footer")]
    return "\n".join(lines)


def entry_line(services: Services, chat_id: int, entry: Entry) -> str:
    say = say_for(services, chat_id)
    values = {
        "day": entry.local_date.strftime("%-d %b"),
        "symptom": say(f"diary_symptom_{entry.symptom}"),
        "severity": say(f"diary_severity_{entry.severity}").lower(),
    }
    if entry.note:
        return services.text(chat_id, "diary_symptoms_entry_note", note=entry.note, **values)
    return services.text(chat_id, "diary_symptoms_entry", **values)


def checkin_status(services: Services, chat_id: int) -> bool:
    return diary.settings(services.db, chat_id).checkin


def checkin_now(services: Services, chat_id: int) -> bool:
    """After a Taken: whether to ask "How have you been?" now (and note that it was asked)."""
    settings = diary.settings(services.db, chat_id)
    day = today(services, chat_id)
    if not checkin_due(settings.checkin, settings.last_checkin, day):
        return False
    diary.checked_in(services.db, chat_id, day)
    return True


def dose_days(services: Services, chat_id: int, days: int) -> dict[date, str]:
    """Her stored dose status per local day, the `days` ending today."""
    now = today(services, chat_id)
    first = now - timedelta(days=days - 1)
    rows = doses.between(services.db, chat_id, first.isoformat(), now.isoformat())
    return {date.fromisoformat(d.local_date): d.status for d in rows}


def entries(services: Services, chat_id: int, days: int) -> list[Entry]:
    now = today(services, chat_id)
    return diary.between(services.db, chat_id, now - timedelta(days=days - 1), now)


def report_data(services: Services, chat_id: int) -> ReportData:
    """Everything the oncologist's report shows, read from her records of the last year."""
    now = today(services, chat_id)
    course = checkups.get_course(services.db, chat_id)
    person = people.get(services.db, chat_id)
    checks = []
    for name in CHECKS:
        check = checkups.get(services.db, chat_id, name)
        if not check.enabled:
            continue
        due = check.booked_date or (
            next_due(check.last_date, check.months) if check.last_date else None
        )
        title = say_for(services, chat_id)(f"checkups_title_{name}")
        checks.append(CheckDates(title, check.last_date, due))
    disclaimer = services.library.get("disclaimer", services.language(chat_id))
    return ReportData(
        name=person.first_name if person else "",
        today=now,
        started=course.started if course else None,
        years=course.years if course else None,
        doses=dose_days(services, chat_id, REPORT_DAYS),
        entries=entries(services, chat_id, REPORT_DAYS),
        checks=checks,
        disclaimer=disclaimer.body if disclaimer else "",
    )
