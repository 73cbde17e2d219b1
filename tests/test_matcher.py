"""Questions in plain words: measured against a set of real-style questions."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matcher import Matcher, Vocabulary
from bot.pure.content import Library
from bot.pure.safety import Detector
from bot.pure.smalltalk import SmallTalk
from tests.support import right_topics, shown_first

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
QUESTIONS = yaml.safe_load((ROOT / "tests" / "questions.yaml").read_text(encoding="utf-8"))
# Written by someone who did not tune the matcher, kept as written (labels corrected only
# where the content plainly says otherwise); measured and reported on its own.
UNTUNED = yaml.safe_load((ROOT / "tests" / "questions_untuned.yaml").read_text(encoding="utf-8"))
PARTS = {"tuned": QUESTIONS, "untuned": UNTUNED}
HOSTILE = [
    "'; DROP TABLE passages; --",
    "SELECT * FROM passages_fts WHERE text MATCH 'x'",
    "<script>alert('hi')</script>",
    "x" * 4000,
    "pill " * 800,
    "🙂🙂🌷 💊?",
    "\u200f\u202eمرحبا هل يمكنني أخذ الحبة\u202c",
    '"',
    '"unclosed pill',
    "*",
    "pill*",
    "NEAR(pill dose)",
    "NEAR(",
    "-",
    "-pill -dose",
    "pill AND OR NOT",
    "title:pill",
    "^pill",
    "?",
    "   ",
    "",
    "\x00\x01",
]


def first_topic(matcher: Matcher, question: str) -> str:
    found = matcher.search(question)
    return found[0].command if found else "none"


def test_the_question_set_is_big_enough() -> None:
    assert len(QUESTIONS) + len(UNTUNED) >= 300
    assert len(UNTUNED) >= 100
    assert sum(1 for q in QUESTIONS if right_topics(q) == {"none"}) >= 5
    topics = {t.command for t in Library.load(CONTENT).topics("en")}
    wanted = topics | {"none", "smalltalk"}
    for part in PARTS.values():
        assert set().union(*map(right_topics, part)) == wanted  # every topic is asked about


@pytest.mark.parametrize("part", sorted(PARTS))
def test_at_least_90_percent_of_questions_find_their_topic(
    matcher: Matcher, detector: Detector, talk: SmallTalk, part: str
) -> None:
    questions = PARTS[part]
    misses = [
        (q["q"], q["topic"], found)
        for q in questions
        for found in [shown_first(matcher, detector, talk, q["q"])]
        if found not in right_topics(q)
    ]
    right = len(questions) - len(misses)
    print(f"\n{part}: {right}/{len(questions)} ({right / len(questions):.1%}); misses {misses}")
    assert right / len(questions) >= 0.9, misses


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather",
        "asdfgh",
        "who won the football last night",
        "how much is a box of the tablets, what's the price?",
        "thanks!",
        "?",
    ],
)
def test_questions_the_guide_cannot_answer_get_no_match(matcher: Matcher, question: str) -> None:
    assert matcher.search(question) == []


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("what side effects should I expect", "sideeffects"),
        ("which side effects are the worst", "sideeffects"),
        ("tell me the side effects", "sideeffects"),
        ("how do I take it", "dose"),
        ("how should I take anastrozole", "dose"),
    ],
)
def test_the_plainest_questions_get_their_topic(
    matcher: Matcher, question: str, topic: str
) -> None:
    """The guide's commonest words, an opener ("tell me"), a word the guide lacks ("expect"):
    once no answer, or a chance hit ("tell" is "report" a new pain)."""
    assert first_topic(matcher, question) == topic


@pytest.mark.parametrize(
    ("question", "language"),
    [("how much does a month's supply cost", "en"), ("сколько стоит таблетка", "ru")],
)
def test_what_the_guide_never_covers_gets_no_passage_and_no_guess(
    matcher: Matcher, question: str, language: str
) -> None:
    """Cost and insurance (`silent:`): not the dose table on "how much"."""
    assert matcher.search(question, language) == matcher.suggest(question, language) == []


@pytest.mark.parametrize("question", ["can I drink alcohol", "my hair is thinning"])
def test_what_the_guide_once_could_not_answer_gets_coping(matcher: Matcher, question: str) -> None:
    """/coping answers alcohol (cutting down helps with hot flushes) and hair thinning (the
    guide does not cover it: ask the pharmacist or nurse), which once got no match."""
    assert first_topic(matcher, question) == "coping"


def test_passages_carry_their_section_heading(matcher: Matcher) -> None:
    found = matcher.search("I forgot my pill")
    assert found[0].command == "dose"
    assert found[0].passage.startswith("## If you miss a dose\n\n")
    assert "never take two doses" in found[0].passage


def test_answers_come_from_different_topics_best_first(matcher: Matcher) -> None:
    found = matcher.search("can I take 2 pills", limit=3)
    assert len(found) >= 2  # else the two checks below hold for nothing
    assert len({m.command for m in found}) == len(found)
    assert [m.score for m in found] == sorted(m.score for m in found)


def test_unknown_language_uses_english(matcher: Matcher) -> None:
    assert first_topic(matcher, "hot flushes") == "sideeffects"
    assert matcher.search("hot flushes", language="xx")[0].command == "sideeffects"


@pytest.mark.parametrize("question", HOSTILE)
def test_hostile_text_never_breaks_the_search(matcher: Matcher, question: str) -> None:
    found = matcher.search(question)
    assert isinstance(found, list)
    assert len(found) <= 2


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_at_all_is_searched_without_error(matcher: Matcher, question: str) -> None:
    found = matcher.search(question)
    assert all(m.command for m in found)


def test_vocabulary_maps_patients_words(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "synonyms: {hot flushes: hot flashes, pill: tablet dose}\n"
        "stopwords: [my, the]\n"
        "other_medicines: {taking: [take], linking: [with], not_medicines: [tablet]}\n",
        encoding="utf-8",
    )
    vocabulary = Vocabulary.load(path)
    assert vocabulary.terms("My hot flushes and the PILL") == [
        "hot",
        "flashes",
        "and",
        "tablet",
        "dose",
    ]
    assert vocabulary.combining("take the pill with metformin") == [("metformin",)]
    assert vocabulary.combining("the pill and metformin") == []  # not about taking them
    assert vocabulary.combining("with metformin?") == [("metformin",)]  # a follow-up
    assert Vocabulary.load(tmp_path / "missing.yaml").terms("pill") == ["pill"]


def test_words_of_asking_for_help_make_a_question_personal_and_are_not_searched(
    tmp_path: Path,
) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text(
        "synonyms: {hot flushes: hot flashes}\nstopwords: [the]\nhelps: [what can i do, awful]\n",
        encoding="utf-8",
    )
    vocabulary = Vocabulary.load(path)
    assert vocabulary.personal("What can I do about the hot flushes")
    assert vocabulary.terms("What can I do about the hot flushes") == ["about", "hot", "flashes"]
    assert vocabulary.terms("the hot flushes are awful") == ["hot", "flashes", "are"]
    assert not vocabulary.personal("are hot flushes common")


@pytest.mark.parametrize(
    ("question", "language"),
    [
        ("I took my tablet twice with my tea by mistake", "en"),
        ("I was sick after taking it with breakfast, do I take another?", "en"),
        ("dropped my pill while taking it with water", "en"),
        ("выпила таблетку дважды вместе с кальцием", "ru"),
        ("вырвало после того как приняла её с едой", "ru"),
    ],
)
def test_her_own_tablet_is_never_another_medicine(
    matcher: Matcher, question: str, language: str
) -> None:
    """Talk of her own dose gets the dose's guidance, never "ask the pharmacist about it"."""
    assert not matcher.unknown_medicine(question, language)


@pytest.mark.parametrize(
    ("question", "language"),
    [("can I take metformin with it", "en"), ("можно ли метформин вместе с ним", "ru")],
)
def test_a_medicine_the_guide_does_not_name_still_goes_to_the_pharmacist(
    matcher: Matcher, question: str, language: str
) -> None:
    assert matcher.unknown_medicine(question, language)
