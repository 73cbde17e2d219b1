"""Her other medicines through the real process against the fake Bot API: two medicines set
up in words and buttons, one grouped reminder when both fall due (time moved by editing the
SQLite file), All taken recorded for both, and a SIGKILL and restart that sends it no
twice; her anastrozole and a medicine at the same minute in one message."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import Call, FakeBotApi

CHAT = 61


def sql(database: Path, statement: str, params: Any = ()) -> list[Any]:
    with sqlite3.connect(database, timeout=30) as conn:
        rows = conn.execute(statement, params).fetchall()
    conn.close()
    return rows


def said(text: str) -> Any:
    return lambda c: c[0] in ("sendMessage", "editMessageText") and text in str(c[1].get("text"))


def is_grouped_reminder(call: Call) -> bool:
    method, params = call
    text = str(params.get("text"))
    return method == "sendMessage" and "time for your medicines" in text and "Calcium" in text


def add(api: FakeBotApi, name: str, at: str = "08:00") -> None:
    start = len(api.calls)
    api.user_says(CHAT, f"/addmedicine {name}")
    api.wait_for(said("how often do you take it"), start=start)
    api.user_presses(CHAT, "meds:kind:daily")
    api.wait_for(said("At what time?"), start=start)
    api.user_says(CHAT, at)
    api.wait_for(said(f"Saved: <b>{name}</b>"), start=start)


def wait_until_sent(database: Path, timeout: float = 10.0) -> None:
    """The ledger marks the reminder sent just after Telegram accepted it: the crash below
    comes after that point (before it, at-least-once may send it again, by design)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sql(database, "SELECT 1 FROM ledger WHERE kind = 'meds' AND status = 'sent'"):
            return
        time.sleep(0.05)
    raise TimeoutError("the grouped reminder was not recorded as sent")


def test_two_medicines_one_reminder_all_taken_and_never_twice(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    database = bot_process.database
    start = len(api.calls)
    api.user_says(CHAT, "/timezone Berlin")
    api.wait_for(said("Berlin, Germany"), start=start)
    add(api, "Calcium")
    add(api, "Vitamin D")
    assert sql(database, "SELECT COUNT(*) FROM events WHERE chat_id = ? AND kind = 'meds'", [CHAT])
    start = len(api.calls)
    sql(database, "UPDATE events SET next_fire = ? WHERE kind = 'meds'", [int(time.time()) - 5])
    _m, params = api.wait_for(is_grouped_reminder, start=start)
    assert "Vitamin D" in str(params["text"])  # both in one message
    buttons = [b for row in params["reply_markup"]["inline_keyboard"] for b in row]
    [all_taken] = [b["callback_data"] for b in buttons if b["callback_data"].startswith("meds:all")]

    wait_until_sent(database)
    bot_process.kill()
    bot_process.start()
    mark = len(api.calls)
    api.user_presses(CHAT, all_taken)
    api.wait_for(said("taken"), start=mark)
    statuses = sql(database, "SELECT DISTINCT status FROM medicine_doses WHERE chat_id = ?", [CHAT])
    assert statuses == [("taken",)]
    api.user_says(CHAT, "/mymedicines")
    api.wait_for(said("Your other medicines"), start=mark)
    time.sleep(2.5)  # real ticks of the restarted process (SCHEDULER_TICK_SECONDS=1)
    assert sum(1 for call in api.calls if is_grouped_reminder(call)) == 1


def test_her_tablet_and_a_medicine_at_the_same_minute_one_message(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    """Anastrozole and Calcium at the same minute (the last one past, in Berlin): one
    message with both, whichever event the tick takes first; All taken records both;
    nothing else comes."""
    database = bot_process.database
    minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    at = minute.astimezone(ZoneInfo("Europe/Berlin")).strftime("%H:%M")
    start = len(api.calls)
    api.user_says(CHAT, "/timezone Berlin")
    api.wait_for(said("Berlin, Germany"), start=start)
    api.user_says(CHAT, f"/remind {at}")
    api.wait_for(said(at), start=start)
    add(api, "Calcium", at)
    start = len(api.calls)
    due = int(minute.timestamp())  # that minute passed already today: both due now
    sql(database, "UPDATE events SET next_fire = ? WHERE kind IN ('dose', 'meds')", [due])
    _m, params = api.wait_for(said("Anastrozole"), start=start)
    assert "Calcium" in str(params["text"])
    buttons = [b for row in params["reply_markup"]["inline_keyboard"] for b in row]
    [all_taken] = [b["callback_data"] for b in buttons if b["callback_data"].startswith("meds:all")]
    time.sleep(2.5)  # real ticks (SCHEDULER_TICK_SECONDS=1): the other event stands down
    sent = [
        p for m, p in api.calls[start:] if m == "sendMessage" and str(p.get("chat_id")) == str(CHAT)
    ]
    assert len(sent) == 1, [p.get("text") for p in sent]
    mark = len(api.calls)
    api.user_presses(CHAT, all_taken)
    api.wait_for(said("<b>Calcium</b>: taken"), start=mark)
    assert sql(database, "SELECT status FROM doses WHERE chat_id = ?", [CHAT]) == [("taken",)]
    assert sql(database, "SELECT status FROM medicine_doses WHERE chat_id = ?", [CHAT]) == [
        ("taken",)
    ]
