"""python -m bench.single MEASURE [--rounds N] [--quick]: one measure of `make bench`
alone, each round printed, never recorded (docs/bench-results.json comes only from a full
run).

On a shared machine a figure moves from round to round: compare a change with several
rounds of each, not one. MEASURE is one of:
- fanout, fanout_meds: one tick's fan-out, paired with the bare send loop (its ratio);
- due_query: the due query on the cached 1M databases (bench-data/, made if missing);
- peak_meds: the peak-hour day of 10k patients with medicines, without and with early start;
- timezone_first: the first `/timezone <city>` after start-up, a fresh process each round.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench import measures
from bench.__main__ import FULL, QUICK, Sizes
from bench.data import cached_database
from bench.peak import simulate
from bench.timezone import first_lookup_ms
from bot.trial.recording_request import RecordingRequest


async def fanout(sizes: Sizes, scratch: Path, meds: bool) -> str:
    request = RecordingRequest(record=False)
    database = scratch / "fanout.db"
    rate, sent, kind = await measures.fanout(database, sizes.fanout, False, request, meds)
    ceiling = await measures.sends_per_second(sizes.fanout, request)
    return f"{rate:.0f}/s ({sent} {kind}), send loop {ceiling:.0f}/s, ratio {rate / ceiling:.3f}"


def due_query(sizes: Sizes, data: Path) -> str:
    figures = [
        f"{label} {measures.due_query_ms(cached_database(data, sizes.startup[1], meds)):.3f} ms"
        for label, meds in (("1m", False), ("1m_meds", True))
    ]
    return ", ".join(figures)


async def peak_meds(sizes: Sizes, scratch: Path) -> str:
    early = measures.settings_for(scratch / "unused.db").reminder_early_seconds
    days = [
        await simulate(scratch / f"peak-{seconds}.db", sizes.peak[0], seconds, False, meds=True)
        for seconds in (0, early)
    ]
    return " | ".join(
        f"early {seconds} s: median {d.median_late:.1f}, p95 {d.p95_late:.1f}, worst "
        f"{d.max_late:.1f}, drain bound {d.drain_bound:.1f}, most early {d.max_early:.1f} s"
        f" ({d.sent} messages)"
        for seconds, d in zip((0, early), days, strict=True)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.single", description=__doc__)
    parser.add_argument(
        "measure", choices=("fanout", "fanout_meds", "due_query", "peak_meds", "timezone_first")
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: checks it works")
    parser.add_argument("--data", type=Path, default=Path("bench-data"), help="cached databases")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    args.data.mkdir(parents=True, exist_ok=True)
    for round_ in range(args.rounds):
        with tempfile.TemporaryDirectory(dir=args.data) as folder:
            scratch = Path(folder)
            if args.measure == "due_query":
                shown = due_query(sizes, args.data)
            elif args.measure == "peak_meds":
                shown = asyncio.run(peak_meds(sizes, scratch))
            elif args.measure == "timezone_first":
                shown = f"{first_lookup_ms(scratch / 'timezone.db'):.3f} ms"
            else:
                shown = asyncio.run(fanout(sizes, scratch, args.measure == "fanout_meds"))
        print(f"{args.measure} round {round_ + 1}: {shown}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
