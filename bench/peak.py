"""The peak hour: a day of daily reminders for many patients, sent by the real tick on a
virtual clock, and how late each went out.

Everything is the production code (the due query and its order, early start, claims, the
Recorder, the dose kind, the Pacer's pacing arithmetic) except time: one virtual clock is
both the services' clock and the Pacer's, and the Pacer's sleeps move it instead of
waiting. The Pacer spaces sends 1/30 s apart (1/1000 s for paid broadcasts), so a send
"takes" that long; the request layer notes the virtual instant of each. Ticks come every
SCHEDULER_TICK_SECONDS as PTB's JobQueue runs them (one at a time; a late one starts at
the next slot); ticks that would find nothing are skipped, not run.

Who chooses what (docs/performance.md "The peak hour" states it too): zones by ZONES'
weights; local times 50% at the four favourites in FAVOURITES, 30% on another hour or
half hour from 06:00 to 23:30, 20% any minute from 06:00 to 23:59. Seeded: every run is
the same day. Follow-ups are off (everyone answers within the hour), and nobody has an
unanswered reminder from the day before, so early start may apply to all.
"""

from __future__ import annotations

import asyncio
import random
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bench.data import add_medicines
from bench.measures import TOKEN
from bot import scheduler
from bot.app import build_application
from bot.pacing import Pacer
from bot.pure.timerules import epoch, next_daily
from bot.settings import Settings
from bot.trial.recording_request import RecordingRequest
from db import events
from handlers import FEATURES, QUERIES  # the benchmark is a composition root too (moves to bench/)

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # no zone below changes its clocks that day
DAY = 24 * 3600
ZONES = {
    "Europe/London": 20,
    "Europe/Berlin": 20,
    "America/New_York": 20,
    "America/Los_Angeles": 10,
    "Asia/Kolkata": 10,
    "America/Sao_Paulo": 5,
    "Africa/Johannesburg": 5,
    "Asia/Tokyo": 5,
    "Australia/Sydney": 5,
}
FAVOURITES = {"08:00": 16, "09:00": 10, "20:00": 9, "21:00": 15}  # % of everyone
ROUND = 30  # % on another hour or half hour, 06:00 to 23:30
FIRST_CHAT_ID = 20_000_000


def choices(count: int, seed: int = 15) -> list[tuple[str, str]]:
    """(zone, HH:MM) for `count` patients, drawn as the module docstring says."""
    draw = random.Random(seed)
    rounds = [f"{h:02d}:{m:02d}" for h in range(6, 24) for m in (0, 30)]
    rounds = [at for at in rounds if at not in FAVOURITES]
    zones, weights = list(ZONES), list(ZONES.values())
    picked = []
    for _ in range(count):
        share = draw.uniform(0, 100)
        if share < sum(FAVOURITES.values()):
            at = draw.choices(list(FAVOURITES), list(FAVOURITES.values()))[0]
        elif share < sum(FAVOURITES.values()) + ROUND:
            at = draw.choice(rounds)
        else:
            minute = draw.randrange(6 * 60, 24 * 60)
            at = f"{minute // 60:02d}:{minute % 60:02d}"
        picked.append((draw.choices(zones, weights)[0], at))
    return picked


class VirtualTime:
    """Seconds since the epoch that only move when someone sleeps (the Pacer) or the
    simulation jumps to the next tick."""

    def __init__(self, start: float) -> None:
        self.now = start

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        wake = self.now + seconds
        await asyncio.sleep(0)
        self.now = max(self.now, wake)


class VirtualClock:
    """The services' clock (bot.pure.clock.Clock) on the virtual time."""

    def __init__(self, time_: VirtualTime) -> None:
        self.time = time_

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time.now, UTC)


class Stopwatch(RecordingRequest):
    """Answers like Telegram and notes when (virtual time) each message went out, by its
    message id: the ledger names the occurrence each message was (a grouped reminder and
    her daily tablet may reach one chat in the same minute)."""

    def __init__(self, time_: VirtualTime) -> None:
        super().__init__(record=False)
        self.time = time_
        self.sent_at: dict[int, float] = {}
        self.paid = 0

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        result = super()._result(method, params)
        if method == "sendMessage":
            self.sent_at[result["message_id"]] = self.time.now
            self.paid += params.get("allow_paid_broadcast") is True
        return result


@dataclass(frozen=True)
class Day:
    """How late the day's reminders went out, in seconds (an early one counts as 0 late)."""

    sent: int
    median_late: float
    p95_late: float
    max_late: float
    max_early: float
    drain_bound: float  # the busiest minute's reminders at the send rate
    paid: int


def _populate(services: Any, patients: list[tuple[str, str]], meds: bool) -> list[int]:
    """People, their daily dose events and no follow-ups (with `meds`, their other medicines
    too, bench/data.py); the due instants of the day's messages (bot/moment.py: one message
    a chat a minute)."""
    after = START - timedelta(seconds=1)
    rows = []
    for index, (zone, at) in enumerate(patients):
        fire = epoch(next_daily(time.fromisoformat(at), ZoneInfo(zone), after))
        rows.append((FIRST_CHAT_ID + index, zone, at, fire))
    stamp = START.isoformat()
    db = services.db
    with db.conn:
        db.conn.executemany(
            "INSERT INTO people (chat_id, first_name, language, timezone, remind_at,"
            " created_at, last_seen_at) VALUES (?, 'Patient', 'en', ?, ?, ?, ?)",
            [(chat_id, zone, at, stamp, stamp) for chat_id, zone, at, _ in rows],
        )
        db.conn.executemany(
            "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'dose', '', ?)",
            [(chat_id, fire) for chat_id, _, _, fire in rows],
        )
        db.conn.executemany(
            "INSERT INTO reminder_prefs (chat_id, nudge_minutes) VALUES (?, 0)",
            [(chat_id,) for chat_id, *_ in rows],
        )
    if meds:
        zones = [zone for zone, _ in patients]
        add_medicines(db, len(patients), after, zones=zones, first=FIRST_CHAT_ID)
    # One message a chat a minute: her daily reminder carries medicines due at its minute.
    day = db.conn.execute(
        "SELECT DISTINCT chat_id, next_fire FROM events WHERE next_fire < ?", [epoch(START) + DAY]
    )
    return [fire for _chat, fire in day]


def _answer_medicines(services: Any) -> None:
    """Everyone answers at once (as she does her daily tablet within the hour): the grouped
    reminders' follow-ups then find nothing open and send nothing."""
    services.db.execute("UPDATE medicine_doses SET status = 'taken' WHERE status = 'pending'")


async def simulate(
    database: Path, count: int, early_seconds: int, paid: bool, meds: bool = False
) -> Day:
    """One virtual day for `count` patients through the real tick (with `meds`, each also
    keeps 1-4 other medicines: their grouped reminders go out too)."""
    clock = VirtualTime(epoch(START))
    settings = Settings(
        telegram_bot_token=TOKEN,
        database_path=database,
        reminder_early_seconds=early_seconds,
        telegram_paid_broadcast=paid,
        _env_file=None,  # type: ignore[call-arg]
    )
    request = Stopwatch(clock)
    pacer = Pacer(paid=paid, clock=clock.clock, sleep=clock.sleep)
    app = build_application(
        settings, FEATURES, QUERIES, request=request, clock=VirtualClock(clock), pacer=pacer
    )
    rate = scheduler.send_rate(settings) or 1
    step = settings.scheduler_tick_seconds
    async with app:
        services = app.bot_data["services"]
        due = _populate(services, choices(count), meds)
        end = epoch(START) + DAY
        while clock.now < end:
            await scheduler.tick(app.bot, services)
            _answer_medicines(services)
            following = events.earliest(services.db)
            if following is None:
                break
            next_slot = (clock.now // step + 1) * step
            idle_until = (following - early_seconds - step) // step * step
            clock.now = max(next_slot, idle_until)
        sent = services.db.conn.execute(
            "SELECT message_id, due FROM ledger WHERE status = 'sent'"
        ).fetchall()
    offsets = [request.sent_at[message] - due_at for message, due_at in sent]
    late = sorted(max(0.0, offset) for offset in offsets)
    busiest = max(Counter(d // 60 for d in due).values())
    if len(sent) != len(due):
        raise RuntimeError(f"peak simulation sent {len(sent)} of {len(due)} messages")
    return Day(
        sent=len(late),
        median_late=statistics.median(late),
        p95_late=late[max(0, -(-len(late) * 95 // 100) - 1)],
        max_late=late[-1],
        max_early=max(0.0, -min(offsets)),
        drain_bound=busiest / rate,
        paid=request.paid,
    )


async def peak_hour(folder: Path, sizes: tuple[int, int], early_seconds: int) -> dict[str, Any]:
    """The figures for the bench's JSON line: each size without and with early start, the
    larger with paid broadcasts (early start as configured by default), and the smaller
    with the medicines population, without and with early start (label "10k_meds"). Its
    day holds three times the messages (and their follow-ups): at the larger size it would
    add some five minutes a variant to the bench."""
    results: dict[str, Any] = {}
    small, large = zip(sizes, ("10k", "100k"), strict=True)
    runs = [(*size, "", 0, False, False) for size in (small, large)]
    runs += [(*size, "spread_", early_seconds, False, False) for size in (small, large)]
    runs.append((*large, "paid_", early_seconds, True, False))
    grouped = (small[0], f"{small[1]}_meds")
    runs += [(*grouped, "", 0, False, True), (*grouped, "spread_", early_seconds, False, True)]
    for size, label, variant, early, paid, meds in runs:
        day = await simulate(folder / f"peak-{variant}{label}.db", size, early, paid, meds)
        figures = {
            "median_late_s": day.median_late,
            "p95_late_s": day.p95_late,
            "max_late_s": day.max_late,
            "drain_bound_s": day.drain_bound,
        }
        if variant:
            figures["max_early_s"] = day.max_early
        for name, value in figures.items():
            results[f"peak_{variant}{name}_{label}"] = round(value, 1)
        if paid:
            results["peak_paid_messages_100k"] = day.paid
        if meds and not variant:
            results[f"peak_messages_{label}"] = day.sent
    return results
