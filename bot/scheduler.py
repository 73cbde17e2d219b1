"""The tick: one repeating job claims due events, sends them, and moves them on.

Each event kind (daily dose, snooze, follow-up, caregiver alert, scan prompt ...) is a small
object registered with `Services.add_kind`; the tick owns the guarantees for all of them
(docs/architecture.md "Guarantees"), in three small steps a later change can reorder or extend:
- claim (`claim_due`): the ledger's unique key (kind, chat, ref, occurrence) means one
  occurrence is claimed once, ever; the event moves to its next occurrence in the same
  transaction. An event that cannot be worked out (its kind raises, its payload is damaged,
  her zone no longer exists) is parked on its own: retried with back-off, paused after
  MAX_FAILED_ATTEMPTS, logged with its id and the error's type; the rest go on. An event
  whose person is gone is dropped;
- send (`_prepare`, `_send_one`): CONCURRENCY at a time; each send first checks that she
  still exists (a send under way is known to `Services.flights`, which /delete waits for);
- record (`Recorder`): one writer commits each outcome as its send returns, at least every
  FLUSH_SECONDS, so a crash repeats only the sends of that last moment. A database error
  (locked, disk full, I/O) keeps outcomes in memory and tries again: a message that went
  out is never left looking unsent;
- claims left unsent by a crash are sent after restart (at-least-once); on SIGTERM no new
  send starts, the ones under way finish, the rest are released for the next start;
- an occurrence older than REMINDER_CATCHUP_HOURS is expired, not sent;
- order: a patient's own reminders (kinds with `first`) go before caregiver news, summaries
  and prompts due at the same time; within each, the earliest due first;
- a peak (more daily reminders due within REMINDER_EARLY_SECONDS than a minute of Telegram's
  rate lets out) starts the earliest of them early, by at most REMINDER_EARLY_SECONDS and
  about half the time the peak takes to drain, so lateness is shared on both sides of the
  minute (`_early`; docs/performance.md "The peak hour");
- 403 pauses the chat's events until the person writes again; 429, timeouts, network errors
  and 5xx retry with backoff; nothing due is dropped by a transient error.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.errors import where
from bot.kinds import EventKind as Kind
from bot.pacing import PAID_PER_SECOND, PER_SECOND, SCHEDULED
from bot.pure.timerules import epoch, from_epoch
from db import events, people
from db.events import Delivery, Event

if TYPE_CHECKING:
    from bot.services import Services
    from bot.settings import Settings

EventKind: TypeAlias = "Kind[Services]"  # the kinds this tick runs (bot/kinds.py)

log = logging.getLogger(__name__)

BATCH = 500
CONCURRENCY = 64
LEASE = timedelta(minutes=5)
MAX_BACKOFF = timedelta(minutes=15)
MAX_FAILED_ATTEMPTS = 5
CHAT_GONE = "chat not found"  # Bot API 400 for a chat that no longer exists
FLUSH_SECONDS = 0.1  # outcomes are committed at least this often during a send run
DB_ERRORS = (sqlite3.Error,)  # "database is locked", disk full, I/O errors ...


def claim_due(services: Services, now: datetime, limit: int = BATCH) -> list[Event]:
    """Claim due occurrences in the ledger and move their events on, in one transaction
    (the batch's claims, then its moves, written with executemany). An event that raises
    is parked alone (see `_park`); the others are claimed as usual."""
    db = services.db
    catchup = timedelta(hours=services.settings.reminder_catchup_hours)
    claims: list[tuple[Event, str]] = []
    moves: list[tuple[int, int | None]] = []
    parked: list[int] = []
    expired: list[Delivery] = []
    with db.atomic():
        due = events.due(db, epoch(now), limit, first_kinds(services))
        if len(due) < limit:
            due += _early(services, now, limit - len(due))
        known: list[tuple[Event, EventKind]] = []
        for event in due:
            kind = services.kinds.get(event.kind)
            if kind is None or event.person is None:
                # No code for it, or nobody in its chat any more (she deleted her data).
                log.error(
                    "event %s (%s) has no handler or no person; dropped", event.id, event.kind
                )
                moves.append((event.id, None))
                continue
            try:
                occurrence = _occurrence(services, kind, event)
            except Exception as exc:
                _park(parked, event, exc)
                continue
            known.append((event, kind))
            if now - from_epoch(event.next_fire) <= catchup:
                claims.append((event, occurrence))
            elif events.claim(db, event, occurrence, "late", epoch(now)):
                expired.append(events.delivery_of(event, occurrence))
        events.claim_all(db, claims, epoch(now))
        # After the claims: a kind's next_fire may ask whether its occurrence is taken.
        for event, kind in known:
            due_at = from_epoch(event.next_fire)
            try:
                following = kind.next_fire(services, event, due_at)
            except Exception as exc:  # claimed already: parked, it moves on when it can
                _park(parked, event, exc)
                continue
            if following is not None and following <= due_at:
                log.error("event kind %s did not move forward; dropping event", event.kind)
                following = None
            moves.append((event.id, epoch(following) if following else None))
        events.move_all(db, moves)
        events.park_all(db, parked, epoch(now), MAX_FAILED_ATTEMPTS)
        for delivery in expired:
            _expire(services, delivery)
    return due


def first_kinds(services: Services) -> tuple[str, ...]:
    """The kinds that are a patient's own reminder: first in every queue."""
    return tuple(name for name, kind in services.kinds.items() if getattr(kind, "first", False))


def send_rate(settings: Settings) -> int | None:
    """Scheduled sends a second the Pacer lets out (None: not paced, RATE_LIMIT=false)."""
    if not settings.rate_limit:
        return None
    return PAID_PER_SECOND if settings.telegram_paid_broadcast else PER_SECOND


def _early(services: Services, now: datetime, limit: int) -> list[Event]:
    """At a peak, the coming reminders to start now. When more are due within
    REMINDER_EARLY_SECONDS than a minute at the send rate lets out, those due within
    min(REMINDER_EARLY_SECONDS, half their drain time) start now: the peak's sends then
    straddle its minute instead of all coming after it. Each tick looks again, so the
    window shrinks as the peak is sent."""
    seconds = services.settings.reminder_early_seconds
    rate = send_rate(services.settings)
    if not seconds or rate is None:
        return []
    start = epoch(now)
    found: list[Event] = []
    for name, kind in services.kinds.items():
        if not getattr(kind, "early", False) or len(found) >= limit:
            continue
        ahead = events.due_ahead(services.db, name, start, start + seconds)
        if ahead > rate * 60:
            lead = min(seconds, ahead // (2 * rate))
            only = getattr(kind, "early_only", "")
            found += events.early(services.db, name, start, start + lead, limit - len(found), only)
    return found


def _occurrence(services: Services, kind: EventKind, event: Event) -> str:
    if event.damaged is not None:
        raise ValueError(f"damaged payload ({event.damaged})")
    return kind.occurrence(services, event, from_epoch(event.next_fire))


def _park(parked: list[int], event: Event, exc: Exception) -> None:
    """This event fails to be worked out: it alone waits (back-off, then paused)."""
    log.error("event %s (%s) parked: %s", event.id, event.kind, where(exc))
    parked.append(event.id)


def _expire(services: Services, delivery: Delivery) -> None:
    """A kind's `expire`, in a savepoint: one that raises undoes only its own writes."""
    try:
        _run_hook(services, services.kinds[delivery.kind], "expire", delivery)
    except DB_ERRORS:
        raise
    except Exception as exc:
        log.error("%s delivery %s: expire failed: %s", delivery.kind, delivery.id, where(exc))


async def tick(bot: Bot, services: Services) -> int:
    """Run until nothing is due now (or the process is stopping); how many were sent."""
    sent = 0
    while not services.flights.stopping:
        now = services.clock.now()
        try:
            claimed = claim_due(services, now)
            pending = events.take_pending(
                services.db, epoch(now), epoch(now + LEASE), BATCH, first_kinds(services)
            )
        except DB_ERRORS as exc:  # nothing sent yet: all of it is due again next tick
            log.warning("tick: database unavailable (%s); next tick retries", type(exc).__name__)
            return sent
        if not pending:
            if not claimed:
                return sent
            continue
        sent += await _deliver_all(bot, services, pending, now)
    return sent


Outcome = tuple[str, int | None, int, int]  # status, message id, time, ledger id


class Recorder:
    """The one writer of a send run's outcomes. Each is buffered as its send returns and
    committed within FLUSH_SECONDS, with the kind's `sent` writes: at Telegram's 30/s a
    crash repeats the few sends of the last moment, not a chunk; without a rate limiter a
    commit still covers hundreds. A database error keeps the buffer to try again: an
    outcome is never dropped, so a message that went out never looks unsent."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.done: list[tuple[EventKind | None, Delivery, Outcome]] = []
        self.later: list[tuple[int, int, int]] = []  # (added attempts, retry at, ledger id)
        self.sent = 0
        self.flushed_at = time.monotonic()

    def finish(self, kind: EventKind | None, delivery: Delivery, outcome: Outcome) -> None:
        self.done.append((kind, delivery, outcome))
        self.sent += outcome[0] == "sent"
        self._flush_if_due()

    def retry(self, delivery: Delivery, at: int, attempt: bool = True) -> None:
        """Back to the queue at `at`; `attempt` counts it towards MAX_FAILED_ATTEMPTS."""
        self.later.append((int(attempt), at, delivery.id))
        self._flush_if_due()

    def _flush_if_due(self) -> None:
        if time.monotonic() - self.flushed_at >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> bool:
        """Commit what is buffered; False (kept for later) when the database refuses."""
        self.flushed_at = time.monotonic()
        if not self.done and not self.later:
            return True
        db = self.services.db
        try:
            with db.atomic():
                self._hooks()
                events.finish(db, [outcome for _kind, _delivery, outcome in self.done])
                events.retry_all(db, self.later)
        except DB_ERRORS as exc:
            log.warning(
                "recording %d outcomes failed (%s); kept to retry",
                len(self.done) + len(self.later),
                type(exc).__name__,
            )
            return False
        self.done.clear()
        self.later.clear()
        return True

    def _hooks(self) -> None:
        """The writes that go with the outcomes, only for people who still exist."""
        services = self.services
        chats = {d.chat_id for _k, d, o in self.done if o[0] in ("sent", "blocked")}
        alive = people.existing(services.db, chats)
        for kind, delivery, (status, message_id, _at, _id) in self.done:
            if delivery.chat_id not in alive:
                continue
            if status == "blocked":
                if people.mark_blocked(services.db, delivery.chat_id):
                    _chat_blocked(services, delivery.chat_id)
                events.set_paused(services.db, delivery.chat_id, True)
            elif status == "sent" and kind is not None:
                try:
                    _run_hook(services, kind, "sent", delivery, message_id)
                except DB_ERRORS:
                    raise
                except Exception as exc:  # it went out: recorded as sent, never sent again
                    log.error("%s delivery %s: %s", delivery.kind, delivery.id, where(exc))

    async def run(self) -> None:
        """Flush every FLUSH_SECONDS while sends are under way (cancelled at the end)."""
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            self.flush()

    async def close(self) -> None:
        """The last flush; while the database refuses, wait (without blocking the loop)
        and try again, unless the process is stopping (then those few may repeat)."""
        wait = FLUSH_SECONDS
        while not self.flush() and not self.services.flights.stopping:
            await asyncio.sleep(wait)
            wait = min(wait * 2, 5.0)


async def _deliver_all(bot: Bot, services: Services, pending: list[Delivery], now: datetime) -> int:
    """Deliver CONCURRENCY at a time, recording as they return; the number sent."""
    recorder = Recorder(services)
    flusher = asyncio.create_task(recorder.run())
    try:
        for start in range(0, len(pending), CONCURRENCY):
            chunk = pending[start : start + CONCURRENCY]
            if services.flights.stopping:  # SIGTERM: the rest wait for the next start
                for delivery in chunk:
                    recorder.retry(delivery, epoch(now), attempt=False)
                continue
            departures = services.flights.departures  # as of the check in _prepare
            sending = _prepare(services, chunk, now, recorder)
            await asyncio.gather(
                *(_send_one(bot, services, k, d, now, recorder, departures) for k, d in sending)
            )
    finally:
        flusher.cancel()
    await recorder.close()
    return recorder.sent


def _prepare(
    services: Services, chunk: list[Delivery], now: datetime, recorder: Recorder
) -> list[tuple[EventKind, Delivery]]:
    """Run the chunk's `prepare` hooks in one transaction, committed before any of its
    messages goes out; what is left to send. Nothing for someone who is gone."""
    db = services.db
    catchup = timedelta(hours=services.settings.reminder_catchup_hours)
    outcomes: list[Outcome] = []
    failed: list[tuple[Delivery, BaseException]] = []
    sending: list[tuple[EventKind, Delivery]] = []
    try:
        with db.atomic():
            alive = people.existing(db, {delivery.chat_id for delivery in chunk})
            for delivery in chunk:
                kind = services.kinds.get(delivery.kind)
                if kind is None or now - from_epoch(delivery.due) > catchup:
                    if kind is not None:
                        _expire(services, delivery)
                    outcomes.append(("late", None, epoch(now), delivery.id))
                elif delivery.chat_id not in alive:
                    outcomes.append(("skipped", None, epoch(now), delivery.id))
                elif delivery.damaged is not None:
                    failed.append((delivery, ValueError(f"damaged payload ({delivery.damaged})")))
                else:
                    try:
                        ready = _run_hook(services, kind, "prepare", delivery)
                    except DB_ERRORS:
                        raise
                    except Exception as exc:
                        failed.append((delivery, exc))
                        continue
                    if ready is False:
                        outcomes.append(("skipped", None, epoch(now), delivery.id))
                    else:
                        sending.append((kind, delivery))
    except DB_ERRORS as exc:  # nothing of the chunk was written: all of it waits a little
        log.warning("preparing %d deliveries failed (%s)", len(chunk), type(exc).__name__)
        for delivery in chunk:
            recorder.retry(delivery, epoch(now + backoff(0)), attempt=False)
        return []
    for delivery, error in failed:
        _failure(recorder, delivery, now, error)
    by_id = {delivery.id: delivery for delivery in chunk}
    for outcome in outcomes:
        recorder.finish(None, by_id[outcome[3]], outcome)
    return sending


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


async def _send_one(
    bot: Bot,
    services: Services,
    kind: EventKind,
    delivery: Delivery,
    now: datetime,
    recorder: Recorder,
    departures: int,
) -> None:
    """Send one and hand its outcome (or its retry) to the recorder; nothing when the
    process is stopping or she is gone since it was prepared (checked, when anyone was
    deleted since `departures`, in the same step that marks the send as under way: so
    /delete either comes first and nothing is sent, or waits for this send; see
    bot/flights.py)."""
    flights = services.flights
    if flights.stopping:
        recorder.retry(delivery, epoch(now), attempt=False)
        return
    SCHEDULED.set(True)  # this send's own task: paid broadcasts, if on (bot/pacing.py)
    with flights.sending(delivery.chat_id):
        try:
            changed = flights.departures != departures
            gone = changed and not people.existing(services.db, {delivery.chat_id})
        except DB_ERRORS:
            recorder.retry(delivery, epoch(now + backoff(0)), attempt=False)
            return
        if gone:
            recorder.finish(None, delivery, ("skipped", None, epoch(now), delivery.id))
            return
        try:
            message_id = await kind.deliver(bot, services, delivery)
        except Forbidden:
            recorder.finish(kind, delivery, ("blocked", None, epoch(now), delivery.id))
        except BadRequest as exc:
            if CHAT_GONE in exc.message.lower():  # the account was deleted: as if blocked
                recorder.finish(kind, delivery, ("blocked", None, epoch(now), delivery.id))
                return
            log.warning("%s delivery %s refused: %s", delivery.kind, delivery.id, exc.message)
            recorder.finish(kind, delivery, ("failed", None, epoch(now), delivery.id))
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            recorder.retry(delivery, epoch(now) + int(seconds) + 1)
        except (TimedOut, NetworkError) as exc:
            log.warning("%s delivery %s will retry: %s", delivery.kind, delivery.id, exc)
            recorder.retry(delivery, epoch(now + backoff(delivery.attempts)))
        except Exception as exc:
            _failure(recorder, delivery, now, exc)
        else:
            status = "sent" if message_id is not None else "skipped"
            at = epoch(services.clock.now())  # when it went: /admin's lateness is sent_at - due
            recorder.finish(kind, delivery, (status, message_id, at, delivery.id))


def _chat_blocked(services: Services, chat_id: int) -> None:
    """Every kind that wants to know that a chat blocked the bot (EventKind.chat_blocked)."""
    now = services.clock.now()
    for kind in services.kinds.values():
        hook = getattr(kind, "chat_blocked", None)
        if hook is not None:
            hook(services, chat_id, now)


def _failure(recorder: Recorder, delivery: Delivery, now: datetime, exc: BaseException) -> None:
    """An unexpected error: retry with backoff, up to MAX_FAILED_ATTEMPTS."""
    log.error("%s delivery %s failed: %s", delivery.kind, delivery.id, where(exc))
    if delivery.attempts + 1 >= MAX_FAILED_ATTEMPTS:
        recorder.finish(None, delivery, ("failed", None, epoch(now), delivery.id))
    else:
        recorder.retry(delivery, epoch(now + backoff(delivery.attempts)))


def backoff(attempts: int) -> timedelta:
    """5 s, 10 s, 20 s ... capped at 15 minutes."""
    return min(timedelta(seconds=5 * 2**attempts), MAX_BACKOFF)


def reschedule_chat(services: Services, chat_id: int, past_only: bool = False) -> None:
    """Recompute a person's events from now: the future ones after a change of zone or time
    (one already due is the tick's to claim, then it moves on by the new rules), or only the
    past ones, whose time went by while she had blocked the bot. One that raises is left
    for the tick, which parks it."""
    now = services.clock.now()
    with services.db.atomic():
        for event in events.for_chat(services.db, chat_id):
            kind = services.kinds.get(event.kind)
            if kind is None or (from_epoch(event.next_fire) <= now) != past_only:
                continue
            try:
                following = kind.next_fire(services, event, now)
            except Exception as exc:
                log.error("event %s (%s) not rescheduled: %s", event.id, event.kind, where(exc))
                continue
            events.move(services.db, event.id, epoch(following) if following else None)


def resume_chat(services: Services, chat_id: int) -> None:
    """She wrote again after blocking the bot (or her events were parked): unpause, and
    start from now, not the past."""
    events.set_paused(services.db, chat_id, False)
    reschedule_chat(services, chat_id, past_only=True)


def on_startup(services: Services) -> int:
    """Make claims that a crash left unsent due again at once."""
    return events.release_leases(services.db, epoch(services.clock.now()))


def stop(services: Services) -> None:
    """SIGTERM: claim nothing more and start no new send; the tick under way lets its sends
    finish, records them and releases the rest (PTB's JobQueue waits for it)."""
    services.flights.stopping = True


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
