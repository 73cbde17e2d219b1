"""Sending an answer in the chat an update came from: shared by every feature that answers
free text (questions, the safety net, replies to prompts)."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot.services import chat_id_of

# No link previews, given as the raw Bot API value: the same bytes on the wire as
# `disable_web_page_preview=True`, without building and serialising a LinkPreviewOptions
# object for every answer (a tenth of an answer's cost, measured by `make bench`).
NO_PREVIEW = {"link_preview_options": {"is_disabled": True}}


async def send_html(
    update: Update, context: ContextTypes.DEFAULT_TYPE, text: str, **kw: Any
) -> None:
    await context.bot.send_message(
        chat_id_of(update),
        text,
        parse_mode=ParseMode.HTML,
        api_kwargs=NO_PREVIEW,
        **kw,
    )
