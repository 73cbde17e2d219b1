"""Greetings, thanks and "ok": a whole message of small talk gets a short friendly reply
instead of "not in my guide". Only a message made of small talk and nothing else counts, so
"hi, can I drink alcohol?" stays a question. The words are data
(`content/<language>/synonyms.yaml`, `smalltalk`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.pure.content import read_yaml

WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
# More words than this is a sentence with something to say, not small talk.
MAX_WORDS = 8
MAX_CHARACTERS = 80  # likewise, told before the words are even split


@dataclass(frozen=True)
class SmallTalk:
    """Per language: phrases by kind (greeting, thanks, ok, goodbye, who) and filler words
    ("so much", "love") that may stand beside them."""

    kinds: dict[str, dict[str, tuple[str, ...]]]
    fillers: dict[str, frozenset[str]]

    @classmethod
    def load(cls, content_root: Path) -> SmallTalk:
        kinds: dict[str, dict[str, tuple[str, ...]]] = {}
        fillers: dict[str, frozenset[str]] = {}
        for path in sorted(content_root.glob("*/synonyms.yaml")):
            data = (read_yaml(path.read_text(encoding="utf-8")) or {}).get("smalltalk")
            if not data:
                continue
            language = path.parent.name
            phrases = data.get("phrases") or {}
            kinds[language] = {
                kind: tuple(sorted((_norm(p) for p in found), key=len, reverse=True))
                for kind, found in phrases.items()
            }
            fillers[language] = frozenset(_norm(w) for w in data.get("fillers") or [])
        return cls(kinds, fillers)

    def kind(self, text: str, language: str = "en") -> str | None:
        """The kind of small talk the whole message is, or None when it says anything more."""
        if len(text) > MAX_CHARACTERS:
            return None
        if language not in self.kinds:
            language = "en"
        kinds = self.kinds.get(language)
        if not kinds:
            return None
        words = WORD.findall(text.lower().replace("’", "'"))
        if not words or len(words) > MAX_WORDS:
            return None
        rest = " " + " ".join(words) + " "
        found: list[tuple[int, str]] = []
        for kind, phrases in kinds.items():
            for phrase in phrases:
                at = rest.find(f" {phrase} ")
                if at >= 0:
                    found.append((at, kind))
                    rest = rest.replace(f" {phrase} ", " ")
        if not found or not set(rest.split()) <= self.fillers.get(language, frozenset()):
            return None
        return min(found)[1]


def _norm(text: str) -> str:
    return " ".join(WORD.findall(str(text).lower()))
