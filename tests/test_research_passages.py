"""Trial figures and research answer only questions about trials and research (issue 24):
the passages a topic's front matter names `research:` are left out of the answer to any
other question, so "what about my bones?" gets help, not a stem-cell study."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.matcher import Matcher
from bot.pure.content import ContentError, Library
from tests.test_content import GOOD, write


def research_passages(matcher: Matcher, language: str) -> set[str]:
    table = f"passages_{language}"
    rows = matcher._db.query(f"SELECT text FROM {table} WHERE research")
    return {row["text"] for row in rows}


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("what about my bones?", "en"),
        ("my bones ache, will they get weaker", "en"),
        ("hot flushes every night, what helps", "en"),
        ("tell me about the side effects", "en"),
        ("что с костями?", "ru"),
        ("приливы по ночам, что делать", "ru"),
        ("какие побочные эффекты", "ru"),
    ],
)  # written before the matcher was run on them
def test_a_general_question_gets_no_trial_figures_or_research(
    matcher: Matcher, question: str, language: str
) -> None:
    research = research_passages(matcher, language)
    assert research  # the content names some
    for found in (matcher.search(question, language), matcher.suggest(question, language)):
        assert not any(m.passage.split("\n\n")[-1] in research for m in found), question


@pytest.mark.parametrize(
    ("question", "language", "topic"),
    [
        ("I read about stem cells and anastrozole, what is that?", "en", "research"),
        ("are scientists studying bone loss on aromatase inhibitors", "en", "research"),
        ("what did the ATAC trial find about hot flashes", "en", "sideeffects"),
        ("что изучают учёные про стволовые клетки", "ru", "research"),
    ],
)
def test_a_question_about_trials_or_research_still_gets_them(
    matcher: Matcher, question: str, language: str, topic: str
) -> None:
    assert matcher.search(question, language)[0].command == topic


def test_a_research_entry_naming_no_passage_stops_the_start(tmp_path: Path) -> None:
    write(tmp_path, "dose.md", GOOD.replace("order: 40", "order: 40\nresearch: [Nothing like it]"))
    with pytest.raises(ContentError, match="'research' names no passage"):
        Matcher(Library.load(tmp_path), tmp_path)
