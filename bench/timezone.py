"""The first `/timezone <city>` after start-up (its target: an answer within 100 ms on the
first call). Each measure is a fresh `python` process, so no import, index page or cache is
warm: it builds the production application, opens the city index as start-up does
(`places.prepare`, which `python -m bot` runs beside its start), then times one
`/timezone Leeds` update through `process_update`, the command's answer included.

    python -m bench.timezone DATABASE   # prints the milliseconds (what the bench runs)
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

COMMAND = "/timezone Leeds"  # docs/commands.md's example: one zone, set at once


def first_lookup_ms(database: Path) -> float:
    """The first `/timezone <city>`'s milliseconds, in a fresh process run in the checkout."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.timezone", str(database.resolve())],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.split()[-1])


async def _first_lookup(database: Path) -> float:
    request = RecordingRequest()
    app = build_application(settings_for(database), FEATURES, QUERIES, request=request)
    update = Update.de_json(message_update(1, 1, FIRST_PERSON, COMMAND), app.bot)
    async with app:
        places.prepare()  # as start-up does, beside it (bot/app.py): waited for here
        started = time.perf_counter()
        await app.process_update(update)
        elapsed = time.perf_counter() - started
    if not request.sent():
        raise RuntimeError(f"{COMMAND} got no answer")
    return 1000 * elapsed


if __name__ == "__main__":
    print(f"{asyncio.run(_first_lookup(Path(sys.argv[1]))):.3f}")
