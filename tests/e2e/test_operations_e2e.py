"""Operations against a real `python -m bot` in webhook mode: updates arrive by POST and are
answered, a forged post is refused, /admin and the metrics show the figures, and a backup
taken while the bot runs is whole.

One process serves every test in this module: starting it is the slow part.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import socket
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import ROOT, BotProcess
from tests.fake_bot_api import FakeBotApi

SECRET = "s3cret_Token-for-e2e-0123456789abcdef"  # 32 or more characters
ADMIN = 9001
_update_ids = itertools.count(1)


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Running:
    api: FakeBotApi
    process: BotProcess
    webhook_url: str
    metrics_url: str
    client: httpx.Client

    def post(self, chat_id: int, text: str, secret: str | None = SECRET) -> int:
        """POST a message update as Telegram would; returns the HTTP status."""
        message: dict[str, Any] = {
            "message_id": next(_update_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Anna"},
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        update = {"update_id": next(_update_ids), "message": message}
        return self.client.post(self.webhook_url, json=update, headers=headers).status_code

    def ask(self, chat_id: int, text: str) -> str:
        """POST text as the user and return the bot's first message back."""
        start = len(self.api.calls)
        assert self.post(chat_id, text) == 200
        _method, params = self.api.wait_for(
            lambda c: c[0] == "sendMessage" and str(c[1].get("chat_id")) == str(chat_id),
            start=start,
        )
        return str(params["text"])


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    api = FakeBotApi().start()
    webhook_port, metrics_port = free_port(), free_port()
    webhook_url = f"http://127.0.0.1:{webhook_port}/telegram-updates"
    metrics_url = f"http://127.0.0.1:{webhook_port}/metrics"  # the same port in webhook mode
    process = BotProcess(
        api,
        Path(tmp_path_factory.mktemp("operations")) / "bot.db",
        TELEGRAM_WEBHOOK_URL=webhook_url,
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        WEBHOOK_PORT=str(webhook_port),  # WEBHOOK_LISTEN: 127.0.0.1 by default
        METRICS_PORT=str(metrics_port),
        ADMIN_CHAT_IDS=f"{ADMIN}",
    ).start()
    api.wait_for(lambda c: c[0] == "setWebhook")  # set once the door is open
    client = httpx.Client(transport=httpx.HTTPTransport(retries=6), timeout=10)
    yield Running(api, process, webhook_url, metrics_url, client)
    client.close()
    process.stop()
    api.stop()
    assert "Traceback" not in process.output(), process.output()


def test_the_webhook_is_set_with_its_secret_and_nothing_polls(running: Running) -> None:
    _method, params = running.api.wait_for(lambda c: c[0] == "setWebhook")
    assert params["url"] == running.webhook_url
    assert params["secret_token"] == SECRET
    assert "getUpdates" not in [m for m, _ in running.api.calls]


def test_an_update_posted_to_the_webhook_is_answered(running: Running) -> None:
    assert "1 mg" in running.ask(501, "/dose")


@pytest.mark.parametrize("secret", [None, "wrong-secret"])
def test_a_forged_post_is_refused_and_ignored(running: Running, secret: str | None) -> None:
    start = len(running.api.calls)
    assert running.post(502, "/start", secret=secret) == 403
    running.ask(503, "/help")  # a genuine update after it, answered: the forged one was not
    assert running.api.messages_to(502, start) == []


def test_admin_sees_counts_and_anyone_else_an_unknown_command(running: Running) -> None:
    running.ask(504, "/start")
    figures = running.ask(ADMIN, "/admin")
    assert "Operator's view" in figures and "Anna" not in figures
    stranger = running.ask(505, "/admin")
    assert "Operator's view" not in stranger and "/help" in stranger


def test_metrics_are_scraped_with_the_same_figures(running: Running) -> None:
    for chat_id in (506, 507):
        running.ask(chat_id, "/start")
    scraped = running.client.get(running.metrics_url).text
    values = {
        line.split(" ")[0]: float(line.split(" ")[1])
        for line in scraped.splitlines()
        if line.startswith("companion_") and " " in line
    }
    assert values["companion_people"] >= 2
    assert values["companion_caregiver_links"] == 0
    assert values["companion_database_bytes"] > 0
    assert 'companion_messages_sent{window="1d"}' in values
    assert any(name.startswith("companion_info{version=") for name in values)


def test_a_backup_taken_while_the_bot_runs_is_whole(running: Running, tmp_path: Path) -> None:
    for chat_id in range(600, 610):
        running.ask(chat_id, "/start")
    target = tmp_path / "copies" / "bot-backup.db"
    env = {
        **os.environ,
        "DATABASE_PATH": str(running.process.database),
        "TELEGRAM_BOT_TOKEN": "",  # a backup needs no token
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "backup", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1 and str(target) in done.stdout
    with closing(sqlite3.connect(target)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        people = {row[0] for row in copy.execute("SELECT chat_id FROM people")}
    assert set(range(600, 610)) <= people
    assert not (target.parent / f"{target.name}-wal").exists()


# --- the front door (bot/webhook.py) ------------------------------------------------------
def raw(running: Running, head: str, body: bytes = b"") -> socket.socket:
    """A connection that sends `head` (request line and headers) and `body` as given."""
    url = httpx.URL(running.webhook_url)
    connection = socket.create_connection((url.host, url.port), timeout=15)
    connection.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
    return connection


def status_of(connection: socket.socket) -> int:
    answer = connection.recv(4096)
    return int(answer.split(b" ", 2)[1])


def test_a_forged_post_is_refused_before_its_body_is_read(running: Running) -> None:
    """100 MB announced, a few bytes sent: 403 comes at once, nothing waits for the rest."""
    with closing(
        raw(
            running,
            "POST /telegram-updates HTTP/1.1\nHost: x\nContent-Length: 104857600\n"
            "X-Telegram-Bot-Api-Secret-Token: wrong-but-long-enough-0123456789abcdef\n",
            b'{"update_id": 1',
        )
    ) as connection:
        assert status_of(connection) == 403


def test_a_post_over_1_mb_is_refused_without_being_buffered(running: Running) -> None:
    secret = f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\n"
    head = f"POST /telegram-updates HTTP/1.1\nHost: x\nContent-Length: 2000000\n{secret}"
    with closing(raw(running, head)) as connection:  # announced: refused before any byte
        assert status_of(connection) == 413
    chunk = b"x" * 65536
    chunked = f"POST /telegram-updates HTTP/1.1\nHost: x\nTransfer-Encoding: chunked\n{secret}"
    with closing(raw(running, chunked)) as connection:  # not announced: cut when it passes
        with contextlib.suppress(OSError):  # the server may close while we still send
            for _ in range(20):
                connection.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        assert status_of(connection) == 413
    assert "1 mg" in running.ask(510, "/dose")  # and the door still works


def test_a_slow_loris_client_is_cut_off_and_others_are_served(running: Running) -> None:
    connection = raw(running, "POST /telegram-updates HTTP/1.1\nHost: x\n")
    started = time.monotonic()
    assert "1 mg" in running.ask(511, "/dose")  # served meanwhile
    closed = False
    with closing(connection):
        connection.settimeout(1)
        while time.monotonic() - started < 20:
            try:
                connection.sendall(b"X")  # a header, one byte a second
                if connection.recv(1024) == b"":
                    closed = True
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = True
                break
    assert closed and time.monotonic() - started < 12


def test_healthz_answers_on_the_same_port(running: Running) -> None:
    url = httpx.URL(running.webhook_url).copy_with(path="/healthz")
    answer = running.client.get(url)
    assert (answer.status_code, answer.text) == (200, "ok")
    assert running.client.get(running.webhook_url).status_code == 405  # updates: POST only


def test_check_works_beside_the_bot_in_webhook_mode(running: Running) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": running.api.token,
        "DATABASE_PATH": str(running.process.database),
        "TELEGRAM_WEBHOOK_URL": running.webhook_url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout.startswith("ok: "), done.stderr


def test_the_database_and_its_folder_are_private(running: Running) -> None:
    database = running.process.database
    assert stat.S_IMODE(database.parent.stat().st_mode) == 0o700
    for file in (database, database.with_name("bot.db-wal")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600
