"""/export and /delete through `python -m bot` and the fake Bot API."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import Call, FakeBotApi

PATIENT = 701


def document_to(chat_id: int) -> Any:
    def match(call: Call) -> bool:
        method, params = call
        return method == "sendDocument" and str(params.get("chat_id")) == str(chat_id)

    return match


def test_export_sends_a_json_document_and_delete_removes_her(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    api.user_says(PATIENT, "/remind 8:30", first_name="Petra")
    api.wait_for(lambda c: c[0] == "sendMessage" and "8:30" in str(c[1].get("text")))
    api.user_says(PATIENT, "/export", first_name="Petra")
    _, params = api.wait_for(document_to(PATIENT))
    assert params["document"]["filename"].startswith("my-anastrozole-data-Petra-")
    data = json.loads(params["document"]["bytes"])
    assert data["person"]["first_name"] == "Petra"
    assert data["person"]["remind_at"] == "08:30"
    assert any(event["kind"] == "dose" for event in data["scheduled"])

    start = len(api.calls)
    api.user_says(PATIENT, "/delete", first_name="Petra")
    _, question = api.wait_for(lambda c: c[0] == "sendMessage", start=start)
    keyboard = question["reply_markup"]["inline_keyboard"]
    delete = next(b["callback_data"] for row in keyboard for b in row if "Delete" in b["text"])
    api.user_presses(PATIENT, delete, first_name="Petra")
    api.wait_for(lambda c: "has been deleted" in str(c[1].get("text", "")), start=start)
    with sqlite3.connect(bot_process.database) as db:
        assert db.execute("SELECT COUNT(*) FROM people").fetchone() == (0,)
        assert db.execute("SELECT COUNT(*) FROM events").fetchone() == (0,)
