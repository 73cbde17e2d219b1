"""Small talk: "hello", "thank you", "ok" get a short friendly reply (bot/pure/smalltalk.py
decides), as a registry intent after the features' own words and before the question
matcher."""

from __future__ import annotations

from typing import Any

from telegram import Update

from bot.pure.smalltalk import SmallTalk
from bot.replies import send_html
from bot.services import BotContext, Services, chat_id_of

# After the features' intents ("ok" is no dose confirmation), before the question matcher.
ORDER = 90
# The kinds with a reply (`smalltalk_<kind>` in ui/smalltalk.yaml).
KINDS = frozenset({"greeting", "thanks", "ok", "goodbye", "who"})


def register(app: Any, services: Services) -> None:
    talk = SmallTalk.load(services.settings.content_path)

    async def reply(update: Update, context: BotContext, text: str) -> bool:
        chat_id = chat_id_of(update)
        kind = talk.kind(text, services.language(chat_id, context))
        if kind not in KINDS:
            return False
        await send_html(update, context, context.services.text(chat_id, f"smalltalk_{kind}"))
        return True

    def detect(text: str) -> bool:  # cheap, language-blind; `reply` reads her language
        return any(talk.kind(text, language) is not None for language in talk.kinds)

    services.registry.on_text("smalltalk", detect, reply, ORDER)
