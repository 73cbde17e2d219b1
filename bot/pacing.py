"""Sends paced to Telegram's limits: python-telegram-bot's rate-limiter slot, our own rules.

- About 30 messages a second per bot, evenly: one token refilled every 1/30 s (a full
  bucket of 30 would let a fan-out burst to ~60 in its first second).
- About one message a second per chat: an answer in several messages is spaced out.
- A 429 pauses only the chat it was for, by Telegram's retry_after (PTB's AIORateLimiter
  pauses every request of the bot, reminders included, when one chat draws a 429). The
  request is tried again after the pause, unless the pause is longer than MAX_WAIT: then
  RetryAfter goes back to the caller (the scheduler parks that delivery and sends the
  others; a handler's error handler logs it).
- Paid broadcasts (TELEGRAM_PAID_BROADCAST): a scheduled send (the tick marks its own with
  `SCHEDULED`) goes with `allow_paid_broadcast` and takes a 1/1000 s slot instead of 1/30 s;
  answers to people keep the free pace. Telegram charges the bot for such messages
  (docs/operations.md).
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

PER_SECOND = 30
PAID_PER_SECOND = 1000  # Telegram's limit with allow_paid_broadcast
CHAT_GAP = 1.0  # seconds between two messages to one chat
MAX_WAIT = 5.0  # a longer pause is handed back to the caller instead of waited out
MAX_RETRIES = 3
KEEP_CHATS = 10_000  # per-chat times kept before the past ones are dropped

Result = bool | dict[str, Any] | list[dict[str, Any]]

# Set by the scheduler around a scheduled send (each send runs in its own task's context).
SCHEDULED: ContextVar[bool] = ContextVar("scheduled", default=False)
# The Bot API methods that take allow_paid_broadcast (an edit or an answer does not).
PAID_METHODS = frozenset(
    {
        "sendMessage",
        "sendPhoto",
        "sendDocument",
        "sendAudio",
        "sendVoice",
        "sendVideo",
        "sendAnimation",
        "sendVideoNote",
        "sendSticker",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
        "sendMediaGroup",
        "copyMessage",
    }
)


class Pacer(BaseRateLimiter[None]):
    def __init__(
        self,
        per_second: float = PER_SECOND,
        chat_gap: float = CHAT_GAP,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Coroutine[Any, Any, None]] = asyncio.sleep,
        paid: bool = False,
    ) -> None:
        self._interval = 1 / per_second
        self._paid = paid  # scheduled sends as paid broadcasts, at PAID_PER_SECOND
        self._chat_gap = chat_gap
        self._clock = clock
        self._sleep = sleep  # clock and sleep are injected by tests
        self._next = 0.0  # the bot's next free send slot
        # Slots are taken one at a time, when their time has come: a slot reserved ahead
        # would let sends delayed by a busy event loop go out in a burst.
        self._turns = asyncio.Lock()
        self._chats: dict[int | str, float] = {}  # each chat's next free slot

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: None,
    ) -> Result:
        chat = data.get("chat_id")
        interval = self._interval
        if self._paid and SCHEDULED.get() and endpoint in PAID_METHODS:
            data["allow_paid_broadcast"] = True  # the very dict PTB sends (ExtBot._do_post)
            interval = 1 / PAID_PER_SECOND
        for attempt in range(MAX_RETRIES + 1):
            await self._turn(chat if isinstance(chat, int | str) else None, interval)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                wait = _seconds(exc)
                self.pause(chat if isinstance(chat, int | str) else None, wait)
                if attempt == MAX_RETRIES or wait > MAX_WAIT:
                    raise
                log.info("429 on %s: that chat waits %.0f s", endpoint, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def pause(self, chat: int | str | None, seconds: float) -> None:
        """Nothing more to this chat (or, without one, to anyone) for `seconds`."""
        until = self._clock() + seconds
        if chat is None:
            self._next = max(self._next, until)
        else:
            self._chats[chat] = max(self._chats.get(chat, 0.0), until)

    async def _turn(self, chat: int | str | None, interval: float) -> None:
        """Wait for this chat's slot, then for the bot's (which the send holds `interval`)."""
        now = self._clock()
        if chat is not None:
            slot = max(now, self._chats.get(chat, 0.0))
            if slot - now > MAX_WAIT:  # paused by a 429: not worth waiting here
                raise RetryAfter(math.ceil(slot - now))
            self._chats[chat] = slot + self._chat_gap
            if len(self._chats) > KEEP_CHATS:
                self._chats = {c: t for c, t in self._chats.items() if t > now}
            if slot > now:
                await self._sleep(slot - now)
                now = self._clock()
        async with self._turns:  # first come, first served; spaced by when each went
            now = self._clock()
            if self._next > now:
                await self._sleep(self._next - now)
            self._next = self._clock() + interval


def _seconds(exc: RetryAfter) -> float:
    wait: Any = exc._retry_after  # the timedelta behind the deprecated int attribute
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
