"""Check-ups in Telegram: /bonescan, /cholesterol, /checkups, the buttons under prompts,
the typed date after Done or Booked, and the onboarding question about a baseline scan."""

from __future__ import annotations

from typing import Any

from telegram import Bot, Update
from telegram.ext import CallbackQueryHandler

from bot.pure.dates import DateProblem, add_months, looks_like_date, parse_day, show
from bot.pure.words import her_words
from bot.replies import expired, pressed, send
from bot.services import BotContext, Services, chat_id_of, typed_text
from db.checkups import CHECKS
from handlers.checkups.buttons import (
    PATTERN,
    BaselineButton,
    CheckButton,
    CourseButton,
    EveryButton,
    baseline_buttons,
    interval_buttons,
    status_buttons,
    today_button,
)
from handlers.checkups.kinds import BookedKind, PromptKind
from handlers.checkups.planning import today
from handlers.checkups.usecases import (
    AWAITING,
    BASELINE,
    PROMPTED,
    await_baseline,
    await_date,
    awaited,
    baseline_due,
    baseline_later,
    change_interval,
    example,
    injections_text,
    looks_like_a_question,
    parse_months,
    postpone,
    problem_text,
    prompted,
    save_booked,
    save_done,
    scan_recorded,
    setting_up,
    status,
    stop_waiting,
)


def record_command(name: str) -> Any:
    """/bonescan and /cholesterol: alone, the status with buttons; with a date, record it
    (and an optional interval in months after it)."""

    async def command(update: Update, context: BotContext) -> None:
        services = context.services
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
        await send(context.bot, chat_id, save_done(services, chat_id, name, day, months))

    return command


async def checkups_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    args = [a.lower() for a in context.args or []]
    if not args:
        parts = [services.text(chat_id, "checkups_list_intro")]
        parts += [status(services, chat_id, name) for name in CHECKS]
        parts += injections_text(services, chat_id)
        parts.append(services.text(chat_id, "checkups_list_help"))
        await send(context.bot, chat_id, "\n\n".join(parts), interval_buttons(services, chat_id))
        return
    if len(args) != 2 or args[0] not in CHECKS:
        await send(context.bot, chat_id, services.text(chat_id, "checkups_unknown_check"))
        return
    await send(context.bot, chat_id, change_interval(services, chat_id, args[0], args[1]))


# --- buttons and typed answers -----------------------------------------------------------
async def ask_date(
    services: Services, bot: Bot, chat_id: int, name: str, mode: str, setting_up: bool = False
) -> None:
    await_date(services, chat_id, name, mode, setting_up)
    check = services.text(chat_id, f"checkups_name_{name}")
    if mode == "done":
        markup = today_button(services, chat_id, name)
        text = services.text(
            chat_id, "checkups_ask_done", check=check, example=example(services, chat_id)
        )
        await send(bot, chat_id, text, markup)
    else:
        sample = show(add_months(today(services, chat_id), 1), services.names(chat_id))
        await send(
            bot, chat_id, services.text(chat_id, "checkups_ask_booked", check=check, example=sample)
        )


async def on_button(update: Update, context: BotContext) -> None:
    """A check-ups button; anything else is answered as an old button."""
    query, services, chat_id, data = pressed(update, context)
    press = (
        CheckButton.unpack(data)
        or EveryButton.unpack(data)
        or BaselineButton.unpack(data)
        or CourseButton.unpack(data)
    )
    if press is None:
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    bot = context.bot
    if isinstance(press, EveryButton):
        text = change_interval(services, chat_id, press.check, str(press.months))
        await send(bot, chat_id, text)
    elif isinstance(press, BaselineButton):
        await answer_baseline(update, context, press.answer)
    elif isinstance(press, CourseButton):  # when she started: later
        stop_waiting(services, chat_id)
        await send(bot, chat_id, services.text(chat_id, "course_onboarding_later"))
    elif press.action in ("done", "book"):
        await ask_date(services, bot, chat_id, press.check, press.action)
    elif press.action == "today":
        then = setting_up(services, chat_id)
        stop_waiting(services, chat_id)
        day = today(services, chat_id)
        await send(bot, chat_id, save_done(services, chat_id, press.check, day))
        if then:  # the scan's date after /start: the next set-up question
            await services.registry.continue_start(update, context, after=BASELINE_STEP)
    elif press.action == "later":
        await send(bot, chat_id, postpone(services, chat_id, press.check))
    else:
        await send(bot, chat_id, change_interval(services, chat_id, press.check, "off"))


async def on_typed_date(update: Update, context: BotContext) -> bool:
    """The date asked for by Done or Booked. A wrong date is asked again; a question or
    words that are no date at all close it politely and go on as any other message
    (False), so she is never stuck in it."""
    services = context.services
    chat_id = chat_id_of(update)
    found = awaited(services, chat_id)
    if found is None:
        return False
    name, mode = found
    typed = typed_text(update)
    if looks_like_a_question(typed) or not looks_like_date(typed, services.names(chat_id)):
        stop_waiting(services, chat_id)
        if not looks_like_a_question(typed):  # a question's answer needs no preface
            await send(context.bot, chat_id, services.text(chat_id, "checkups_date_put_aside"))
        return False
    allow = "past" if mode == "done" else "future"
    day = parse_day(typed, today(services, chat_id), allow, services.names(chat_id))
    if isinstance(day, DateProblem):
        await send(context.bot, chat_id, problem_text(services, chat_id, day))
        return True
    then = setting_up(services, chat_id)
    stop_waiting(services, chat_id)
    save = save_done if mode == "done" else save_booked
    await send(context.bot, chat_id, save(services, chat_id, name, day))
    if then:  # the scan's date after /start: the next set-up question
        await services.registry.continue_start(update, context, after=BASELINE_STEP)
    return True


BASELINE_STEP = "baseline"  # its name among /start's steps (bot/registry.py)


# --- onboarding ----------------------------------------------------------------------------
async def ask_baseline(update: Update, context: BotContext) -> bool:
    """After /start: ask once about a baseline scan, until she has told us anything (not
    a caregiver: the scan is the patient's). True when it asked."""
    services = context.services
    chat_id = chat_id_of(update)
    if not baseline_due(services, chat_id):
        return False
    text = services.text(chat_id, "checkups_baseline_question")
    await send(context.bot, chat_id, text, baseline_buttons(services, chat_id))
    await_baseline(services, chat_id)  # the buttons are a shortcut: words answer it too
    return True


async def on_typed_prompt(update: Update, context: BotContext) -> bool:
    """Words typed to a check's prompt: its day ("done on 5 May") saves it; "yes" asks the
    day as Done would; "not yet" puts the prompt off as Later would. Anything else closes
    the question and goes on (False)."""
    services, bot, chat_id = context.services, context.bot, chat_id_of(update)
    name = prompted(services, chat_id)
    stop_waiting(services, chat_id)
    typed = typed_text(update)
    if name is None or looks_like_a_question(typed):
        return False
    # "done on 10 March": the day from its first digit on
    digit = next((i for i, c in enumerate(typed) if c.isdigit()), 0)
    day = parse_day(typed[digit:], today(services, chat_id), "past", services.names(chat_id))
    answer = her_words(services.settings.content_path).answer(typed)
    if not isinstance(day, DateProblem):
        await send(bot, chat_id, save_done(services, chat_id, name, day))
    elif answer == "yes":
        await ask_date(services, bot, chat_id, name, "done")
    elif answer in ("no", "unsure"):
        await send(bot, chat_id, postpone(services, chat_id, name))
    else:
        return False
    return True


async def on_typed_baseline(update: Update, context: BotContext) -> bool:
    """ "No, not yet", "не помню" typed to the baseline question: as its button. Anything
    else closes the question and goes on (False)."""
    services = context.services
    chat_id = chat_id_of(update)
    stop_waiting(services, chat_id)
    answer = her_words(services.settings.content_path).answer(typed_text(update))
    if answer is None:
        return False
    await answer_baseline(update, context, answer)
    return True


async def answer_baseline(update: Update, context: BotContext, answer: str) -> None:
    """Yes asks the date; No prompts from tomorrow; Not sure asks again in 14 days; then the
    next set-up question. A second tap (or a replayed update) shows where things stand
    instead of moving the prompt."""
    services, bot, chat_id = context.services, context.bot, chat_id_of(update)
    if scan_recorded(services, chat_id):
        markup = status_buttons(services, chat_id, "bonescan")
        await send(bot, chat_id, status(services, chat_id, "bonescan"), markup)
        return
    if answer == "yes":  # the date first; the next question follows it
        await ask_date(services, bot, chat_id, "bonescan", "done", setting_up=True)
        return
    stop_waiting(services, chat_id)  # answered by a button: words are no longer awaited
    await send(bot, chat_id, baseline_later(services, chat_id, answer))
    await services.registry.continue_start(update, context, after=BASELINE_STEP)


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
    registry.on_reply(BASELINE, on_typed_baseline)
    registry.on_reply(PROMPTED, on_typed_prompt)
    registry.on_start(BASELINE_STEP, ask_baseline, order=20)  # after the reminder's set-up
    services.add_kind(PromptKind())
    services.add_kind(BookedKind())
    app.add_handler(CallbackQueryHandler(on_button, pattern=PATTERN))
