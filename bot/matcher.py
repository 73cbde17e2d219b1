"""Plain-language questions to the right passage, by SQLite full-text search (FTS5).

The index is built in memory at start-up from the topic files: one row per paragraph, list
item or note, under its topic's title, menu description and section heading. Patients' words
("pill", "hot flushes", "bones") are mapped to the guide's words by the per-language
`synonyms.yaml`, and the porter stemmer folds plurals and stems (another language is indexed
and searched as Snowball stems, bot/stemming.py). Red-flag words ("chest pain",
"blisters") always lead to the urgent topic first, whatever else matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

import yaml

from bot.content import Library, Topic
from bot.render import blocks
from bot.stemming import stemmer
from db.store import Store

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
MAX_CONCEPTS = 12
SEARCH_CACHE = 4096  # distinct questions (as concepts) whose answer is kept
# bm25 column weights: a word in the topic's title, menu text or section heading says more
# about what the passage is for than the same word in running text.
HEADING_WEIGHT, TEXT_WEIGHT = 2.0, 1.0
# A best passage scoring above (worse than) this is a chance hit on one common word.
MIN_SCORE = -2.0
# ... and one that shares less than this share of the question's words is a chance hit on
# one of them ("who won the football last night" is not about bleeding that *lasts*).
MIN_COVERAGE = 0.5
# Second answers are shown only when nearly as good as the first.
SECOND_RATIO = 0.6
# bm25 favours a short passage sharing one rare word; among the best few passages, the one
# whose own text answers more of the question's concepts goes first ("joint pain").
RERANK = 12


@dataclass(frozen=True)
class Match:
    command: str
    title: str
    passage: str  # Markdown: the section heading (if any), a blank line, the paragraph
    score: float
    rowid: int = field(default=0, compare=False, repr=False)


@dataclass(frozen=True)
class Vocabulary:
    """Stop words, synonyms and red-flag phrases for one language."""

    stopwords: frozenset[str]
    phrases: dict[str, str]
    words: dict[str, str]
    red_flags: tuple[frozenset[str], ...] = ()
    urgent_command: str = "urgent"
    stem: Callable[[str], str] | None = None  # words are stems (keys, values, questions)

    @classmethod
    def load(cls, path: Path, stem: Callable[[str], str] | None = None) -> Vocabulary:
        if not path.exists():
            return cls(frozenset(), {}, {}, stem=stem)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        fold = partial(stemmed, stem=stem) if stem else str.lower
        synonyms = {fold(str(k)): fold(str(v)) for k, v in (data.get("synonyms") or {}).items()}
        flags = data.get("red_flags") or {}
        return cls(
            stem=stem,
            stopwords=frozenset(fold(str(w)) for w in data.get("stopwords") or []),
            phrases={k: v for k, v in synonyms.items() if " " in k},
            words={k: v for k, v in synonyms.items() if " " not in k},
            red_flags=tuple(frozenset(words(str(p))) for p in flags.get("phrases") or []),
            urgent_command=str(flags.get("command") or "urgent"),
        )

    def concepts(self, question: str) -> list[tuple[str, ...]]:
        """The question's meaningful words, each as the guide's words it stands for."""
        found_words = words(question)
        if self.stem:
            found_words = [self.stem(word) for word in found_words]
        text = " " + " ".join(found_words) + " "
        for padded, replacement in self._padded_phrases:
            if padded in text:  # a substring test costs far less than a replace that finds none
                text = text.replace(padded, replacement)
        found: list[tuple[str, ...]] = []
        for word in text.split():
            expansion = self._expansions.get(word)
            if expansion is None:
                expansion = () if word in self.stopwords or word.isdigit() else (word,)
            if expansion and expansion not in found:
                found.append(expansion)
        return found

    @cached_property
    def _padded_phrases(self) -> tuple[tuple[str, str], ...]:
        """(" phrase ", " its guide words "), built once rather than for every question."""
        return tuple((f" {phrase} ", f" {guide} ") for phrase, guide in self.phrases.items())

    @cached_property
    def _expansions(self) -> dict[str, tuple[str, ...]]:
        """Each synonym's meaningful guide words, worked out once rather than per question."""
        return {
            word: tuple(t for t in guide.split() if t not in self.stopwords and not t.isdigit())
            for word, guide in self.words.items()
        }

    def terms(self, question: str) -> list[str]:
        return list(dict.fromkeys(term for concept in self.concepts(question) for term in concept))

    def is_red_flag(self, question: str) -> bool:
        """True when every word of some red-flag phrase is in the question, in any order."""
        present = set(words(question))
        if present.isdisjoint(self._flag_words):  # most questions: no flag word at all
            return False
        return any(flag and flag <= present for flag in self.red_flags)

    @cached_property
    def _flag_words(self) -> frozenset[str]:
        return frozenset().union(*self.red_flags)


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def stemmed(text: str, stem: Callable[[str], str] | None) -> str:
    """The text as its words' stems (as the index holds a language with a stemmer)."""
    return " ".join(map(stem, words(text))) if stem else text


def passages(topic: Topic) -> Iterator[tuple[str, str]]:
    """(section heading, paragraph) pairs; a heading is not a passage of its own."""
    section = ""
    for block in blocks(topic.body):
        if block.startswith("#"):
            section = block.lstrip("#").strip()
        else:
            yield section, block.strip()


class Matcher:
    def __init__(self, library: Library, content_root: Path) -> None:
        self._db = Store(memory=True, execute_plugins=False)
        stems = {language: stemmer(language) for language in library.languages()}
        rows = [
            {
                "language": language,
                "command": topic.command,
                "title": topic.title,
                "section": section,
                "heading": stemmed(f"{topic.title} {topic.description} {section}", stem),
                "text": text,  # what is shown; "words" is what is searched
                "words": stemmed(text, stem),
            }
            for language, stem in stems.items()
            for topic in library.topics(language)
            for section, text in passages(topic)
        ]
        table = self._db.table("passages")
        table.insert_all(rows, pk=None)
        table.enable_fts(["heading", "words"], fts_version="FTS5", tokenize="porter")
        self._vocabularies = {
            language: Vocabulary.load(content_root / language / "synonyms.yaml", stem)
            for language, stem in stems.items()
        }
        self._best = lru_cache(maxsize=SEARCH_CACHE)(self._search)

    def search(self, question: str, language: str = "en", limit: int = 2) -> list[Match]:
        """Best passages from different topics, best first; empty when nothing fits well."""
        if language not in self._vocabularies:
            language = "en"
        vocabulary = self._vocabularies[language]
        concepts = tuple(vocabulary.concepts(question)[:MAX_CONCEPTS])
        red_flag = vocabulary.is_red_flag(question)
        return list(self._best(concepts, red_flag, language, limit))

    def is_red_flag(self, text: str, language: str = "en") -> bool:
        """Whether any free text (a question, a diary note) names a warning sign."""
        vocabulary = self._vocabularies.get(language) or self._vocabularies["en"]
        return vocabulary.is_red_flag(text)

    def _search(
        self, concepts: tuple[tuple[str, ...], ...], red_flag: bool, language: str, limit: int
    ) -> tuple[Match, ...]:
        """The answer depends only on the question's concepts, and many people ask the same
        things in their own words: `_best` caches this (bounded; content changes only on
        restart), which takes the search off most questions (see docs/performance.md)."""
        ranked = self._ranked(list(concepts), language)
        good = ranked if ranked and self._fits(ranked[0], list(concepts)) else []
        good = [m for m in good[:limit] if m.score <= good[0].score * SECOND_RATIO]
        if red_flag:
            urgent = self._vocabularies[language].urgent_command
            first = next((m for m in ranked if m.command == urgent), None)
            first = first or self._first_section(urgent, language)
            if first is not None:
                good = [first, *(m for m in good if m.command != urgent)][:limit]
        return tuple(good)

    def _ranked(self, concepts: list[tuple[str, ...]], language: str) -> list[Match]:
        """The best passage of each topic that shares a word with the question, best first:
        by how many of the question's concepts its text covers, then by bm25."""
        terms = [t for concept in concepts for t in concept]
        if not terms:
            return []
        rows = self._db.query(
            "SELECT p.rowid, p.command, p.title, p.section, p.text,"
            " bm25(passages_fts, ?, ?) AS score"
            " FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid"
            " WHERE passages_fts MATCH ? AND p.language = ? ORDER BY score LIMIT ?",
            [HEADING_WEIGHT, TEXT_WEIGHT, _any_of(terms), language, RERANK],
        )
        matches = sorted(
            (_match(row) for row in rows),
            key=lambda m: (-self._covered(m, concepts, column="words"), m.score),
        )
        best: dict[str, Match] = {}
        for match in matches:
            best.setdefault(match.command, match)
        return list(best.values())

    def _covered(self, match: Match, concepts: list[tuple[str, ...]], column: str = "") -> int:
        """How many of the question's concepts the passage holds: in one column, or with its
        headings (which every passage of a topic shares)."""
        scope = f"{column} : " if column else ""
        return sum(
            1
            for concept in concepts
            if self._db.execute(
                "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? AND rowid = ?",
                [f"{scope}({_any_of(concept)})", match.rowid],
            ).fetchone()
        )

    def _fits(self, best: Match, concepts: list[tuple[str, ...]]) -> bool:
        if best.score > MIN_SCORE:
            return False
        return self._covered(best, concepts) >= MIN_COVERAGE * len(concepts)

    def _first_section(self, command: str, language: str) -> Match | None:
        """The topic's first passage under a heading: its most important part."""
        for row in self._db.query(
            "SELECT rowid, command, title, section, text, 0.0 AS score FROM passages"
            " WHERE command = ? AND language = ? AND section != '' ORDER BY rowid LIMIT 1",
            [command, language],
        ):
            return _match(row)
        return None


def _any_of(terms: Sequence[str]) -> str:
    """An FTS5 query: any of the terms, each quoted so no word is read as FTS syntax."""
    return " OR ".join('"' + term.replace('"', "") + '"' for term in terms)


def _match(row: dict[str, Any]) -> Match:
    section, text = str(row["section"]), str(row["text"])
    passage = f"## {section}\n\n{text}" if section else text
    return Match(row["command"], row["title"], passage, float(row["score"]), row["rowid"])
