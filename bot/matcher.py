"""Plain-language questions to the right passage, by SQLite full-text search (FTS5).

The index is built in memory at start-up from the topic files: one row per paragraph, list
item or note, under its topic's title, menu description and section heading. Patients' words
("pill", "hot flushes", "bones") are mapped to the guide's words by the per-language
`synonyms.yaml`, and the porter stemmer folds plurals and stems (another language is indexed
and searched as Snowball stems, bot/pure/stemming.py). Warning signs never reach it: the safety
net (bot/pure/safety.py) answers them first. A caution note is one passage with the claim before
it, so the two are always quoted together.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from bot.pure.content import RESEARCH_ALL, ContentError, Library, Topic, read_yaml
from bot.pure.render import blocks
from bot.pure.stemming import stemmer
from db.store import Store

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?", re.UNICODE)
POINTER = re.compile(r"[^/.!?\n]*\s/([a-z_]+)\.?")  # one sentence whose only link is a topic
MAX_CONCEPTS = 12
SEARCH_CACHE = 4096  # distinct questions (as concepts) whose answer is kept
# bm25 column weights: a word in the topic's title, menu text or section heading says more
# about what the passage is for than the same word in running text; the ways patients ask
# for a passage (content/<language>/paraphrases.yaml) are many, so each word says less.
HEADING_WEIGHT, TEXT_WEIGHT, ASKED_WEIGHT = 2.0, 1.0, 0.5
PARAPHRASES = "paraphrases.yaml"
# A best passage scoring above (worse than) this is a chance hit on one common word, unless
# its own words hold all the question's concepts (Matcher._fits).
MIN_SCORE = -2.0
# A passage offered as "did you mean" scores at least this well (set from the question sets:
# tests/test_matcher.py prints how often the right topic is among those offered).
SUGGEST_SCORE = -1.0
# ... and one that shares less than this share of the question's words is a chance hit on
# one of them ("who won the football last night" is not about bleeding that *lasts*).
MIN_COVERAGE = 0.5
# ... or, when some of its words are nowhere in the guide or its paraphrases (a place, a name,
# everyday talk: "I get a bit woozy after my tablet, is it okay to drive the school run?"),
# at least this many of its concepts and that share of those the guide holds.
MIN_COVERED_KNOWN = 2
# Second answers are shown only when nearly as good as the first.
SECOND_RATIO = 0.6
# The best passage that fits (Matcher._fits) among the first few ranked answers: one that
# covers as many concepts through its paraphrases may rank first yet be a weak hit, while the
# topic that answers sits just behind it ("what tests do I need before starting").
FIT_TRIES = 3
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
    summary: bool = field(default=False, compare=False, repr=False)  # the topic's summary
    helps: bool = field(default=False, compare=False, repr=False)  # practical help (`helps:`)


class Reading(NamedTuple):
    """What the search reads of a question (the key of its cached answer)."""

    concepts: tuple[tuple[str, ...], ...]
    research: bool  # about trials and research: only then are their passages searched
    personal: bool  # asks for help or tells of suffering: practical help ranks first
    silent: bool = False  # names what the guide never covers (cost, insurance): no passage


@dataclass(frozen=True)
class Vocabulary:
    """Stop words, synonyms, and the words of "can I take X with it" for one language."""

    stopwords: frozenset[str]
    phrases: dict[str, str]
    words: dict[str, str]
    stem: Callable[[str], str] | None = None  # words are stems (keys, values, questions)
    taking: frozenset[str] = frozenset()
    linking: frozenset[str] = frozenset()
    not_medicines: frozenset[str] = frozenset()
    own_dose: frozenset[str] = frozenset()  # her own tablet's mishaps: never "another medicine"
    tablet: frozenset[str] = frozenset()  # her tablet: with a mishap, the dose's own guidance
    research: frozenset[str] = frozenset()  # words of a question about trials and research
    # words of asking for help or telling of suffering: they say what kind of answer she
    # needs, not what about, so they are no concept of the question
    helps: frozenset[str] = frozenset()
    silent: frozenset[str] = frozenset()  # what the guide never covers: cost, insurance

    @classmethod
    def load(cls, path: Path, stem: Callable[[str], str] | None = None) -> Vocabulary:
        if not path.exists():
            return cls(frozenset(), {}, {}, stem=stem)
        data = read_yaml(path.read_text(encoding="utf-8")) or {}
        fold = partial(stemmed, stem=stem) if stem else str.lower
        synonyms = {fold(str(k)): fold(str(v)) for k, v in (data.get("synonyms") or {}).items()}
        others = data.get("other_medicines") or {}

        def listed(raw: list[object] | None) -> frozenset[str]:
            return frozenset(fold(str(w)) for w in raw or [])

        return cls(
            stem=stem,
            stopwords=listed(data.get("stopwords")),
            phrases={k: v for k, v in synonyms.items() if " " in k},
            words={k: v for k, v in synonyms.items() if " " not in k},
            taking=listed(others.get("taking")),
            linking=listed(others.get("linking")),
            not_medicines=listed(others.get("not_medicines")),
            own_dose=listed(others.get("own_dose")),
            tablet=listed(others.get("tablet")),
            research=listed(data.get("research")),
            helps=listed(data.get("helps")),
            silent=listed(data.get("silent")),
        )

    def concepts(self, question: str) -> list[tuple[str, ...]]:
        """The question's meaningful words, each as the guide's words it stands for."""
        found_words = words(question)
        if self.stem:
            found_words = [self.stem(word) for word in found_words]
        text = " " + " ".join(found_words) + " "
        for padded in self._padded_helps:
            if padded in text:
                text = text.replace(padded, " ")
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
    def _padded_helps(self) -> tuple[str, ...]:
        """Each `helps` entry padded with spaces, longest first so none leaves part of another."""
        return tuple(f" {h} " for h in sorted(self.helps, key=len, reverse=True))

    @cached_property
    def _expansions(self) -> dict[str, tuple[str, ...]]:
        """Each synonym's meaningful guide words, worked out once rather than per question."""
        return {
            word: tuple(t for t in guide.split() if t not in self.stopwords and not t.isdigit())
            for word, guide in self.words.items()
        }

    def about_research(self, question: str) -> bool:
        """Whether the question names trials, figures or research ("how common", "what did
        the studies show"), in its own words before synonyms and stop words."""
        return self.says(question, self.research)

    def personal(self, question: str) -> bool:
        """Whether she asks for help ("what can I do about", "что делать с") or tells of
        suffering ("awful", "замучили") or worry ("I'm worried", "я боюсь"), other than about
        a mishap with her tablet ("что делать, если вырвало после таблетки": /dose says)."""
        found = {self.stem(w) if self.stem else w for w in words(question)}
        mishap = not found.isdisjoint(self.own_dose) and not found.isdisjoint(self.tablet)
        return self.says(question, self.helps) and not mishap

    def says(self, question: str, terms: frozenset[str]) -> bool:
        """Whether the question holds one of the terms (words or phrases, as stems)."""
        found = [self.stem(w) if self.stem else w for w in words(question)]
        text = f" {' '.join(found)} "
        return any(f" {term} " in text for term in terms)

    def terms(self, question: str) -> list[str]:
        return list(dict.fromkeys(term for concept in self.concepts(question) for term in concept))

    def combining(self, question: str) -> list[tuple[str, ...]]:
        """For "can I take X with it", or a follow-up starting "with X?": the concepts that
        may name X (empty for any other question, and for talk of her own tablet: "I took
        it twice", "I was sick after it" are about the dose, whose guidance the guide has)."""
        found = [self.stem(w) for w in words(question)] if self.stem else words(question)
        present = set(found)
        if not present.isdisjoint(self.own_dose):
            return []
        follow_up = bool(found) and found[0] in self.linking
        if not follow_up and (present.isdisjoint(self.taking) or present.isdisjoint(self.linking)):
            return []
        return [
            c
            for c in self.concepts(question)
            if not any(t in self.not_medicines or t in self.linking or t in self.taking for t in c)
        ]


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def stemmed(text: str, stem: Callable[[str], str] | None) -> str:
    """The text as its words' stems (as the index holds a language with a stemmer)."""
    return " ".join(map(stem, words(text))) if stem else text


def passages(topic: Topic) -> Iterator[tuple[str, str]]:
    """(section heading, paragraph) pairs; a heading is not a passage of its own. A note
    (`> ...`) belongs to the claim just before it in its section: they are one passage, so
    an answer never quotes the claim without its caution."""
    section, current = "", ""
    for block in blocks(topic.body):
        if block.startswith("#"):
            if current:
                yield section, current
            section, current = block.lstrip("#").strip(), ""
        elif block.startswith(">") and current and not current.startswith(">"):
            current += "\n\n" + block.strip()
        else:
            if current:
                yield section, current
            current = block.strip()
    if current:
        yield section, current


def pointer(command: str, text: str, commands: set[str]) -> str | None:
    """The topic a passage only sends her to ("Symptoms that need help fast are listed in
    /urgent."), or None. Such a passage says nothing itself: it is not searched, and what
    patients ask of it is searched with the first passage of the topic it names."""
    found = POINTER.fullmatch(text.strip())
    target = found.group(1) if found else None
    return target if target in commands and target != command else None


def passage_key(command: str, text: str) -> str:
    """A passage's name in paraphrases.yaml: its topic and its first five words."""
    return f"{command}/" + "-".join(re.findall(r"[^\W_]+", text.lower())[:5])


def research_keys(topic: Topic) -> set[str]:
    """The keys of the passages its front matter names as research (`research:`)."""
    return {passage_key(topic.command, text) for text in topic.research}


def paraphrases(content_root: Path, language: str) -> dict[str, list[str]]:
    """content/<language>/paraphrases.yaml: passage key -> the ways patients ask for it."""
    path = content_root / language / PARAPHRASES
    if not path.exists():
        return {}
    try:
        data = read_yaml(path.read_text(encoding="utf-8")) or {}
        return {str(key): [str(p) for p in phrases or []] for key, phrases in data.items()}
    except (yaml.YAMLError, AttributeError, TypeError) as exc:
        raise ContentError(f"{path}: {exc}") from exc


class Matcher:
    def __init__(self, library: Library, content_root: Path) -> None:
        self._db = Store(memory=True, execute_plugins=False)
        stems = {language: stemmer(language) for language in library.languages()}
        rows = []
        for language, stem in stems.items():
            asked = paraphrases(content_root, language)
            unknown = set(asked)
            commands = {topic.command for topic in library.topics(language)}
            handed: dict[str, list[str]] = {}  # topic -> what was asked of passages pointing to it
            first: dict[str, dict[str, Any]] = {}  # topic -> its first passage's row
            for topic in library.topics(language):
                research, everything = research_keys(topic), RESEARCH_ALL in topic.research
                unnamed = set() if everything else set(research)
                for summary, (section, text) in [
                    *([(True, ("", topic.summary))] if topic.summary else []),
                    *((False, found) for found in passages(topic)),
                ]:
                    key = passage_key(topic.command, text)
                    unknown.discard(key)
                    unnamed.discard(key)
                    target = pointer(topic.command, text, commands)
                    if target:
                        handed.setdefault(target, []).extend(asked.get(key, ()))
                        continue
                    rows.append(
                        {
                            "language": language,
                            "command": topic.command,
                            "title": topic.title,
                            "section": section,
                            "heading": stemmed(
                                f"{topic.title} {topic.description} {section}", stem
                            ),
                            "text": text,  # what is shown; "words" is what is searched
                            "words": stemmed(text, stem),
                            "asked": stemmed(" ".join(asked.get(key, ())), stem),
                            "part": stemmed(section, stem),  # for ranking only, not scored
                            "summary": summary,
                            "research": not summary and (everything or key in research),
                            "helps": topic.helps,
                        }
                    )
                    if not summary:
                        first.setdefault(topic.command, rows[-1])
                if unnamed:
                    raise ContentError(
                        f"{topic.path}: 'research' names no passage {sorted(unnamed)}"
                    )
            for target, phrases in handed.items():
                row = first[target]
                row["asked"] = f"{row['asked']} {stemmed(' '.join(phrases), stem)}".strip()
            if unknown:
                raise ContentError(
                    f"{content_root / language / PARAPHRASES}: no passage for {sorted(unknown)}"
                )
        # A table per language: bm25's word weights come from the language's own passages
        # (another language's paraphrases holding an English word would change them).
        for language in stems:
            table = self._db.table(_table(language))
            table.insert_all([r for r in rows if r["language"] == language], pk=None)
            table.enable_fts(
                ["heading", "words", "asked", "part"], fts_version="FTS5", tokenize="porter"
            )
        self._vocabularies = {
            language: Vocabulary.load(content_root / language / "synonyms.yaml", stem)
            for language, stem in stems.items()
        }
        self._best = lru_cache(maxsize=SEARCH_CACHE)(self._search)

    def search(self, question: str, language: str = "en", limit: int = 2) -> list[Match]:
        """Best passages from different topics, best first; empty when nothing fits well."""
        if language not in self._vocabularies:
            language = "en"
        return list(self._best(self._read(question, language), language, limit))

    def suggest(self, question: str, language: str = "en", limit: int = 3) -> list[Match]:
        """When no passage fits well: the topics she may mean, best first ("did you mean"),
        each sharing at least one of her concepts and scoring better than a chance hit on a
        common word (SUGGEST_SCORE); empty when nothing is plausible."""
        if language not in self._vocabularies:
            language = "en"
        return list(self._plausible(self._read(question, language), language, limit))

    def _read(self, question: str, language: str) -> Reading:
        """Her question's concepts; whether it is about trials and research: it names
        them ("how common", "studies"), or something only research passages hold ("stem
        cells"). Trial figures and research answer only such a question, so "what about my
        bones?" gets help, not a study; and whether it is personal (Vocabulary.personal)."""
        vocabulary = self._vocabularies[language]
        concepts = tuple(vocabulary.concepts(question)[:MAX_CONCEPTS])
        research = vocabulary.about_research(question) or any(
            self._in_guide(c, language) and not self._in_guide(c, language, general=True)
            for c in concepts
        )
        silent = vocabulary.says(question, vocabulary.silent)
        return Reading(concepts, research, vocabulary.personal(question), silent)

    @lru_cache(maxsize=SEARCH_CACHE)  # noqa: B019 (one matcher per application)
    def _plausible(self, reading: Reading, language: str, limit: int) -> tuple[Match, ...]:
        ranked = self._ranked(reading, language)
        return tuple(m for m in ranked if m.score <= SUGGEST_SCORE)[:limit]

    def unknown_medicine(self, question: str, language: str = "en") -> bool:
        """ "Can I take metformin with it": a medicine (or anything else taken with it) that
        no passage of the guide names, so the answer must not guess."""
        if language not in self._vocabularies:
            language = "en"
        named = self._vocabularies[language].combining(question)[:MAX_CONCEPTS]
        return any(not self._in_guide(concept, language) for concept in named)

    @lru_cache(maxsize=SEARCH_CACHE)  # noqa: B019 (one matcher per application)
    def _in_guide(
        self, concept: tuple[str, ...], language: str, general: bool = False, asked: bool = False
    ) -> bool:
        """Whether the guide says it (`general`: outside trial figures and research; `asked`:
        or patients ask for a passage in its words, content/<language>/paraphrases.yaml)."""
        table, columns = _table(language), "{heading words asked}" if asked else "{heading words}"
        return bool(
            self._db.execute(
                f"SELECT 1 FROM {table}_fts JOIN {table} p ON p.rowid = {table}_fts.rowid"
                f" WHERE {table}_fts MATCH ? AND NOT (? AND p.research) LIMIT 1",
                [f"{columns} : ({_any_of(concept)})", general],
            ).fetchone()
        )

    def _search(self, reading: Reading, language: str, limit: int) -> tuple[Match, ...]:
        """The answer depends only on the question's concepts, and many people ask the same
        things in their own words: `_best` caches this (bounded; content changes only on
        restart), which takes the search off most questions (see docs/performance.md)."""
        ranked, concepts = self._ranked(reading, language), list(reading.concepts)
        fitting = (i for i, m in enumerate(ranked[:FIT_TRIES]) if self._fits(m, concepts, language))
        first = next(fitting, None)
        good = ranked[first:] if first is not None else []
        return tuple(m for m in good[:limit] if m.score <= good[0].score * SECOND_RATIO)

    def _ranked(self, reading: Reading, language: str) -> list[Match]:
        """The best passage of each topic that shares a word with the question, best first:
        by how many of the question's concepts its text covers, then by bm25; within a topic,
        at equal cover, the one under a section heading naming more of them. A topic's
        summary, when it covers as much as the topic's best passage, stands in for it (with
        that passage's score): the plain answer first, the detail behind "More". Trial
        figures and research only for a question about them (`research`). For a personal
        question, asking for help is one more concept, covered by practical help whose
        heading names her subject. At equal cover,
        practical help (a `helps:` topic) goes first for a personal question, after the rest
        for any other: "what can I do about hot flushes" gets what helps, "is nausea a side
        effect" the side effects; but for a personal question a passage under a heading
        naming more of it goes first ("what can I do if I took two pills": not /coping's
        travel tips, which hold "two" and "/dose" too). Nothing for a question on what the
        guide never covers."""
        concepts = list(reading.concepts)
        terms = [t for concept in concepts for t in concept]
        if not terms or reading.silent:
            return []
        table = _table(language)
        rows = self._db.query(
            "SELECT p.rowid, p.command, p.title, p.section, p.text, p.summary, p.helps,"
            f" bm25({table}_fts, ?, ?, ?, 0.0) AS score"
            f" FROM {table}_fts JOIN {table} p ON p.rowid = {table}_fts.rowid"
            f" WHERE {table}_fts MATCH ? AND (? OR NOT p.research) ORDER BY score LIMIT ?",
            [HEADING_WEIGHT, TEXT_WEIGHT, ASKED_WEIGHT, _any_of(terms), reading.research, RERANK],
        )
        found = [_match(row) for row in rows]
        headed = {m.rowid: self._covered(m, concepts, language, column="part") for m in found}
        covered = {  # asking for help is itself a concept that help under her subject covers
            m.rowid: self._covered(m, concepts, language, column="{words asked}")
            + (reading.personal and m.helps and headed[m.rowid] > 0)
            for m in found
        }
        best: dict[str, Match] = {}
        ranking = sorted(
            found,
            key=lambda m: (
                -covered[m.rowid],
                -headed[m.rowid] if reading.personal else 0,
                m.helps != reading.personal,
                m.score,
            ),
        )
        for match in ranking:
            first = best.setdefault(match.command, match)
            if (
                not first.summary
                and covered[match.rowid] == covered[first.rowid]
                and headed[match.rowid] > headed[first.rowid]
            ):
                best[match.command] = first = replace(match, score=first.score)
            if match.summary and covered[match.rowid] == covered[first.rowid]:
                best[match.command] = replace(match, score=first.score)
        return list(best.values())

    def _covered(
        self, match: Match, concepts: list[tuple[str, ...]], language: str, column: str = ""
    ) -> int:
        """How many of the question's concepts the passage holds: in one column, or with its
        headings (which every passage of a topic shares)."""
        scope = f"{column} : " if column else ""
        return sum(
            1
            for concept in concepts
            if self._db.execute(
                f"SELECT 1 FROM {_table(language)}_fts WHERE {_table(language)}_fts MATCH ?"
                " AND rowid = ?",
                [f"{scope}({_any_of(concept)})", match.rowid],
            ).fetchone()
        )

    def _fits(self, best: Match, concepts: list[tuple[str, ...]], language: str) -> bool:
        """Enough of the question's concepts, and not a chance hit. bm25 weighs a word by its
        rarity, so a question in the guide's commonest words ("what are the side effects")
        scores low everywhere: a passage whose own words (text and headings) hold every
        concept the guide holds somewhere fits however low its score ("what side effects
        should I expect"); any other must score better than MIN_SCORE. Words the guide nowhere
        holds count less in the cover too (MIN_COVERED_KNOWN)."""
        covered = self._covered(best, concepts, language)
        known = sum(self._in_guide(c, language, asked=True) for c in concepts)
        if best.score > MIN_SCORE and (
            covered < known
            or self._covered(best, concepts, language, column="{heading words}") < known
        ):
            return False
        return covered >= MIN_COVERAGE * len(concepts) or (
            covered >= MIN_COVERED_KNOWN and covered >= MIN_COVERAGE * known
        )


def _table(language: str) -> str:
    """The language's passages table (its FTS index is `<table>_fts`)."""
    return "passages_" + re.sub(r"[^a-z]", "_", language.lower())


def _any_of(terms: Sequence[str]) -> str:
    """An FTS5 query: any of the terms, each quoted so no word is read as FTS syntax."""
    return " OR ".join('"' + term.replace('"', "") + '"' for term in terms)


def _match(row: dict[str, Any]) -> Match:
    section, text = str(row["section"]), str(row["text"])
    passage = f"## {section}\n\n{text}" if section else text
    score, summary = float(row["score"]), bool(row["summary"])
    return Match(
        row["command"], row["title"], passage, score, row["rowid"], summary, bool(row["helps"])
    )
