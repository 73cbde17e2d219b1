"""What the scheduler's tick needs to know about one kind of event (a daily dose, a
caregiver's alert, a check-up prompt ...): features implement it, `Services.add_kind`
registers it, bot/scheduler.py runs it. Generic in what it is given (bot.services.Services)
so that this module sits below both (no circle of imports in bot/)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol, TypeVar

from telegram import Bot

from bot.pure.timerules import epoch, from_epoch
from db.events import Delivery, Event

V = TypeVar("V", contravariant=True)  # bot.services.Services


class EventKind(Protocol[V]):
    """What the tick needs to know about one kind of event.

    `event.person` and `delivery.person` carry the chat's person (name, language, zone,
    reminder time), read with the batch: a kind need not look her up again.

    Optional attributes (looked up with getattr):
    - `first = True`: a patient's own reminder; in a queue it goes before the other kinds.
    - `early = True`: at a peak it may start up to REMINDER_EARLY_SECONDS before its time
      `early_only`: an SQL condition on the event row `e` that must hold too, from the db
      module owning what it reads (a daily reminder: db/doses.py LATEST_DAY_CLOSED, never
      while her latest dose day is still open).

    A kind whose send comes with database writes may also define either or both of these
    (optional: looked up with getattr), run in the tick's transactions, so a fan-out does
    not commit per message:
    - `prepare(services, delivery) -> bool`: before the chunk's sends, for a whole chunk of
      CONCURRENCY in one transaction; False = nothing to send (recorded as skipped). Its
      writes are committed before any message goes out.
    - `sent(services, delivery, message_id) -> None`: after a successful send, committed
      together with the outcome by the Recorder (only while she still exists: it must
      never recreate rows of someone deleted meanwhile), so a crash before that commit
      sends it again instead of losing its writes.
    - `chat_blocked(services, chat_id, now) -> None`: any kind may define it; run once when a
      chat is found blocked or gone (403, or "chat not found"), in the same transaction that
      pauses it, whatever kind of send found it (caregivers tell their patients).
    """

    name: str

    def occurrence(self, services: V, event: Event, due: datetime) -> str:
        """A stable name for this occurrence (the local date for a daily event)."""
        ...

    def next_fire(self, services: V, event: Event, after: datetime) -> datetime | None:
        """The first occurrence strictly after `after`, or None when the event is over."""
        ...

    async def deliver(self, bot: Bot, services: V, delivery: Delivery) -> int | None:
        """Send it; return the message id, or None when there was nothing to send."""
        ...

    def expire(self, services: V, delivery: Delivery) -> None:
        """The occurrence is too late to send (the bot was down): record what that means."""
        ...


class AtInstants:
    """The timing of a kind that fires at fixed instants kept in its payload {"at": [epoch
    seconds]} (a snooze, follow-up nudges): each instant is its own occurrence, and the
    event is over after the last."""

    def occurrence(self, services: Any, event: Event, due: datetime) -> str:
        return str(epoch(due))

    def next_fire(self, services: Any, event: Event, after: datetime) -> datetime | None:
        later = [t for t in event.payload.get("at", []) if t > epoch(after)]
        return from_epoch(min(later)) if later else None
