"""Start-up time and memory of the real `python -m bot`, measured from outside.

A tiny stand-in for the Bot API on 127.0.0.1 answers the calls python-telegram-bot makes
while starting; the first getUpdates is the honest "ready" signal: polling has begun.
The bot's resident memory is read from /proc at that very moment.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bot.trial.recording_request import BOT_USER

TOKEN = "123456:BENCH-TOKEN"
ROOT = Path(__file__).resolve().parents[1]  # the checkout, so its own bot/ is measured


class ReadyServer:
    """Answers getMe, setMyCommands, deleteWebhook ...; notes when getUpdates first arrives."""

    def __init__(self) -> None:
        self.ready = threading.Event()
        self.pid = 0
        self.rss_kb = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                method = self.path.rsplit("/", 1)[-1]
                if method == "getUpdates" and not server.ready.is_set():
                    server.rss_kb = resident_kb(server.pid)
                    server.ready.set()
                result: Any = (
                    BOT_USER if method == "getMe" else [] if method == "getUpdates" else True
                )
                body = json.dumps({"ok": True, "result": result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/bot"

    def close(self) -> None:
        self.http.shutdown()
        self.http.server_close()


def resident_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def time_to_ready(database: Path, log: Path, timeout: float = 120) -> tuple[float, float]:
    """Seconds from process start to its first getUpdates, and its RSS in MB at that moment."""
    server = ReadyServer()
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": server.base_url,
        "DATABASE_PATH": str(database.resolve()),  # the bot runs in ROOT, not in our cwd
        "LOG_LEVEL": "WARNING",
        "SCHEDULER_TICK_SECONDS": "60",
    }
    try:
        with log.open("ab") as output:
            started = time.perf_counter()
            process = subprocess.Popen(
                [sys.executable, "-m", "bot"], cwd=ROOT, env=env, stdout=output, stderr=output
            )
            server.pid = process.pid
            try:
                if not server.ready.wait(timeout):
                    raise RuntimeError(f"python -m bot never polled; see {log}")
                return time.perf_counter() - started, server.rss_kb / 1024
            finally:
                process.kill()
                process.wait()
    finally:
        server.close()
