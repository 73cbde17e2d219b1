"""The bench's targets, and its tables rendered from its JSON, so that no figure in
docs/performance.md is typed in: `python -m bench` writes RESULTS and rewrites the blocks;
`python -m bench.results [JSON]` rewrites them from a JSON already written, without a run.
tests/test_performance_doc.py fails when the blocks are not what this renders."""

from __future__ import annotations

import json
import operator
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "docs" / "bench-results.json"
DOC = ROOT / "docs" / "performance.md"
COMMAND = "python -m bench"
PLACEHOLDER = (
    "No full run recorded: run `make bench` (it writes docs/bench-results.json and this table)."
)
BOUNDS: dict[str, Callable[[float, float], bool]] = {
    ">=": operator.ge,
    "<=": operator.le,
    "<": operator.lt,
}


@dataclass(frozen=True)
class Row:
    """One measure; with a baseline (measured in the same run), the bound is on the ratio."""

    key: str
    what: str
    bound: str = ""  # ">= 0.5": an operator of BOUNDS and a number
    baseline: str = ""

    def ratio(self, r: dict[str, Any]) -> float | None:
        if not self.baseline or not r.get(self.baseline) or self.key not in r:
            return None
        return float(r[self.key]) / float(r[self.baseline])

    def met(self, r: dict[str, Any]) -> bool | None:
        if not self.bound or self.key not in r:
            return None
        op, number = self.bound.split()
        scale = r.get(self.baseline) if self.baseline else 1
        return scale is not None and BOUNDS[op](r[self.key], float(number) * scale)

    def target(self) -> str:
        if not self.bound:
            return ""
        return f"{self.bound} x `{self.baseline}`" if self.baseline else self.bound


ROWS = (
    Row("updates_per_s", "updates handled a second, production app (the mix)",
        ">= 0.5", "ptb_ceiling_updates_per_s"),
    Row("ptb_ceiling_updates_per_s", "the same updates, bare PTB answering a fixed text"),
    Row("fanout_per_s", "reminders a second, one tick, all due at once, no rate limit",
        ">= 0.4", "ptb_ceiling_sends_per_s"),
    Row("ptb_ceiling_sends_per_s", "bare PTB `send_message` loop, sends a second"),
    Row("fanout_sent", "reminders that tick sent"),
    Row("fanout_kind", "event kinds the ledger recorded as sent by that tick"),
    Row("fanout_meds_per_s",
        "grouped medicine reminders a second (1-4 medicines a message), one tick, all due",
        ">= 0.4", "ptb_ceiling_sends_per_s"),
    Row("fanout_meds_sent", "grouped medicine reminders that tick sent"),
    Row("fanout_meds_kind", "event kinds the ledger recorded as sent by that tick"),
    Row("startup_s_100k", "start-up to first getUpdates, 100k patients, s",
        "<= 0.1", "jobqueue_peer_startup_s_100k"),
    Row("jobqueue_peer_startup_s_100k", "one JobQueue job per patient: scheduling 100k, s"),
    Row("startup_s_1m", "start-up to first getUpdates, 1M patients, s", "<= 2"),
    Row("rss_mb_100k", "resident memory at ready, 100k patients, MB"),
    Row("rss_mb_1m", "resident memory at ready, 1M patients, MB", "<= 150"),
    Row("due_query_ms_1m", "one tick's due query (500 due among 1M events), ms", "<= 5"),
    Row("startup_s_1m_meds", "start-up, 1M patients with 1-4 other medicines each, s", "<= 2"),
    Row("rss_mb_1m_meds",
        "resident memory at ready, 1M patients with medicines, MB", "<= 150"),
    Row("due_query_ms_1m_meds",
        "one tick's due query (500 due among 1M doses and 2.25M medicine events), ms", "<= 5"),
    Row("ratelimited_max_per_1s_window", "rate limited: most sends in any 1 s window", "<= 30"),
    Row("ratelimited_mean_per_s", "rate limited: mean sends a second"),
    Row("kill9_duplicates",
        "reminders sent twice after 3 SIGKILLs of `python -m bot` in a fan-out at 30/s",
        "<= 15"),
    Row("report_pdf_s_year_first", "/report PDF of a year, first call (with imports), s", "< 2"),
    Row("report_pdf_s_year", "/report PDF of a year, later calls, s"),
    Row("safety_ms_per_message", "safety net, ms a message (steady state)", "<= 1"),
    Row("safety_ms_per_message_first_sight", "safety net, ms a message (words first seen)"),
    Row("timezone_first_ms",
        "first /timezone <city> after start-up (Leeds, в Казани: the slower), a fresh"
        " process, the answer included, ms",
        "<= 100"),
    Row("peak_spread_max_late_s_100k", "peak hour, 100k: worst lateness with early start, s",
        "<= 1", "peak_max_late_s_100k"),
)  # fmt: skip
PEAK_VARIANTS = (
    ("30/s", "", ("10k", "100k")),
    ("30/s, early start", "spread_", ("10k", "100k")),
    ("paid broadcasts, 1000/s", "paid_", ("100k",)),
    ("30/s", "", ("10k_meds",)),  # with 1-4 other medicines each, grouped (bench/peak.py)
    ("30/s, early start", "spread_", ("10k_meds",)),
)
PEAK_FIGURES = ("median_late_s", "p95_late_s", "max_late_s", "drain_bound_s", "max_early_s")


OTHER_KEYS = (
    "updates_ratio",  # the ratios of the table's first rows, kept in the JSON
    "fanout_ratio",
    "fanout_meds_ratio",
    "kill9_fanout",
    "ratelimited_sends",
    "jobqueue_peer_jobs",
    "safety_messages",
    "peak_paid_messages_100k",
    "peak_messages_10k_meds",
    "goals_met",
    "quick",
    "measured_at",
    "commit",
    "machine",
)


def keys() -> set[str]:
    """Every key of the bench's JSON (tests/test_bench.py checks a run has exactly these)."""
    peak = {
        f"peak_{variant}{figure}_{size}"
        for _, variant, sizes in PEAK_VARIANTS
        for size in sizes
        for figure in PEAK_FIGURES
        if variant or figure != "max_early_s"
    }
    return {row.key for row in ROWS} | peak | set(OTHER_KEYS)


def goals(r: dict[str, Any]) -> list[tuple[str, bool]]:
    """(the key and its target, met) for every row with a target."""
    return [
        (f"{row.key} {row.target()}".replace("`", ""), row.met(r) is True)
        for row in ROWS
        if row.bound
    ]


def _cell(value: Any) -> str:
    return "not measured" if value is None else str(value)


def results_table(r: dict[str, Any]) -> str:
    lines = [
        "| key | what | value | target | | ratio to baseline |",
        "| --- | --- | ---: | --- | --- | --- |",
    ]
    for row in ROWS:
        met = {True: "met", False: "**missed**", None: ""}[row.met(r)]
        ratio = row.ratio(r)
        versus = "" if ratio is None else f"{ratio:.3f} x `{row.baseline}`"
        value = _cell(r.get(row.key))
        lines.append(f"| `{row.key}` | {row.what} | {value} | {row.target()} | {met} | {versus} |")
    return "\n".join(lines)


def peak_table(r: dict[str, Any]) -> str:
    """Seconds late per variant and size (key: peak_{variant}{figure}_{size}); blank: not
    measured (nothing starts early without early start); a row the run has no figure of
    is left out (a JSON recorded before it was measured)."""
    lines = [
        "| patients, pace | median late | p95 late | worst late | drain bound | most early |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, variant, sizes in PEAK_VARIANTS:
        for size in sizes:
            cells = [str(r.get(f"peak_{variant}{figure}_{size}", "")) for figure in PEAK_FIGURES]
            patients = size.replace("_meds", " with medicines")
            if any(cells):
                lines.append(f"| {patients}, {name} | {' | '.join(cells)} |")
    return "\n".join(lines)


def provenance(r: dict[str, Any]) -> str:
    m = r.get("machine", {})
    return (
        f"Run of {r.get('measured_at', '?')} at commit {r.get('commit', '?')}, "
        f"{m.get('nproc', '?')} cores ({m.get('cpu', '?')}), {m.get('memory_gb', '?')} GB, "
        f"Python {m.get('python', '?')}, python-telegram-bot {m.get('python_telegram_bot', '?')}"
        f"; every target met: {'yes' if r.get('goals_met') else 'no'}."
    )


BLOCKS: dict[str, Callable[[dict[str, Any]], str]] = {
    "bench-results": lambda r: f"{provenance(r)}\n\n{results_table(r)}",
    "bench-peak": peak_table,
}


def markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}: {COMMAND} -->", f"<!-- /{name} -->"


def block(text: str, name: str) -> str:
    """What is between the block's markers ("" when they are missing)."""
    begin, end = markers(name)
    if begin not in text or end not in text:
        return ""
    return text.split(begin, 1)[1].split(end, 1)[0].strip()


def render(results: dict[str, Any] | None, name: str) -> str:
    return PLACEHOLDER if results is None else BLOCKS[name](results)


def load(path: Path = RESULTS) -> dict[str, Any] | None:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def write_doc(results: dict[str, Any] | None, doc: Path = DOC) -> None:
    text = doc.read_text(encoding="utf-8")
    for name in BLOCKS:
        begin, end = markers(name)
        head, rest = text.split(begin, 1)
        tail = rest.split(end, 1)[1]
        text = f"{head}{begin}\n{render(results, name)}\n{end}{tail}"
    doc.write_text(text, encoding="utf-8")


def record(results: dict[str, Any]) -> None:
    """Keep a full run's JSON as the doc's source, and render the doc from it."""
    RESULTS.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    write_doc(results)


def main(argv: list[str]) -> int:
    """python -m bench.results [JSON]: record JSON (default: the one recorded) and render."""
    results = load(Path(argv[0]) if argv else RESULTS)
    if results is None:
        write_doc(None)
    elif results.get("quick"):
        print("a --quick run's figures are not recorded: run `make bench`", file=sys.stderr)
        return 2
    else:
        record(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
