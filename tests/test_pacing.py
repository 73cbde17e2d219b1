"""Telegram's bad days at the rate limiter: per-chat pacing, and a 429 that pauses only its
own chat. A fake monotonic clock whose sleep moves it: no test waits."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from telegram.error import RetryAfter

from bot.pacing import CHAT_GAP, MAX_WAIT, Pacer


class Time:
    def __init__(self) -> None:
        self.now = 100.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        """Wake at now + seconds (sleepers side by side do not add up)."""
        wake = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, wake)


class Telegram:
    """Records when each chat got a message; answers 429 for the chats told to."""

    def __init__(self, time: Time) -> None:
        self.time = time
        self.sent: list[tuple[Any, float]] = []
        self.flood: dict[Any, list[int]] = {}  # chat -> retry_after answers still to give

    async def call(self, chat: Any) -> bool:
        if self.flood.get(chat):
            raise RetryAfter(self.flood[chat].pop(0))
        self.sent.append((chat, self.time.now))
        return True


@pytest.fixture
def time() -> Time:
    return Time()


async def send(pacer: Pacer, telegram: Telegram, chat: Any) -> Any:
    data = {"chat_id": chat, "text": "x"}
    return await pacer.process_request(telegram.call, (chat,), {}, "sendMessage", data, None)


async def test_an_answer_in_several_messages_is_paced_per_chat(time: Time) -> None:
    pacer, telegram = Pacer(clock=time.clock, sleep=time.sleep), Telegram(time)
    for _ in range(3):
        await send(pacer, telegram, 1)
    await send(pacer, telegram, 2)  # another chat does not wait for chat 1's pace
    times = [at for chat, at in telegram.sent if chat == 1]
    assert [round(b - a, 3) for a, b in itertools.pairwise(times)] == [CHAT_GAP] * 2
    assert telegram.sent[-1][1] - times[-1] < 0.1


async def test_the_bot_never_exceeds_30_a_second(time: Time) -> None:
    pacer, telegram = Pacer(clock=time.clock, sleep=time.sleep), Telegram(time)
    await asyncio.gather(*(send(pacer, telegram, chat) for chat in range(90)))
    moments = sorted(at for _chat, at in telegram.sent)
    assert len(moments) == 90
    assert all(b - a >= 1 / 30 - 1e-9 for a, b in itertools.pairwise(moments))


async def test_one_chats_429_pauses_that_chat_not_the_bot(time: Time) -> None:
    pacer, telegram = Pacer(clock=time.clock, sleep=time.sleep), Telegram(time)
    telegram.flood[1] = [3]
    started = time.now
    await send(pacer, telegram, 1)  # waited its 3 s, then went out
    assert telegram.sent == [(1, pytest.approx(started + 3, abs=0.1))]
    telegram.flood[1] = [60]  # a long pause: handed back to the caller ...
    with pytest.raises(RetryAfter):
        await send(pacer, telegram, 1)
    with pytest.raises(RetryAfter):  # ... and the chat stays paused, without a request
        await send(pacer, telegram, 1)
    before = time.now
    await send(pacer, telegram, 2)  # everyone else goes on at once
    assert telegram.sent[-1] == (2, pytest.approx(before, abs=0.1))
    assert time.now - before < MAX_WAIT
