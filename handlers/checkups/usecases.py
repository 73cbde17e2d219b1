"""Check-up use cases: what she sees and what her answers save (the database and the rules,
no Telegram): status lines, the date she is asked for, saving a done or booked date,
intervals, Later, the baseline question; the course, its progress and the calendar."""

from __future__ import annotations

from datetime import date, time, timedelta

from bot.core import Core
from bot.pure.dates import (
    DateProblem,
    course_end,
    is_overdue,
    next_anniversary,
    progress,
    show,
    show_month,
)
from bot.pure.ics import DAILY, CalendarItem, reminders
from bot.pure.medschedule import EveryNMonths, Timed
from bot.pure.timerules import epoch, from_epoch, local_date
from db import checkups, events, people, roles
from db.checkups import CHECKS, Check
from handlers.checkups.planning import (
    BOOKED,
    PROMPT,
    REPEAT_DAYS,
    due_date,
    plan,
    plan_anniversaries,
    postponed_to,
    today,
)

MONTHS_RANGE = (3, 60)
YEARS_RANGE = (1, 10)
DEFAULT_YEARS = 5
AWAITING = "checkups_date"  # what her next plain text answers (registry.on_reply)
BASELINE = "checkups_baseline"  # ... the baseline question's yes / no / not sure, in words
STARTED = "checkups_started"  # ... the day she started anastrozole
PROMPTED = "checkups_prompted"  # ... a check's prompt: done, not yet, or its day


def await_date(core: Core, chat_id: int, name: str, mode: str, setting_up: bool = False) -> None:
    """Her next message is the date of this check: done (past) or booked (future);
    `setting_up`: asked after /start, so the next set-up question follows the answer."""
    since = epoch(core.clock.now())  # an open question expires (handlers/info.py)
    awaiting = {"kind": AWAITING, "check": name, "mode": mode, "since": since}
    people.set_awaiting(core.db, chat_id, awaiting | ({"setting_up": True} if setting_up else {}))


def setting_up(core: Core, chat_id: int) -> bool:
    """Whether the open date question came from the set-up after /start."""
    person = people.get(core.db, chat_id)
    return bool(person and person.awaiting and person.awaiting.get("setting_up"))


def await_baseline(core: Core, chat_id: int) -> None:
    """Her next message may answer the baseline question in words ("No, not yet")."""
    since = epoch(core.clock.now())
    people.await_if_free(core.db, chat_id, {"kind": BASELINE, "since": since})


def await_prompt(core: Core, chat_id: int, name: str) -> None:
    """Her next message may answer a check's prompt in words ("done last week", "not yet")."""
    since = epoch(core.clock.now())
    people.await_if_free(core.db, chat_id, {"kind": PROMPTED, "check": name, "since": since})


def prompted(core: Core, chat_id: int) -> str | None:
    """The check whose prompt her typed words answer (None when that is no longer so)."""
    name = people.awaited(core.db, chat_id, PROMPTED, "check")
    return name if name in CHECKS else None


def await_started(core: Core, chat_id: int) -> None:
    """Her next message may be the day she started anastrozole ("14 March 2025")."""
    since = epoch(core.clock.now())
    people.await_if_free(core.db, chat_id, {"kind": STARTED, "since": since})


def started_due(core: Core, chat_id: int) -> bool:
    """Whether to ask when she started: once, until the course is known (not a caregiver:
    the course is the patient's)."""
    if checkups.get_course(core.db, chat_id) is not None:
        return False
    return not roles.is_caregiver(core.db, chat_id)


def stop_waiting(core: Core, chat_id: int) -> None:
    people.set_awaiting(core.db, chat_id, None)


def awaited(core: Core, chat_id: int) -> tuple[str, str] | None:
    """The check and mode her typed date answers; None, and nothing awaited any more, when
    what was awaited is no longer one."""
    person = people.get(core.db, chat_id)
    awaiting = person.awaiting if person and person.awaiting else {}
    name, mode = awaiting.get("check"), awaiting.get("mode")
    if name not in CHECKS or mode not in ("done", "book"):
        stop_waiting(core, chat_id)
        return None
    return str(name), str(mode)


def check(core: Core, chat_id: int, name: str) -> Check:
    """Her settings and dates of one check (the interval buttons tick hers)."""
    return checkups.get(core.db, chat_id, name)


def status(core: Core, chat_id: int, name: str) -> str:
    """A check's last and next date, interval and booking, each line with its year."""
    check = checkups.get(core.db, chat_id, name)
    text = core.text
    lines = [f"<b>{text(chat_id, f'checkups_title_{name}')}</b>"]
    if check.last_date:
        lines.append(text(chat_id, "checkups_status_last", last=check.last_date))
    else:
        lines.append(text(chat_id, "checkups_status_none"))
    if not check.enabled:
        lines.append(text(chat_id, "checkups_status_off"))
        return "\n".join(lines)
    due = due_date(check)
    if due is not None:
        key = (
            "checkups_status_overdue"
            if is_overdue(due, today(core, chat_id))
            else "checkups_status_next"
        )
        lines.append(text(chat_id, key, due=due))
    if check.booked_date:
        lines.append(text(chat_id, "checkups_status_booked", booked=check.booked_date))
    lines.append(text(chat_id, "checkups_status_every", months=check.months))
    prompt = events.find(core.db, chat_id, PROMPT, name)
    if prompt is not None:
        day = local_date(from_epoch(prompt.next_fire), core.zone(chat_id))
        lines.append(text(chat_id, "checkups_status_prompt", day=day))
    if check.last_date is None:
        lines.append(text(chat_id, f"checkups_status_record_{name}"))
    return "\n".join(lines)


def example(core: Core, chat_id: int) -> str:
    """A date written as people write it: 29 November 2026."""
    return show(today(core, chat_id), core.names(chat_id))


def problem_text(core: Core, chat_id: int, problem: DateProblem, command: str | None = None) -> str:
    """Why a date was refused, with an example to copy: the whole command when she typed
    one (a bare date on its own would be read as a question), else the date alone."""
    shown = example(core, chat_id)
    if problem.month is not None:  # "last March": ask which day, with one of that month
        shown = show(problem.month.replace(day=14), core.names(chat_id))
    return core.text(
        chat_id,
        f"checkups_date_{problem.reason}",
        example=f"/{command} {shown}" if command else shown,
        month=show_month(problem.month or today(core, chat_id), core.names(chat_id)),
    )


def save_done(core: Core, chat_id: int, name: str, day: date, months: int | None = None) -> str:
    """The check done that day (and, given, its interval from now on); the confirmation."""
    if months is not None:
        checkups.set_months(core.db, chat_id, name, months)
    checkups.record_done(core.db, chat_id, name, day)
    plan(core, chat_id, name)
    check = checkups.get(core.db, chat_id, name)
    due = due_date(check)
    assert check.last_date is not None and due is not None
    answer = core.text(
        chat_id,
        "checkups_saved_done",
        check=core.text(chat_id, f"checkups_name_{name}"),
        last=check.last_date,
        due=due,
        months=check.months,
    )
    if is_overdue(due, today(core, chat_id)):
        answer += "\n" + core.text(chat_id, "checkups_overdue_note")
    return answer


def save_booked(core: Core, chat_id: int, name: str, day: date) -> str:
    checkups.book(core.db, chat_id, name, day)
    plan(core, chat_id, name)
    check_name = core.text(chat_id, f"checkups_name_{name}")
    reminder = events.find(core.db, chat_id, BOOKED, name)
    if reminder is None:
        return core.text(chat_id, "checkups_saved_booked_soon", check=check_name, booked=day)
    return core.text(
        chat_id,
        "checkups_saved_booked",
        check=check_name,
        booked=day,
        reminder=day - timedelta(days=1),
    )


def parse_months(core: Core, chat_id: int, typed: str) -> int | str:
    """A whole number of months within MONTHS_RANGE, or the text explaining why not."""
    low, high = MONTHS_RANGE
    if typed.isdecimal() and low <= int(typed) <= high:
        return int(typed)
    return core.text(chat_id, "checkups_months_invalid", low=low, high=high)


def change_interval(core: Core, chat_id: int, name: str, typed: str) -> str:
    title = core.text(chat_id, f"checkups_title_{name}")
    if typed == "off":
        checkups.turn_off(core.db, chat_id, name)
        plan(core, chat_id, name)
        usual = checkups.get(core.db, chat_id, name).months
        return core.text(chat_id, "checkups_turned_off", title=title, name=name, months=usual)
    months = parse_months(core, chat_id, typed)
    if isinstance(months, str):
        return months
    checkups.set_months(core.db, chat_id, name, months)
    plan(core, chat_id, name)
    due = due_date(checkups.get(core.db, chat_id, name))
    if due is None:
        return core.text(chat_id, "checkups_interval_set_undated", title=title, months=months)
    return core.text(chat_id, "checkups_interval_set", title=title, months=months, due=due)


def postpone(core: Core, chat_id: int, name: str) -> str:
    day = postponed_to(core, chat_id, name)
    if day is None:
        return core.text(chat_id, "checkups_nothing_to_postpone")
    plan(core, chat_id, name, day)
    return core.text(chat_id, "checkups_later", day=day)


def looks_like_a_question(typed: str) -> bool:
    return "?" in typed or len(typed.split()) > 5


def baseline_due(core: Core, chat_id: int) -> bool:
    """Whether to ask about a baseline scan: until she has told us anything, and never a
    caregiver (the scan is the patient's)."""
    if scan_recorded(core, chat_id):
        return False
    return not roles.is_caregiver(core.db, chat_id)


def scan_recorded(core: Core, chat_id: int) -> bool:
    return checkups.get(core.db, chat_id, "bonescan").recorded


def baseline_later(core: Core, chat_id: int, answer: str) -> str:
    """No prompts from tomorrow; Not sure asks again in REPEAT_DAYS; the answer to show."""
    checkups.touch(core.db, chat_id, "bonescan")
    if answer == "no":
        day = today(core, chat_id) + timedelta(days=1)
        plan(core, chat_id, "bonescan", day)
        return core.text(chat_id, "checkups_baseline_no", day=day)
    day = today(core, chat_id) + timedelta(days=REPEAT_DAYS)
    plan(core, chat_id, "bonescan", day)
    return core.text(chat_id, "checkups_baseline_unsure", day=day)


# --- the course -----------------------------------------------------------------------------
def years_text(core: Core, chat_id: int, years: int) -> str:
    if years == 1:
        return core.text(chat_id, "course_years_one")
    return core.text(chat_id, "course_years_many", years=years)


def start_course(core: Core, chat_id: int, day: date, years: int) -> str:
    """She started on `day` for `years`: her anniversaries and first cholesterol prompt
    follow from it; the confirmation with her progress."""
    checkups.set_course(core.db, chat_id, day, years)
    plan_anniversaries(core, chat_id)
    plan(core, chat_id, "cholesterol")
    parts = [
        core.text(chat_id, "course_saved", started=day, years=years),
        progress_text(core, chat_id),
        cholesterol_note(core, chat_id),
    ]
    return "\n\n".join(p for p in parts if p)


def cholesterol_note(core: Core, chat_id: int) -> str:
    """With no test recorded, the start of the course sets the first cholesterol prompt:
    say when, so it is no surprise."""
    prompt = events.find(core.db, chat_id, PROMPT, "cholesterol")
    if prompt is None or checkups.get(core.db, chat_id, "cholesterol").last_date:
        return ""
    day = local_date(from_epoch(prompt.next_fire), core.zone(chat_id))
    example = today(core, chat_id)
    return core.text(chat_id, "course_cholesterol_note", day=day, example=example)


def progress_text(core: Core, chat_id: int) -> str:
    course = checkups.get_course(core.db, chat_id)
    now = today(core, chat_id)
    if course is None:
        return core.text(chat_id, "course_ask_started", example=now)
    if progress(course.started, course.years, now).finished:
        end = course_end(course.started, course.years)
        return core.text(chat_id, "course_finished", years=course.years, end=end)
    done = progress(course.started, course.years, now)
    lines = [
        core.text(
            chat_id,
            "course_progress",
            day=f"{done.day:,}",
            total=f"{done.total:,}",
            percent=done.percent,
            years=course.years,
        )
    ]
    upcoming = next_anniversary(course.started, course.years, now)
    if upcoming is not None:
        year, day = upcoming
        if year == course.years:
            lines.append(core.text(chat_id, "course_next_end", day=day))
        else:
            count = years_text(core, chat_id, year)
            lines.append(core.text(chat_id, "course_next_anniversary", count=count, day=day))
    return "\n".join(lines)


def calendar_items(core: Core, chat_id: int) -> list[CalendarItem]:
    items: list[CalendarItem] = []
    now = today(core, chat_id)
    for name in CHECKS:
        check = checkups.get(core.db, chat_id, name)
        title = core.text(chat_id, f"checkups_title_{name}")
        if not check.enabled:
            continue
        if check.booked_date and check.booked_date >= now:
            summary = core.text(chat_id, "calendar_booked", title=title)
            items.append(CalendarItem(f"{name}-booked", summary, check.booked_date))
        due = due_date(check)
        if due is not None:
            summary = core.text(chat_id, "calendar_check", title=title)
            items.append(CalendarItem(name, summary, max(due, now)))
    person = people.get(core.db, chat_id)
    if person and person.remind_at:
        at = time.fromisoformat(person.remind_at)
        summary = core.text(chat_id, "calendar_dose")
        items.append(CalendarItem("dose", summary, now, at, DAILY))
    return items + medicine_items(core, chat_id, now)


def medicine_items(core: Core, chat_id: int, now: date) -> list[CalendarItem]:
    """The other medicines she takes now (paused and stopped ones left out): their
    reminders as repeating events, an injection every few months on its next due date."""
    say = core.say(chat_id)  # plain text: a calendar is no Telegram message
    items: list[CalendarItem] = []
    for taking in core.queries.medicines.taking(core.db, chat_id):
        key, schedule = f"medicine-{taking.id}", taking.schedule
        if isinstance(schedule, EveryNMonths):
            summary = say("calendar_injection", name=taking.name)
            items.append(CalendarItem(key, summary, schedule.due_from(now)))
        elif isinstance(schedule, Timed):
            items += reminders(key, say("calendar_medicine", name=taking.name), schedule, now)
    return items


def injections_text(core: Core, chat_id: int) -> list[str]:
    """Her injections every few months (her medicines), a line each with the next date."""
    names = core.names(chat_id)
    return [
        core.text(chat_id, "checkups_injection", name=i.name, due=show(i.due, names))
        for i in core.queries.injections.kept(core.db, chat_id, today(core, chat_id))
    ]
