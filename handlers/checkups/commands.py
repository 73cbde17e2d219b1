"""Bone-density scan and cholesterol prompts: /bonescan, /cholesterol, /checkups, the
onboarding question about a baseline scan, and the scheduler kinds behind the prompts.

Each check has at most one prompt event (kind checkup_prompt, ref = the check) and one
day-before reminder for a booked appointment (kind checkup_booked). `plan` rebuilds both
from what she told us, so every change goes through one place. The prompt comes at her
daily reminder time (10:00 local without one), read afresh each time it is computed, and
repeats every 14 days until she answers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, ContextTypes

from bot.dates import (
    DateProblem,
    add_months,
    is_overdue,
    looks_like_date,
    next_due,
    parse_day,
    show,
    show_month,
)
from bot.replies import button, label, send
from bot.services import Services, chat_id_of, get_services, typed_text
from bot.signals import BonescanOverdue
from bot.timerules import epoch, from_epoch, local_date, resolve
from db import checkups, events, people, roles
from db.checkups import CHECKS, Check
from db.events import Delivery, Event

PROMPT = "checkup_prompt"
BOOKED = "checkup_booked"
DEFAULT_TIME = time(10, 0)
REPEAT_DAYS = 14
MONTHS_RANGE = (3, 60)
MONTH_BUTTONS = (6, 12, 24)
AWAITING = "checkups_date"


# --- time ------------------------------------------------------------------------------
def prompt_time(services: Services, chat_id: int) -> time:
    """Her daily reminder time, or 10:00 when she has none."""
    person = people.get(services.db, chat_id)
    return time.fromisoformat(person.remind_at) if person and person.remind_at else DEFAULT_TIME


def fire_on(services: Services, chat_id: int, day: date) -> datetime:
    return resolve(day, prompt_time(services, chat_id), services.zone(chat_id))


def today(services: Services, chat_id: int) -> date:
    return local_date(services.clock.now(), services.zone(chat_id))


def soonest_day(services: Services, chat_id: int) -> date:
    """Today if her prompt time is still ahead, else tomorrow."""
    day = today(services, chat_id)
    return day if fire_on(services, chat_id, day) > services.clock.now() else day + timedelta(1)


def due_date(check: Check) -> date | None:
    return next_due(check.last_date, check.months) if check.last_date else None


def prompt_due(services: Services, check: Check, asked: date) -> date | None:
    """When a prompt is owed (None: not yet): one interval after the last check. With none
    recorded: a scan from the day we first asked (`asked`, kept by Later) once she answered
    the baseline question; a cholesterol test one interval after she started anastrozole."""
    if check.last_date is not None:
        return next_due(check.last_date, check.months)
    if check.name == "bonescan":
        if not check.recorded:
            return None
        earlier = events.find(services.db, check.chat_id, PROMPT, check.name)
        return date.fromisoformat(earlier.payload["due"]) if earlier else asked
    course = checkups.get_course(services.db, check.chat_id)
    return add_months(course.started, check.months) if course else None


# --- planning --------------------------------------------------------------------------
def plan(services: Services, chat_id: int, name: str, anchor: date | None = None) -> None:
    """Make the events match the check: a prompt from the due day (or `anchor`), and a
    reminder the day before a booked appointment."""
    db = services.db
    check = checkups.get(db, chat_id, name)
    soonest = soonest_day(services, chat_id)
    due = prompt_due(services, check, anchor or soonest)
    with db.atomic():
        events.cancel(db, chat_id, PROMPT, name)
        events.cancel(db, chat_id, BOOKED, name)
        if not check.enabled or due is None:
            return
        first = max(anchor or due, soonest)
        if check.booked_date:
            reminder = fire_on(services, chat_id, check.booked_date - timedelta(days=1))
            if reminder > services.clock.now():
                events.schedule(db, chat_id, BOOKED, epoch(reminder), name)
            first = max(first, check.booked_date + timedelta(days=1))
        payload = {"due": due.isoformat(), "anchor": first.isoformat()}
        events.schedule(
            db, chat_id, PROMPT, epoch(fire_on(services, chat_id, first)), name, payload
        )


class DayKind:
    """An event kind with at most one occurrence per local day of hers (the ledger key)."""

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        return local_date(due, services.zone(event.chat_id)).isoformat()

    def waiting(self, services: Services, event: Event) -> datetime | None:
        """The instant the event points at, while that occurrence is not sent yet (as when
        it is recomputed after a change of her time or zone); None once the tick took it.
        Already due, it is the tick's to send: recomputing must not skip it."""
        pending = from_epoch(event.next_fire)
        taken = events.claimed(services.db, event, self.occurrence(services, event, pending))
        return None if taken else pending


class PromptKind(DayKind):
    """The scan or check-up prompt: on its day at her reminder time, then every 14 days."""

    name = PROMPT

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        """Once sent, again 14 days later. Not sent yet, it stays owed: on its day at her
        time, or at her next reminder time if that has gone by (never from the anchor
        grid, so a prompt sent a day late is not followed by another the next day)."""
        zone = services.zone(event.chat_id)
        waiting = self.waiting(services, event)
        if waiting is None:
            day = local_date(after, zone) + timedelta(days=REPEAT_DAYS)
        elif waiting <= after:
            return waiting
        else:
            anchor = date.fromisoformat(event.payload["anchor"])
            day = max(local_date(waiting, zone), anchor, local_date(after, zone))
        while (instant := fire_on(services, event.chat_id, day)) <= after:
            day += timedelta(days=1)
        return instant

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id, name = delivery.chat_id, delivery.ref
        check = checkups.get(services.db, chat_id, name)
        if not check.enabled:
            return None
        due = date.fromisoformat(delivery.payload["due"])
        overdue = is_overdue(due, today(services, chat_id))
        key = _prompt_key(check, overdue)
        text = services.text(
            chat_id,
            key,
            check=services.text(chat_id, f"checkups_name_{name}"),
            due=due,
            booked=check.booked_date or "",
        )
        message_id = await send(bot, chat_id, text, answer_buttons(services, chat_id, name))
        if name == "bonescan" and overdue:
            await services.registry.emit(services, bot, BonescanOverdue(chat_id))
        return message_id

    def expire(self, services: Services, delivery: Delivery) -> None:
        """Missed while the bot was down: ask at the next prompt time instead of in 14 days."""
        plan(services, delivery.chat_id, delivery.ref, soonest_day(services, delivery.chat_id))


def _prompt_key(check: Check, overdue: bool) -> str:
    if check.booked_date:
        return "checkups_prompt_after_booking"
    if check.last_date is None:
        return f"checkups_prompt_first_{check.name}"
    prefix = "checkups_prompt" if check.name == "bonescan" else "checkups_prompt_cholesterol"
    return f"{prefix}_overdue" if overdue else f"{prefix}_due"


class BookedKind(DayKind):
    """One reminder the day before a booked appointment, at her reminder time."""

    name = BOOKED

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        if (waiting := self.waiting(services, event)) and waiting <= after:
            return waiting
        booked = checkups.get(services.db, event.chat_id, event.ref).booked_date
        if booked is None:
            return None
        instant = fire_on(services, event.chat_id, booked - timedelta(days=1))
        return instant if instant > after else None

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        chat_id = delivery.chat_id
        booked = checkups.get(services.db, chat_id, delivery.ref).booked_date
        if booked is None or booked != today(services, chat_id) + timedelta(days=1):
            return None
        text = services.text(
            chat_id,
            "checkups_booked_reminder",
            check=services.text(chat_id, f"checkups_name_{delivery.ref}"),
            booked=booked,
        )
        return await send(bot, chat_id, text)

    def expire(self, services: Services, delivery: Delivery) -> None:
        """Too late for "tomorrow": the prompt after the appointment still comes."""


# --- buttons -----------------------------------------------------------------------------
def _button(
    services: Services, chat_id: int, key: str, data: str, **values: Any
) -> InlineKeyboardButton:
    """A button whose text is the catalog's `key` in her language."""
    return button(label(services, chat_id, key, **values), data)


def answer_buttons(
    services: Services, chat_id: int, name: str, later: bool = True
) -> InlineKeyboardMarkup:
    """Done, Booked and (when there is a prompt it can move) Later."""
    row = [
        _button(services, chat_id, "checkups_button_done", f"checkups:done:{name}"),
        _button(services, chat_id, "checkups_button_booked", f"checkups:book:{name}"),
    ]
    if later:
        row.append(_button(services, chat_id, "checkups_button_later", f"checkups:later:{name}"))
    return InlineKeyboardMarkup([row])


def status_buttons(services: Services, chat_id: int, name: str) -> InlineKeyboardMarkup:
    later = postponed_to(services, chat_id, name) is not None
    return answer_buttons(services, chat_id, name, later)


def interval_buttons(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Per check: every 6 / 12 / 24 months, or off, two buttons a row to fit a phone; her
    current choice is ticked."""
    rows = []
    for name in CHECKS:
        check = checkups.get(services.db, chat_id, name)
        short = services.text(chat_id, f"checkups_short_{name}")

        def ticked(
            key: str, data: str, chosen: bool, short: str = short, **values: Any
        ) -> InlineKeyboardButton:
            button = _button(services, chat_id, key, data, short=short, **values)
            return (
                InlineKeyboardButton(f"✓ {button.text}", callback_data=data) if chosen else button
            )

        buttons = [
            ticked(
                "checkups_button_every",
                f"checkups:every:{name}:{m}",
                check.enabled and check.months == m,
                months=m,
            )
            for m in MONTH_BUTTONS
        ]
        buttons.append(ticked("checkups_button_off", f"checkups:off:{name}", not check.enabled))
        rows += [buttons[:2], buttons[2:]]
    return InlineKeyboardMarkup(rows)


# --- status ------------------------------------------------------------------------------
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


# --- saving ------------------------------------------------------------------------------
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


# --- commands ----------------------------------------------------------------------------
def record_command(name: str) -> Any:
    """/bonescan and /cholesterol: alone, the status with buttons; with a date, record it
    (and an optional interval in months after it)."""

    async def command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        services = get_services(context)
        chat_id = chat_id_of(update)
        args = list(context.args or [])
        if not args:
            markup = status_buttons(services, chat_id, name)
            await send(context.bot, chat_id, status(services, chat_id, name), markup)
            return
        months: int | None = None
        if len(args) > 1 and args[-1].isdecimal() and len(args[-1]) <= 3:
            parsed = parse_months(services, chat_id, args.pop())
            if isinstance(parsed, str):
                await send(context.bot, chat_id, parsed)
                return
            months = parsed
        day = parse_day(" ".join(args), today(services, chat_id), "past", services.names(chat_id))
        if isinstance(day, DateProblem):
            await send(context.bot, chat_id, problem_text(services, chat_id, day, name))
            return
        if months is not None:
            checkups.set_months(services.db, chat_id, name, months)
        await send(context.bot, chat_id, save_done(services, chat_id, name, day))

    return command


async def checkups_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    services = get_services(context)
    chat_id = chat_id_of(update)
    args = [a.lower() for a in context.args or []]
    if not args:
        parts = [services.text(chat_id, "checkups_list_intro")]
        parts += [status(services, chat_id, name) for name in CHECKS]
        parts.append(services.text(chat_id, "checkups_list_help"))
        await send(context.bot, chat_id, "\n\n".join(parts), interval_buttons(services, chat_id))
        return
    if len(args) != 2 or args[0] not in CHECKS:
        await send(context.bot, chat_id, services.text(chat_id, "checkups_unknown_check"))
        return
    await send(context.bot, chat_id, change_interval(services, chat_id, args[0], args[1]))


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


# --- buttons and typed answers -----------------------------------------------------------
async def ask_date(services: Services, bot: Bot, chat_id: int, name: str, mode: str) -> None:
    since = epoch(services.clock.now())  # an open question expires (handlers/info.py)
    awaiting = {"kind": AWAITING, "check": name, "mode": mode, "since": since}
    people.set_awaiting(services.db, chat_id, awaiting)
    check = services.text(chat_id, f"checkups_name_{name}")
    if mode == "done":
        markup = InlineKeyboardMarkup(
            [[_button(services, chat_id, "checkups_button_today", f"checkups:today:{name}")]]
        )
        text = services.text(
            chat_id, "checkups_ask_done", check=check, example=example(services, chat_id)
        )
        await send(bot, chat_id, text, markup)
    else:
        sample = show(add_months(today(services, chat_id), 1), services.names(chat_id))
        await send(
            bot, chat_id, services.text(chat_id, "checkups_ask_booked", check=check, example=sample)
        )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """checkups:<action>:<check>[:<months>]; anything else is answered as an old button."""
    query = update.callback_query
    assert query is not None
    services = get_services(context)
    chat_id = chat_id_of(update)
    parts = (query.data or "").split(":")
    action, name = (parts[1], parts[2]) if len(parts) in (3, 4) else ("", "")
    arg = parts[3] if len(parts) == 4 else None
    valid = name in CHECKS and (
        (arg is None and action in ("done", "book", "later", "today", "off"))
        or (action == "every" and arg in {str(m) for m in MONTH_BUTTONS})
        or (action == "baseline" and name == "bonescan" and arg in ("yes", "no", "unsure"))
    )
    if not valid:
        await query.answer(services.text(chat_id, "button_expired"), show_alert=True)
        return
    await query.answer()
    bot = context.bot
    if action in ("done", "book"):
        await ask_date(services, bot, chat_id, name, action)
    elif action == "today":
        people.set_awaiting(services.db, chat_id, None)
        await send(bot, chat_id, save_done(services, chat_id, name, today(services, chat_id)))
    elif action == "later":
        await send(bot, chat_id, postpone(services, chat_id, name))
    elif action == "every":
        await send(bot, chat_id, change_interval(services, chat_id, name, str(arg)))
    elif action == "off":
        await send(bot, chat_id, change_interval(services, chat_id, name, "off"))
    else:
        await answer_baseline(services, bot, chat_id, str(arg))


def postponed_to(services: Services, chat_id: int, name: str) -> date | None:
    """The day Later would move the prompt to; None when there is no prompt, or it is
    further off than that (Later must never bring a reminder years ahead forward)."""
    event = events.find(services.db, chat_id, PROMPT, name)
    day = today(services, chat_id) + timedelta(days=REPEAT_DAYS)
    if event is None or date.fromisoformat(str(event.payload.get("anchor", day))) > day:
        return None
    return day


def postpone(services: Services, chat_id: int, name: str) -> str:
    day = postponed_to(services, chat_id, name)
    if day is None:
        return services.text(chat_id, "checkups_nothing_to_postpone")
    plan(services, chat_id, name, day)
    return services.text(chat_id, "checkups_later", day=day)


async def on_typed_date(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """The date asked for by Done or Booked. A wrong date is asked again; a question or
    words that are no date at all close it politely and go on as any other message
    (False), so she is never stuck in it."""
    services = get_services(context)
    chat_id = chat_id_of(update)
    person = people.get(services.db, chat_id)
    awaiting = person.awaiting if person and person.awaiting else {}
    name, mode = awaiting.get("check"), awaiting.get("mode")
    typed = typed_text(update)
    if name not in CHECKS or mode not in ("done", "book"):
        people.set_awaiting(services.db, chat_id, None)
        return False
    if looks_like_a_question(typed) or not looks_like_date(typed, services.names(chat_id)):
        people.set_awaiting(services.db, chat_id, None)
        if not looks_like_a_question(typed):  # a question's answer needs no preface
            await send(context.bot, chat_id, services.text(chat_id, "checkups_date_put_aside"))
        return False
    allow = "past" if mode == "done" else "future"
    day = parse_day(typed, today(services, chat_id), allow, services.names(chat_id))
    if isinstance(day, DateProblem):
        await send(context.bot, chat_id, problem_text(services, chat_id, day))
        return True
    people.set_awaiting(services.db, chat_id, None)
    save = save_done if mode == "done" else save_booked
    await send(context.bot, chat_id, save(services, chat_id, str(name), day))
    return True


def looks_like_a_question(typed: str) -> bool:
    return "?" in typed or len(typed.split()) > 5


# --- onboarding ----------------------------------------------------------------------------
async def ask_baseline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """After /start: ask once about a baseline scan, until she has told us anything (not
    a caregiver: the scan is the patient's)."""
    services = get_services(context)
    chat_id = chat_id_of(update)
    if checkups.get(services.db, chat_id, "bonescan").recorded:
        return
    if roles.is_caregiver(services.db, chat_id):
        return
    answers = [
        _button(services, chat_id, f"checkups_button_{a}", f"checkups:baseline:bonescan:{a}")
        for a in ("yes", "no", "unsure")
    ]
    text = services.text(chat_id, "checkups_baseline_question")
    await send(context.bot, chat_id, text, InlineKeyboardMarkup([answers]))


async def answer_baseline(services: Services, bot: Bot, chat_id: int, answer: str) -> None:
    """Yes asks the date; No prompts from tomorrow; Not sure asks again in 14 days. A second
    tap (or a replayed update) shows where things stand instead of moving the prompt."""
    if checkups.get(services.db, chat_id, "bonescan").recorded:
        markup = status_buttons(services, chat_id, "bonescan")
        await send(bot, chat_id, status(services, chat_id, "bonescan"), markup)
        return
    if answer == "yes":
        await ask_date(services, bot, chat_id, "bonescan", "done")
        return
    checkups.touch(services.db, chat_id, "bonescan")
    if answer == "no":
        day = today(services, chat_id) + timedelta(days=1)
        plan(services, chat_id, "bonescan", day)
        await send(bot, chat_id, services.text(chat_id, "checkups_baseline_no", day=day))
    else:
        day = today(services, chat_id) + timedelta(days=REPEAT_DAYS)
        plan(services, chat_id, "bonescan", day)
        await send(bot, chat_id, services.text(chat_id, "checkups_baseline_unsure", day=day))


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command(
        "bonescan", record_command("bonescan"), "checkups", "checkups_menu_bonescan", 10
    )
    registry.command(
        "cholesterol", record_command("cholesterol"), "checkups", "checkups_menu_cholesterol", 20
    )
    registry.command("checkups", checkups_command, "checkups", "checkups_menu_checkups", 30)
    registry.on_reply(AWAITING, on_typed_date)
    # first: a set-up step that asks for more (the reminder time) stays the last message
    registry.after_start.insert(0, ask_baseline)
    services.add_kind(PromptKind())
    services.add_kind(BookedKind())
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^checkups:"))
