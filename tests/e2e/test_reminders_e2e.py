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

PATIENTS = 300


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


def test_crash_in_a_fan_out_misses_nobody(api: FakeBotApi, bot_process: BotProcess) -> None:
    database = bot_process.database
    chat_ids = list(range(100_000, 100_000 + PATIENTS))
    now = int(time.time())
    stamp = "2026-01-01T00:00:00+00:00"
    with sqlite3.connect(database, timeout=30) as conn:
        conn.executemany(
            "INSERT INTO people (chat_id, first_name, language, timezone, remind_at,"
            " created_at, last_seen_at) VALUES (?, 'P', 'en', 'Asia/Kolkata', '08:00', ?, ?)",
            [(c, stamp, stamp) for c in chat_ids],
        )
        conn.executemany(
            "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'dose', '', ?)",
            [(c, now - 60) for c in chat_ids],
        )
    conn.close()
    start = len(api.calls)
    # The rate limiter paces sends at 30/s: kill after about a third went out.
    api.wait_for(lambda c: sum(reminders_sent(api, start).values()) >= PATIENTS // 3, timeout=60)
    bot_process.kill()
    before_restart = reminders_sent(api, start)
    assert 0 < sum(before_restart.values()) < PATIENTS
    bot_process.start()
    deadline = time.monotonic() + 90
    while len(reminders_sent(api, start)) < PATIENTS:
        assert time.monotonic() < deadline, f"only {len(reminders_sent(api, start))} reached"
        time.sleep(0.5)
    time.sleep(2)
    sent = reminders_sent(api, start)
    assert set(sent) == {str(c) for c in chat_ids}  # nobody missed
    duplicates = sum(n - 1 for n in sent.values())
    assert max(sent.values()) <= 2
    # Only the sends in flight at the kill can repeat (at most the scheduler's concurrency).
    assert duplicates <= 64, duplicates
    killed_at = sum(before_restart.values())
    print(f"fan-out of {PATIENTS}: {killed_at} before the kill, {duplicates} repeated")
