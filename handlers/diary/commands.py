"""The diary's Telegram side: /log, /symptoms, /chart, /report, its buttons, the awaited note
and the weekly check-in after a Taken. Parse, call a use case, answer."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, InlineKeyboardMarkup, InputFile, Update

from bot import replies
from bot.core import file_name
from bot.pure.signals import DoseAnswered
from bot.pure.words import her_words
from bot.replies import expired, pressed, send
from bot.reports.chart import chart_png, span
from bot.reports.pdf import report_pdf
from bot.services import BotContext, Services, chat_id_of, seen, typed_text
from handlers.diary import buttons, usecases
from handlers.diary.buttons import Another, Chart, CheckIn, Done, Pick, Rate, SkipNote

log = logging.getLogger(__name__)


async def log_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    usecases.stop_waiting(services, chat_id)
    say = usecases.say_for(services, chat_id)
    await send(
        context.bot, chat_id, services.text(chat_id, "diary_ask_symptom"), buttons.symptoms(say)
    )


async def symptoms_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    on = usecases.checkin_status(services, chat_id)
    text = usecases.symptoms_text(services, chat_id) + "\n\n" + _checkin_line(services, chat_id, on)
    say = usecases.say_for(services, chat_id)
    await send(context.bot, chat_id, text, buttons.checkin_switch(say, on))


def _checkin_line(services: Services, chat_id: int, on: bool) -> str:
    return services.text(chat_id, "diary_checkin_is_on" if on else "diary_checkin_is_off")


async def chart_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    args = context.args or []
    if args and args[0] not in {str(d) for d in buttons.CHART_DAYS}:
        await send(context.bot, chat_id, services.text(chat_id, "diary_chart_usage"))
        return
    await send_chart(context.bot, services, chat_id, int(args[0]) if args else 30)


async def send_chart(bot: Bot, services: Services, chat_id: int, days: int) -> None:
    say = usecases.say_for(services, chat_id)
    today = usecases.today(services, chat_id)
    doses = usecases.dose_days(services, chat_id, days)
    entries = usecases.entries(services, chat_id, days)
    shown = span(today, days, doses, entries)  # fewer days when her records begin later
    picture = await asyncio.to_thread(
        chart_png, say, today, shown, doses, entries, names=services.names(chat_id)
    )
    more = shown == days < max(buttons.CHART_DAYS)  # a longer chart would show more
    await bot.send_photo(
        chat_id,
        InputFile(
            picture, filename=file_name(services, chat_id, "diary_chart_filename", days=days)
        ),
        caption=services.text(chat_id, "diary_chart_caption", days=shown),
        reply_markup=buttons.more_days(say) if more else None,
    )
    log.info("chart sent")


async def report_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    answer = usecases.report_details(services, chat_id, list(context.args or []))
    if answer is not None:  # her name or date of birth for the report
        await send(context.bot, chat_id, answer)
        return
    data = usecases.report_data(services, chat_id)
    document = await asyncio.to_thread(report_pdf, usecases.say_for(services, chat_id), data)
    await context.bot.send_document(
        chat_id,
        InputFile(document, filename=file_name(services, chat_id, "diary_report_filename")),
        caption=services.text(chat_id, "diary_report_caption"),
    )
    log.info("report sent")


async def on_button(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    press = buttons.unpack(data)
    if press is None:
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    say = usecases.say_for(services, chat_id)

    async def edit(text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await replies.edit(query, text, markup)

    match press:
        case Pick(symptom):
            text = services.text(
                chat_id, "diary_ask_severity", symptom=say(f"diary_symptom_{symptom}")
            )
            await edit(text, buttons.severities(say, symptom))
            usecases.await_rate(services, chat_id, symptom)  # typed words answer it too
        case Rate(symptom, severity):
            text, markup = _rated(services, chat_id, symptom, severity)
            await edit(text, markup)
        case SkipNote(entry_id):
            usecases.stop_waiting(services, chat_id)
            found = usecases.entry(services, chat_id, entry_id)
            if found is None:
                await edit(services.text(chat_id, "diary_gone"))
                return
            await edit(usecases.saved_text(services, chat_id, found), buttons.after_save(say))
        case Another():
            usecases.stop_waiting(services, chat_id)
            await edit(services.text(chat_id, "diary_ask_symptom"), buttons.symptoms(say))
        case Done(action):
            usecases.stop_waiting(services, chat_id)
            await edit(services.text(chat_id, f"diary_{action}"))
        case CheckIn(state):
            on = state == "on"
            usecases.set_checkin(services, chat_id, on)
            await edit(_checkin_line(services, chat_id, on), buttons.checkin_switch(say, on))
        case Chart(days):
            await send_chart(context.bot, services, chat_id, days)


def _rated(
    services: Services, chat_id: int, symptom: str, severity: int
) -> tuple[str, InlineKeyboardMarkup]:
    """Log the symptom at its severity; the question for a note, with its buttons."""
    say = usecases.say_for(services, chat_id)
    entry = usecases.log(services, chat_id, symptom, severity)
    usecases.await_note(services, chat_id, entry)
    named = usecases.named(say, symptom, severity)
    return services.text(chat_id, "diary_ask_note", **named), buttons.after_save(say, entry)


async def on_typed_severity(update: Update, context: BotContext) -> bool:
    """ "mild", "очень сильно" typed to "how bad has it been?": as its button. Anything
    else closes the question and goes on (False)."""
    services, chat_id = context.services, chat_id_of(update)
    symptom = usecases.awaited_symptom(services, chat_id)
    usecases.stop_waiting(services, chat_id)
    severity = her_words(services.settings.content_path).severity(typed_text(update))
    if symptom is None or severity is None:
        return False
    text, markup = _rated(services, chat_id, symptom, severity)
    await send(context.bot, chat_id, text, markup)
    return True


async def on_note(update: Update, context: BotContext) -> None:
    """The short note she types after rating a symptom. A warning sign in it got the urgent
    guidance first from the safety net (bot/screen.py); the note is kept either way."""
    services, chat_id = context.services, chat_id_of(update)
    message = update.effective_message
    text = (message.text or "").strip() if message else ""
    entry = usecases.save_note(services, chat_id, text, seen(context, chat_id))
    if entry is None:
        await send(context.bot, chat_id, services.text(chat_id, "diary_gone"))
        return
    say = usecases.say_for(services, chat_id)
    saved = usecases.saved_text(services, chat_id, entry)
    await send(context.bot, chat_id, saved, buttons.after_save(say))


async def on_dose_answered(services: Services, bot: Bot, signal: DoseAnswered) -> None:
    """The weekly check-in: after a Taken, at most once a week, if she turned it on."""
    chat_id = signal.chat_id
    if signal.status != "taken" or not usecases.checkin_now(services, chat_id):
        return
    say = usecases.say_for(services, chat_id)
    await send(
        bot,
        chat_id,
        services.text(chat_id, "diary_checkin_question"),
        buttons.symptoms(say, checkin=True),
    )
