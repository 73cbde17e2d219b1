"""docs/performance.md's figures come from a run: its generated blocks are what
bench/results.py renders from the recorded JSON (docs/bench-results.json), and every result
key its prose, README.md or the docs moved out of it name is one the bench writes. Fast: no
bench is run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench import results
from bot.metrics import PREFIX as METRICS_PREFIX

ROOT = Path(__file__).resolve().parents[1]
DOCS = (
    ROOT / "docs" / "performance.md",
    ROOT / "README.md",
    *(
        ROOT / "docs" / f"{name}.md"
        for name in ("architecture", "commands", "content", "operations", "trying")
    ),
)
NAME = re.compile(r"`([a-z][a-z0-9]*(?:_[a-z0-9]+)+)`")
CODE = ("bot", "db", "handlers", "bench", "tests")


@pytest.mark.parametrize("name", list(results.BLOCKS))
def test_the_generated_blocks_are_the_recorded_run(name: str) -> None:
    text = results.DOC.read_text(encoding="utf-8")
    assert results.block(text, name) == results.render(results.load(), name), (
        f"docs/performance.md's {name} block is out of date: python -m bench.results"
    )


def test_without_a_recorded_run_the_blocks_say_so() -> None:
    assert all(results.render(None, name) == results.PLACEHOLDER for name in results.BLOCKS)


def code_names() -> set[str]:
    """The words of the code and its settings (this file, which names a dropped key, aside)."""
    paths = [p for folder in CODE for p in (ROOT / folder).rglob("*.py")]
    paths.append(ROOT / "pyproject.toml")
    return {
        word
        for path in paths
        if path != Path(__file__).resolve()
        for word in re.findall(r"[a-z][a-z0-9_]*", path.read_text(encoding="utf-8"))
    }


def test_every_name_the_prose_quotes_is_a_result_key_or_in_the_code() -> None:
    """A quoted snake_case name that the code does not hold must be a key of the JSON: a
    renamed or dropped key (`crash_duplicates`) left in the prose fails here."""
    recorded = results.load()
    known = results.keys() & (recorded.keys() if recorded else results.keys())
    code = code_names()
    unknown = {
        f"{doc.name}: {name}"
        for doc in DOCS
        for name in NAME.findall(doc.read_text(encoding="utf-8"))
        if name not in known and name.removeprefix(f"{METRICS_PREFIX}_") not in code
    }
    assert not unknown, sorted(unknown)


def test_a_quick_run_is_never_recorded(tmp_path: Path) -> None:
    quick = tmp_path / "quick.json"
    quick.write_text('{"quick": true, "updates_per_s": 1}', encoding="utf-8")
    before = results.DOC.read_text(encoding="utf-8")
    assert results.main([str(quick)]) == 2
    assert results.DOC.read_text(encoding="utf-8") == before
