"""Her other medicines, the Telegram side: /mymedicines (the list, each with a card to
pause, change or stop), /addmedicine (a short guided flow: name, kind by buttons, then the
times, days or interval typed), the awaited answers, and the reminder's buttons."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, Update

from bot import replies
from bot.all_taken import redraw
from bot.moment import SNOOZE_MINUTES
from bot.replies import expired, pressed, send
from bot.services import BotContext, Services, chat_id_of, typed_text
from db import medicines
from handlers.medicines import buttons, usecases
from handlers.medicines.buttons import DosePress, KindPress, Manage, Menu
from handlers.medicines.planning import schedule_again


async def my_medicines(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    listed = medicines.listed(services.db, chat_id)
    markup = buttons.listing(services.say(chat_id), listed)
    await send(context.bot, chat_id, usecases.list_text(services, chat_id), markup)


async def add_medicine(update: Update, context: BotContext) -> None:
    """/addmedicine, or /addmedicine <name>: the flow starts at the name or at the kind."""
    services, chat_id = context.services, chat_id_of(update)
    name = usecases.clean_name(" ".join(context.args or []))
    if context.args and name is None:
        limit = medicines.NAME_LIMIT
        await send(context.bot, chat_id, services.text(chat_id, "medicines_bad_name", limit=limit))
    await _start(context, services, chat_id, name)


async def _start(
    context: BotContext,
    services: Services,
    chat_id: int,
    name: str | None,
    medicine: int | None = None,
) -> None:
    usecases.start(services, chat_id, name, medicine)
    if name is None:
        await send(context.bot, chat_id, services.text(chat_id, "medicines_ask_name"))
        return
    text = services.text(chat_id, "medicines_ask_kind", name=name)
    await send(context.bot, chat_id, text, buttons.kinds(services.say(chat_id)))


async def on_answer(update: Update, context: BotContext) -> bool:
    """Her typed answer to the open step. A question instead of an answer goes on to the
    guide (the step stays open: usecases.is_answer); anything else gets its answer, and a
    bad one says why (how often, not understood: asked again with its buttons)."""
    services, chat_id = context.services, chat_id_of(update)
    state = usecases.state_of(services, chat_id)
    if state is None:
        return False
    typed = typed_text(update).strip()
    if not usecases.is_answer(services, state, typed):
        return False
    text, going_on = usecases.answer(services, chat_id, state, typed)
    markup = None
    if going_on and state["step"] == "kind":
        markup = buttons.kinds(services.say(chat_id))
    await send(context.bot, chat_id, text, markup)
    return True


async def on_button(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    press = buttons.unpack(data)
    if press is None:
        await expired(query, services, chat_id, context)
        return
    say = services.say(chat_id)

    async def edit(text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await query.answer()
        await replies.edit(query, text, markup)

    match press:
        case Menu("add"):
            await query.answer()
            await _start(context, services, chat_id, None)
        case Menu("list"):
            listed = medicines.listed(services.db, chat_id)
            await edit(usecases.list_text(services, chat_id), buttons.listing(say, listed))
        case Menu("history"):
            await query.answer()
            await send(context.bot, chat_id, usecases.history_text(services, chat_id))
        case KindPress(kind):
            state = usecases.choose_kind(services, chat_id, kind)
            if state is None:
                await expired(query, services, chat_id, context)
                return
            if state["step"] == "save":
                await edit(usecases.save(services, chat_id, state, state["draft"]))
                return
            await edit(usecases.ask(services, chat_id, state["step"]))
        case Manage():
            await _manage(query, context, services, chat_id, press)
        case DosePress(action, dose_id):
            await _dose(query, context, services, chat_id, action, dose_id)


async def _manage(
    query: Any, context: BotContext, services: Services, chat_id: int, press: Manage
) -> None:
    """A button of her list or of one medicine's card."""
    found = medicines.get(services.db, chat_id, press.medicine)
    took_wrongly = press.action == "took" and not usecases.logged_when_given(found)
    if found is None or found.status == "stopped" or took_wrongly:
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    say = services.say(chat_id)
    match press.action:
        case "stop":
            text = services.text(chat_id, "medicines_stop_ask", name=found.name)
            await replies.edit(query, text, buttons.confirm_stop(say, found))
        case "stopyes":
            usecases.set_status(services, chat_id, found.id, "stopped")
            text = services.text(chat_id, "medicines_stopped", name=found.name)
            listed = medicines.listed(services.db, chat_id)
            await replies.edit(query, text, buttons.listing(say, listed))
        case "change":
            await _start(context, services, chat_id, found.name, found.id)
        case "pack":
            await send(context.bot, chat_id, usecases.ask_pack(services, chat_id, found))
        case "took":
            await send(context.bot, chat_id, usecases.took_now(services, chat_id, found))
        case _:  # card, pause, resume, share: the card as it now is
            found = usecases.update(services, chat_id, found, press.action)
            as_needed = usecases.is_as_needed(found)
            text = usecases.card_text(services, chat_id, found)
            await replies.edit(query, text, buttons.card(say, found, as_needed))


async def _dose(
    query: Any, context: BotContext, services: Services, chat_id: int, action: str, dose_id: int
) -> None:
    """Taken, Skip or Snooze on one row; the reminder is redrawn as it now stands."""
    dose = medicines.dose(services.db, chat_id, dose_id)
    if dose is None:
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    day, slot = dose.local_date, dose.local_time
    if action == "snooze":
        later = services.clock.now() + timedelta(minutes=SNOOZE_MINUTES)
        schedule_again(services, chat_id, day, slot, [later], snoozed=True)
        note = services.text(chat_id, "medicines_snoozed_for", minutes=SNOOZE_MINUTES)
    else:
        note = usecases.answer_dose(
            services, chat_id, dose, "taken" if action == "take" else "skipped"
        )
    message = redraw(services, chat_id, day, slot)
    await replies.edit(query, message.text, message.markup())
    if note:
        await send(context.bot, chat_id, note.strip())
