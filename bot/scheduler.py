"""The tick: one repeating job claims due events, sends them, and moves them on.

Each event kind (daily dose, snooze, follow-up, caregiver alert, scan prompt ...) is a small
object registered with `Services.add_kind`; the tick owns the guarantees for all of them:
- claim before send: the ledger's unique key (kind, chat, ref, occurrence) means one
  occurrence is claimed once, ever; the event moves to its next occurrence in the same
  transaction;
- claims left unsent by a crash are sent after restart (at-least-once: sends go out
  CONCURRENCY at a time and each such chunk's outcomes are committed together, so only
  the chunk under way at the crash can repeat);
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

from bot.errors import where
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
    """What the tick needs to know about one kind of event.

    `event.person` and `delivery.person` carry the chat's person (name, language, zone,
    reminder time), read with the batch: a kind need not look her up again.

    A kind whose send comes with database writes may also define either or both of these
    (optional: looked up with getattr), run for a whole chunk of CONCURRENCY deliveries in
    one transaction each, so a fan-out commits twice per chunk instead of per message:
    - `prepare(services, delivery) -> bool`: before the chunk's sends; False = nothing to
      send (recorded as skipped). Its writes are committed before any message goes out.
    - `sent(services, delivery, message_id) -> None`: after a successful send, committed
      together with the outcome, so a crash before that commit sends it again (it is in
      the chunk's window) instead of losing its writes.
    """

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
    """Claim due occurrences in the ledger and move their events on, in one transaction
    (the batch's claims, then its moves, written with executemany)."""
    db = services.db
    catchup = timedelta(hours=services.settings.reminder_catchup_hours)
    claims: list[tuple[Event, str]] = []
    moves: list[tuple[int, int | None]] = []
    expired: list[Delivery] = []
    with db.atomic():
        due = events.due(db, epoch(now), limit)
        known: list[tuple[Event, EventKind]] = []
        for event in due:
            kind = services.kinds.get(event.kind)
            if kind is None:
                log.error("no handler for event kind %s; dropping event %s", event.kind, event.id)
                moves.append((event.id, None))
                continue
            known.append((event, kind))
            due_at = from_epoch(event.next_fire)
            occurrence = kind.occurrence(services, event, due_at)
            if now - due_at <= catchup:
                claims.append((event, occurrence))
            elif events.claim(db, event, occurrence, "late", epoch(now)):
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
                        event.person,
                    )
                )
        events.claim_all(db, claims, epoch(now))
        # After the claims: a kind's next_fire may ask whether its occurrence is taken.
        for event, kind in known:
            due_at = from_epoch(event.next_fire)
            following = kind.next_fire(services, event, due_at)
            if following is not None and following <= due_at:
                log.error("event kind %s did not move forward; dropping event", event.kind)
                following = None
            moves.append((event.id, epoch(following) if following else None))
        events.move_all(db, moves)
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


Outcome = tuple[str, int | None, int, int]  # status, message id, time, ledger id


async def _deliver_all(bot: Bot, services: Services, pending: list[Delivery], now: datetime) -> int:
    """Deliver CONCURRENCY at a time; the number sent."""
    sent = 0
    for start in range(0, len(pending), CONCURRENCY):
        sent += await _deliver_chunk(bot, services, pending[start : start + CONCURRENCY], now)
    return sent


async def _deliver_chunk(bot: Bot, services: Services, chunk: list[Delivery], now: datetime) -> int:
    """Prepare the chunk in one transaction, send it all at once, then record its outcomes
    and the kinds' `sent` writes in one transaction: a crash can repeat at most this
    chunk's sends (in flight, or sent but not yet recorded), never more than CONCURRENCY."""
    db = services.db
    catchup = timedelta(hours=services.settings.reminder_catchup_hours)
    outcomes: list[Outcome] = []
    sending: list[tuple[EventKind, Delivery]] = []
    with db.atomic():
        for delivery in chunk:
            kind = services.kinds.get(delivery.kind)
            if kind is None or now - from_epoch(delivery.due) > catchup:
                if kind is not None:
                    kind.expire(services, delivery)
                outcomes.append(("late", None, epoch(now), delivery.id))
                continue
            try:
                ready = _run_hook(services, kind, "prepare", delivery)
            except Exception as exc:
                if (failed := _failure(services, delivery, now, exc)) is not None:
                    outcomes.append(failed)
                continue
            if ready is False:
                outcomes.append(("skipped", None, epoch(now), delivery.id))
            else:
                sending.append((kind, delivery))
    results = await asyncio.gather(*(_send(bot, services, k, d, now) for k, d in sending))
    with db.atomic():
        for (kind, delivery), outcome in zip(sending, results, strict=True):
            if outcome is None:
                continue
            if outcome[0] == "sent":
                try:
                    _run_hook(services, kind, "sent", delivery, outcome[1])
                except Exception as exc:  # it went out: recorded as sent, never sent again
                    log.error("%s delivery %s: %s", delivery.kind, delivery.id, where(exc))
            outcomes.append(outcome)
        events.finish(db, outcomes)
    return sum(outcome[0] == "sent" for outcome in outcomes)


def _run_hook(services: Services, kind: EventKind, name: str, *args: Any) -> Any:
    """Call a kind's optional hook (None when it has none) in a savepoint, so that one
    that raises undoes only its own writes. (A plain named savepoint: hooks do not nest
    and never await, and sqlite-utils' atomic() costs more than the hook's own writes.)"""
    hook = getattr(kind, name, None)
    if hook is None:
        return None
    conn = services.db.conn
    conn.execute("SAVEPOINT event_hook")
    try:
        result = hook(services, *args)
    except BaseException:
        conn.execute("ROLLBACK TO event_hook")
        conn.execute("RELEASE event_hook")
        raise
    conn.execute("RELEASE event_hook")
    return result


async def _send(
    bot: Bot, services: Services, kind: EventKind, delivery: Delivery, now: datetime
) -> Outcome | None:
    """Deliver one; its outcome to record, or None when it is to be retried later."""
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
        events.retry_later(services.db, delivery.id, epoch(now + backoff(delivery.attempts)))
        return None
    except Exception as exc:
        return _failure(services, delivery, now, exc)
    status = "sent" if message_id is not None else "skipped"
    return (status, message_id, epoch(now), delivery.id)


def _failure(
    services: Services, delivery: Delivery, now: datetime, exc: Exception
) -> Outcome | None:
    """An unexpected error: retry with backoff, up to MAX_FAILED_ATTEMPTS."""
    log.error("%s delivery %s failed: %s", delivery.kind, delivery.id, where(exc))
    if delivery.attempts + 1 >= MAX_FAILED_ATTEMPTS:
        return ("failed", None, epoch(now), delivery.id)
    events.retry_later(services.db, delivery.id, epoch(now + backoff(delivery.attempts)))
    return None


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 15 minutes."""
    return min(timedelta(seconds=5 * 2**attempts), MAX_BACKOFF)


def reschedule_chat(services: Services, chat_id: int, past_only: bool = False) -> None:
    """Recompute a person's events from now: the future ones after a change of zone or time
    (one already due is the tick's to claim, then it moves on by the new rules), or only the
    past ones, whose time went by while she had blocked the bot."""
    now = services.clock.now()
    with services.db.atomic():
        for event in events.for_chat(services.db, chat_id):
            kind = services.kinds.get(event.kind)
            if kind is None or (from_epoch(event.next_fire) <= now) != past_only:
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
