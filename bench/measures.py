"""The in-process measures: each runs the real code (or a bare python-telegram-bot peer)
over the recording request layer, so no network time hides our own."""

from __future__ import annotations

import itertools
import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as wall_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database
from telegram import Bot, Update
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bench.data import add_medicines, populate
from bot import scheduler
from bot.app import App, build_application
from bot.pure.timerules import epoch
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses, events
from handlers import FEATURES, QUERIES  # the benchmark is a composition root too (moves to bench/)

TOKEN = "123456:BENCH-TOKEN"
CHUNK = 100  # updates per timed turn
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIRST_PERSON = 5_000_000
# Shares of each kind of update. In real use the daily "Taken" press dominates (one per
# patient a day); questions, the costliest path, get far more weight than they will have.
MIX: dict[str, float] = {"press": 40, "question": 30, "/dose": 15, "/help": 15}
QUESTIONS = (
    "can I drink alcohol with it",
    "my joints hurt in the morning",
    "what if I forget a tablet",
    "hot flushes at night, is that normal?",
    "should I take calcium and vitamin D",
    "how long do I have to take anastrozole",
    "my hands are stiff and my fingers ache",
    "I feel very tired all the time",
    "can it make my hair thin",
    "does it cause weight gain",
    "is it safe with my blood pressure tablets",
    "why do I need a bone density scan",
    "can I take it with food",
    "I missed yesterday's pill, should I take two today",
    "what are the most common side effects",
    "I have pain in my chest and feel short of breath",
    "can I stop taking it if I feel fine",
    "my mood is low since I started",
    "vaginal dryness, what can help",
    "how does anastrozole work",
    "is it a kind of chemotherapy",
    "can men take anastrozole",
    "I have a rash on my skin",
    "what time of day is best to take it",
)


def settings_for(database: Path, rate_limit: bool = False) -> Settings:
    return Settings(
        telegram_bot_token=TOKEN,
        database_path=database,
        rate_limit=rate_limit,
        _env_file=None,  # type: ignore[call-arg]
    )


# --- updates: the real application against a bare one -------------------------------------
def update_mix(people: int, count: int, today: date) -> list[dict[str, Any]]:
    """`count` updates from `people` different people, each person first in turn (the
    warm-up), then kinds drawn with the MIX shares (seeded, so every run is the same)."""
    draw = random.Random(6)
    ids = itertools.count(1)
    mix: list[dict[str, Any]] = []
    for index in range(count):
        chat_id = FIRST_PERSON + index % people
        kind = draw.choices(list(MIX), list(MIX.values()))[0]
        if kind == "press":
            user, chat = _person(chat_id)
            mix.append(_callback(next(ids), user, chat, f"rem:take:{today}"))
            continue
        text = draw.choice(QUESTIONS) if kind == "question" else kind
        mix.append(message_update(next(ids), index + 1, chat_id, text))
    return mix


def _person(chat_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the user, her private chat) of a bench person."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Rita", "language_code": "en"}
    return user, {"id": chat_id, "type": "private", "first_name": "Rita"}


def message_update(update_id: int, message_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """A text message from a bench person as Telegram sends it (a command marked as one)."""
    user, chat = _person(chat_id)
    message: dict[str, Any] = {
        "message_id": message_id,
        "date": 1_700_000_000,
        "chat": chat,
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        command = len(text.split()[0])
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": command}]
    return {"update_id": update_id, "message": message}


def _callback(
    update_id: int, user: dict[str, Any], chat: dict[str, Any], data: str
) -> dict[str, Any]:
    message = {"message_id": 1, "date": 1_700_000_000, "chat": chat, "text": "(reminder)"}
    query = {"id": str(update_id), "from": user, "chat_instance": "1", "data": data}
    return {"update_id": update_id, "callback_query": {**query, "message": message}}


async def paired_updates(
    real: App, ceiling: App, warm_up: list[dict[str, Any]], timed: list[dict[str, Any]]
) -> tuple[list[float], list[float]]:
    """Updates per second, chunk by chunk, for each app, the two taking turns, so
    that a busy neighbour on a shared machine slows both alike. Each update is parsed and
    dispatched as polling would."""
    chunks = [timed[start : start + CHUNK] for start in range(0, len(timed), CHUNK)]
    rates: dict[int, list[float]] = {id(real): [], id(ceiling): []}
    async with real, ceiling:
        for app in (real, ceiling):
            await _handle(app, warm_up)
        for index, chunk in enumerate(chunks):
            for app in (real, ceiling) if index % 2 == 0 else (ceiling, real):
                started = time.perf_counter()
                await _handle(app, chunk)
                rates[id(app)].append(len(chunk) / (time.perf_counter() - started))
    return rates[id(real)], rates[id(ceiling)]


async def _handle(app: App, updates: list[dict[str, Any]]) -> None:
    for data in updates:
        await app.process_update(Update.de_json(data, app.bot))


def production_app(database: Path, request: RecordingRequest, people: int, today: date) -> App:
    """The real application; each person has today's reminder out, waiting for "Taken"."""
    app = build_application(settings_for(database), FEATURES, QUERIES, request=request)
    db = app.bot_data["services"].db
    with db.atomic():
        for chat_id in range(FIRST_PERSON, FIRST_PERSON + people):
            doses.open_dose(db, chat_id, today.isoformat(), epoch(datetime.now(UTC)), 1)
    return app


def bare_builder(request: RecordingRequest) -> Any:
    return ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request)


def bare_app(request: RecordingRequest) -> App:
    """python-telegram-bot with one handler answering a fixed text: the framework's ceiling."""

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "Thank you.")

    app: App = (
        ApplicationBuilder().token(TOKEN).request(request).get_updates_request(request).build()
    )
    app.add_handler(TypeHandler(Update, answer))
    return app


# --- fan-out: the scheduler tick against a bare send loop ---------------------------------
async def fanout(
    database: Path, count: int, rate_limit: bool, request: RecordingRequest, meds: bool = False
) -> tuple[float, int, str]:
    """(reminders/s, sent, the event kinds the ledger recorded as sent) for `count` daily
    dose events due at once, one real tick; with `meds`, `count` grouped reminders of her
    other medicines (1-4 in one message) due at once instead, her dose an hour later."""
    clock = FakeClock(NOW)
    app = build_application(
        settings_for(database, rate_limit), FEATURES, QUERIES, request=request, clock=clock
    )
    async with app:
        services: Services = app.bot_data["services"]
        after, due = NOW - timedelta(minutes=1), f"{NOW:%H:%M}"
        populate(services.db, count, after, at=f"{NOW + timedelta(hours=1):%H:%M}" if meds else due)
        if meds:
            add_medicines(services.db, count, after, at=due)
        started = time.perf_counter()
        sent = await scheduler.tick(app.bot, services)
        rate = sent / (time.perf_counter() - started)
        rows = services.db.execute(
            "SELECT DISTINCT kind FROM ledger WHERE status = 'sent' ORDER BY kind"
        ).fetchall()
        return rate, sent, ",".join(kind for (kind,) in rows)


async def sends_per_second(count: int, request: RecordingRequest) -> float:
    async with Bot(TOKEN, request=request, get_updates_request=request) as bot:
        started = time.perf_counter()
        for index in range(count):
            await bot.send_message(FIRST_PERSON + index, "Time for your tablet.")
        return count / (time.perf_counter() - started)


def window_counts(times: list[float], width: float = 1.0) -> Iterator[int]:
    """For each send, how many sends fall in the `width`-second window starting at it."""
    end = 0
    for start, moment in enumerate(times):
        while end < len(times) and times[end] < moment + width:
            end += 1
        yield end - start


# --- the due query and the usual design ----------------------------------------------------
# The application's `first` kinds (handlers/reminders/kinds.py, handlers/medicines/kinds.py).
FIRST = ("dose", "dose_again", "meds", "meds_again")


def due_query_ms(database: Path, repeats: int = 51) -> float:
    """Median milliseconds of one tick's due query (a full batch due) among all events, in
    the tick's order (a patient's own reminders first)."""
    db = Database(database)
    row = next(
        db.query(
            "SELECT next_fire FROM events WHERE paused = 0 ORDER BY next_fire LIMIT 1 OFFSET ?",
            [scheduler.BATCH - 1],
        )
    )
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        found = events.due(db, row["next_fire"], scheduler.BATCH, FIRST)
        samples.append((time.perf_counter() - started) * 1000)
        assert len(found) == scheduler.BATCH
    db.conn.close()
    return statistics.median(samples)


async def jobqueue_peer_startup(database: Path) -> tuple[float, int]:
    """The usual design: at start-up, one JobQueue run_daily job per patient. (seconds, jobs)"""

    async def remind(context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.job is not None and context.job.chat_id is not None
        await context.bot.send_message(context.job.chat_id, "Time for your tablet.")

    app: App = bare_builder(RecordingRequest(record=False)).build()
    async with app:
        await app.start()
        assert app.job_queue is not None
        started = time.perf_counter()
        db = Database(database)
        for row in db.query("SELECT chat_id, timezone, remind_at FROM people"):
            hour, minute = map(int, row["remind_at"].split(":"))
            at = wall_time(hour, minute, tzinfo=ZoneInfo(row["timezone"]))
            app.job_queue.run_daily(remind, at, chat_id=row["chat_id"], name=str(row["chat_id"]))
        elapsed = time.perf_counter() - started
        jobs = len(app.job_queue.jobs())
        db.conn.close()
        await app.stop()
    return elapsed, jobs
