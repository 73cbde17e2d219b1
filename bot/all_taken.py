"""All taken, under a moment's message (bot/moment.py): every member records its open
doses, the message is redrawn, and what they have to add (a refill, ...) follows."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler

from bot.moment import AllTaken, Message, Reader, compose
from bot.replies import edit, expired, pressed, send
from bot.services import BotContext, Services


def redraw(services: Services, chat_id: int, day: str, slot: str) -> Message:
    """A moment's message as it now stands, after a press."""
    reader = Reader.of(services, chat_id)
    header = reader.text("moment_due", time=slot)
    return compose(reader, services.registry.members(), day, slot, header)


async def on_press(update: Update, context: BotContext) -> None:
    query, services, chat_id, data = pressed(update, context)
    press = AllTaken.unpack(data)
    if press is None or not redraw(services, chat_id, press.day, press.at).open:
        await expired(query, services, chat_id, context)
        return
    await query.answer()
    notes: list[str] = []
    for member in services.registry.members():
        notes += await member.take_all(services, context.bot, chat_id, press.day, press.at)
    message = redraw(services, chat_id, press.day, press.at)
    await edit(query, message.text, message.markup())
    if said := [note.strip() for note in notes if note.strip()]:
        await send(context.bot, chat_id, "\n".join(said))


def install(app: Any, services: Services) -> None:
    """Before the features' button handlers, so the old "meds:all" data comes here."""
    app.add_handler(CallbackQueryHandler(on_press, pattern=AllTaken.pattern()))
