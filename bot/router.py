"""The free-text router: what she types that is no command goes, after the safety net,
to an open question the bot asked (a date ...: `Registry.on_reply`), then to the features'
intents ("I took it": `Registry.on_text`), then to the question answerer
(`Registry.on_question`: the guide's matcher). Installed after every feature's handlers,
with the plain answers for what is not text and for buttons nobody handles, so removing a
feature never silently breaks another's words."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.pure.timerules import epoch
from bot.replies import expired, send_html
from bot.screen import screen
from bot.services import BotContext, Services, chat_id_of, seen, typed_text
from db import people


async def free_text(update: Update, context: BotContext) -> None:
    """The safety net first (a warning sign or crisis answers and stops, also in a reply to
    a prompt: a question stays open, a note is still kept; only an intent that follows
    that warning sign may add to its answer); then a reply the bot asked for
    (while fresh), words meaning an action (the features' intents, in order), or else a
    question for the answerer."""
    services = context.services
    chat_id = chat_id_of(update)
    text = typed_text(update)
    verdict = await screen(update, context, text)
    person = seen(context, chat_id) or people.get(services.db, chat_id)
    if person and person.awaiting:
        kind = str(person.awaiting.get("kind"))
        callback = services.registry.replies.get(kind)
        since = person.awaiting.get("since")
        fresh = (
            not isinstance(since, int)
            or epoch(services.clock.now()) - since <= people.AWAIT_SECONDS
        )
        if callback is not None and fresh:
            if verdict.stops and kind not in services.registry.notes:
                return
            if await callback(update, context) is not False or verdict.stops:
                return
        else:
            people.set_awaiting(services.db, chat_id, None)
    text = text[:1000]
    intents = services.registry.intents()
    if verdict.stops:  # urgent care stands alone but for what may follow it (`follows`)
        intents = [intent for intent in intents if verdict.sign in intent.follows]
    for intent in intents:
        if intent.detect(text) and await intent.callback(update, context, text):
            return
    if services.registry.answerer is not None and not verdict.stops:
        await services.registry.answerer(update, context, verdict)


async def not_text(update: Update, context: BotContext) -> None:
    """A photo or file with a caption is read as her message; anything else is explained."""
    if typed_text(update).strip():
        await free_text(update, context)
        return
    services = context.services
    await send_html(update, context, services.text(chat_id_of(update), "not_text"))


async def stale_button(update: Update, context: BotContext) -> None:
    """Buttons nobody handles (old, forged or from a removed feature) get a plain answer."""
    query = update.callback_query
    if query is not None:
        services = context.services
        await expired(query, services, chat_id_of(update), context)


def install(app: Any, services: Services) -> None:
    """After every feature's handlers and the commands (bot/app.py): what nothing else took."""
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, free_text))
    app.add_handler(MessageHandler(~filters.TEXT & ~filters.StatusUpdate.ALL, not_text))
    app.add_handler(CallbackQueryHandler(stale_button))
