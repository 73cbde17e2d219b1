"""`python -m bot` against the fake Bot API: reminders, buttons, crashes and restarts.

Time is moved by editing events.next_fire in the SQLite file, never by sleeping for minutes.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import Call, FakeBotApi


def sql(database: Path, statement: str, params: Any = ()) -> list[Any]:
    with sqlite3.connect(database, timeout=30) as conn:
        rows = conn.execute(statement, params).fetchall()
    conn.close()
    return rows


def make_due(database: Path, chat_ids: list[int] | None = None, ago: int = 5) -> None:
    """Pretend the daily reminders' time has come (`ago` seconds ago)."""
    where = "kind = 'dose'"
    if chat_ids is not None:
        where += f" AND chat_id IN ({','.join(str(int(c)) for c in chat_ids)})"
    sql(database, f"UPDATE events SET next_fire = ? WHERE {where}", [int(time.time()) - ago])


def is_reminder(chat_id: int) -> Any:
    def check(call: Call) -> bool:
        method, params = call
        return (
            method == "sendMessage"
            and str(params.get("chat_id")) == str(chat_id)
            and "time for your" in str(params.get("text")).lower()
        )

    return check


def reminders_sent(api: FakeBotApi, start: int = 0) -> Counter[str]:
    return Counter(
        str(p.get("chat_id"))
        for m, p in api.calls[start:]
        if m == "sendMessage" and "time for your" in str(p.get("text")).lower()
    )


def say(api: FakeBotApi, chat_id: int, text: str, expect: str) -> str:
    start = len(api.calls)
    api.user_says(chat_id, text)
    _m, params = api.wait_for(
        lambda c: str(c[1].get("chat_id")) == str(chat_id) and expect in str(c[1].get("text")),
        start=start,
    )
    return str(params["text"])


def due_while_down(api: FakeBotApi, bot_process: BotProcess, chat_id: int, ago: int) -> int:
    """Set a reminder, SIGKILL the bot, let it fall due `ago` seconds ago, restart.

    Returns the index of the first Bot API call after the restart began."""
    say(api, chat_id, "/remind 07:15", "Daily reminder set")
    bot_process.kill()
    make_due(bot_process.database, [chat_id], ago=ago)
    start = len(api.calls)
    bot_process.start()
    return start


def test_set_up_receive_and_press_each_button(api: FakeBotApi, bot_process: BotProcess) -> None:
    database = bot_process.database
    for chat_id in (41, 42, 43):
        say(api, chat_id, "/timezone Berlin", "Berlin, Germany")
        assert "<b>08:30</b>" in say(api, chat_id, "/remind 8:30", "Daily reminder set")
    start = len(api.calls)
    make_due(database)
    for chat_id, action, answer in [
        (41, "take", "Taken at"),
        (42, "skip", "never take two"),
        (43, "snooze", "again at"),
    ]:
        _m, params = api.wait_for(is_reminder(chat_id), start=start)
        buttons = {
            b["text"]: b["callback_data"] for b in params["reply_markup"]["inline_keyboard"][0]
        }
        data = next(d for d in buttons.values() if d.startswith(f"rem:{action}:"))
        api.user_presses(chat_id, data, message_id=7)
        api.wait_for(
            lambda c, a=answer, i=chat_id: (
                c[0] == "editMessageText"
                and str(c[1].get("chat_id")) == str(i)
                and a in str(c[1].get("text"))
            ),
            start=start,
        )
    statuses = dict(sql(database, "SELECT chat_id, status FROM doses ORDER BY chat_id"))
    assert statuses == {41: "taken", 42: "skipped", 43: "pending"}
    time.sleep(2)  # a few ticks more: nothing is sent twice
    assert reminders_sent(api, start) == Counter({"41": 1, "42": 1, "43": 1})


def test_due_while_down_is_sent_once_after_restart(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    start = due_while_down(api, bot_process, 51, ago=3600)
    api.wait_for(is_reminder(51), start=start)
    time.sleep(2)
    assert reminders_sent(api, start) == Counter({"51": 1})
    bot_process.kill()
    bot_process.start()  # a second restart sends nothing more
    time.sleep(2)
    assert reminders_sent(api, start) == Counter({"51": 1})


def test_too_late_after_downtime_is_missed_not_sent(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    database = bot_process.database
    start = due_while_down(api, bot_process, 61, ago=7 * 3600)
    deadline = time.monotonic() + 15
    while not sql(database, "SELECT status FROM doses WHERE chat_id = 61"):
        assert time.monotonic() < deadline
        time.sleep(0.2)
    assert sql(database, "SELECT status FROM doses WHERE chat_id = 61") == [("missed",)]
    assert reminders_sent(api, start) == Counter()
