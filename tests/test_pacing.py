"""Telegram's bad days at the rate limiter: per-chat pacing, and a 429 that pauses only its
own chat. A fake monotonic clock whose sleep moves it: no test waits."""

from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest
from telegram.error import RetryAfter

from bench.peak import VirtualTime as Time
from bot.pacing import CHAT_GAP, MAX_WAIT, PAID_PER_SECOND, PER_SECOND, SCHEDULED, Pacer


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
    return Time(100.0)


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


async def send_data(pacer: Pacer, telegram: Telegram, chat: int, scheduled: bool) -> dict[str, Any]:
    """One send as the scheduler (`scheduled`) or a handler makes it; the data Telegram got."""
    data: dict[str, Any] = {"chat_id": chat, "text": "x"}

    async def go() -> None:
        if scheduled:
            SCHEDULED.set(True)
        await pacer.process_request(telegram.call, (chat,), {}, "sendMessage", data, None)

    await asyncio.create_task(go())  # its own context, as each of the tick's sends
    return data


async def test_paid_broadcasts_raise_the_pace_of_scheduled_sends_only(time: Time) -> None:
    pacer, telegram = Pacer(clock=time.clock, sleep=time.sleep, paid=True), Telegram(time)
    scheduled = [await send_data(pacer, telegram, chat, True) for chat in range(100)]
    assert all(data["allow_paid_broadcast"] is True for data in scheduled)
    moments = [at for _chat, at in telegram.sent]
    assert moments[-1] - moments[0] == pytest.approx(99 / PAID_PER_SECOND)
    answer = await send_data(pacer, telegram, 500, False)  # an answer to someone: free pace
    after = await send_data(pacer, telegram, 501, False)
    assert "allow_paid_broadcast" not in answer and "allow_paid_broadcast" not in after
    assert telegram.sent[-1][1] - telegram.sent[-2][1] == pytest.approx(1 / PER_SECOND)


async def test_without_paid_broadcasts_scheduled_sends_keep_the_free_pace(time: Time) -> None:
    pacer, telegram = Pacer(clock=time.clock, sleep=time.sleep), Telegram(time)
    sent = [await send_data(pacer, telegram, chat, True) for chat in range(31)]
    assert not any("allow_paid_broadcast" in data for data in sent)
    moments = [at for _chat, at in telegram.sent]
    assert moments[-1] - moments[0] == pytest.approx(30 / PER_SECOND)
