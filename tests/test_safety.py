"""The red-flag detector against phrasings written from the sources by someone else.

tests/safety/urgent_en.yaml, ordinary_en.yaml and foreign.yaml were written by a helper who
did not write the matcher (kept as written); *_extra*.yaml are ours. Misses and false alarms
are printed (`pytest -s tests/test_safety.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.safety import Detector, Verdict
from tests.test_matcher import HOSTILE

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SETS = ROOT / "tests" / "safety"


def load(*names: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    for name in names:
        path = SETS / name
        if path.exists():
            items.extend(yaml.safe_load(path.read_text(encoding="utf-8")) or [])
    return items


URGENT = load("urgent_en.yaml", "urgent_extra_en.yaml")
ORDINARY = load("ordinary_en.yaml", "ordinary_extra_en.yaml")
FOREIGN = load("foreign.yaml", "foreign_extra.yaml")
SIGNS = {
    "face_swelling", "breathing_swallowing", "chest_pain", "skin_blisters", "liver",
    "vaginal_bleeding", "hand_tingling", "pregnancy", "overdose", "crisis",
}  # fmt: skip


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.load(CONTENT)


def alarms(verdict: Verdict) -> bool:
    return verdict.kind in {"urgent", "crisis"}


def test_the_sets_are_big_enough_and_cover_every_sign() -> None:
    assert len(load("urgent_en.yaml")) >= 80
    assert len(load("ordinary_en.yaml")) >= 80
    for sign in SIGNS:
        assert sum(1 for item in URGENT if item["sign"] == sign) >= 4, sign


def test_every_urgent_phrasing_leads_to_urgent_care_or_crisis_help(detector: Detector) -> None:
    verdicts = [(item, detector.assess(item["text"], "en")) for item in URGENT]
    misses = [item["text"] for item, verdict in verdicts if not alarms(verdict)]
    wrong_sign = [
        (item["text"], item["sign"], verdict.sign)
        for item, verdict in verdicts
        if alarms(verdict) and verdict.sign != item["sign"]
    ]
    print(f"\nurgent: {len(URGENT) - len(misses)}/{len(URGENT)} found; misses: {misses}")
    print(f"found under another sign ({len(wrong_sign)}): {wrong_sign}")
    assert misses == []


def test_crisis_phrasings_get_crisis_help_first(detector: Detector) -> None:
    crisis = [item["text"] for item in URGENT if item["sign"] == "crisis"]
    assert crisis
    assert [t for t in crisis if detector.assess(t, "en").kind != "crisis"] == []


def test_at_most_3_percent_of_ordinary_questions_raise_an_alarm(detector: Detector) -> None:
    false = [
        (item["text"], detector.assess(item["text"], "en").sign)
        for item in ORDINARY
        if alarms(detector.assess(item["text"], "en"))
    ]
    share = len(false) / len(ORDINARY)
    print(f"\nordinary: {len(false)}/{len(ORDINARY)} false alarms ({share:.1%}): {false}")
    assert share <= 0.03


def test_messages_in_other_languages(detector: Detector) -> None:
    """Emergency signs in other languages lead to urgent care; the rest get the short
    English answer that the bot does not read that language (never a false alarm)."""
    misses = [i["text"] for i in FOREIGN if i["urgent"] and not alarms(detector.assess(i["text"]))]
    false = [i["text"] for i in FOREIGN if not i["urgent"] and alarms(detector.assess(i["text"]))]
    unread = [
        i["text"]
        for i in FOREIGN
        if not i["urgent"] and detector.assess(i["text"]).kind != "foreign"
    ]
    print(f"\nforeign: misses {misses}; false alarms {false}; not recognised {unread}")
    assert misses == []
    assert false == []
    assert len(unread) <= 0.1 * len(FOREIGN)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "ru", "xx"]))
def test_any_text_at_all_gets_a_verdict(detector: Detector, text: str, language: str) -> None:
    assert detector.assess(text, language).kind in {"crisis", "urgent", "foreign", "none"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_the_detector(detector: Detector, text: str) -> None:
    assert isinstance(detector.assess(text * 3), Verdict)


def test_a_language_is_recognised_by_its_words_letters_or_script(detector: Detector) -> None:
    assert detector.assess("Kann ich die Tablette mit Essen nehmen?").language == "German"
    assert detector.assess("mam uderzenia gorąca").language == "Polish"
    assert detector.assess("Можно ли принимать с едой?").kind == "foreign"
    assert detector.assess("can I take it with food?").kind == "none"
    assert detector.assess("hola").kind == "foreign"
