"""Her everyday worries and complaints (issue 24), written by a helper who never saw the
matcher (tests/worries_<language>.yaml; every third question held out, measured once at
first contact before any change it prompted): printed part by part, and held to the figures
it first had, so a change that makes the matcher worse on it fails
(`pytest -s tests/test_worries.py`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.matcher import Matcher
from bot.pure.safety import Detector
from bot.pure.smalltalk import SmallTalk
from tests.support import right_topics, shown_first

SETS = Path(__file__).resolve().parent
# First contact (2026-12-03, before the changes it prompted): a floor, not a goal.
FIRST = {
    ("en", "dev"): 42,
    ("en", "heldout"): 23,
    ("ru", "dev"): 27,
    ("ru", "heldout"): 19,
}


def part(language: str, name: str) -> list[dict[str, Any]]:
    questions = yaml.safe_load((SETS / f"worries_{language}.yaml").read_text(encoding="utf-8"))
    held = name == "heldout"
    return [q for i, q in enumerate(questions) if (i % 3 == 2) == held]


@pytest.mark.parametrize(("language", "name"), FIRST)
def test_her_worries_find_what_helps(
    matcher: Matcher, detector: Detector, talk: SmallTalk, language: str, name: str
) -> None:
    questions = part(language, name)
    right = sum(
        shown_first(matcher, detector, talk, q["q"], language) in right_topics(q) for q in questions
    )
    print(f"\nworries {language} {name}: {right}/{len(questions)} ({right / len(questions):.1%})")
    assert right >= FIRST[language, name]
