"""A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of `python -m bot`.

It speaks just enough of the Bot API (getMe, getUpdates long polling, send*/edit*, ...) and
records every call, so a test can play a user and read what the bot answered. `Faults`
makes it have Telegram's bad days, deterministically (seeded).
"""

from __future__ import annotations

import itertools
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

from bot.trial.recording_request import BOT_USER

Call = tuple[str, dict[str, Any]]


def _decode(value: str) -> Any:
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


FAULTS = ("429", "500", "502", "drop")


@dataclass
class Faults:
    """Telegram's bad days for send*/edit* calls: a `rate` share of them fail, each with one
    of FAULTS (429 with retry_after 1, 500, 502, or the connection dropped without an
    answer), and every call to a `blocked` chat gets 403. A failed call delivers nothing.
    Which calls fail depends only on the seed, the chat and how many calls that chat had:
    the same run fails the same way whatever the threads' order."""

    rate: float = 0.0
    seed: int = 0
    blocked: set[int] = field(default_factory=set)
    counts: Counter[str] = field(default_factory=Counter)  # of each fault given
    _calls: Counter[int] = field(default_factory=Counter)

    def pick(self, chat: int) -> str | None:
        if chat in self.blocked:
            fault: str | None = "403"
        else:
            self._calls[chat] += 1
            roll = random.Random(f"{self.seed}:{chat}:{self._calls[chat]}")
            fault = roll.choice(FAULTS) if roll.random() < self.rate else None
        if fault:
            self.counts[fault] += 1
        return fault


ERRORS = {
    "403": {"error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    "429": {
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    },
    "500": {"error_code": 500, "description": "Internal Server Error"},
    "502": {"error_code": 502, "description": "Bad Gateway"},
}


class Dropped(Exception):
    """The connection is closed without an answer (a network fault)."""


class FakeBotApi:
    def __init__(self, token: str = "123456:E2E-TOKEN") -> None:
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._cond = threading.Condition()
        self.fail: dict[str, tuple[int, dict[str, Any]]] = {}
        self.faults = Faults()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if len(body) < length:  # the sender died mid-request (a kill -9): as
                    self.close_connection = True  # Telegram, nothing arrived
                    return
                try:
                    status, payload = api.handle(
                        self.path, self.headers.get("Content-Type", ""), body
                    )
                except Dropped:
                    self.close_connection = True
                    return
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot stopped while a long poll was open

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    def start(self) -> FakeBotApi:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._cond:
            self._cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    # --- the Bot API side -------------------------------------------------------------
    def handle(self, path: str, content_type: str, body: bytes) -> tuple[int, dict[str, Any]]:
        prefix = f"/bot{self.token}/"
        if path.startswith("/bot") and not path.startswith(prefix):  # as Telegram: a bad token
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if not path.startswith(prefix):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        method = path[len(prefix) :]
        params = self._params(content_type, body)
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._wait_updates(params)}
        if method.startswith(("send", "edit")) and "chat_id" in params:
            with self._cond:
                fault = self.faults.pick(int(params["chat_id"]))
            if fault == "drop":
                raise Dropped
            if fault:
                error = ERRORS[fault]
                return int(error["error_code"]), {"ok": False, **error}
        with self._cond:
            self.calls.append((method, params))
            self._cond.notify_all()
            failure = self.fail.pop(method, None)
        if failure:
            status, error = failure
            return status, {"ok": False, "error_code": status, **error}
        return 200, {"ok": True, "result": self._result(method, params)}

    @staticmethod
    def _params(content_type: str, body: bytes) -> dict[str, Any]:
        if content_type.startswith("multipart/form-data"):
            message = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
            )
            params: dict[str, Any] = {}
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    params[str(name)] = {"filename": part.get_filename(), "bytes": payload}
                else:
                    params[str(name)] = _decode(payload.decode())
            return params
        if content_type.startswith("application/json"):
            return dict(json.loads(body or b"{}"))
        return {k: _decode(v) for k, v in parse_qsl(body.decode(), keep_blank_values=True)}

    def _wait_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self._cond:
            # As Telegram does: an offset confirms (forgets) every update below it, so a
            # restarted bot is not handed updates its predecessor already confirmed.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while True:
                ready = [u for u in self._updates if u["update_id"] >= offset]
                if ready or time.monotonic() >= deadline:
                    return ready
                self._cond.wait(max(0.0, deadline - time.monotonic()))

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method.startswith(("send", "edit")) and "chat_id" in params:
            message_id = int(params.get("message_id") or next(self._message_ids))
            return {
                "message_id": message_id,
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True

    # --- the user side ----------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> None:
        with self._cond:
            self._updates.append({"update_id": next(self._update_ids), **update})
            self._cond.notify_all()

    def user_says(
        self, chat_id: int, text: str, first_name: str = "Anna", language: str = "en"
    ) -> None:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {
                "id": chat_id,
                "is_bot": False,
                "first_name": first_name,
                "language_code": language,
            },
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
            ]
        self.push({"message": message})

    def user_presses(
        self, chat_id: int, data: str, message_id: int = 1, first_name: str = "Anna"
    ) -> None:
        self.push(
            {
                "callback_query": {
                    "id": str(next(self._update_ids)),
                    "from": {"id": chat_id, "is_bot": False, "first_name": first_name},
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": {
                        "message_id": message_id,
                        "date": int(time.time()),
                        "chat": {"id": chat_id, "type": "private"},
                        "text": "(button message)",
                    },
                }
            }
        )

    def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 15.0, start: int = 0
    ) -> Call:
        """Block until a recorded call (from index `start`) satisfies predicate."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for call in self.calls[start:]:
                    if predicate(call):
                        return call
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [(m, str(p.get("text", ""))[:60]) for m, p in self.calls[start:]]
                    raise TimeoutError(f"no matching Bot API call; saw {seen}")
                self._cond.wait(remaining)

    def messages_to(self, chat_id: int, start: int = 0) -> list[str]:
        with self._cond:
            return [
                str(p.get("text", ""))
                for m, p in self.calls[start:]
                if m == "sendMessage" and str(p.get("chat_id")) == str(chat_id)
            ]
