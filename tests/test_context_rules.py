"""ConText beyond one word and one sentence (bot/pure/context.py): what a message says after a
question, a change in an old sign, Russian questions with "не ... ли", names that look like
words, and commas. Each case has its twin that must stay quiet."""

from __future__ import annotations

import pytest

from bot.pure.safety import Detector


def kind(detector: Detector, text: str, language: str) -> str:
    verdict = detector.assess(text, language)
    return verdict.kind if verdict.kind != "none" else (verdict.hint or "none")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a sign asked about, then claimed as hers in the next sentence
        ("Is yellow skin a side effect? Because mine is, and I feel awful.", "en", "urgent"),
        ("My friend's face swelled up on this. Me too!", "en", "urgent"),
        ("Can it cause yellow eyes? Mine are fine, just curious.", "en", "warning_prompt"),
        ("My friend's face swelled up on this. Not me, thankfully.", "en", "warning_emergency"),
        ("Может ли от анастрозола пожелтеть кожа? У меня тоже так.", "ru", "urgent"),
        ("Может ли от анастрозола пожелтеть кожа? У меня такого нет.", "ru", "warning_prompt"),
        # an old sign, then a change today past a "but"
        ("I've had angina for years but today the pain is different and stronger", "en", "urgent"),
        ("стенокардия у меня давно но сегодня боль другая сильнее", "ru", "urgent"),
        ("I've had angina for years, it's well controlled", "en", "none"),
        # "не ... ли" asks; it does not deny
        ("дочь пьет эти таблетки, не беременна ли она", "ru", "urgent"),
        ("она не беременна", "ru", "none"),
        # a name is not a word: "колю" is to prick, not Kolya
        ("колю себя иголкой до крови", "ru", "crisis"),
        ("Коля сказал, что у меня всё хорошо", "ru", "none"),
        # commas are not words between a sign's parts
        ("Pinkish discharge at first, then proper blood, going on 6 days now", "en", "urgent"),
        # someone on the tablet is the woman the sign is about
        ("Подруга на анастрозоле, говорит, может быть беременна", "ru", "urgent"),
        ("Подруга говорит, что беременна, ждут мальчика", "ru", "none"),
    ],
)
def test_context_across_the_message(
    detector: Detector, text: str, language: str, expected: str
) -> None:
    assert kind(detector, text, language) == expected
