"""The benchmark cannot rot: its data generator and its JSON line work on tiny sizes.
(No timings are asserted: numbers on a test machine mean nothing.)"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench.__main__ import QUICK, main
from bench.data import GENERATED_AFTER, add_medicines, cached_database, populate
from bench.measures import window_counts
from bench.results import keys
from bench.single import main as single
from bench.startup import ROOT, time_to_ready
from bot.pure.timerules import epoch
from db.store import open_database

KEYS = {
    "updates_per_s",
    "ptb_ceiling_updates_per_s",
    "fanout_per_s",
    "ptb_ceiling_sends_per_s",
    "startup_s_100k",
    "startup_s_1m",
    "rss_mb_1m",
    "due_query_ms_1m",
    "startup_s_1m_meds",
    "rss_mb_1m_meds",
    "due_query_ms_1m_meds",
    "fanout_meds_per_s",
    "fanout_meds_ratio",
    "jobqueue_peer_startup_s_100k",
    "ratelimited_max_per_1s_window",
    "ratelimited_mean_per_s",
    "report_pdf_s_year_first",
    "report_pdf_s_year",
    "timezone_first_ms",
}

PEAK_KEYS = {
    f"peak_{variant}{figure}_{size}"
    for variant, sizes in (
        ("", ("10k", "100k")),
        ("spread_", ("10k", "100k")),
        ("paid_", ("100k",)),
        ("", ("10k_meds",)),
        ("spread_", ("10k_meds",)),
    )
    for size in sizes
    for figure in ("median_late_s", "p95_late_s", "max_late_s", "drain_bound_s")
}


def test_generated_patients_each_have_a_future_dose_event_and_a_reminder_time(
    tmp_path: Path,
) -> None:
    after = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    db = open_database(tmp_path / "tiny.db")
    populate(db, 25, after)
    rows = list(
        db.query(
            "SELECT p.remind_at, p.timezone, e.kind, e.next_fire FROM people p"
            " JOIN events e USING (chat_id)"
        )
    )
    assert len(rows) == 25
    assert {r["kind"] for r in rows} == {"dose"}
    assert all(epoch(after) < r["next_fire"] <= epoch(after + timedelta(days=1)) for r in rows)
    assert len({r["timezone"] for r in rows}) > 1 and all(r["remind_at"] for r in rows)


def test_generated_medicines_are_one_to_four_each_with_a_future_event_per_time(
    tmp_path: Path,
) -> None:
    after = GENERATED_AFTER  # every N days counts from a start just before it
    db = open_database(tmp_path / "tiny.db")
    populate(db, 40, after)
    add_medicines(db, 40, after)
    counts = [r["n"] for r in db.query("SELECT count(*) n FROM medicines GROUP BY chat_id")]
    assert len(counts) == 40 and set(counts) == {1, 2, 3, 4} and sum(counts) / 40 == 2.5
    assert {r["kind"] for r in db.query("SELECT DISTINCT kind FROM medicines")} >= {
        "daily",
        "weekly",
    }
    meds = list(db.query("SELECT ref, next_fire FROM events WHERE kind = 'meds'"))
    assert len(meds) >= 40 and all(r["next_fire"] > epoch(after) for r in meds)
    assert all(r["next_fire"] <= epoch(after + timedelta(days=32)) for r in meds)


def test_cached_database_is_generated_once(tmp_path: Path) -> None:
    first = cached_database(tmp_path, 10)
    stamp = first.stat().st_mtime_ns
    assert cached_database(tmp_path, 10) == first
    assert first.stat().st_mtime_ns == stamp


def test_window_counts_finds_the_busiest_second() -> None:
    assert max(window_counts([0.0, 0.5, 0.99, 1.0, 1.5])) == 3
    assert max(window_counts([i / 32 for i in range(96)])) == 32


def test_quick_bench_ends_with_a_json_line_of_every_measure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--quick", "--data", str(tmp_path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    results = json.loads(last)
    assert results.keys() >= KEYS
    assert all(results[key] > 0 for key in KEYS)
    assert results["fanout_sent"] == QUICK.fanout
    assert results["ratelimited_sends"] == QUICK.limited
    assert 0 <= results["kill9_duplicates"] <= QUICK.killed
    assert results["fanout_kind"] == "dose"  # read from the ledger, not named by the bench
    assert results["fanout_meds_sent"] == QUICK.fanout
    assert results["fanout_meds_kind"] == "meds"  # one grouped message each, no dose
    assert results.keys() == keys()
    peak = {k: v for k, v in results.items() if k.startswith("peak_")}
    assert peak.keys() >= PEAK_KEYS and all(v >= 0 for v in peak.values())
    assert results["peak_paid_messages_100k"] == QUICK.peak[1]  # every one a paid broadcast
    assert results["peak_max_late_s_100k"] >= results["peak_drain_bound_s_100k"] - 1 / 30
    # Grouped reminders besides her daily tablet: more messages than patients, each once.
    assert results["peak_messages_10k_meds"] > QUICK.peak[0]


def test_start_up_opens_the_database_it_is_given_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m bot` runs in the checkout: a relative path must not become another file."""
    monkeypatch.chdir(tmp_path)
    database = cached_database(Path("data"), 5)
    seconds, _ = time_to_ready(database, tmp_path / "startup.log")
    assert seconds > 0 and not (ROOT / "data").exists()


@pytest.mark.parametrize("measure", ["fanout_meds", "due_query", "peak_meds", "timezone_first"])
def test_one_measure_runs_alone(
    measure: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert single([measure, "--rounds", "1", "--quick", "--data", str(tmp_path)]) == 0
    assert capsys.readouterr().out.startswith(f"{measure} round 1: ")
