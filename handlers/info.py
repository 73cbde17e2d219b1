"""Answers: /start, /help, one command per topic file, plain-language questions, fallbacks."""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Annotated, Any, Literal
from urllib.parse import urlparse

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, MessageHandler, filters

from bot.matcher import Match
from bot.pure.callbacks import CallbackData, Text
from bot.pure.content import SEED, ContentError, Topic
from bot.pure.render import blocks, inline, render_block, to_messages
from bot.pure.safety import Verdict
from bot.pure.words import her_words
from bot.registry import GROUPS
from bot.replies import Keyboard, expired, send_html
from bot.screen import section_blocks
from bot.services import BotContext, Services, chat_id_of, seen, typed_text
from db import people, roles

# /help names the things people do most (`answers_help_short`); a button per group of
# commands, this many to a row, shows the rest.
HELP_GROUP_BUTTONS = 2
DOSE_TOPIC = "dose"  # what happened to a tablet is answered from its sections


class InfoButton(CallbackData, prefix="info"):
    """ "info:topic:<command>" (open a topic, under an answer), "info:help:<group>" (that
    group of /help) and "info:else:care" ("something else", under "did you mean")."""

    action: Literal["topic", "help", "else"]
    value: Annotated[str, Text(32, "a-z0-9_")]


SOMETHING_ELSE = InfoButton("else", "care")


def audience(services: Services, chat_id: int, context: BotContext) -> str:
    """Whom the bot speaks to: "caregiver" for someone who only follows a patient (her help
    and answers speak of "her treatment"), else "" (the patient). Someone with a reminder is
    a patient: known from the record the middleware read, with no query."""
    person = seen(context, chat_id)
    if person is not None and person.remind_at:
        return ""
    caregiver = roles.is_caregiver(services.db, chat_id, reminder_known_off=person is not None)
    return "caregiver" if caregiver else ""


def for_audience(key: str, audience: str) -> str:
    return f"{key}_{audience}" if audience else key


@lru_cache(maxsize=256)
def topic_messages(
    services: Services, command: str, language: str, audience: str = ""
) -> tuple[str, ...]:
    """A topic rendered once (per language and audience): title, text, sources and the
    care-team line."""
    topic = services.library.get(command, language)
    assert topic is not None
    footer = services.catalog.text(language, for_audience("care_team_footer", audience))
    sources = _sources_line(services, topic, language)
    if sources:
        footer = f"{sources}\n\n{footer}"
    summary = "".join(f"> {line}\n" for line in topic.summary.splitlines())
    opening = f"# {topic.title}\n\n{summary}\n" if summary else f"# {topic.title}\n\n"
    return tuple(to_messages(opening + topic.body, footer=footer))


def _sources_line(services: Services, topic: Topic, language: str) -> str:
    links = [
        services.catalog.text(language, "source_seed_guide")
        if url == SEED
        else f'<a href="{inline(url)}">{inline(source_label(url))}</a>'
        for url in topic.sources
    ]
    if not links:
        return ""
    return services.catalog.text(language, "sources_label") + " " + ", ".join(links)


def source_label(url: str) -> str:
    """'nhs.uk: side effects of anastrozole': the site, and the page when its address says."""
    parts = urlparse(url)
    host = parts.netloc.removeprefix("www.")
    page = parts.path.rstrip("/").rsplit("/", 1)[-1]
    if re.fullmatch(r"[a-z]+(-[a-z]+)+", page):
        return f"{host}: {page.replace('-', ' ')}"
    return host


def _topic_command(command: str) -> Any:
    async def show(update: Update, context: BotContext) -> None:
        await send_topic(update, context, command)

    return show


async def send_topic(update: Update, context: BotContext, command: str) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    language = services.language(chat_id, context)
    for message in topic_messages(
        services, command, language, audience(services, chat_id, context)
    ):
        await send_html(update, context, message)


async def start(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    payload = context.args[0] if context.args else ""
    for prefix, callback in services.registry.deep_links.items():
        if payload.startswith(prefix):
            await callback(update, context)
            return
    person = people.get(services.db, chat_id)
    name = person.first_name if person and person.first_name else ""
    key = "welcome_caregiver" if roles.is_caregiver(services.db, chat_id) else "welcome"
    await send_html(update, context, services.text(chat_id, key, name=name))
    await services.registry.continue_start(update, context)  # one question at a time


async def help_command(update: Update, context: BotContext) -> None:
    """Short: the few things people do most, and a button per group for the rest."""
    services = context.services
    chat_id = chat_id_of(update)
    language = services.language(chat_id, context)
    text, keyboard = help_message(services, language, audience(services, chat_id, context))
    await send_html(update, context, text, keyboard)


@lru_cache(maxsize=16)
def help_message(services: Services, language: str, audience: str = "") -> tuple[str, Keyboard]:
    """/help rendered once per language and audience (a caregiver's speaks of "her"): the
    registry is complete once the app is built."""
    text = "\n\n".join(
        services.catalog.text(language, for_audience(key, audience) if own else key)
        for key, own in (
            ("help_intro", False),
            ("answers_help_short", True),
            ("help_footer", True),
            ("answers_help_groups", False),
        )
    )
    buttons = [
        InlineKeyboardButton(
            services.catalog.text(language, f"help_group_{group}"),
            callback_data=InfoButton("help", group).pack(),
        )
        for group in GROUPS
        if group in {spec.group for spec in services.registry.commands()}
    ]
    rows = [buttons[i : i + HELP_GROUP_BUTTONS] for i in range(0, len(buttons), HELP_GROUP_BUTTONS)]
    return text, InlineKeyboardMarkup(rows).to_dict()


@lru_cache(maxsize=128)
def help_group(services: Services, language: str, group: str) -> str:
    """One /help group: its commands, each with its menu line."""
    lines = ["<b>" + services.catalog.text(language, f"help_group_{group}") + "</b>"]
    lines.extend(
        f"/{spec.name} – {inline(services.describe(spec, language))}"
        for spec in services.registry.commands()
        if spec.group == group
    )
    return "\n".join(lines)


async def on_button(update: Update, context: BotContext) -> None:
    """A "More" button under an answer opens its topic; a /help group button lists it."""
    query = update.callback_query
    assert query is not None
    services = context.services
    button = InfoButton.unpack(query.data or "")
    known = button is not None and (
        button.value in services.registry.names()
        if button.action == "topic"
        else button.value in GROUPS or button == SOMETHING_ELSE
    )
    if button is None or not known:
        await expired(query, services, chat_id_of(update), context)
        return
    await query.answer()
    if button.action == "topic":
        await send_topic(update, context, button.value)
    elif button == SOMETHING_ELSE:
        await send_html(update, context, services.text(chat_id_of(update), "did_you_mean_care"))
    else:
        language = services.language(chat_id_of(update), context)
        await send_html(update, context, help_group(services, language, button.value))


async def unknown_command(update: Update, context: BotContext) -> None:
    services = context.services
    chat_id = chat_id_of(update)
    text = update.effective_message.text if update.effective_message else ""
    typed = (text or "/").split()[0][1:].split("@")[0].lower()[:64]
    close = difflib.get_close_matches(typed, sorted(services.registry.names()), n=1)
    if close:
        answer = services.text(
            chat_id, "unknown_command_suggest", command=typed, suggestion=close[0]
        )
    else:
        answer = services.text(chat_id, "unknown_command", command=typed)
    await send_html(update, context, answer)


async def answer_question(
    update: Update, context: BotContext, verdict: Verdict | None = None
) -> None:
    """The best passages of the guide; never a guess. `verdict` is the safety net's, when
    the router already ran it (it adds a line, or says the language is not one it reads)."""
    services = context.services
    chat_id = chat_id_of(update)
    language = services.language(chat_id, context)
    question = typed_text(update)
    verdict = verdict or services.safety.assess(question, language)
    if verdict.kind == "foreign":
        await send_html(update, context, services.catalog.text(language, "safety_foreign"))
        return
    if services.matcher.unknown_medicine(question[:1000], language):
        answer = services.catalog.text(language, "safety_medicine_unknown")
        await send_html(update, context, answer)
        return
    matches = dose_match(services, question, language) or services.matcher.search(
        question[:1000], language
    )
    if not matches and not verdict.hint:
        offered = services.matcher.suggest(question[:1000], language)
        if offered:  # never a bare apology when something plausible exists
            await send_html(update, context, *did_you_mean(services, tuple(offered), language))
            return
    who = audience(services, chat_id, context)
    text, keyboard = answer_message(services, tuple(matches), language, verdict.hint, who)
    await send_html(update, context, text, keyboard)


def dose_match(services: Services, question: str, language: str) -> list[Match]:
    """What happened to a tablet, asked about or someone else's (a caregiver's "my wife
    dropped her pill down the sink"): the /dose section for it (intents.yaml
    `dose_sections`), not the passage nearest its words (a dropped pill is no low mood, a
    tablet that fell no fracture)."""
    heading = her_words(services.settings.content_path).dose_section(question, language)
    topic = services.library.get(DOSE_TOPIC, language) if heading else None
    if topic is None or heading is None:
        return []
    found = section_blocks(topic.body, heading)
    return [Match(topic.command, topic.title, "\n\n".join(found), 1.0)] if found else []


@lru_cache(maxsize=256)
def did_you_mean(
    services: Services, offered: tuple[Match, ...], language: str
) -> tuple[str, Keyboard]:
    """The two or three topics she may mean, as buttons, and "something else"."""
    rows = [
        [InlineKeyboardButton(m.title, callback_data=InfoButton("topic", m.command).pack())]
        for m in offered
    ]
    other = services.catalog.text(language, "did_you_mean_else")
    rows.append([InlineKeyboardButton(other, callback_data=SOMETHING_ELSE.pack())])
    return services.catalog.text(language, "did_you_mean"), InlineKeyboardMarkup(rows).to_dict()


@lru_cache(maxsize=1024)
def answer_message(
    services: Services,
    matches: tuple[Match, ...],
    language: str,
    hint: str = "",
    audience: str = "",
) -> tuple[str, Keyboard | None]:
    """A short, direct answer: the best passage (its caution note is part of it), the safety
    net's extra line if any, the care team; then a "More" button per topic found. Rendered
    once per set of passages: it depends on nothing else, and many questions lead to the
    same passages (docs/performance.md)."""
    extra = [services.catalog.text(language, f"safety_hint_{hint}")] if hint else []
    if not matches:  # the safety net's line, when it has one, is the answer
        return "\n\n".join(extra or [services.catalog.text(language, "no_match")]), None
    parts = [rendered_passage(matches[0].passage), *extra]
    parts.append(services.catalog.text(language, for_audience("care_team_footer", audience)))
    buttons = [
        [
            InlineKeyboardButton(
                services.catalog.text(language, "answers_more", title=match.title),
                callback_data=InfoButton("topic", match.command).pack(),
            )
        ]
        for match in matches
    ]
    return "\n\n".join(parts), InlineKeyboardMarkup(buttons).to_dict()


@lru_cache(maxsize=1024)
def rendered_passage(passage: str) -> str:
    """A content passage as Telegram HTML, rendered once: passages only change on restart."""
    return "\n".join(render_block(block) for block in blocks(passage))


async def cancel(update: Update, context: BotContext) -> None:
    """/cancel: close any question the bot asked; nothing else changes."""
    services = context.services
    chat_id = chat_id_of(update)
    person = people.get(services.db, chat_id)
    key = "cancelled" if person and person.awaiting else "cancel_nothing"
    people.set_awaiting(services.db, chat_id, None)
    await send_html(update, context, services.text(chat_id, key))


async def stop(update: Update, context: BotContext) -> None:
    """/stop: close any open question and say how to stop each thing, so nothing she
    wants kept is lost to one word."""
    services = context.services
    chat_id = chat_id_of(update)
    people.set_awaiting(services.db, chat_id, None)
    await send_html(update, context, services.text(chat_id, "stop_choices"))


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("start", start, "start", "menu_start", order=0)
    registry.command("help", help_command, "start", "menu_help", order=1)
    registry.command("cancel", cancel, "start", "menu_cancel", order=2)
    registry.command("stop", stop, "start", "menu_stop", order=3)
    for topic in services.library.topics("en"):
        if topic.command in registry.names():
            raise ContentError(f"{topic.path}: /{topic.command} is already a command of the bot")
        registry.command(topic.command, _topic_command(topic.command), "topics", "", topic.order)
    app.add_handler(CallbackQueryHandler(on_button, pattern=InfoButton.pattern()))
    # After every feature and command (the registry installs them last): what nothing
    # else handled.
    registry.fallback(MessageHandler(filters.COMMAND, unknown_command))
    registry.on_question(answer_question)  # the free-text router's last step (bot/router.py)
