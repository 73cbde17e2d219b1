"""The first `/timezone <city>` after start-up (its target: an answer within 100 ms on the
first call). Each measure is a fresh `python` process, so no import, index page or cache is
warm: it builds the production application, opens the city index as start-up does
(`places.prepare`, which `python -m bot` runs beside its start), then times one
`/timezone <city>` update through `process_update`, the command's answer included. A round
is the slower of an English and a Russian city ("в Казани" is read with the Russian
analyser, another dictionary to load).

    python -m bench.timezone DATABASE COMMAND  # prints the milliseconds (what the bench runs)
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

from telegram import Update

from bench.measures import FIRST_PERSON, message_update, settings_for
from bench.startup import ROOT
from bot.app import build_application
from bot.pure import places
from bot.trial.recording_request import RecordingRequest
from handlers import FEATURES, QUERIES

COMMANDS = ("/timezone Leeds", "/timezone в Казани")  # one zone each, set at once (tested)


def first_lookup_ms(database: Path) -> float:
    """The first `/timezone <city>`'s milliseconds, each city in a fresh process run in the
    checkout: the slower of them."""
    return max(_first_in_process(database, command) for command in COMMANDS)


def _first_in_process(database: Path, command: str) -> float:
    done = subprocess.run(
        [sys.executable, "-m", "bench.timezone", str(database.resolve()), command],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1])


async def _first_lookup(database: Path, command: str) -> float:
    request = RecordingRequest()
    app = build_application(settings_for(database), FEATURES, QUERIES, request=request)
    update = Update.de_json(message_update(1, 1, FIRST_PERSON, command), app.bot)
    async with app:
        places.prepare()  # as start-up does, beside it (bot/app.py): waited for here
        started = time.perf_counter()
        await app.process_update(update)
        elapsed = time.perf_counter() - started
    if not request.sent():
        raise RuntimeError(f"{command} got no answer")
    return 1000 * elapsed


if __name__ == "__main__":
    print(f"{asyncio.run(_first_lookup(Path(sys.argv[1]), sys.argv[2])):.3f}")
