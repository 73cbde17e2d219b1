"""The first handler of every update: the bot answers people in private chats only, and a
person sending faster than FLOOD_PER_MINUTE (bursts of FLOOD_BURST) is told once to slow
down, then ignored until her bucket refills, so she cannot draw a 429 that pauses every
send (Telegram's limit is about one message a second per chat)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, TypeHandler

from bot.services import BotContext, Services

log = logging.getLogger(__name__)

GROUP = -2  # before the person middleware (bot/person.py, -1): one handler runs per group
FORGET_AFTER = 10_000  # buckets kept before the full ones (idle people) are dropped


@dataclass
class Bucket:
    tokens: float
    at: float  # epoch seconds of the last refill
    warned: bool = False  # told to slow down in this flood (until the bucket is full again)


class FloodControl:
    """A token bucket per person: `burst` updates at once, refilled `per_minute` a minute."""

    def __init__(self, per_minute: int, burst: int) -> None:
        self.rate = per_minute / 60
        self.burst = burst
        self.buckets: dict[int, Bucket] = {}
        self.tidy_at = FORGET_AFTER  # doubles with the people still active: O(1) amortised

    def admit(self, person: int, now: float) -> tuple[bool, bool]:
        """(admitted, warn): warn is True for the first refused update of a flood only; a
        flood ends when her bucket is full again (burst / rate seconds of calm)."""
        if len(self.buckets) > self.tidy_at:
            self._forget_idle(now)
            self.tidy_at = max(FORGET_AFTER, 2 * len(self.buckets))
        bucket = self.buckets.setdefault(person, Bucket(self.burst, now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.rate)
        bucket.at = now
        if bucket.tokens >= self.burst:
            bucket.warned = False
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return True, False
        warn, bucket.warned = not bucket.warned, True
        return False, warn

    def _forget_idle(self, now: float) -> None:
        full = [
            person
            for person, bucket in self.buckets.items()
            if bucket.tokens + (now - bucket.at) * self.rate >= self.burst
        ]
        for person in full:
            del self.buckets[person]


def install(app: Any, services: Services) -> None:
    settings = services.settings
    flood = FloodControl(settings.flood_per_minute, settings.flood_burst)

    async def gate(update: Update, context: BotContext) -> None:
        chat, user = update.effective_chat, update.effective_user
        # The chat type first, whatever the kind of update: a group, a channel, an inline
        # query (no chat) or an update without a person never reaches a feature.
        if chat is None or chat.type != ChatType.PRIVATE or user is None:
            raise ApplicationHandlerStop
        if not settings.flood_per_minute:
            return
        admitted, warn = flood.admit(user.id, services.clock.now().timestamp())
        if admitted:
            return
        if warn:
            log.info("flood control: a person is over the limit; her updates are dropped")
            await _slow_down(update, context, services.text(chat.id, "flood_slow_down"))
        raise ApplicationHandlerStop

    app.add_handler(TypeHandler(Update, gate), group=GROUP)


async def _slow_down(update: Update, context: BotContext, text: str) -> None:
    """One polite word: on a button, a small notice on the button itself (no new message).
    If it can't arrive, the update is dropped all the same."""
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, text)
    except TelegramError as exc:
        log.warning("the slow-down notice was not delivered: %s", type(exc).__name__)
