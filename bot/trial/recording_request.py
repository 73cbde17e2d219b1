"""A Bot API stand-in at the network layer: records every call and answers like Telegram.

python-telegram-bot's Bot is frozen, so tests and the benchmark replace the request layer,
not Bot methods: everything above it (rate limiter, handlers, rendering) is the real code.
"""

from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT_USER = {
    "id": 777000111,
    "is_bot": True,
    "first_name": "Anastrozole Companion",
    "username": "anastrozole_companion_bot",
}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.perf_counter)  # the bench's rate-limit measure


class RecordingRequest(BaseRequest):
    """Answers every Bot API method successfully; `fail_next` scripts Telegram errors."""

    def __init__(self, record: bool = True) -> None:
        self.calls: list[Call] = []
        self.record = record
        self._message_ids = itertools.count(1)
        self._failures: list[tuple[str, int, dict[str, Any]]] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    def fail_next(self, method: str, status: int, description: str, **parameters: Any) -> None:
        """Make the next call of `method` fail as Telegram would (403, 429, 500 ...)."""
        self._failures.append((method, status, {"description": description, **parameters}))

    def sent(self, method: str = "sendMessage") -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def clear(self) -> None:
        self.calls.clear()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api_method = url.rsplit("/", 1)[-1]
        params: dict[str, Any] = {}
        if request_data is not None:
            params = dict(request_data.parameters)
            if request_data.multipart_data:
                params["_files"] = {
                    name: value for name, value in request_data.multipart_data.items()
                }
        for index, (failing, status, body) in enumerate(self._failures):
            if failing == api_method:
                del self._failures[index]
                error: dict[str, Any] = {"ok": False, "error_code": status, **body}
                if "retry_after" in body:
                    error["parameters"] = {"retry_after": body.pop("retry_after")}
                    error.pop("retry_after", None)
                return status, json.dumps(error).encode()
        if self.record:
            self.calls.append(Call(api_method, params))
        return 200, json.dumps({"ok": True, "result": self._result(api_method, params)}).encode()

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return []
        if method.startswith(("send", "edit")) and "chat_id" in params:
            message_id = params.get("message_id") or next(self._message_ids)
            return {
                "message_id": message_id,
                "date": 0,
                "chat": {"id": params["chat_id"], "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
        return True
