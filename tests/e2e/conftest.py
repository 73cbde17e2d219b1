"""Run `python -m bot` as a real process against the fake Bot API server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    def __init__(self, api: FakeBotApi, database: Path, **env: str) -> None:
        self.api = api
        self.database = database
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None
        self.log = database.with_suffix(".log")

    def start(self) -> BotProcess:
        ready_from = len(self.api.calls)
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": self.api.token,
            "TELEGRAM_BASE_URL": self.api.base_url,
            "DATABASE_PATH": str(self.database),
            "SCHEDULER_TICK_SECONDS": "1",
            "FLOOD_BURST": "1000",  # a test types faster than anyone: tests/test_gate.py
            **self.env,
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=log, stderr=log
            )
        self.api.wait_for(lambda c: c[0] == "setMyCommands", timeout=30, start=ready_from)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as in a crash or a power cut."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    yield server
    server.stop()


@pytest.fixture
def bot_process(api: FakeBotApi, tmp_path: Path) -> Iterator[BotProcess]:
    process = BotProcess(api, tmp_path / "bot.db").start()
    yield process
    process.stop()
    assert "Traceback" not in process.output(), process.output()
