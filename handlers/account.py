"""Her data: /export sends all of it as a JSON file, /delete removes all of it after a yes, and
with INACTIVE_DAYS someone long silent is asked whether to keep it, and forgotten 30 days
later if she does not answer (storage limitation: kept no longer than needed)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Annotated, Any, Literal

from telegram import Bot, InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.core import file_name, label, name_of
from bot.pure.callbacks import CallbackData, Digits, pattern
from bot.pure.timerules import epoch
from bot.replies import button, edit, expired, pressed, send, tell
from bot.services import BotContext, Services, chat_id_of
from db import account, dump, people

log = logging.getLogger(__name__)

CSV_SECTIONS = ("doses", "diary", "medicine_doses")  # export sections also sent as CSV
CONFIRM_WITHIN = timedelta(minutes=10)  # an older Delete button is stale
ANSWER_WITHIN = timedelta(days=30)  # after the question to the silent, before she is forgotten
SILENT_BATCH = 500  # asked a day at most: the rest the next day, at 30 messages a second


class DeleteButton(CallbackData, prefix="account"):
    """ "Delete everything": whose data, and when it was asked
    ("account:delete:<chat id>:<issued>"), so an old or another chat's button does nothing."""

    action: Literal["delete"]
    chat_id: int
    issued: Annotated[int, Digits(12)]


class KeepButton(CallbackData, prefix="account"):
    """ "Keep my data" under the question: "account:keep"."""

    action: Literal["keep"]


# --- /export ------------------------------------------------------------------------------
async def export_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    document = account.export(services.db, chat_id, services.clock.now())
    data = json.dumps(document, indent=2, ensure_ascii=False).encode()
    await context.bot.send_document(
        chat_id,
        InputFile(data, filename=file_name(services, chat_id, "account_export_filename")),
        caption=services.text(chat_id, "account_export_caption"),
    )
    for section in CSV_SECTIONS:  # the same rows as tables, for a spreadsheet
        if document.get(section):
            table = dump.csv_bytes(document[section])
            filename = file_name(services, chat_id, f"account_export_filename_{section}")
            await context.bot.send_document(chat_id, InputFile(table, filename=filename))
    log.info("data export sent")


# --- /delete ------------------------------------------------------------------------------
async def delete_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    issued = epoch(services.clock.now())
    buttons = [
        button(
            label(services, chat_id, "account_delete_button"),
            DeleteButton("delete", chat_id, issued).pack(),
        ),
        button(label(services, chat_id, "account_keep_button"), KeepButton("keep").pack()),
    ]
    text = services.text(chat_id, "account_delete_question")
    await send(context.bot, chat_id, text, InlineKeyboardMarkup([buttons]))


def _confirmed(services: Services, chat_id: int, data: str) -> bool:
    """A Delete button of this chat, pressed within CONFIRM_WITHIN of the question."""
    found = DeleteButton.unpack(data)
    if found is None or found.chat_id != chat_id:
        return False
    age = epoch(services.clock.now()) - found.issued
    return 0 <= age <= CONFIRM_WITHIN.total_seconds()


def _farewells(services: Services, chat_id: int) -> list[tuple[int, str]]:
    """What each person linked to her is told: only that the link ended, nothing else."""
    links = services.queries.links
    linked = [
        (caregiver, "account_told_patient_left")
        for caregiver in links.caregivers(services.db, chat_id)
    ] + [
        (patient, "account_told_caregiver_left") for patient in links.patients(services.db, chat_id)
    ]
    return [
        (other, services.text(other, key, name=name_of(services, chat_id, other)))
        for other, key in linked
    ]


async def erase(services: Services, chat_id: int) -> list[tuple[int, str]]:
    """Forget her; what each linked person is to be told. A send to her (or about her, to a
    caregiver) already under way finishes first: after this, nothing more arrives. No new
    one starts: she is gone."""
    notices = _farewells(services, chat_id)
    account.forget(services.db, chat_id)
    services.flights.departed()  # in the same step: no send can start in between
    for chat in (chat_id, *(other for other, _text in notices)):
        await services.flights.settle(chat)
    return notices


async def on_button(update: Update, context: BotContext) -> None:
    """Delete (`DeleteButton`) or keep (`KeepButton`); anything else does nothing."""
    query, services, chat_id, data = pressed(update, context)
    if KeepButton.unpack(data) is not None:
        await query.answer()
        await edit(query, services.text(chat_id, "account_kept"))
        return
    if not _confirmed(services, chat_id, data):
        await expired(query, services, chat_id, context)
        return
    goodbye = services.text(chat_id, "account_deleted")  # in her language, while it is known
    notices = await erase(services, chat_id)
    log.info("account deleted; %d linked people to tell", len(notices))
    await query.answer()
    await edit(query, goodbye)
    for other, text in notices:
        await tell(context.bot, other, text, what="notice of a deleted account")


# --- INACTIVE_DAYS ------------------------------------------------------------------------
async def forget_the_silent(bot: Bot, services: Services) -> tuple[int, int]:
    """Ask those silent INACTIVE_DAYS (no reminder either) once whether to keep their data;
    forget those asked ANSWER_WITHIN ago who have not written since (any message or press
    counts as an answer: people.touch clears the question). (asked, forgotten)."""
    days = services.settings.inactive_days
    if days is None:
        return 0, 0
    now = services.clock.now()
    forgotten = people.unanswered(services.db, epoch(now - ANSWER_WITHIN))
    for chat_id in forgotten:
        for other, text in await erase(services, chat_id):
            await tell(bot, other, text, what="notice of a forgotten account")
    silent = people.silent(services.db, now - timedelta(days=days), SILENT_BATCH)
    people.asked_to_keep(services.db, silent, epoch(now))  # once, whether the send works
    for chat_id in silent:
        text = services.text(chat_id, "account_inactive_question", days=days)
        keep = button(label(services, chat_id, "account_keep_button"), KeepButton("keep").pack())
        markup = InlineKeyboardMarkup([[keep]])
        await tell(bot, chat_id, text, markup, what="question to a silent person")
    if silent or forgotten:
        log.info("inactive: %d asked, %d forgotten", len(silent), len(forgotten))
    return len(silent), len(forgotten)


def register(app: Any, services: Services) -> None:
    if services.settings.inactive_days is not None and app.job_queue is not None:

        async def daily(context: Any) -> None:
            await forget_the_silent(context.bot, services)

        app.job_queue.run_repeating(daily, interval=timedelta(days=1), first=120, name="inactive")
    registry = services.registry
    registry.command("export", export_command, "account", "account_menu_export", 10)
    registry.command("delete", delete_command, "account", "account_menu_delete", 20)
    app.add_handler(CallbackQueryHandler(on_button, pattern=pattern(DeleteButton, KeepButton)))
