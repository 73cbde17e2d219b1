"""All taken, under a moment's message (bot/moment.py): every member records its open
doses, the message is redrawn, and what they have to add (a refill, ...) follows."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.moment import AllTaken, Message, compose
from bot.replies import edit, expired, pressed, send
from bot.services import BotContext, Services


def redraw(services: Services, chat_id: int, day: str, slot: str) -> Message:
    """A moment's message as it now stands, after a press."""
    header = services.text(chat_id, "moment_due", time=slot)
    return compose(services, services.registry.members(), chat_id, day, slot, header)


async def on_press(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    press = AllTaken.unpack(data)
    members = services.registry.members()
    if press is None or not any(
        (part := m.part(services, chat_id, press.day, press.at)) and part.open for m in members
    ):
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    notes: list[str] = []
    for member in members:
        notes += await member.take_all(services, context.bot, chat_id, press.day, press.at)
    message = redraw(services, chat_id, press.day, press.at)
    await edit(query, message.text, message.markup())
    if said := [note.strip() for note in notes if note.strip()]:
        await send(context.bot, chat_id, "\n".join(said))


def install(app: Any, services: Services) -> None:
    """Before the features' button handlers, so the old "meds:all" data comes here."""
    app.add_handler(CallbackQueryHandler(on_press, pattern=AllTaken.pattern()))
