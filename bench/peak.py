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

from telegram.request import RequestData

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
    """Answers like Telegram and notes when (virtual time) each chat got its message."""

    def __init__(self, time_: VirtualTime) -> None:
        super().__init__(record=False)
        self.time = time_
        self.sent_at: dict[int, float] = {}
        self.paid = 0

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, *a: Any, **k: Any
    ) -> tuple[int, bytes]:
        if url.endswith("/sendMessage") and request_data is not None:
            params = request_data.parameters
            self.sent_at[int(str(params["chat_id"]))] = self.time.now
            self.paid += params.get("allow_paid_broadcast") is True
        return await super().do_request(url, method, request_data, *a, **k)


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


def _populate(services: Any, patients: list[tuple[str, str]]) -> dict[int, int]:
    """People, their daily dose events and no follow-ups; each chat's due instant."""
    after = START - timedelta(seconds=1)
    due: dict[int, int] = {}
    rows = []
    for index, (zone, at) in enumerate(patients):
        chat_id = FIRST_CHAT_ID + index
        due[chat_id] = epoch(next_daily(time.fromisoformat(at), ZoneInfo(zone), after))
        rows.append((chat_id, zone, at))
    stamp = START.isoformat()
    with services.db.conn:
        services.db.conn.executemany(
            "INSERT INTO people (chat_id, first_name, language, timezone, remind_at,"
            " created_at, last_seen_at) VALUES (?, 'Patient', 'en', ?, ?, ?, ?)",
            [(*row, stamp, stamp) for row in rows],
        )
        services.db.conn.executemany(
            "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'dose', '', ?)",
            list(due.items()),
        )
        services.db.conn.executemany(
            "INSERT INTO reminder_prefs (chat_id, nudge_minutes) VALUES (?, 0)",
            [(chat_id,) for chat_id in due],
        )
    return due


async def simulate(database: Path, count: int, early_seconds: int, paid: bool) -> Day:
    """One virtual day for `count` patients through the real tick."""
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
        due = _populate(services, choices(count))
        end = epoch(START) + DAY
        while clock.now < end:
            await scheduler.tick(app.bot, services)
            following = events.earliest(services.db)
            if following is None:
                break
            next_slot = (clock.now // step + 1) * step
            idle_until = (following - early_seconds - step) // step * step
            clock.now = max(next_slot, idle_until)
    late = sorted(max(0.0, request.sent_at[c] - d) for c, d in due.items() if c in request.sent_at)
    early = max((d - request.sent_at[c] for c, d in due.items() if c in request.sent_at), default=0)
    busiest = max(Counter(d // 60 for d in due.values()).values())
    return Day(
        sent=len(late),
        median_late=statistics.median(late),
        p95_late=late[max(0, -(-len(late) * 95 // 100) - 1)],
        max_late=late[-1],
        max_early=max(0.0, early),
        drain_bound=busiest / rate,
        paid=request.paid,
    )


async def peak_hour(folder: Path, sizes: tuple[int, int], early_seconds: int) -> dict[str, Any]:
    """The figures for the bench's JSON line: each size without and with early start, and
    the larger with paid broadcasts (early start as configured by default)."""
    results: dict[str, Any] = {}
    small, large = zip(sizes, ("10k", "100k"), strict=True)
    runs = [(*size, "", 0, False) for size in (small, large)]
    runs += [(*size, "spread_", early_seconds, False) for size in (small, large)]
    runs.append((*large, "paid_", early_seconds, True))
    for size, label, variant, early, paid in runs:
        database = folder / f"peak-{variant}{label}.db"
        day = await simulate(database, size, early, paid)
        if day.sent != size:
            raise RuntimeError(f"peak simulation sent {day.sent} of {size}")
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
    return results
