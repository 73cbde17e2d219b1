"""The safety net: every free text the bot reads (a question, a reply to a prompt, a photo's
caption, a diary note) is checked here first, wherever it was typed.

    verdict = await screen(update, context, text)
    if verdict.stops:
        return  # crisis help or the urgent warning sign was sent; nothing else is

Thoughts of suicide get crisis help; a warning sign gets the advice of its section of the
urgent topic. Anything else is left to the caller (with `verdict.hint` and `kind ==
"foreign"` for the ordinary answer to use).
"""

from __future__ import annotations

from functools import lru_cache

from telegram import Update

from bot.pure.render import blocks, render_block
from bot.pure.safety import Verdict
from bot.replies import send_html
from bot.services import BotContext, Services, chat_id_of, get_services

URGENT_TOPIC = "urgent"


async def screen(update: Update, context: BotContext, text: str) -> Verdict:
    """Assess the text; answer at once when it needs crisis help or urgent care."""
    services = get_services(context)
    language = services.language(chat_id_of(update), context)
    verdict = services.safety.assess(text, language)
    if verdict.stops:
        await send_html(update, context, safety_answer(services, verdict, language))
    return verdict


@lru_cache(maxsize=64)
def safety_answer(services: Services, verdict: Verdict, language: str) -> str:
    """Crisis help, or the warning sign's section of the urgent topic with what to do."""
    catalog = services.catalog
    if verdict.kind == "crisis":
        return catalog.text(language, "safety_crisis")
    parts = [catalog.text(language, "safety_urgent_intro")]
    topic = services.library.get(URGENT_TOPIC, language)
    if topic is not None:
        parts.extend(render_block(b) for b in section_blocks(topic.body, verdict.section))
    parts.append(catalog.text(language, "safety_urgent_more"))
    return "\n\n".join(parts)


def section_blocks(body: str, heading: str) -> list[str]:
    """The `## heading` of a topic and the blocks under it, up to the next heading."""
    found: list[str] = []
    for block in blocks(body):
        if block.startswith("#"):
            if found:
                break
            if block.lstrip("#").strip() == heading:
                found.append(block)
        elif found:
            found.append(block)
    return found
