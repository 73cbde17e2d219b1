"""The tick: one repeating job claims due events, sends them, and moves them on.

Each event kind (daily dose, snooze, follow-up, caregiver alert, scan prompt ...) is a small
object registered with `Services.add_kind`; the tick owns the guarantees for all of them:
- claim before send: the ledger's unique key (kind, chat, ref, occurrence) means one
  occurrence is claimed once, ever; the event moves to its next occurrence in the same
  transaction;
- claims left unsent by a crash are sent after restart (at-least-once: only a message in
  flight at the crash can repeat);
- an occurrence older than REMINDER_CATCHUP_HOURS is expired, not sent;
- 403 pauses the chat's events until the person writes again; 429, timeouts, network errors
  and 5xx retry with backoff; nothing due is dropped by a transient error.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.timerules import epoch, from_epoch
from db import events, people
from db.events import Delivery, Event

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

BATCH = 500
CONCURRENCY = 64
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(minutes=15)
MAX_FAILED_ATTEMPTS = 5


class EventKind(Protocol):
    """What the tick needs to know about one kind of event."""

    name: str

    def occurrence(self, services: Services, event: Event, due: datetime) -> str:
        """A stable name for this occurrence (the local date for a daily event)."""
        ...

    def next_fire(self, services: Services, event: Event, after: datetime) -> datetime | None:
        """The first occurrence strictly after `after`, or None when the event is over."""
        ...

    async def deliver(self, bot: Bot, services: Services, delivery: Delivery) -> int | None:
        """Send it; return the message id, or None when there was nothing to send."""
        ...

    def expire(self, services: Services, delivery: Delivery) -> None:
        """The occurrence is too late to send (the bot was down): record what that means."""
        ...


def claim_due(services: Services, now: datetime, limit: int = BATCH) -> list[Event]:
    """Claim due occurrences in the ledger and move their events on, in one transaction."""
    db = services.db
    catchup = timedelta(hours=services.settings.reminder_catchup_hours)
    expired: list[Delivery] = []
    with db.atomic():
        due = events.due(db, epoch(now), limit)
        for event in due:
            kind = services.kinds.get(event.kind)
            if kind is None:
                log.error("no handler for event kind %s; dropping event %s", event.kind, event.id)
                events.move(db, event.id, None)
                continue
            due_at = from_epoch(event.next_fire)
            late = now - due_at > catchup
            occurrence = kind.occurrence(services, event, due_at)
            status = "late" if late else "claimed"
            if events.claim(db, event, occurrence, event.next_fire, status, epoch(now)) and late:
                expired.append(
                    Delivery(
                        0,
                        event.chat_id,
                        event.kind,
                        event.ref,
                        occurrence,
                        event.next_fire,
                        event.payload,
                        0,
                    )
                )
            following = kind.next_fire(services, event, due_at)
            if following is not None and following <= due_at:
                log.error("event kind %s did not move forward; dropping event", event.kind)
                following = None
            events.move(db, event.id, epoch(following) if following else None)
        for delivery in expired:
            services.kinds[delivery.kind].expire(services, delivery)
    return due


async def tick(bot: Bot, services: Services) -> int:
    """Run until nothing is due now; returns how many messages were sent."""
    sent = 0
    while True:
        now = services.clock.now()
        claimed = claim_due(services, now)
        pending = events.take_pending(services.db, epoch(now), epoch(now + LEASE), BATCH)
        if not pending:
            if not claimed:
                return sent
            continue
        sent += await _deliver_all(bot, services, pending, now)


async def _deliver_all(bot: Bot, services: Services, pending: list[Delivery], now: datetime) -> int:
    gate = asyncio.Semaphore(CONCURRENCY)
    catchup = timedelta(hours=services.settings.reminder_catchup_hours)

    async def one(delivery: Delivery) -> bool:
        """Deliver and record at once: a crash can repeat only the sends in flight."""
        outcome = await attempt(delivery)
        if outcome is not None:
            events.finish(services.db, [outcome])
        return outcome is not None and outcome[0] == "sent"

    async def attempt(delivery: Delivery) -> tuple[str, int | None, int, int] | None:
        kind = services.kinds.get(delivery.kind)
        if kind is None or now - from_epoch(delivery.due) > catchup:
            if kind is not None:
                kind.expire(services, delivery)
            return ("late", None, epoch(now), delivery.id)
        async with gate:
            try:
                message_id = await kind.deliver(bot, services, delivery)
            except Forbidden:
                people.mark_blocked(services.db, delivery.chat_id)
                events.set_paused(services.db, delivery.chat_id, True)
                return ("blocked", None, epoch(now), delivery.id)
            except BadRequest as exc:
                log.warning("%s delivery %s refused: %s", delivery.kind, delivery.id, exc.message)
                return ("failed", None, epoch(now), delivery.id)
            except RetryAfter as exc:
                wait = exc.retry_after
                seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
                events.retry_later(services.db, delivery.id, epoch(now) + int(seconds) + 1)
                return None
            except (TimedOut, NetworkError) as exc:
                log.warning("%s delivery %s will retry: %s", delivery.kind, delivery.id, exc)
                events.retry_later(
                    services.db, delivery.id, epoch(now + backoff(delivery.attempts))
                )
                return None
            except Exception:
                log.exception("%s delivery %s failed", delivery.kind, delivery.id)
                if delivery.attempts + 1 >= MAX_FAILED_ATTEMPTS:
                    return ("failed", None, epoch(now), delivery.id)
                events.retry_later(
                    services.db, delivery.id, epoch(now + backoff(delivery.attempts))
                )
                return None
        status = "sent" if message_id is not None else "skipped"
        return (status, message_id, epoch(now), delivery.id)

    results = await asyncio.gather(*(one(d) for d in pending))
    return sum(results)


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 15 minutes."""
    return min(timedelta(seconds=5 * 2**attempts), MAX_BACKOFF)


def reschedule_chat(services: Services, chat_id: int, past_only: bool = False) -> None:
    """Recompute a person's events from now: all of them after a change of zone or time,
    or only those whose time went by while she had blocked the bot."""
    now = services.clock.now()
    with services.db.atomic():
        for event in events.for_chat(services.db, chat_id):
            kind = services.kinds.get(event.kind)
            if kind is None or (past_only and from_epoch(event.next_fire) > now):
                continue
            following = kind.next_fire(services, event, now)
            events.move(services.db, event.id, epoch(following) if following else None)


def resume_chat(services: Services, chat_id: int) -> None:
    """She wrote again after blocking the bot: unpause, and start from now, not the past."""
    events.set_paused(services.db, chat_id, False)
    reschedule_chat(services, chat_id, past_only=True)


def on_startup(services: Services) -> int:
    """Make claims that a crash left unsent due again at once."""
    return events.release_leases(services.db, epoch(services.clock.now()))


def install(app: Any, services: Services) -> None:
    """Run the tick every SCHEDULER_TICK_SECONDS through PTB's JobQueue."""

    async def job(context: Any) -> None:
        await tick(context.bot, services)

    app.job_queue.run_repeating(
        job,
        interval=services.settings.scheduler_tick_seconds,
        first=1,
        name="scheduler-tick",
        job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
    )
