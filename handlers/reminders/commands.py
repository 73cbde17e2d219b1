"""Daily tablet reminders: /remind, the Taken/Snooze/Skip buttons, /history and /pills."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler

from bot import scheduler
from bot.adherence import SYMBOLS, effective, summarise
from bot.parsing import format_time, parse_time
from bot.places import zone_label
from bot.replies import button, edit, expired, pressed, send_html
from bot.services import BotContext, Services, chat_id_of
from bot.signals import DoseAnswered, ReminderChanged
from bot.timerules import epoch, from_epoch, local_date, resolve
from db import doses, events, people, reminders, roles
from handlers.reminders.buttons import (
    PATTERN,
    DayButton,
    DaysButton,
    DoseButton,
    MarkButton,
    PickButton,
    SettingButton,
    time_buttons,
)
from handlers.reminders.kinds import (
    DOSE,
    SNOOZE_CHOICES,
    DoseAgainKind,
    DoseKind,
    dose_keyboard,
    schedule_again,
    schedule_daily,
)

REFILL_AT = (7, 3)
MAX_PILLS = 1000
HISTORY_DAYS = 30
FILL_IN_DAYS = 7  # /history lets her fill in or correct this many days, today included


def zone_note(services: Services, chat_id: int) -> str:
    person = people.get(services.db, chat_id)
    if person and person.timezone:
        return services.text(chat_id, "reminders_zone_is", zone=zone_label(person.timezone))
    return services.text(chat_id, "reminders_zone_unset")


async def schedule_changed(services: Services, bot: Bot, chat_id: int) -> None:
    """Her dose time or zone changed: move all her events from now (check-up prompts and
    anniversary notes come at her dose time) and tell other features (her caregivers' alerts).
    The ledger names a dose by its local date, so a day already reminded is not reminded again."""
    schedule_daily(services, chat_id)
    scheduler.reschedule_chat(services, chat_id)
    await services.registry.emit(services, bot, ReminderChanged(chat_id))


async def set_time(services: Services, bot: Bot, chat_id: int, at: time) -> str:
    """Save the daily time, move the schedule; the confirmation to show.

    The same time again (or a redelivered update) leaves a due reminder where it is."""
    person = people.get(services.db, chat_id)
    event = events.find(services.db, chat_id, DOSE)
    if event is None or person is None or person.remind_at != format_time(at):
        people.set_remind_at(services.db, chat_id, format_time(at))
        await schedule_changed(services, bot, chat_id)
        event = events.find(services.db, chat_id, DOSE)
    assert event is not None
    local = from_epoch(event.next_fire).astimezone(services.zone(chat_id))
    return "\n".join(
        [
            services.text(
                chat_id,
                "reminders_set",
                time=format_time(at),
                next=f"{services.weekday(chat_id, local.date())}, {local:%H:%M}",
            ),
            zone_note(services, chat_id),
        ]
    )


async def turn_off(services: Services, bot: Bot, chat_id: int) -> str:
    people.set_remind_at(services.db, chat_id, None)
    await schedule_changed(services, bot, chat_id)
    return services.text(chat_id, "reminders_off")


def settings_view(services: Services, chat_id: int) -> tuple[str, InlineKeyboardMarkup]:
    person = people.get(services.db, chat_id)
    prefs = reminders.get(services.db, chat_id)
    if person and person.remind_at:
        lines = [services.text(chat_id, "reminders_settings_on", time=person.remind_at)]
    elif doses.latest(services.db, chat_id) is not None:  # she had one and turned it off
        lines = [services.text(chat_id, "reminders_settings_off")]
    else:
        lines = [services.text(chat_id, "reminders_settings_none")]
    lines.append(zone_note(services, chat_id))
    nudge = services.text(chat_id, f"reminders_nudge_{prefs.nudge_minutes}")
    lines.append(services.text(chat_id, "reminders_settings_nudge", nudge=nudge))
    keyboard = time_buttons()
    keyboard.append(
        [
            button(
                ("✓ " if prefs.nudge_minutes == m else "")
                + services.text(chat_id, f"reminders_nudge_{m}"),
                SettingButton("nudge", str(m)).pack(),
            )
            for m in reminders.NUDGE_CHOICES
        ]
    )
    if person and person.remind_at:
        keyboard.append(
            [button(services.text(chat_id, "reminders_button_off"), SettingButton("off").pack())]
        )
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


async def remind_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    arg = " ".join(context.args or []).strip()
    if not arg:
        text, keyboard = settings_view(services, chat_id)
        await send_html(update, context, text, reply_markup=keyboard)
    elif arg.lower() in ("off", "stop", "no", "none"):
        await send_html(update, context, await turn_off(services, context.bot, chat_id))
    elif (at := parse_time(arg)) is not None:
        await send_html(update, context, await set_time(services, context.bot, chat_id, at))
    else:
        await send_html(update, context, services.text(chat_id, "reminders_bad_time"))


async def history_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    today = local_date(services.clock.now(), services.zone(chat_id))
    first = today - timedelta(days=HISTORY_DAYS - 1)
    doses.close_before(services.db, chat_id, today.isoformat())
    rows = doses.between(services.db, chat_id, first.isoformat(), today.isoformat())
    summary = summarise(
        {date.fromisoformat(d.local_date): d.status for d in rows}, today, HISTORY_DAYS
    )
    if not rows:
        caregiver = roles.is_caregiver(services.db, chat_id)
        key = "reminders_history_caregiver" if caregiver else "reminders_history_empty"
        await send_html(update, context, services.text(chat_id, key))
        return
    text = services.text(
        chat_id,
        "reminders_history",
        taken=summary.taken,
        skipped=summary.skipped,
        missed=summary.missed,
        days=HISTORY_DAYS,
    )
    if summary.percent is not None:  # only today's open dose so far: no rate yet
        key = "reminders_history_rate" if summary.streak else "reminders_history_rate_only"
        rate = services.text(chat_id, key, percent=summary.percent, streak=summary.streak)
        text = f"{text}\n{rate}"
    calendar = "\n".join(summary.calendar)
    legend = services.text(chat_id, "reminders_history_legend")
    fill_in = button(services.text(chat_id, "reminders_button_fill_in"), DaysButton("days").pack())
    await send_html(
        update,
        context,
        f"{text}\n\n{calendar}\n{legend}",
        reply_markup=InlineKeyboardMarkup([[fill_in]]),
    )


async def pills_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    arg = " ".join(context.args or []).strip()
    if not arg:
        count = reminders.get(services.db, chat_id).pills
        key = "reminders_pills_unknown" if count is None else "reminders_pills_count"
        await send_html(update, context, services.text(chat_id, key, count=count))
    elif arg.isdecimal() and len(arg) <= len(str(MAX_PILLS)) and int(arg) <= MAX_PILLS:
        reminders.set_pills(services.db, chat_id, int(arg))
        await send_html(
            update, context, services.text(chat_id, "reminders_pills_set", count=int(arg))
        )
    else:
        await send_html(update, context, services.text(chat_id, "reminders_pills_bad"))


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
    if action == "at" and (at := parse_time(f"{arg[:2]}:{arg[2:]}")) and len(arg) == 4:
        text = await set_time(services, context.bot, chat_id, at)
    elif action == "nudge" and arg.isdigit() and int(arg) in reminders.NUDGE_CHOICES:
        reminders.set_nudge(services.db, chat_id, int(arg))
        nudge = services.text(chat_id, f"reminders_nudge_{int(arg)}")
        text = services.text(chat_id, "reminders_nudge_set", nudge=nudge)
    elif action == "off" and not arg:
        text = await turn_off(services, context.bot, chat_id)
    else:
        return False
    await query.answer()
    await send_html(update, context, text)
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
    yesterday = (local_date(now, zone) - timedelta(days=1)).isoformat()
    dose = doses.get(services.db, chat_id, day)
    # Her own reminder from today or yesterday (a late tap); anything else is stale or forged.
    if dose is None or day < yesterday or (action == "snooze") != (minutes is not None):
        await expired(query, services, chat_id, context)
        return
    if action == "snooze":
        await snooze(update, context, query, day, minutes or 0)
        return
    status = "taken" if action == "take" else "skipped"
    if dose.status in ("taken", "skipped") and dose.status != status:  # a mistaken tap
        text = await mark_day(services, context.bot, chat_id, day, status)
        await query.answer()
        await edit(query, text)
        return
    done = dose.status == status  # a second tap: no write to try, no re-read
    recorded, left = (
        (False, None) if done else record_answer(services, chat_id, day, status, epoch(now))
    )
    if not recorded:
        answered = dose if done else doses.get(services.db, chat_id, day)  # a concurrent tap won
        key = f"reminders_already_{answered.status if answered else 'taken'}"
        await query.answer(services.catalog.text(language, key))
        return
    local = now.astimezone(zone)
    await query.answer()
    # After a Skip, one button corrects it: she may have taken it after all.
    after_all = MarkButton("mark", day, "taken").pack()
    undo = (
        InlineKeyboardMarkup(
            [[button(services.catalog.text(language, "reminders_button_after_all"), after_all)]]
        )
        if status == "skipped"
        else None
    )
    await edit(
        query,
        services.catalog.text(language, f"reminders_{status}", time=local.strftime("%H:%M")),
        undo,
    )
    await services.registry.emit(services, context.bot, DoseAnswered(chat_id, day, status))
    if left in REFILL_AT:
        await send_html(update, context, services.text(chat_id, "reminders_refill", count=left))


async def mark_day(services: Services, bot: Bot, chat_id: int, day: str, status: str) -> str:
    """Record or correct one of her last days (her words, /history, a button after Skip)
    and tell other features (her caregivers' news follows the record); the confirmation."""
    zone = services.zone(chat_id)
    now = services.clock.now()
    today = local_date(now, zone)
    if not today - timedelta(days=FILL_IN_DAYS - 1) <= date.fromisoformat(day) <= today:
        return services.text(chat_id, "reminders_fill_in_too_old", days=FILL_IN_DAYS)
    shown = services.weekday(chat_id, date.fromisoformat(day))
    with services.db.atomic():
        due = epoch(_due_on(services, chat_id, date.fromisoformat(day)))
        before = doses.correct(services.db, chat_id, day, status, epoch(now), due)
        if before == status:
            return services.text(chat_id, f"reminders_marked_already_{status}", day=shown)
        schedule_again(services, chat_id, day, [], snoozed=False)
        left = None
        if status == "taken":
            left = reminders.take_pill(services.db, chat_id)
        elif before == "taken":
            reminders.return_pill(services.db, chat_id)
    await services.registry.emit(services, bot, DoseAnswered(chat_id, day, status))
    key = "changed" if before in ("taken", "skipped") else "marked"
    text = services.text(chat_id, f"reminders_{key}_{status}", day=shown)
    if left in REFILL_AT:
        text += "\n\n" + services.text(chat_id, "reminders_refill", count=left)
    return text


def _due_on(services: Services, chat_id: int, day: date) -> datetime:
    """When that day's reminder was (or would have been) due: her time, else noon."""
    person = people.get(services.db, chat_id)
    at = parse_time(person.remind_at) if person and person.remind_at else None
    return resolve(day, at or time(12, 0), services.zone(chat_id))


def fill_in_days(services: Services, chat_id: int) -> InlineKeyboardMarkup:
    """Her last days, newest first, each with its symbol, to fill in or correct."""
    today = local_date(services.clock.now(), services.zone(chat_id))
    first = today - timedelta(days=FILL_IN_DAYS - 1)
    known = {
        d.local_date: d.status
        for d in doses.between(services.db, chat_id, first.isoformat(), today.isoformat())
    }
    buttons = []
    for offset in range(FILL_IN_DAYS):
        day = today - timedelta(days=offset)
        status = effective(known.get(day.isoformat()), day, today)
        label = f"{SYMBOLS[status]} {services.weekday(chat_id, day)}"
        buttons.append(button(label, PickButton("pick", day.isoformat()).pack()))
    return InlineKeyboardMarkup([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def confirm_keyboard(services: Services, chat_id: int, day: str) -> InlineKeyboardMarkup:
    """Taken / Not taken for one day, and a way to record nothing."""
    return InlineKeyboardMarkup(
        [
            [
                button(
                    services.text(chat_id, "reminders_button_mark_taken"),
                    MarkButton("mark", day, "taken").pack(),
                ),
                button(
                    services.text(chat_id, "reminders_button_mark_skipped"),
                    MarkButton("mark", day, "skipped").pack(),
                ),
            ],
            [
                button(
                    services.text(chat_id, "reminders_button_nomark"), DaysButton("nomark").pack()
                )
            ],
        ]
    )


async def fill_in_button(
    update: Update, context: BotContext, query: CallbackQuery, button: DayButton
) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    await query.answer()
    if isinstance(button, DaysButton) and button.action == "days":
        text = services.text(chat_id, "reminders_fill_in_which", days=FILL_IN_DAYS)
        await send_html(update, context, text, reply_markup=fill_in_days(services, chat_id))
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


# --- her own words -------------------------------------------------------------------------
_THING = (
    r"(?:\s+(?:it|them|my\s+(?:tablet|pill|dose|anastrozole|arimidex|medicine|medication)"
    r"|the\s+(?:tablet|pill|dose)|today'?s\s+(?:tablet|pill|dose)))?"
)
_WHEN = (
    r"(?:\s+(?:after\s+all|today|this\s+morning|tonight|last\s+night|now|yesterday|earlier"
    r"|already|too|as\s+well))*"
)
_LEAD = r"^(?:(?:yes|yep|yeah|actually|ok|okay|oh|oops|sorry|but)[,!. ]+)*"
_TOOK = re.compile(
    _LEAD
    + r"(?:i\s*)?(?:(?:did|have|'ve|just|already)\s+)*(?:took|taken|take)"
    + _THING
    + _WHEN
    + r"\s*[.!✅👍🌷]*$"
)
_FORGOT = re.compile(
    _LEAD + r"(?:i\s*)?(?:(?:have|'ve|just)\s+)*(?:forgot|forgotten|missed|skipped|didn'?t\s+take"
    r"|did\s+not\s+take)" + _THING + _WHEN + r"\s*[.!]*$"
)


def dose_words(text: str) -> str | None:
    """ "taken" or "skipped" when a short message reports her dose ("I took it", "taken",
    "I forgot yesterday"); None for anything else, questions included ("I took it with
    food, is that ok?" is a question for the matcher)."""
    typed = " ".join(text.lower().replace("’", "'").split())
    if "?" in typed or len(typed.split()) > 8:
        return None
    if _TOOK.match(typed):
        return "taken"
    if _FORGOT.match(typed):
        return "skipped"
    return None


async def on_dose_words(update: Update, context: BotContext, text: str) -> bool:
    """Her words about a dose: ask with buttons before anything is recorded. Only for
    someone with reminders (a caregiver's or a newcomer's words go on to the matcher)."""
    services = context.services
    chat_id = chat_id_of(update)
    status = dose_words(text)
    person = people.get(services.db, chat_id)
    has_reminders = bool(person and person.remind_at) or doses.latest(services.db, chat_id)
    if status is None or not has_reminders:
        return False
    today = local_date(services.clock.now(), services.zone(chat_id))
    typed = text.lower()
    day = today - timedelta(days=1) if "yesterday" in typed or "last night" in typed else today
    dose = doses.get(services.db, chat_id, day.isoformat())
    shown = services.weekday(chat_id, day)
    if dose is not None and dose.status == status:
        await send_html(
            update, context, services.text(chat_id, f"reminders_marked_already_{status}", day=shown)
        )
        return True
    key = f"reminders_confirm_{status}"
    await send_html(
        update,
        context,
        services.text(chat_id, key, day=shown),
        reply_markup=confirm_keyboard(services, chat_id, day.isoformat()),
    )
    return True


def record_answer(
    services: Services, chat_id: int, day: str, status: str, at: int
) -> tuple[bool, int | None]:
    """Answer the day, cancel its follow-ups and count a taken tablet down, all in one
    transaction (one commit instead of three); (False, None) when the day was answered
    already. The tablets left, or None when not counting."""
    with services.db.atomic():
        if not doses.answer(services.db, chat_id, day, status, at):
            return False, None
        schedule_again(services, chat_id, day, [], snoozed=False)
        return True, reminders.take_pill(services.db, chat_id) if status == "taken" else None


async def snooze(
    update: Update,
    context: BotContext,
    query: CallbackQuery,
    day: str,
    minutes: int,
) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    dose = doses.get(services.db, chat_id, day)
    today = local_date(services.clock.now(), services.zone(chat_id)).isoformat()
    if minutes not in SNOOZE_CHOICES or dose is None or dose.status != "pending" or day < today:
        await query.answer(services.text(chat_id, "reminders_cannot_snooze"), show_alert=True)
        return
    at = services.clock.now() + timedelta(minutes=minutes)
    schedule_again(services, chat_id, day, [at], snoozed=True)
    local = at.astimezone(services.zone(chat_id))
    keyboard = dose_keyboard(services, chat_id, day).inline_keyboard
    other = [m for m in SNOOZE_CHOICES if m != minutes]
    choices = [
        button(
            services.text(chat_id, "reminders_snooze_instead", minutes=m),
            DoseButton("snooze", day, m).pack(),
        )
        for m in other
    ]
    await query.answer()
    await edit(
        query,
        services.text(chat_id, "reminders_snoozed", time=local.strftime("%H:%M")),
        InlineKeyboardMarkup([*keyboard, choices]),
    )


def register(app: Any, services: Services) -> None:
    services.add_kind(DoseKind())
    services.add_kind(DoseAgainKind())
    registry = services.registry
    registry.command("remind", remind_command, "reminders", "reminders_menu_remind", order=10)
    registry.command("history", history_command, "reminders", "reminders_menu_history", order=30)
    registry.command("pills", pills_command, "reminders", "reminders_menu_pills", order=40)
    registry.on_text("dose_words", lambda text: dose_words(text) is not None, on_dose_words, 10)
    app.add_handler(CallbackQueryHandler(on_button, pattern=PATTERN))
