"""Her data: /export sends all of it as a JSON file, /delete removes all of it after a yes."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram import InlineKeyboardMarkup, InputFile, Update
from telegram.ext import CallbackQueryHandler

from bot.replies import button, expired, label, name_of, pressed, send, tell
from bot.services import BotContext, Services, chat_id_of
from bot.timerules import epoch
from db import account, dump
from db import caregivers as links

log = logging.getLogger(__name__)

EXPORT_FILENAME = "my-anastrozole-data.json"
CSV_SECTIONS = ("doses", "diary")  # export sections also sent as CSV files
CONFIRM_WITHIN = timedelta(minutes=10)  # an older Delete button is stale
_DELETE = re.compile(r"account:delete:(\d{1,19}):(\d{1,12})")
KEEP = "account:keep"  # "Keep my data" under the question


@dataclass(frozen=True)
class DeleteButton:
    """ "Delete everything", packed and read only here: whose data, and when it was asked
    ("account:delete:<chat id>:<issued>"), so an old or another chat's button does nothing."""

    chat_id: int
    issued: int

    def pack(self) -> str:
        return f"account:delete:{self.chat_id}:{self.issued}"

    @classmethod
    def unpack(cls, data: str) -> DeleteButton | None:
        found = _DELETE.fullmatch(data)
        return cls(int(found[1]), int(found[2])) if found else None


# --- /export ------------------------------------------------------------------------------
async def export_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    document = account.export(services.db, chat_id, services.clock.now())
    data = json.dumps(document, indent=2, ensure_ascii=False).encode()
    await context.bot.send_document(
        chat_id,
        InputFile(data, filename=EXPORT_FILENAME),
        caption=services.text(chat_id, "account_export_caption"),
    )
    for section in CSV_SECTIONS:  # the same rows as tables, for a spreadsheet
        if document.get(section):
            table = dump.csv_bytes(document[section])
            filename = f"my-anastrozole-{section}.csv"
            await context.bot.send_document(chat_id, InputFile(table, filename=filename))
    log.info("data export sent")


# --- /delete ------------------------------------------------------------------------------
async def delete_command(update: Update, context: BotContext) -> None:
    services, chat_id = context.services, chat_id_of(update)
    issued = epoch(services.clock.now())
    buttons = [
        button(
            label(services, chat_id, "account_delete_button"), DeleteButton(chat_id, issued).pack()
        ),
        button(label(services, chat_id, "account_keep_button"), KEEP),
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
    linked = [
        (link.caregiver, "account_told_patient_left")
        for link in links.caregivers_of(services.db, chat_id)
    ] + [
        (link.patient, "account_told_caregiver_left")
        for link in links.patients_of(services.db, chat_id)
    ]
    return [
        (other, services.text(other, key, name=name_of(services, chat_id, other)))
        for other, key in linked
    ]


async def on_button(update: Update, context: BotContext) -> None:
    """`account:delete:<chat id>:<issued>` or `account:keep`; anything else does nothing."""
    query, services, chat_id, data = pressed(update, context)
    if data == KEEP:
        await query.answer()
        await query.edit_message_text(services.text(chat_id, "account_kept"))
        return
    if not _confirmed(services, chat_id, data):
        await expired(query, services, chat_id, context)
        return
    goodbye = services.text(chat_id, "account_deleted")  # in her language, while it is known
    notices = _farewells(services, chat_id)
    account.forget(services.db, chat_id)
    services.flights.departed()  # in the same step: no send can start in between
    # A send to her (or about her, to a caregiver) already under way finishes before she is
    # told: after "deleted", nothing more arrives. No new one starts: she is gone.
    for chat in (chat_id, *(other for other, _text in notices)):
        await services.flights.settle(chat)
    log.info("account deleted; %d linked people to tell", len(notices))
    await query.answer()
    await query.edit_message_text(goodbye)
    for other, text in notices:
        await tell(context.bot, other, text, what="notice of a deleted account")


def register(app: Any, services: Services) -> None:
    registry = services.registry
    registry.command("export", export_command, "account", "account_menu_export", 10)
    registry.command("delete", delete_command, "account", "account_menu_delete", 20)
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^account:"))
