"""A scan prompt through the real process: due by editing the SQLite file, across a crash."""

import sqlite3
import time
from datetime import date
from pathlib import Path

from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import Call, FakeBotApi

CHAT = 42


def make_prompt_due(database: Path) -> None:
    with sqlite3.connect(database) as db:
        changed = db.execute(
            "UPDATE events SET next_fire = CAST(strftime('%s', 'now') AS INTEGER)"
            " WHERE chat_id = ? AND kind = 'checkup_prompt' AND ref = 'bonescan'",
            [CHAT],
        ).rowcount
    assert changed == 1


def wait_until_recorded_sent(database: Path, timeout: float = 10.0) -> None:
    """The ledger marks a delivery sent just after Telegram accepted it; a crash in between
    may resend it (at-least-once), so the tests below crash only after this point."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sqlite3.connect(database) as db:
            row = db.execute(
                "SELECT status FROM ledger WHERE chat_id = ? AND kind = 'checkup_prompt'", [CHAT]
            ).fetchone()
        if row and row[0] == "sent":
            return
        time.sleep(0.05)
    with sqlite3.connect(database) as db:
        rows = db.execute("SELECT * FROM ledger").fetchall()
    raise TimeoutError(f"the prompt was not recorded as sent {rows}")


def is_prompt(call: Call) -> bool:
    method, params = call
    return method == "sendMessage" and "Has it been done" in str(params.get("text"))


def said(text: str) -> object:
    return lambda c: c[0] == "sendMessage" and text in str(c[1].get("text"))


def prompts(api: FakeBotApi) -> int:
    return sum(1 for call in api.calls if is_prompt(call))


def prompts_after_a_crash(
    api: FakeBotApi, bot_process: BotProcess, command: str, reply: str
) -> int:
    """SIGKILL once the prompt is recorded sent, start again, let the restarted bot answer a
    command and run a few ticks (SCHEDULER_TICK_SECONDS=1), then count the prompts sent.
    Proving that nothing more comes needs real ticks of the real process: hence the wait."""
    wait_until_recorded_sent(bot_process.database)
    bot_process.kill()
    bot_process.start()
    mark = len(api.calls)
    api.user_says(CHAT, command)
    api.wait_for(said(reply), start=mark)
    time.sleep(2.5)
    return prompts(api)


def test_overdue_scan_prompt_arrives_once_across_a_crash(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    last_scan = date(date.today().year - 3, 1, 10)
    start = len(api.calls)
    api.user_says(CHAT, f"/bonescan {last_scan.isoformat()}")
    api.wait_for(said("overdue"), start=start)

    make_prompt_due(bot_process.database)
    _method, params = api.wait_for(is_prompt, start=start)
    assert "DEXA" in params["text"]
    buttons = [b["callback_data"] for b in params["reply_markup"]["inline_keyboard"][0]]
    assert buttons == [
        "checkups:done:bonescan",
        "checkups:book:bonescan",
        "checkups:later:bonescan",
    ]

    # the crash: the delivered prompt is not sent a second time
    assert prompts_after_a_crash(api, bot_process, "/bonescan", "overdue") == 1

    mark = len(api.calls)
    api.user_presses(CHAT, "checkups:later:bonescan")
    api.wait_for(said("I'll ask again on"), start=mark)


def test_a_prompt_due_while_the_bot_was_down_is_sent_once_after_restart(
    api: FakeBotApi, bot_process: BotProcess
) -> None:
    start = len(api.calls)
    api.user_says(CHAT, "/start")
    api.wait_for(said("time zone"), start=start)
    api.user_presses(CHAT, "rem:later")  # the reminder later: then the scan question
    api.wait_for(said("bone-density (DEXA) scan"), start=start)
    api.user_presses(CHAT, "checkups:baseline:bonescan:no")
    api.wait_for(said("I'll remind you on"), start=start)

    bot_process.kill()
    make_prompt_due(bot_process.database)
    bot_process.start()
    _method, params = api.wait_for(is_prompt, start=start)
    assert "ask your care team" in params["text"]
    assert prompts_after_a_crash(api, bot_process, "/progress", "/started") == 1
