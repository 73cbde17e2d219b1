"""Daily tablet reminders: /remind, the Taken/Snooze/Skip buttons, /history and /pills.
Each is parsed here and answered with what usecases.py decides."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot import scheduler
from bot.all_taken import redraw
from bot.moment import Message
from bot.pure.parsing import parse_time
from bot.pure.signals import DoseAnswered, ReminderChanged
from bot.pure.timerules import epoch, local_date
from bot.pure.words import her_words
from bot.replies import edit, expired, pressed, send, send_html
from bot.screen import safety_answer
from bot.services import BotContext, Services, chat_id_of, seen, typed_text
from db import people
from db.doses import Dose
from handlers.reminders import usecases
from handlers.reminders.buttons import (
    ONBOARDING,
    PATTERN,
    DayButton,
    DaysButton,
    DoseButton,
    MarkButton,
    PickButton,
    SettingButton,
    after_all_keyboard,
    confirm_keyboard,
    days_keyboard,
    fill_in_keyboard,
    settings_keyboard,
    snoozed_keyboard,
)
from handlers.reminders.kinds import DoseAgainKind, DoseKind, dose_keyboard
from handlers.reminders.moment import NAME, Anastrozole, slot_of
from handlers.reminders.planning import schedule_daily

OVERDOSE = "overdose"  # the warning sign of red_flags.yaml for too many tablets


async def schedule_changed(services: Services, bot: Bot, chat_id: int) -> None:
    """Her dose time or zone changed: move all her events from now (check-up prompts and
    anniversary notes come at her dose time) and tell other features (her caregivers' alerts).
    The ledger names a dose by its local date, so a day already reminded is not reminded again."""
    schedule_daily(services, chat_id)
    scheduler.reschedule_chat(services, chat_id)
    await services.registry.emit(services, bot, ReminderChanged(chat_id))


async def set_time(services: Services, bot: Bot, chat_id: int, at: time) -> str:
    """Save the daily time, move the schedule; the confirmation to show."""
    if usecases.save_time(services, chat_id, at):
        await schedule_changed(services, bot, chat_id)
    return usecases.time_set_text(services, chat_id, at)


async def on_typed_time(update: Update, context: BotContext) -> bool:
    """The time typed to "what time shall I remind you?" ("9 in the morning please", "в 8
    вечера"): as its button, and the next set-up question. Anything else closes the
    question and goes on (False)."""
    services = context.services
    chat_id = chat_id_of(update)
    usecases.stop_waiting(services, chat_id)
    at = her_words(services.settings.content_path).time(typed_text(update))
    if at is None:
        return False
    await send_html(update, context, await set_time(services, context.bot, chat_id, at))
    await services.registry.continue_start(update, context, after=ONBOARDING)
    return True


async def show_settings(update: Update, context: BotContext, intro: str = "") -> None:
    """/remind alone: what is set, with its buttons; typed words answer them too."""
    services, chat_id = context.services, chat_id_of(update)
    text, nudge, on = usecases.settings(services, chat_id)
    keyboard = settings_keyboard(services, chat_id, nudge, on)
    shown = "\n\n".join(filter(None, [intro, text]))
    await send_html(update, context, shown, reply_markup=keyboard)
    usecases.await_settings(services, chat_id)


async def on_typed_setting(update: Update, context: BotContext) -> bool:
    """Words typed to /remind's buttons, both languages: a follow-up ("after half an hour",
    "через час", "no follow-ups") or a time ("8.30pm") as its button; a follow-up the
    buttons do not offer ("45 minutes") gets them again with the choices. Anything else
    closes the question and goes on (False): a question gets its answer."""
    services, chat_id = context.services, chat_id_of(update)
    usecases.stop_waiting(services, chat_id)
    words = her_words(services.settings.content_path)
    said = typed_text(update)
    if (minutes := words.follow_up(said)) is not None:
        text = usecases.set_nudge(services, chat_id, str(minutes))
        if text is None:
            await show_settings(update, context, services.text(chat_id, "reminders_nudge_choices"))
        else:
            await send_html(update, context, text)
        return True
    if (at := words.time(said, bare_words=1)) is not None:  # "2 weeks" is no 02:00
        await send_html(update, context, await set_time(services, context.bot, chat_id, at))
        return True
    return False


async def turn_off(services: Services, bot: Bot, chat_id: int) -> str:
    usecases.stop(services, chat_id)
    await schedule_changed(services, bot, chat_id)
    return services.text(chat_id, "reminders_off")


async def remind_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    arg = " ".join(context.args or []).strip()
    if not arg:
        await show_settings(update, context)
    elif arg.lower() in ("off", "stop", "no", "none"):
        await send_html(update, context, await turn_off(services, context.bot, chat_id))
    elif (at := parse_time(arg)) is not None:
        await send_html(update, context, await set_time(services, context.bot, chat_id, at))
    else:
        await send_html(update, context, services.text(chat_id, "reminders_bad_time"))


async def history_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    text, fill_in = usecases.history(services, chat_id)
    keyboard = fill_in_keyboard(services, chat_id) if fill_in else None
    await send_html(update, context, text, reply_markup=keyboard)


async def pills_command(update: Update, context: BotContext) -> None:
    chat_id = chat_id_of(update)
    arg = " ".join(context.args or []).strip()
    await send_html(update, context, usecases.pills(context.services, chat_id, arg))


async def on_button(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    if (dose := DoseButton.unpack(data)) is not None:
        await dose_button(update, context, query, dose)
        return
    day_button = DaysButton.unpack(data) or PickButton.unpack(data) or MarkButton.unpack(data)
    if day_button is not None:
        await fill_in_button(update, context, query, day_button)
        return
    setting = SettingButton.unpack(data)
    if setting and await setting_button(update, context, query, setting.action, setting.arg or ""):
        return
    await expired(query, services, chat_id, context)


async def setting_button(
    update: Update, context: BotContext, query: CallbackQuery, action: str, arg: str
) -> bool:
    """The /remind settings buttons; False when the data is not one of ours."""
    services = context.services
    chat_id = chat_id_of(update)
    text: str | None = None
    timed = action in ("at", "first") and len(arg) == 4
    if timed and (at := parse_time(f"{arg[:2]}:{arg[2:]}")):
        text = await set_time(services, context.bot, chat_id, at)
    elif action == "nudge":
        text = usecases.set_nudge(services, chat_id, arg)
    elif action == "off" and not arg:
        text = await turn_off(services, context.bot, chat_id)
    elif action == "later" and not arg:
        text = services.text(chat_id, "reminders_later")
    if text is None:
        return False
    usecases.stop_waiting(services, chat_id)  # a button answered the time question
    await query.answer()
    await send_html(update, context, text)
    if action in ("first", "later"):  # set up, or left for later: the next question
        await services.registry.continue_start(update, context, after=ONBOARDING)
    return True


async def dose_button(
    update: Update,
    context: BotContext,
    query: CallbackQuery,
    press: DoseButton,
) -> None:
    action, day, minutes = press.action, press.day, press.minutes
    services = context.services
    chat_id = chat_id_of(update)
    # Her zone and language as this update's middleware read them (nothing here changes them).
    zone, language = services.zone(chat_id, context), services.language(chat_id, context)
    now = services.clock.now()
    dose = usecases.tapped(services, chat_id, day, local_date(now, zone))
    # Her own reminder from today or yesterday (a late tap); anything else is stale or forged.
    if dose is None or (action == "snooze") != (minutes is not None):
        await expired(query, services, chat_id, context)
        return
    if action == "snooze":
        await snooze(update, context, query, dose, minutes or 0)
        return
    status = "taken" if action == "take" else "skipped"
    if dose.status in ("taken", "skipped") and dose.status != status:  # a mistaken tap
        text = await mark_day(services, context.bot, chat_id, day, status)
        await query.answer()
        await answer_where(query, context, dose, text)
        return
    # Other doses of its moment still open keep the follow-ups (not asked on a second tap).
    others = (
        0 if dose.status == status else moment_of(context, dose).open - (dose.status == "pending")
    )
    already, left = usecases.answer(services, chat_id, dose, status, epoch(now), others > 0)
    if already:
        await query.answer(services.catalog.text(language, f"reminders_already_{already}"))
        return
    local = now.astimezone(zone)
    after_all = services.catalog.text(language, "reminders_button_after_all")
    undo = after_all_keyboard(after_all, day) if status == "skipped" else None
    text = services.catalog.text(language, f"reminders_{status}", time=local.strftime("%H:%M"))
    if await answer_where(query, context, dose, text, undo, quiet=status == "taken"):
        await query.answer(text if status == "taken" else None)
    else:
        await query.answer()
    await services.registry.emit(services, context.bot, DoseAnswered(chat_id, day, status))
    if note := usecases.refill(services, chat_id, left):
        await send_html(update, context, note)


def moment_of(context: BotContext, dose: Dose) -> Message:
    """The moment her day's reminder belongs to, as it now stands (bot/moment.py)."""
    services, chat_id = context.services, dose.chat_id
    person = seen(context, chat_id) or people.get(services.db, chat_id)
    slot = slot_of(services, chat_id, dose, person.remind_at if person else None)
    return redraw(services, chat_id, dose.local_date, slot)


async def answer_where(
    query: CallbackQuery,
    context: BotContext,
    dose: Dose,
    text: str,
    markup: InlineKeyboardMarkup | None = None,
    quiet: bool = False,
) -> bool:
    """Her answer where she pressed. Under a moment's message (other medicines with it,
    bot/moment.py) the message is redrawn as it now stands and the answer follows as a
    message of its own (`quiet`: none, the redrawn line says it); otherwise the pressed
    message becomes the answer. True for a moment."""
    together = moment_of(context, dose)
    if together.members < 2:
        await edit(query, text, markup)
        return False
    await edit(query, together.text, together.markup())
    if not quiet:
        await send(context.bot, dose.chat_id, text, markup)
    return True


async def mark_day(services: Services, bot: Bot, chat_id: int, day: str, status: str) -> str:
    """Record or correct one of her last days and tell other features (her caregivers'
    news follows the record); the confirmation."""
    text, changed = usecases.mark_day(services, chat_id, day, status)
    if changed:
        await services.registry.emit(services, bot, DoseAnswered(chat_id, day, status))
    return text


async def fill_in_button(
    update: Update, context: BotContext, query: CallbackQuery, button: DayButton
) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    await query.answer()
    if isinstance(button, DaysButton) and button.action == "days":
        text = services.text(chat_id, "reminders_fill_in_which", days=usecases.FILL_IN_DAYS)
        keyboard = days_keyboard(services, chat_id, usecases.last_days(services, chat_id))
        await send_html(update, context, text, reply_markup=keyboard)
    elif isinstance(button, PickButton):
        shown = services.weekday(chat_id, date.fromisoformat(button.day))
        text = services.text(chat_id, "reminders_fill_in_day", day=shown)
        await send_html(
            update, context, text, reply_markup=confirm_keyboard(services, chat_id, button.day)
        )
    elif isinstance(button, MarkButton):
        text = await mark_day(services, context.bot, chat_id, button.day, button.status)
        await edit(query, text)
    else:
        await edit(query, services.text(chat_id, "reminders_nothing_recorded"))


# --- her own words (bot/pure/words.py) ----------------------------------------------------------
async def on_dose_words(update: Update, context: BotContext, text: str) -> bool:
    """Her words about her tablet, in any language with words for it: what applies, always;
    with reminders, a question with buttons before anything is recorded. Taken twice gets the
    safety net's answer for too many tablets first (sent by the net when it read it too),
    then only the question to record the day's tablet, when there is one to ask. A
    caregiver's words go on to the guide."""
    services = context.services
    chat_id = chat_id_of(update)
    said = her_words(services.settings.content_path).dose(text)
    if said is None or usecases.is_caregiver(services, chat_id):
        return False
    kind, yesterday = said
    if kind == "twice":
        language = services.language(chat_id, context)
        if not services.safety.assess(text, language).stops:  # the net has not answered
            verdict = services.safety.urgent(OVERDOSE, language)
            await send_html(update, context, safety_answer(services, verdict, language))
    reply, day = usecases.words_reply(services, chat_id, kind, yesterday)
    if kind == "twice" and day is None:
        return True  # nothing to record: the urgent answer stands alone
    keyboard = confirm_keyboard(services, chat_id, day) if day else None
    await send_html(update, context, reply, reply_markup=keyboard)
    return True


async def snooze(
    update: Update,
    context: BotContext,
    query: CallbackQuery,
    dose: Dose,
    minutes: int,
) -> None:
    services, day = context.services, dose.local_date
    chat_id = chat_id_of(update)
    at = usecases.snooze(services, chat_id, day, minutes)
    if at is None:
        await query.answer(services.text(chat_id, "reminders_cannot_snooze"), show_alert=True)
        return
    local = at.astimezone(services.zone(chat_id))
    keyboard = snoozed_keyboard(
        services, chat_id, day, minutes, dose_keyboard(services, chat_id, day)
    )
    text = services.text(chat_id, "reminders_snoozed", time=local.strftime("%H:%M"))
    together = await answer_where(query, context, dose, text, keyboard, quiet=True)
    await query.answer(text if together else None)


def register(app: Any, services: Services) -> None:
    services.add_kind(DoseKind())
    services.add_kind(DoseAgainKind())
    services.registry.moment_member(NAME, Anastrozole(), order=10)
    registry = services.registry
    registry.command("remind", remind_command, "reminders", "reminders_menu_remind", order=10)
    registry.command("history", history_command, "reminders", "reminders_menu_history", order=30)
    registry.command("pills", pills_command, "reminders", "reminders_menu_pills", order=40)
    registry.on_reply(usecases.TIME_QUESTION, on_typed_time)
    registry.on_reply(usecases.SETTINGS_QUESTION, on_typed_setting)
    words = her_words(services.settings.content_path)
    registry.on_text(
        "dose_words",
        lambda text: words.dose(text) is not None,
        on_dose_words,
        10,
        follows=frozenset({OVERDOSE}),
    )
    app.add_handler(CallbackQueryHandler(on_button, pattern=PATTERN))
