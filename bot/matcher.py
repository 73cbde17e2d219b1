"""Plain-language questions to the right passage, by SQLite full-text search (FTS5).

The index is built in memory at start-up from the topic files: one row per paragraph.
Patients' words ("pill", "hot flushes", "bones") are mapped to the guide's words by the
per-language `synonyms.yaml`, and the porter stemmer folds plurals and stems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlite_utils import Database

from bot.content import Library

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)


@dataclass(frozen=True)
class Match:
    command: str
    title: str
    passage: str
    score: float


@dataclass(frozen=True)
class Vocabulary:
    """Stop words and synonyms for one language."""

    stopwords: frozenset[str]
    phrases: dict[str, str]
    words: dict[str, str]

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        if not path.exists():
            return cls(frozenset(), {}, {})
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        synonyms = {str(k).lower(): str(v).lower() for k, v in (data.get("synonyms") or {}).items()}
        return cls(
            stopwords=frozenset(str(w).lower() for w in data.get("stopwords") or []),
            phrases={k: v for k, v in synonyms.items() if " " in k},
            words={k: v for k, v in synonyms.items() if " " not in k},
        )

    def terms(self, question: str) -> list[str]:
        text = " " + " ".join(WORD.findall(question.lower())) + " "
        for phrase, replacement in self.phrases.items():
            text = text.replace(f" {phrase} ", f" {replacement} ")
        terms: list[str] = []
        for word in text.split():
            for term in self.words.get(word, word).split():
                if term not in self.stopwords and term not in terms:
                    terms.append(term)
        return terms


class Matcher:
    def __init__(self, library: Library, content_root: Path) -> None:
        self._db = Database(memory=True, execute_plugins=False)
        rows = []
        for language in library.languages():
            for topic in library.topics(language):
                for paragraph in re.split(r"\n\s*\n", topic.body):
                    rows.append(
                        {
                            "language": language,
                            "command": topic.command,
                            "title": topic.title,
                            "text": paragraph.strip(),
                        }
                    )
        table = self._db.table("passages")
        table.insert_all(rows, pk=None)
        table.enable_fts(["title", "text"], fts_version="FTS5", tokenize="porter")
        self._vocabularies = {
            language: Vocabulary.load(content_root / language / "synonyms.yaml")
            for language in library.languages()
        }

    def search(self, question: str, language: str = "en", limit: int = 2) -> list[Match]:
        """Best passages from different topics, best first; empty when nothing fits well."""
        if language not in self._vocabularies:
            language = "en"
        vocabulary = self._vocabularies[language]
        terms = vocabulary.terms(question)[:12]
        if not terms:
            return []
        query = " OR ".join('"' + term.replace('"', "") + '"' for term in terms)
        rows = self._db.query(
            "SELECT p.command, p.title, p.text, bm25(passages_fts, 2.0, 1.0) AS score"
            " FROM passages_fts JOIN passages p ON p.rowid = passages_fts.rowid"
            " WHERE passages_fts MATCH ? AND p.language = ? ORDER BY score LIMIT 20",
            [query, language],
        )
        best: dict[str, Match] = {}
        for row in rows:
            if row["command"] not in best:
                best[row["command"]] = Match(
                    row["command"], row["title"], row["text"], row["score"]
                )
        ranked = sorted(best.values(), key=lambda m: m.score)
        if not ranked or ranked[0].score > -1.0:
            return []
        top = ranked[0].score
        return [m for m in ranked[:limit] if m.score <= top * 0.6]
