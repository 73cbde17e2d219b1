"""Caregivers through `python -m bot`: invitation link, acceptance, an alert after a
restart, removal. Time moves by editing the SQLite file, never by sleeping."""

from __future__ import annotations

import re
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import Call, FakeBotApi

ANNA, CAROL = 501, 502


def to(chat_id: int, words: str) -> Any:
    def match(call: Call) -> bool:
        method, params = call
        return (
            method == "sendMessage"
            and str(params.get("chat_id")) == str(chat_id)
            and words in str(params.get("text", ""))
        )

    return match


def buttons(params: dict[str, Any]) -> dict[str, str]:
    markup = params["reply_markup"]
    return {b["text"]: b.get("callback_data", "") for row in markup["inline_keyboard"] for b in row}


def write(database: Path, sql: str, values: list[Any]) -> None:
    with sqlite3.connect(database, timeout=10) as db:
        db.execute(sql, values)


def test_invite_accept_alert_after_restart_and_removal(api: FakeBotApi, tmp_path: Path) -> None:
    database = tmp_path / "bot.db"
    bot = BotProcess(api, database, CAREGIVER_ALERT_AFTER_MINUTES="1").start()
    try:
        api.user_says(ANNA, "/invite", first_name="Anna")
        _, invite = api.wait_for(to(ANNA, "invitation link"))
        payload = re.search(r"\?start=(care-[A-Za-z0-9_-]+)", invite["text"])
        assert payload
        # Anna's reminders are on (the reminders feature would set this): UTC, 5 minutes ago.
        dose_time = datetime.now(UTC) - timedelta(minutes=5)
        write(
            database,
            "UPDATE people SET timezone = 'UTC', remind_at = ? WHERE chat_id = ?",
            [dose_time.strftime("%H:%M"), ANNA],
        )

        api.user_says(CAROL, f"/start {payload.group(1)}", first_name="Carol")
        _, offer = api.wait_for(to(CAROL, "<b>Anna</b> invites you"))
        start = len(api.calls)
        api.user_presses(CAROL, buttons(offer)["✅ Accept"], first_name="Carol")
        api.wait_for(to(ANNA, "<b>Carol</b> now follows your reminders"), start=start)

        bot.kill()  # the alert must survive a crash: it is a row, not a timer
        now = int(time.time())
        write(
            database,
            "INSERT INTO doses (chat_id, local_date, due, message_id) VALUES (?, ?, ?, 1)",
            [ANNA, datetime.fromtimestamp(now - 60, UTC).date().isoformat(), now - 120],
        )
        write(database, "UPDATE events SET next_fire = ? WHERE kind = 'caregiver_alert'", [now])
        start = len(api.calls)
        bot.start()
        api.wait_for(to(CAROL, "<b>Anna</b> hasn't confirmed her tablet"), start=start)

        api.user_says(ANNA, "/caregivers", first_name="Anna")
        _, card = api.wait_for(to(ANNA, "<b>Carol</b> receives"), start=start)
        start = len(api.calls)
        api.user_presses(ANNA, buttons(card)["Remove Carol"], first_name="Anna")
        _, ask = api.wait_for(
            lambda call: call[0] == "editMessageText" and "Remove <b>Carol</b>?" in call[1]["text"],
            start=start,
        )
        api.user_presses(ANNA, buttons(ask)["Yes, remove Carol"], first_name="Anna")
        api.wait_for(to(CAROL, "Anna has stopped sharing her reminders"), start=start)
        with sqlite3.connect(database, timeout=10) as db:
            left = db.execute("SELECT COUNT(*) FROM events WHERE chat_id = ?", [CAROL]).fetchone()
        assert left == (0,)
        alerts = [t for t in api.messages_to(CAROL) if "hasn't confirmed" in t]
        assert len(alerts) == 1
    finally:
        bot.stop()
    assert "Traceback" not in bot.output(), bot.output()
