"""Word stems per language for the question matcher, so "таблетку" finds "таблетки".

SQLite's porter tokenizer stems English only. For another language the matcher indexes the
passages and searches the question as Snowball stems (snowballstemmer: 30-odd languages,
kept up by the Snowball project); English keeps porter, which its question set is tuned to.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import snowballstemmer

# Language codes of the translation folders (Telegram's language_code) to Snowball's names.
SNOWBALL = {
    "ru": "russian",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "pl": "polish",
}
STEMS_KEPT = 65536  # distinct words whose stem is remembered (a language has fewer in use)


def stemmer(language: str) -> Callable[[str], str] | None:
    """The stemmer for a language's lowercase words; None where FTS5 needs none (English
    has porter) or Snowball has none (the words are then matched as written)."""
    name = SNOWBALL.get(language)
    if name is None:
        return None
    algorithm = snowballstemmer.stemmer(name)

    @lru_cache(maxsize=STEMS_KEPT)
    def stem(word: str) -> str:
        return str(algorithm.stemWord(word.replace("ё", "е")))

    return stem
