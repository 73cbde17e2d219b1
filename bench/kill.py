"""Repeats after a real kill -9: `python -m bot` from this checkout against the tests' fake
Bot API (tests/fake_bot_api.py, run by tests/e2e's BotProcess), a fan-out at Telegram's
pace (rate limiter on) killed with SIGKILL a quarter, half and three quarters of the way
and started again each time. Only a process that dies shows what its commits left."""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

from sqlite_utils import Database

from bench.data import FIRST_CHAT_ID, populate
from tests.e2e.conftest import BotProcess
from tests.fake_bot_api import FakeBotApi

KILLS = 3


def reminders(api: FakeBotApi) -> Counter[int]:
    """Messages each patient got (she gets nothing else during the fan-out)."""
    sends = [params for method, params in list(api.calls) if method == "sendMessage"]
    return Counter(chat for chat in (int(p["chat_id"]) for p in sends) if chat >= FIRST_CHAT_ID)


def sends_at_least(total: int, got: Counter[int]) -> bool:
    return got.total() >= total


def wait(
    api: FakeBotApi, enough: Callable[[Counter[int]], bool], timeout: float, log: Path
) -> None:
    deadline = time.monotonic() + timeout
    while not enough(reminders(api)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the fan-out stalled; see {log}")
        time.sleep(0.05)


def kill9_duplicates(folder: Path, count: int, timeout: float = 120) -> int:
    """Reminders sent twice, in all, after KILLS kills in a fan-out to `count` patients."""
    api = FakeBotApi().start()
    bot = BotProcess(api, (folder / "kill9.db").resolve())  # the bot runs in the checkout
    try:
        bot.start()  # creates the database; the patients come after, due a minute ago
        due = datetime.now(UTC) - timedelta(minutes=1)
        with closing(sqlite3.connect(bot.database, timeout=30)) as conn:
            populate(Database(conn), count, due - timedelta(minutes=1), at=f"{due:%H:%M}")
        for kill in range(1, KILLS + 1):
            wait(api, partial(sends_at_least, kill * count // (KILLS + 1)), timeout, bot.log)
            bot.kill()
            bot.start()
        wait(api, lambda got: len(got) == count, timeout, bot.log)
        time.sleep(2)  # a few ticks more: a repeat may come late
        return reminders(api).total() - count
    finally:
        bot.stop()
        api.stop()
