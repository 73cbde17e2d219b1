"""Reminders' use cases: her dose time and tablets, a day's answer, /history, with the texts
that tell them (the database and the rules, no Telegram). commands.py parses and answers;
when her time changes it also moves her events and tells the other features, which needs
the scheduler's event kinds (Services), so that step stays there."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.core import Core
from bot.pure.adherence import effective, summarise
from bot.pure.dates import show_short
from bot.pure.parsing import format_time, parse_time
from bot.pure.places import Place, zone_label
from bot.pure.timerules import epoch, from_epoch, local_date, resolve
from db import doses, events, people, reminders, roles
from db.doses import Dose
from handlers.reminders.planning import DOSE, SNOOZE_CHOICES, schedule_again

REFILL_AT = (7, 3)
MAX_PILLS = 1000
HISTORY_DAYS = 30
RATE_DAYS = 7  # days counted before /history gives a percentage ("67%" after three says little)
FILL_IN_DAYS = 7  # /history lets her fill in or correct this many days, today included


def today(core: Core, chat_id: int) -> date:
    return local_date(core.clock.now(), core.zone(chat_id))


def zone_note(core: Core, chat_id: int) -> str:
    person = people.get(core.db, chat_id)
    if person and person.timezone:
        return core.text(chat_id, "reminders_zone_is", zone=zone_label(person.timezone))
    return core.text(chat_id, "reminders_zone_unset")


# --- her time zone ------------------------------------------------------------------------
def save_zone(core: Core, chat_id: int, zone: str) -> bool:
    """Save her zone; True when it changed (her events are to move). The same zone again
    leaves a due reminder where it is."""
    person = people.get(core.db, chat_id)
    if person is not None and person.timezone == zone:
        return False
    people.set_timezone(core.db, chat_id, zone)
    return True


def zone_set_text(core: Core, chat_id: int, place: Place) -> tuple[str, bool]:
    """The confirmation, and whether to offer reminder times: she has no reminder yet (a
    caregiver is not asked: her zone only times her weekly summary)."""
    person = people.get(core.db, chat_id)
    local = core.clock.now().astimezone(core.zone(chat_id))
    text = core.text(chat_id, "timezone_set", zone=place.label, now=local.strftime("%H:%M"))
    if place.fixed:
        text += "\n" + core.text(chat_id, "timezone_fixed_note")
    if person and person.remind_at:
        return text + "\n" + core.text(chat_id, "timezone_keeps_time", time=person.remind_at), False
    if roles.is_caregiver(core.db, chat_id):
        return text + "\n" + core.text(chat_id, "timezone_caregiver_note"), False
    return text + "\n" + core.text(chat_id, "timezone_pick_time"), True


def zone_status(core: Core, chat_id: int) -> str:
    """/timezone alone: her zone (or none yet), and what it does for a caregiver."""
    person = people.get(core.db, chat_id)
    current = person.timezone if person and person.timezone else None
    key = "timezone_current" if current else "timezone_current_unset"
    text = core.text(chat_id, key, zone=zone_label(current or "UTC"))
    if roles.is_caregiver(core.db, chat_id):
        text += "\n" + core.text(chat_id, "timezone_caregiver_note")
    return text


def lives_in_text(core: Core, chat_id: int) -> str:
    """Above the places her words name: a caregiver's zone only times her summaries."""
    caregiver = roles.is_caregiver(core.db, chat_id)
    return core.text(chat_id, "timezone_live_in_caregiver" if caregiver else "timezone_live_in")


def onboarding(core: Core, chat_id: int) -> tuple[str, bool] | None:
    """After /start, for a patient without reminders: what to ask, and whether her zone is
    set already (then only the time is asked); None when nothing is to be asked."""
    person = people.get(core.db, chat_id)
    if person is None or person.remind_at or roles.is_caregiver(core.db, chat_id):
        return None
    if person.timezone:
        zone = zone_label(person.timezone)
        return core.text(chat_id, "timezone_onboarding_time", zone=zone), True
    return core.text(chat_id, "timezone_onboarding"), False


# --- her dose time ------------------------------------------------------------------------
def save_time(core: Core, chat_id: int, at: time) -> bool:
    """Save the daily time; True when her events are to move (a new time, or none set).
    The same time again (or a redelivered update) leaves a due reminder where it is."""
    person = people.get(core.db, chat_id)
    if events.find(core.db, chat_id, DOSE) and person and person.remind_at == format_time(at):
        return False
    people.set_remind_at(core.db, chat_id, format_time(at))
    return True


def time_set_text(core: Core, chat_id: int, at: time) -> str:
    """The confirmation: her time, when the next reminder comes, her zone."""
    event = events.find(core.db, chat_id, DOSE)
    assert event is not None
    local = from_epoch(event.next_fire).astimezone(core.zone(chat_id))
    next_one = f"{core.weekday(chat_id, local.date())}, {local:%H:%M}"
    set_text = core.text(chat_id, "reminders_set", time=format_time(at), next=next_one)
    return "\n".join([set_text, zone_note(core, chat_id)])


def stop(core: Core, chat_id: int) -> None:
    people.set_remind_at(core.db, chat_id, None)


def settings(core: Core, chat_id: int) -> tuple[str, int, bool]:
    """/remind alone: what is set (text), her follow-up minutes, whether reminders are on."""
    person = people.get(core.db, chat_id)
    prefs = reminders.get(core.db, chat_id)
    on = bool(person and person.remind_at)
    if person and person.remind_at:
        lines = [core.text(chat_id, "reminders_settings_on", time=person.remind_at)]
    elif doses.latest(core.db, chat_id) is not None:  # she had one and turned it off
        lines = [core.text(chat_id, "reminders_settings_off")]
    else:
        lines = [core.text(chat_id, "reminders_settings_none")]
    lines.append(zone_note(core, chat_id))
    nudge = core.text(chat_id, f"reminders_nudge_{prefs.nudge_minutes}")
    lines.append(core.text(chat_id, "reminders_settings_nudge", nudge=nudge))
    return "\n".join(lines), prefs.nudge_minutes, on


def set_nudge(core: Core, chat_id: int, typed: str) -> str | None:
    """Her follow-up minutes, if `typed` is one of the choices; the confirmation."""
    if not typed.isdigit() or int(typed) not in reminders.NUDGE_CHOICES:
        return None
    reminders.set_nudge(core.db, chat_id, int(typed))
    nudge = core.text(chat_id, f"reminders_nudge_{int(typed)}")
    return core.text(chat_id, "reminders_nudge_set", nudge=nudge)


def pills(core: Core, chat_id: int, typed: str) -> str:
    """/pills: how many she has (nothing typed), or set it to a whole number."""
    if not typed:
        count = reminders.get(core.db, chat_id).pills
        key = "reminders_pills_unknown" if count is None else "reminders_pills_count"
        return core.text(chat_id, key, count=count)
    if typed.isdecimal() and len(typed) <= len(str(MAX_PILLS)) and int(typed) <= MAX_PILLS:
        reminders.set_pills(core.db, chat_id, int(typed))
        return core.text(chat_id, "reminders_pills_set", count=int(typed))
    return core.text(chat_id, "reminders_pills_bad")


def refill(core: Core, chat_id: int, left: int | None) -> str | None:
    """A refill note when the tablets left reach one of REFILL_AT."""
    return core.text(chat_id, "reminders_refill", count=left) if left in REFILL_AT else None


TIME_QUESTION = "reminders_time"  # her next text may answer "what time?" (registry.on_reply)


def await_time(core: Core, chat_id: int) -> None:
    """Her next message may give the reminder time in words ("9 in the morning please")."""
    since = epoch(core.clock.now())
    people.await_if_free(core.db, chat_id, {"kind": TIME_QUESTION, "since": since})


SETTINGS_QUESTION = "reminders_settings"  # her next text may answer /remind's buttons


def await_settings(core: Core, chat_id: int) -> None:
    """Her next message may answer /remind's buttons in words: a time ("8.30pm") or the
    follow-up ("after half an hour", "без повторов")."""
    since = epoch(core.clock.now())
    people.await_if_free(core.db, chat_id, {"kind": SETTINGS_QUESTION, "since": since})


def stop_waiting(core: Core, chat_id: int) -> None:
    """The time question or /remind's is answered (or closed): her next message is free
    again; another feature's open question is left as it is."""
    person = people.get(core.db, chat_id)
    if person is not None and (person.awaiting or {}).get("kind") in (
        TIME_QUESTION,
        SETTINGS_QUESTION,
    ):
        people.set_awaiting(core.db, chat_id, None)


def is_caregiver(core: Core, chat_id: int) -> bool:
    """Someone who only follows a patient: "forgot it" is about the woman she cares for."""
    return roles.is_caregiver(core.db, chat_id)


def has_reminders(core: Core, chat_id: int) -> bool:
    """Reminders on, or had once: her words about a dose are about hers."""
    person = people.get(core.db, chat_id)
    return bool(person and person.remind_at) or doses.latest(core.db, chat_id) is not None


# --- her words about her tablet (bot/pure/words.py) ------------------------------------------
# A late tablet is the day's; so is one of two taken by mistake (the urgent answer comes first).
RECORDS = {"taken": "taken", "late": "taken", "twice": "taken", "skipped": "skipped"}
GUIDED = ("skipped", "late", "vomited", "dropped")  # what applies: reminders_guide_<kind>


def words_reply(core: Core, chat_id: int, kind: str, yesterday: bool) -> tuple[str, str | None]:
    """What to say to her words about her tablet, and the day to ask about recording (None:
    nothing to ask). What applies is always said; a tablet sick up or dropped records
    nothing (the guide does not say whether it counts), a late one is the day's tablet."""
    guide = [core.text(chat_id, f"reminders_guide_{kind}")] if kind in GUIDED else []
    status = RECORDS.get(kind)
    if not has_reminders(core, chat_id):
        remind = [core.text(chat_id, "reminders_words_remind")] if status else []
        return "\n\n".join((guide or [core.text(chat_id, "reminders_words_noted")]) + remind), None
    if status is None:
        return "\n\n".join([*guide, core.text(chat_id, "reminders_words_unrecorded")]), None
    day = today(core, chat_id) - timedelta(days=1 if yesterday else 0)
    shown = core.weekday(chat_id, day)
    if answered(core, chat_id, day) == status:
        already = core.text(chat_id, f"reminders_marked_already_{status}", day=shown)
        return "\n\n".join([already, *guide]), None
    asked = core.text(chat_id, f"reminders_confirm_{status}", day=shown)
    return "\n\n".join([asked, *guide]), day.isoformat()


# --- a day's answer -----------------------------------------------------------------------
def tapped(core: Core, chat_id: int, day: str, today_then: date) -> Dose | None:
    """The dose of a reminder's button: her own, from today or yesterday (a late tap);
    None when the button is stale or forged."""
    dose = doses.get(core.db, chat_id, day)
    yesterday = (today_then - timedelta(days=1)).isoformat()
    return dose if dose is not None and day >= yesterday else None


def answered(core: Core, chat_id: int, day: date) -> str | None:
    """The day's answer so far (None: no reminder that day)."""
    dose = doses.get(core.db, chat_id, day.isoformat())
    return dose.status if dose else None


def record_answer(
    core: Core, chat_id: int, day: str, status: str, at: int, keep_follow_ups: bool = False
) -> tuple[bool, int | None]:
    """Answer the day, cancel its follow-ups (unless they still carry other medicines:
    bot/moment.py) and count a taken tablet down, all in one transaction (one commit
    instead of three); (False, None) when the day was answered already. The tablets left,
    or None when not counting."""
    with core.db.atomic():
        if not doses.answer(core.db, chat_id, day, status, at):
            return False, None
        if not keep_follow_ups:
            schedule_again(core, chat_id, day, [], snoozed=False)
        return True, reminders.take_pill(core.db, chat_id) if status == "taken" else None


def answer(
    core: Core, chat_id: int, dose: Dose, status: str, at: int, keep_follow_ups: bool = False
) -> tuple[str, int | None]:
    """Her tap on the reminder: ("", tablets left) when recorded; else the answer the day
    has already (a second tap, or a concurrent one that won) and None."""
    if dose.status == status:  # a second tap: no write to try, no re-read
        return dose.status, None
    recorded, left = record_answer(core, chat_id, dose.local_date, status, at, keep_follow_ups)
    if recorded:
        return "", left
    again = doses.get(core.db, chat_id, dose.local_date)
    return (again.status if again else "taken"), None


def _due_on(core: Core, chat_id: int, day: date) -> datetime:
    """When that day's reminder was (or would have been) due: her time, else noon."""
    person = people.get(core.db, chat_id)
    at = parse_time(person.remind_at) if person and person.remind_at else None
    return resolve(day, at or time(12, 0), core.zone(chat_id))


def mark_day(core: Core, chat_id: int, day: str, status: str) -> tuple[str, bool]:
    """Record or correct one of her last days (her words, /history, a button after Skip):
    the confirmation, and whether the record changed (then other features are told)."""
    now = core.clock.now()
    today_now = local_date(now, core.zone(chat_id))
    if not today_now - timedelta(days=FILL_IN_DAYS - 1) <= date.fromisoformat(day) <= today_now:
        return core.text(chat_id, "reminders_fill_in_too_old", days=FILL_IN_DAYS), False
    shown = core.weekday(chat_id, date.fromisoformat(day))
    with core.db.atomic():
        due = epoch(_due_on(core, chat_id, date.fromisoformat(day)))
        before = doses.correct(core.db, chat_id, day, status, epoch(now), due)
        if before == status:
            return core.text(chat_id, f"reminders_marked_already_{status}", day=shown), False
        schedule_again(core, chat_id, day, [], snoozed=False)
        left = None
        if status == "taken":
            left = reminders.take_pill(core.db, chat_id)
        elif before == "taken":
            reminders.return_pill(core.db, chat_id)
    key = "changed" if before in ("taken", "skipped") else "marked"
    text = core.text(chat_id, f"reminders_{key}_{status}", day=shown)
    note = refill(core, chat_id, left)
    return (f"{text}\n\n{note}" if note else text), True


def snooze(core: Core, chat_id: int, day: str, minutes: int) -> datetime | None:
    """Remind her of the day's dose again in `minutes`; when, or None when she cannot
    (answered already, a past day, not one of the choices)."""
    dose = doses.get(core.db, chat_id, day)
    if minutes not in SNOOZE_CHOICES or dose is None or dose.status != "pending":
        return None
    if day < today(core, chat_id).isoformat():
        return None
    at = core.clock.now() + timedelta(minutes=minutes)
    schedule_again(core, chat_id, day, [at], snoozed=True)
    return at


# --- history ------------------------------------------------------------------------------
def history(core: Core, chat_id: int) -> tuple[str, bool]:
    """/history: her last HISTORY_DAYS with a calendar; whether there are days to fill in."""
    now = today(core, chat_id)
    first = now - timedelta(days=HISTORY_DAYS - 1)
    doses.close_before(core.db, chat_id, now.isoformat())
    rows = doses.between(core.db, chat_id, first.isoformat(), now.isoformat())
    if not rows:
        caregiver = roles.is_caregiver(core.db, chat_id)
        key = "reminders_history_caregiver" if caregiver else "reminders_history_empty"
        return core.text(chat_id, key), False
    statuses = {date.fromisoformat(d.local_date): d.status for d in rows}
    summary = summarise(statuses, now, HISTORY_DAYS)
    text = core.text(
        chat_id,
        "reminders_history",
        taken=summary.taken,
        skipped=summary.skipped,
        missed=summary.missed,
        days=HISTORY_DAYS,
    )
    # a share of fewer days says little ("67%" after one missed day): the counts say it all
    if summary.taken + summary.skipped + summary.missed >= RATE_DAYS:
        key = "reminders_history_rate" if summary.streak else "reminders_history_rate_only"
        rate = core.text(chat_id, key, percent=summary.percent, streak=summary.streak)
        text = f"{text}\n{rate}"
    names = core.names(chat_id)
    calendar = "\n".join(
        f"<code>{show_short(first, names):>7}</code> {symbols}"
        for first, symbols in summary.calendar
    )
    legend = core.text(chat_id, "reminders_history_legend")
    return f"{text}\n\n{calendar}\n{legend}", True


def last_days(core: Core, chat_id: int) -> list[tuple[date, str | None]]:
    """Her last FILL_IN_DAYS, newest first, each with its status as /history shows it."""
    now = today(core, chat_id)
    first = now - timedelta(days=FILL_IN_DAYS - 1)
    known = {
        d.local_date: d.status
        for d in doses.between(core.db, chat_id, first.isoformat(), now.isoformat())
    }
    days = [now - timedelta(days=offset) for offset in range(FILL_IN_DAYS)]
    return [(day, effective(known.get(day.isoformat()), day, now)) for day in days]
