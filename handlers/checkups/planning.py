"""When check-up prompts come and how they are planned: her prompt time, the due day, and
`plan`, which rebuilds a check's events from what she told us, so every change goes through
one place. The database and the date rules; no Telegram.

Each check has at most one prompt event (kind checkup_prompt, ref = the check) and one
day-before reminder for a booked appointment (kind checkup_booked). The prompt comes at her
daily reminder time (10:00 local without one), read afresh each time it is computed, and
repeats every 14 days until she answers. The course's anniversary note (kind anniversary)
comes at the same time of day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from bot.core import Core
from bot.pure.dates import add_months, next_anniversary, next_due
from bot.pure.timerules import epoch, local_date, resolve
from db import checkups, events, people
from db.checkups import Check

PROMPT = "checkup_prompt"
BOOKED = "checkup_booked"
DEFAULT_TIME = time(10, 0)
REPEAT_DAYS = 14
ANNIVERSARY = "anniversary"


def prompt_time(core: Core, chat_id: int) -> time:
    """Her daily reminder time, or 10:00 when she has none."""
    person = people.get(core.db, chat_id)
    return time.fromisoformat(person.remind_at) if person and person.remind_at else DEFAULT_TIME


def fire_on(core: Core, chat_id: int, day: date) -> datetime:
    return resolve(day, prompt_time(core, chat_id), core.zone(chat_id))


def today(core: Core, chat_id: int) -> date:
    return local_date(core.clock.now(), core.zone(chat_id))


def soonest_day(core: Core, chat_id: int) -> date:
    """Today if her prompt time is still ahead, else tomorrow."""
    day = today(core, chat_id)
    return day if fire_on(core, chat_id, day) > core.clock.now() else day + timedelta(1)


def due_date(check: Check) -> date | None:
    return next_due(check.last_date, check.months) if check.last_date else None


def prompt_due(core: Core, check: Check, asked: date) -> date | None:
    """When a prompt is owed (None: not yet): one interval after the last check. With none
    recorded: a scan from the day we first asked (`asked`, kept by Later) once she answered
    the baseline question; a cholesterol test one interval after she started anastrozole."""
    if check.last_date is not None:
        return next_due(check.last_date, check.months)
    if check.name == "bonescan":
        if not check.recorded:
            return None
        earlier = events.find(core.db, check.chat_id, PROMPT, check.name)
        return date.fromisoformat(earlier.payload["due"]) if earlier else asked
    course = checkups.get_course(core.db, check.chat_id)
    return add_months(course.started, check.months) if course else None


def plan(core: Core, chat_id: int, name: str, anchor: date | None = None) -> None:
    """Make the events match the check: a prompt from the due day (or `anchor`), and a
    reminder the day before a booked appointment."""
    db = core.db
    check = checkups.get(db, chat_id, name)
    soonest = soonest_day(core, chat_id)
    due = prompt_due(core, check, anchor or soonest)
    with db.atomic():
        events.cancel(db, chat_id, PROMPT, name)
        events.cancel(db, chat_id, BOOKED, name)
        if not check.enabled or due is None:
            return
        first = max(anchor or due, soonest)
        if check.booked_date:
            reminder = fire_on(core, chat_id, check.booked_date - timedelta(days=1))
            if reminder > core.clock.now():
                events.schedule(db, chat_id, BOOKED, epoch(reminder), name)
            first = max(first, check.booked_date + timedelta(days=1))
        payload = {"due": due.isoformat(), "anchor": first.isoformat()}
        events.schedule(db, chat_id, PROMPT, epoch(fire_on(core, chat_id, first)), name, payload)


def postponed_to(core: Core, chat_id: int, name: str) -> date | None:
    """The day Later would move the prompt to; None when there is no prompt, or it is
    further off than that (Later must never bring a reminder years ahead forward)."""
    event = events.find(core.db, chat_id, PROMPT, name)
    day = today(core, chat_id) + timedelta(days=REPEAT_DAYS)
    if event is None or date.fromisoformat(str(event.payload.get("anchor", day))) > day:
        return None
    return day


def plan_anniversaries(core: Core, chat_id: int) -> None:
    """Her next anniversary note from now; none once the course is over or unknown."""
    following = next_note(core, chat_id, core.clock.now())
    with core.db.atomic():
        events.cancel(core.db, chat_id, ANNIVERSARY)
        if following is not None:
            events.schedule(core.db, chat_id, ANNIVERSARY, epoch(following))


def next_note(core: Core, chat_id: int, after: datetime) -> datetime | None:
    """The first anniversary at her reminder time strictly after `after`, within the course."""
    course = checkups.get_course(core.db, chat_id)
    if course is None:
        return None
    day = local_date(after, core.zone(chat_id)) - timedelta(days=1)
    while found := next_anniversary(course.started, course.years, day):
        instant = fire_on(core, chat_id, found[1])
        if instant > after:
            return instant
        day = found[1]
    return None
