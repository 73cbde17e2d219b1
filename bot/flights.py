"""What the scheduler's sends are doing right now, in this process: which chats have a
send under way, and whether the process is stopping. Shared with the handlers that must
wait for those sends (/delete, ending a caregiver link) and with shutdown (SIGTERM)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager

SETTLE_SECONDS = 15.0  # longer than a send can take under the rate limiter


class Flights:
    def __init__(self) -> None:
        self.stopping = False  # set on SIGTERM: claim nothing more, start no new send
        self.departures = 0  # how many people were deleted: see `departed`
        self._chats: dict[int, set[asyncio.Task[object]]] = {}

    @contextmanager
    def sending(self, chat_id: int) -> Iterator[None]:
        """Mark the current task as sending to chat_id until the block ends."""
        task = asyncio.current_task()
        assert task is not None
        tasks = self._chats.setdefault(chat_id, set())
        tasks.add(task)
        try:
            yield
        finally:
            tasks.discard(task)
            if not tasks:
                del self._chats[chat_id]

    def departed(self) -> None:
        """Someone was just deleted: sends prepared before this read again whether their
        person still exists before they start (a read a fan-out otherwise skips)."""
        self.departures += 1

    async def settle(self, chat_id: int) -> None:
        """Wait for the sends to chat_id already under way (a caller first makes sure no
        new one can start, e.g. by deleting her): after this, nothing more reaches her."""
        tasks = self._chats.get(chat_id, set()) - {asyncio.current_task()}
        if tasks:
            await asyncio.wait(tasks, timeout=SETTLE_SECONDS)
