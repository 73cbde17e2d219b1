"""python -m bench [--quick] [--data DIR]: measure, print the tables, then one JSON line.
A full run also records the JSON (docs/bench-results.json) and renders docs/performance.md's
tables from it (bench/results.py); --quick, at tiny sizes, only checks the bench works."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import telegram

from bench import measures
from bench.data import cached_database
from bench.kill import kill9_duplicates
from bench.peak import peak_hour
from bench.report import report_seconds
from bench.results import goals, peak_table, record, results_table
from bench.safety import detector_ms
from bench.startup import time_to_ready
from bench.timezone import first_lookup_ms
from bot.trial.recording_request import RecordingRequest


@dataclass(frozen=True)
class Sizes:
    people: int
    updates: int
    fanout: int
    limited: int
    startup: tuple[int, int]
    peer: int
    rounds: int
    killed: int  # patients in the fan-out killed three times
    peak: tuple[int, int]  # patients in the peak-hour day ("10k", "100k")


FULL = Sizes(1_000, 5_000, 10_000, 300, (100_000, 1_000_000), 100_000, 5, 240, (10_000, 100_000))
QUICK = Sizes(20, 60, 50, 10, (300, 1_000), 300, 1, 40, (200, 2_000))


async def in_process(sizes: Sizes, folder: Path, scratch: Path) -> dict[str, Any]:
    today = datetime.now(UTC).date()
    mix = measures.update_mix(sizes.people, sizes.people + sizes.updates, today)
    warm_up, timed = mix[: sizes.people], mix[sizes.people :]
    real: list[float] = []
    ceiling: list[float] = []
    fan, fan_meds, sends = [], [], []
    fanout_sent, kind, meds_sent, meds_kind = 0, "", 0, ""
    for round_ in range(sizes.rounds):
        request = RecordingRequest(record=False)
        real_rates, ceiling_rates = await measures.paired_updates(
            measures.production_app(scratch / f"updates-{round_}.db", request, sizes.people, today),
            measures.bare_app(request),
            warm_up,
            timed,
        )
        real += real_rates
        ceiling += ceiling_rates
        rate, fanout_sent, kind = await measures.fanout(
            scratch / f"fanout-{round_}.db", sizes.fanout, False, request
        )
        fan.append(rate)
        rate, meds_sent, meds_kind = await measures.fanout(
            scratch / f"fanout-meds-{round_}.db", sizes.fanout, False, request, meds=True
        )
        fan_meds.append(rate)
        sends.append(await measures.sends_per_second(sizes.fanout, request))
    recording = RecordingRequest(record=True)
    await measures.fanout(scratch / "limited.db", sizes.limited, True, recording)
    times = [call.at for call in recording.calls if call.method == "sendMessage"]
    peer_s, peer_jobs = await measures.jobqueue_peer_startup(cached_database(folder, sizes.peer))
    early = measures.settings_for(scratch / "unused.db").reminder_early_seconds
    return await peak_hour(scratch, sizes.peak, early) | {
        "updates_per_s": round(statistics.median(real)),
        "ptb_ceiling_updates_per_s": round(statistics.median(ceiling)),
        "fanout_per_s": round(max(fan)),
        "ptb_ceiling_sends_per_s": round(max(sends)),
        "fanout_sent": fanout_sent,
        "fanout_kind": kind,
        "fanout_meds_per_s": round(max(fan_meds)),
        "fanout_meds_sent": meds_sent,
        "fanout_meds_kind": meds_kind,
        "ratelimited_sends": len(times),
        "ratelimited_max_per_1s_window": max(measures.window_counts(times)),
        "ratelimited_mean_per_s": round((len(times) - 1) / (times[-1] - times[0]), 2),
        "jobqueue_peer_startup_s_100k": round(peer_s, 3),
        "jobqueue_peer_jobs": peer_jobs,
    }


def startup(sizes: Sizes, folder: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    variants = ((sizes.startup[0], "100k", False), (sizes.startup[1], "1m", False))
    for count, label, meds in (*variants, (sizes.startup[1], "1m_meds", True)):
        database = cached_database(folder, count, meds)
        runs = [time_to_ready(database, folder / "startup.log") for _ in range(sizes.rounds)]
        results[f"startup_s_{label}"] = round(statistics.median(s for s, _ in runs), 3)
        results[f"rss_mb_{label}"] = round(max(mb for _, mb in runs), 1)
        if count == sizes.startup[1]:
            results[f"due_query_ms_{label}"] = round(measures.due_query_ms(database), 3)
    first, warm = report_seconds(measures.settings_for(folder / "unused.db").content_path, 3)
    results["report_pdf_s_year_first"] = round(first, 3)
    results["report_pdf_s_year"] = round(warm, 3)
    cold, steady, count = detector_ms(measures.settings_for(folder / "unused.db").content_path)
    results["safety_ms_per_message"] = round(steady, 3)
    results["safety_ms_per_message_first_sight"] = round(cold, 3)
    results["safety_messages"] = count
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        firsts = [first_lookup_ms(Path(scratch) / f"tz-{n}.db") for n in range(sizes.rounds)]
    results["timezone_first_ms"] = round(statistics.median(firsts), 3)
    return results


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "python_telegram_bot": telegram.__version__,
    }


def run(quick: bool, folder: Path) -> dict[str, Any]:
    sizes = QUICK if quick else FULL
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        results = asyncio.run(in_process(sizes, folder, Path(scratch)))
        results["kill9_duplicates"] = kill9_duplicates(Path(scratch), sizes.killed)
        results["kill9_fanout"] = sizes.killed
    results.update(startup(sizes, folder))
    results["updates_ratio"] = round(
        results["updates_per_s"] / results["ptb_ceiling_updates_per_s"], 3
    )
    for name in ("fanout", "fanout_meds"):
        results[f"{name}_ratio"] = round(
            results[f"{name}_per_s"] / results["ptb_ceiling_sends_per_s"], 3
        )
    checks = goals(results)
    print(results_table(results), peak_table(results), sep="\n\n")
    print(*(f"{'met' if ok else 'MISSED':<6} {name}" for name, ok in checks), sep="\n")
    results["goals_met"] = all(ok for _, ok in checks)
    results["quick"] = quick
    results["measured_at"] = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
    results["commit"] = commit()
    results["machine"] = machine()
    return results


def commit() -> str:
    """The checkout's commit, "+" when it has changes: which code the figures are of."""
    git = ["git", "-C", str(Path(__file__).resolve().parents[1])]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    dirty = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True
    ).stdout.strip()
    return head.stdout.strip() + ("+" if dirty else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks the bench works")
    parser.add_argument("--data", type=Path, default=Path("bench-data"), help="cached databases")
    args = parser.parse_args(argv)
    # The JobQueue peer blocks its loop while adding 100k jobs: APScheduler's "missed" notes.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    results = run(args.quick, args.data)
    print(json.dumps(results))
    if not args.quick:
        record(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
