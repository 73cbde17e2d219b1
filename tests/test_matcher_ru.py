"""Questions in Russian: the matcher stems Russian words, so inflected questions find the
Russian topics (tests/questions_ru.yaml, written from content/ru)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.matcher import Matcher
from bot.pure.content import Library
from bot.pure.safety import Detector
from bot.pure.smalltalk import SmallTalk
from tests.support import right_topics, shown_first

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
QUESTIONS = yaml.safe_load((ROOT / "tests" / "questions_ru.yaml").read_text(encoding="utf-8"))


def test_the_russian_question_set_asks_about_every_topic() -> None:
    assert len(QUESTIONS) >= 60
    assert sum(1 for q in QUESTIONS if right_topics(q) == {"none"}) >= 5
    # a topic not yet translated is English text, which no Russian question can find
    topics = {t.command for t in Library.load(CONTENT).topics("ru") if t.path.parent.name == "ru"}
    assert set().union(*map(right_topics, QUESTIONS)) == topics | {"none"}


def test_at_least_90_percent_of_russian_questions_find_their_topic(
    matcher: Matcher, detector: Detector, talk: SmallTalk
) -> None:
    misses = [
        (q["q"], q["topic"], found)
        for q in QUESTIONS
        for found in [shown_first(matcher, detector, talk, q["q"], "ru")]
        if found not in right_topics(q)
    ]
    right = len(QUESTIONS) - len(misses)
    print(f"\nRussian questions: {right}/{len(QUESTIONS)} right; misses: {misses}")
    assert right / len(QUESTIONS) >= 0.9, misses


def test_a_russian_answer_quotes_the_russian_text(matcher: Matcher) -> None:
    [first, *_] = matcher.search("пропустила таблетку", language="ru")
    assert first.command == "dose"
    assert first.passage.startswith("## Если вы пропустили приём\n\n")
    assert "никогда не принимайте две дозы" in first.passage


def test_inflected_words_find_the_same_passage(matcher: Matcher) -> None:
    """Stems: "приливы", "приливов", "прилив" are one word to the search."""
    found = {matcher.search(q, language="ru")[0].passage for q in ("приливы", "приливов")}
    assert len(found) == 1
    assert "приливы" in found.pop().lower()  # the passage, or the summary that leads it


def test_english_questions_keep_english_answers(matcher: Matcher) -> None:
    found = matcher.search("hot flushes", language="en")
    assert "hot flashes" in found[0].passage.lower()
    assert not any("а" <= letter <= "я" for m in found for letter in m.passage.lower())


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("какие самые частые побочные эффекты", "sideeffects"),
        ("какие побочки самые тяжёлые", "sideeffects"),
        ("как правильно пить анастрозол", "dose"),
        ("как его принимать", "dose"),
    ],
)
def test_the_plainest_russian_questions_get_their_topic(
    matcher: Matcher, question: str, topic: str
) -> None:
    """«Самые» is «сам» as a stem, the «сами» of "don't stop it on your own" (/everyday)."""
    assert matcher.search(question, language="ru")[0].command == topic
