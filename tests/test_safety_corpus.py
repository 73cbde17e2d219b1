"""The safety net on the patients' corpus (tests/safety_corpus.py): the issue's targets on the
held-out third, no regression on the two thirds it was built against, and docs/content.md's
table printed from this run (`python -m tests.safety_corpus --readme` rewrites it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.pure.safety import Detector
from tests import safety_corpus as corpus


@pytest.fixture(scope="module")
def figures(detector: Detector) -> dict[tuple[str, str], corpus.Figures]:
    return {
        (language, part): corpus.measure(detector, language, part)
        for language in corpus.LANGUAGES
        for part in corpus.PARTS
    }


def share(pair: tuple[int, int]) -> float:
    return pair[0] / pair[1]


def test_every_persona_file_is_there_and_big_enough() -> None:
    """A file that goes missing fails the suite, never shrinks it (load() raises)."""
    for language in corpus.LANGUAGES:
        whole = {
            name: sum(len(corpus.load(language, part)[name]) for part in corpus.PARTS)
            for name in corpus.CLASSES
        }
        assert whole["everyday"] >= 600
        assert whole["warning"] >= 200
        assert whole["crisis"] >= 100
        for part in corpus.PARTS:
            signs = {item["sign"] for item in corpus.load(language, part)["warning"]}
            assert signs == set(corpus.LEVEL), (language, part)


def test_a_missing_file_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(corpus, "CORPUS", tmp_path)
    with pytest.raises(FileNotFoundError):
        corpus.load("en", "dev")


@pytest.mark.parametrize("language", corpus.LANGUAGES)
@pytest.mark.parametrize("part", corpus.PARTS)
def test_targets(figures: dict[tuple[str, str], corpus.Figures], language: str, part: str) -> None:
    found = figures[language, part]
    print(f"\n{found.row()} {found.ms:.3f} ms")
    held_out = part == "heldout"  # the targets; the dev part may not slip far below
    assert share(found.crisis) >= (1.0 if held_out else 0.98)
    assert share(found.warning_led) >= (1.0 if held_out else 0.97)
    assert share(found.warning_level) >= 0.95
    assert share(found.everyday_lost) <= (0.01 if held_out else 0.012)
    assert share(found.everyday_extra) <= 0.10
    assert share(found.distress) >= 0.9


def test_the_content_doc_table_is_this_run(figures: dict[tuple[str, str], corpus.Figures]) -> None:
    table = corpus.table(figures.values())
    assert corpus.doc_block(corpus.DOC.read_text(encoding="utf-8")) == table, (
        "docs/content.md's safety table is out of date: python -m tests.safety_corpus --readme"
    )
