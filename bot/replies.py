"""The one set of helpers that talk to Telegram for every feature: send an HTML answer in the
update's chat or to any chat, edit a pressed message, and make buttons. Features use these
rather than their own copies (plain labels and names, which use cases need too, are in
bot/core.py)."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.warnings import PTBUserWarning

from bot.services import BotContext, Services, chat_id_of, get_services

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | None

# No link previews, given as the raw Bot API value: the same bytes on the wire as
# `disable_web_page_preview=True`, without building and serialising a LinkPreviewOptions
# object for every answer (a tenth of an answer's cost, measured by `make bench`).
NO_PREVIEW = {"link_preview_options": {"is_disabled": True}}
Keyboard = dict[str, Any]  # inline buttons as the Bot API's JSON value; shared, never modified


async def send_html(
    update: Update, context: BotContext, text: str, keyboard: Keyboard | None = None, **kw: Any
) -> None:
    """An answer in the chat the update came from, no link previews. `keyboard` is buttons
    already in the Bot API's JSON form (`InlineKeyboardMarkup.to_dict()`, made once for an
    answer many people get), so PTB does not serialise the same buttons for every send."""
    extra = NO_PREVIEW if keyboard is None else {**NO_PREVIEW, "reply_markup": keyboard}
    await context.bot.send_message(chat_id_of(update), text, api_kwargs=extra, **kw)


async def send(bot: Bot, chat_id: int, text: str, markup: Markup = None) -> int:
    """A message to any chat (a scheduled event, news to the other side), no link previews;
    returns its message id."""
    message = await bot.send_message(chat_id, text, api_kwargs=NO_PREVIEW, reply_markup=markup)
    return message.message_id


# `post` calls the endpoint on purpose (PTB suggests Bot.sendMessage when one exists).
warnings.filterwarnings("ignore", "Please use 'Bot.sendMessage'", PTBUserWarning)


async def post(bot: Bot, chat_id: int, text: str, keyboard: Keyboard | None = None) -> int:
    """A scheduled reminder, sent through PTB (its rate limiter, retries and errors) with
    Bot.do_api_request, which hands back Telegram's answer as JSON: its message id is all
    the tick needs. Bot.send_message would turn that answer, the reminder and its buttons
    echoed back, into PTB objects first: a third of a grouped reminder's send (measured,
    docs/performance.md)."""
    kwargs: dict[str, Any] = {"chat_id": chat_id, "text": text, "parse_mode": ParseMode.HTML}
    if keyboard is not None:
        kwargs["reply_markup"] = keyboard
    result = await bot.do_api_request("sendMessage", api_kwargs=kwargs)
    return int(result["message_id"])


async def tell(bot: Bot, chat_id: int, text: str, markup: Markup = None, *, what: str) -> None:
    """A courtesy notice to the other side (a caregiver, a patient): if it can't arrive (a
    blocked bot), what caused it stands; only the kind of failure is logged, as `what`."""
    try:
        await send(bot, chat_id, text, markup)
    except TelegramError as exc:
        log.warning("%s not delivered: %s", what, type(exc).__name__)


async def edit(query: CallbackQuery, text: str, markup: Markup = None) -> None:
    """Replace the pressed message's text (and its buttons: none unless given)."""
    await query.edit_message_text(text, api_kwargs=NO_PREVIEW, reply_markup=markup)


def pressed(update: Update, context: BotContext) -> tuple[CallbackQuery, Services, int, str]:
    """A button press: the query, services, the presser's chat and the callback data."""
    query = update.callback_query
    assert query is not None
    return query, get_services(context), chat_id_of(update), query.data or ""


async def expired(
    query: CallbackQuery,
    services: Services,
    chat_id: int,
    context: BotContext | None = None,
) -> None:
    """An old, forged or no longer valid button: the friendly answer, as an alert."""
    text = services.catalog.text(services.language(chat_id, context), "button_expired")
    await query.answer(text, show_alert=True)


def button(text: str, data: str) -> InlineKeyboardButton:
    """An inline button with callback data (plain text: no HTML in buttons)."""
    return InlineKeyboardButton(text, callback_data=data)
