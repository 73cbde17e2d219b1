"""Check-up use cases: what she sees and what her answers save (the database and the rules,
no Telegram): status lines, saving a done or booked date, intervals, Later."""

from __future__ import annotations

from datetime import date, timedelta

from bot.dates import DateProblem, is_overdue, show, show_month
from bot.services import Services
from bot.timerules import from_epoch, local_date
from db import checkups, events
from handlers.checkups.planning import (
    BOOKED,
    PROMPT,
    due_date,
    plan,
    postponed_to,
    today,
)

MONTHS_RANGE = (3, 60)


def status(services: Services, chat_id: int, name: str) -> str:
    """A check's last and next date, interval and booking, each line with its year."""
    check = checkups.get(services.db, chat_id, name)
    text = services.text
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
            if is_overdue(due, today(services, chat_id))
            else "checkups_status_next"
        )
        lines.append(text(chat_id, key, due=due))
    if check.booked_date:
        lines.append(text(chat_id, "checkups_status_booked", booked=check.booked_date))
    lines.append(text(chat_id, "checkups_status_every", months=check.months))
    prompt = events.find(services.db, chat_id, PROMPT, name)
    if prompt is not None:
        day = local_date(from_epoch(prompt.next_fire), services.zone(chat_id))
        lines.append(text(chat_id, "checkups_status_prompt", day=day))
    if check.last_date is None:
        lines.append(text(chat_id, f"checkups_status_record_{name}"))
    return "\n".join(lines)


def example(services: Services, chat_id: int) -> str:
    """A date written as people write it: 29 November 2026."""
    return show(today(services, chat_id), services.names(chat_id))


def problem_text(
    services: Services, chat_id: int, problem: DateProblem, command: str | None = None
) -> str:
    """Why a date was refused, with an example to copy: the whole command when she typed
    one (a bare date on its own would be read as a question), else the date alone."""
    shown = example(services, chat_id)
    if problem.month is not None:  # "last March": ask which day, with one of that month
        shown = show(problem.month.replace(day=14), services.names(chat_id))
    return services.text(
        chat_id,
        f"checkups_date_{problem.reason}",
        example=f"/{command} {shown}" if command else shown,
        month=show_month(problem.month or today(services, chat_id), services.names(chat_id)),
    )


def save_done(services: Services, chat_id: int, name: str, day: date) -> str:
    checkups.record_done(services.db, chat_id, name, day)
    plan(services, chat_id, name)
    check = checkups.get(services.db, chat_id, name)
    due = due_date(check)
    assert check.last_date is not None and due is not None
    answer = services.text(
        chat_id,
        "checkups_saved_done",
        check=services.text(chat_id, f"checkups_name_{name}"),
        last=check.last_date,
        due=due,
        months=check.months,
    )
    if is_overdue(due, today(services, chat_id)):
        answer += "\n" + services.text(chat_id, "checkups_overdue_note")
    return answer


def save_booked(services: Services, chat_id: int, name: str, day: date) -> str:
    checkups.book(services.db, chat_id, name, day)
    plan(services, chat_id, name)
    check_name = services.text(chat_id, f"checkups_name_{name}")
    reminder = events.find(services.db, chat_id, BOOKED, name)
    if reminder is None:
        return services.text(chat_id, "checkups_saved_booked_soon", check=check_name, booked=day)
    return services.text(
        chat_id,
        "checkups_saved_booked",
        check=check_name,
        booked=day,
        reminder=day - timedelta(days=1),
    )


def parse_months(services: Services, chat_id: int, typed: str) -> int | str:
    """A whole number of months within MONTHS_RANGE, or the text explaining why not."""
    low, high = MONTHS_RANGE
    if typed.isdecimal() and low <= int(typed) <= high:
        return int(typed)
    return services.text(chat_id, "checkups_months_invalid", low=low, high=high)


def change_interval(services: Services, chat_id: int, name: str, typed: str) -> str:
    title = services.text(chat_id, f"checkups_title_{name}")
    if typed == "off":
        checkups.turn_off(services.db, chat_id, name)
        plan(services, chat_id, name)
        usual = checkups.get(services.db, chat_id, name).months
        return services.text(chat_id, "checkups_turned_off", title=title, name=name, months=usual)
    months = parse_months(services, chat_id, typed)
    if isinstance(months, str):
        return months
    checkups.set_months(services.db, chat_id, name, months)
    plan(services, chat_id, name)
    due = due_date(checkups.get(services.db, chat_id, name))
    if due is None:
        return services.text(chat_id, "checkups_interval_set_undated", title=title, months=months)
    return services.text(chat_id, "checkups_interval_set", title=title, months=months, due=due)


def postpone(services: Services, chat_id: int, name: str) -> str:
    day = postponed_to(services, chat_id, name)
    if day is None:
        return services.text(chat_id, "checkups_nothing_to_postpone")
    plan(services, chat_id, name, day)
    return services.text(chat_id, "checkups_later", day=day)


def looks_like_a_question(typed: str) -> bool:
    return "?" in typed or len(typed.split()) > 5
