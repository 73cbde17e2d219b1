"""Her own words about her tablet ("I took it", "забыла таблетку") and where she lives ("I
live in Leeds", "живу в Казани"), in every language with a `content/<lang>/intents.yaml`:
the words are content, so a translation brings its own, and a message is read with every
language's (a Russian sentence from someone who chose English is understood too)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.content import ContentError, read_yaml

INTENTS = "intents.yaml"
MAX_WORDS = 8  # a longer message is a question for the guide, not a report


@dataclass(frozen=True)
class Words:
    took: re.Pattern[str]
    forgot: re.Pattern[str]
    yesterday: re.Pattern[str]
    lives_in: re.Pattern[str]


def typed(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


@dataclass(frozen=True)
class HerWords:
    languages: tuple[Words, ...]

    def dose(self, text: str) -> tuple[str, bool] | None:
        """("taken" or "skipped", whether it is yesterday's) when a short message reports her
        tablet; None for anything else, questions included ("I took it with food, is that
        ok?" is a question for the guide)."""
        said = typed(text)
        if "?" in said or len(said.split()) > MAX_WORDS:
            return None
        for words in self.languages:
            status = (
                "taken" if words.took.match(said) else "skipped" if words.forgot.match(said) else ""
            )
            if status:
                return status, bool(words.yesterday.search(said))
        return None

    def place(self, text: str) -> str | None:
        """ "I live in Leeds" -> "leeds"; None when the text is no such statement."""
        said = typed(text)
        for words in self.languages:
            if match := words.lives_in.match(said):
                return match["place"].strip()
        return None


@cache
def her_words(content_root: Path) -> HerWords:
    """Every language's words, English first; a broken file stops the start-up."""
    found = []
    for path in sorted(content_root.glob(f"*/{INTENTS}"), key=lambda p: p.parent.name != "en"):
        try:
            raw = read_yaml(path.read_text(encoding="utf-8")) or {}
            found.append(
                Words(
                    *(
                        re.compile(str(raw[k]).strip(), re.VERBOSE)
                        for k in Words.__dataclass_fields__
                    )
                )
            )
        except (OSError, KeyError, re.error, AttributeError) as exc:
            raise ContentError(f"{path}: {exc}") from exc
    return HerWords(tuple(found))
