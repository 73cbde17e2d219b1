"""The red-flag detector: every free text the bot reads passes it before anything else.

Warning signs of `content/<language>/urgent.md` are written as concepts in
`content/<language>/red_flags.yaml`: a sign fires when one of its patterns has a word from
each of its groups in one sentence ("throat" + "tight"; "two" + "tablets" + "took"). Words
are normalised (contractions, listed misspellings, one-letter slips of longer warning words)
and stemmed with the language's Snowball stemmer, so "swelling", "swollen", "swells" and
"pregnancy", "pregnant" are all found. Thoughts of suicide or self-harm are checked first and
lead to crisis help. `content/red_flags_any.yaml` adds the emergency signs in languages the
bot has no content for (matched by word beginnings) and how to recognise those languages.

Where the words stand matters as much as which they are (`bot.pure.context`, ConText): a sign
she has now is *affirmed* and answered with urgent care alone; a sign negated, asked about,
in the past or someone else's is a *mention*: her question keeps its answer, with one line
on when to get help (`Verdict.hint`). Crisis words denied or asked about as a side effect,
and distress without them ("I can't cope"), get a warm check-in with the numbers beside the
answer instead of the crisis page.

Pure: no Telegram, no database. `Detector.assess(text, language)` gives a `Verdict`.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path
from typing import Any, Literal, cast

import pymorphy3
import snowballstemmer
import yaml
from spellchecker import SpellChecker

from bot.pure.content import ContentError, read_yaml
from bot.pure.context import KINDS, PAUSE, Clock, Context, Cues, Stems, Term
from bot.pure.morph import analyzer
from bot.pure.place_index import default_path

Kind = Literal["crisis", "urgent", "foreign", "none"]
# How soon the care a warning sign needs (urgent.md's sections, most urgent first).
LEVELS = ("emergency", "urgent", "prompt")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*", re.UNICODE)
SENTENCE = re.compile(r"[.!?;:\n…。！？؟]+")
ANY_LANGUAGE_FILE = "red_flags_any.yaml"
# A slip of one letter is read as the warning word only in words this long: shorter words
# have too many real neighbours ("breast" / "breath" is listed in `not_misspellings`).
FUZZY_MIN = 6
SLIP_CACHE = 50_000  # words already stemmed, or checked for slips (a few MB at most)
MAX_TEXT = 2000  # characters looked at; a longer message is cut (red flags come early)
YEARS = re.compile(r"(?:19|20)\d\d")
YEAR = "yyyy"  # any year, as cues write it ("in yyyy")
VERDICT_CACHE = 4096  # distinct messages whose verdict is kept (a few MB at most)
PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn"})  # pymorphy3's tags of names
READS = 0.75  # the share of a message's words that are a language's own for it to be read so

PrefixTerm = tuple[tuple[str, ...], bool]  # word beginnings, or (text,) found anywhere
PrefixPattern = tuple[tuple[PrefixTerm, ...], ...]
Split = list[tuple[str, list[str], frozenset[str]]]  # each sentence, its words, their beginnings
Group = tuple[Term, ...]  # any of these terms


@dataclass(frozen=True)
class Pattern:
    """A word from every group in one sentence, and none of the `unless` terms."""

    groups: tuple[Group, ...]
    unless: tuple[Term, ...] = ()
    # Each group's first words: a sentence holding none of one group's cannot fit, which
    # one set test tells (most sentences fail most patterns).
    firsts: tuple[frozenset[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        firsts = tuple(frozenset(term[0] for term in group) for group in self.groups)
        object.__setattr__(self, "firsts", firsts)


# Cues that make a sign a mention (a question about it, or someone else's now), and those
# that make crisis words a check-in: thoughts of suicide in the past or someone else's ("mum
# says she wants to die") still get crisis help. A sign denied or over is nothing to add.
MENTION = frozenset({"hypothetical", "topic", "other"})
CHECK_IN = frozenset({"denied", "topic"})
QUIET = frozenset({"negated", "historical"})
# One hint per answer, the most pressing first.
HINTS = ("distress", *(f"warning_{level}" for level in LEVELS))


class SafetyDataError(ContentError):
    """A red-flag file is broken; the message names it (start-up refuses it)."""


@dataclass(frozen=True)
class Verdict:
    """What the text needs: crisis help, urgent care, a note that the language is not read,
    or nothing (then `hint` may name a line to add to the usual answer)."""

    kind: Kind
    sign: str = ""  # the warning sign's name in red_flags.yaml ("chest_pain")
    section: str = ""  # the heading in urgent.md that says what to do
    hint: str = ""  # "swelling", "mood": a line for the ordinary answer
    language: str = ""  # for "foreign": the language's English name, when known

    @property
    def stops(self) -> bool:
        """Crisis help or urgent care is answered at once, instead of anything else."""
        return self.kind in {"crisis", "urgent"}


NONE = Verdict("none")


@dataclass(frozen=True)
class Sign:
    name: str
    section: str
    patterns: tuple[Pattern, ...]
    unless: tuple[Term, ...] = ()
    level: str = "emergency"
    self_only: bool = False  # only she can have it (pregnancy): anyone else's is a mention
    maybe: bool = False  # "could be" is the sign itself ("if you could be pregnant")
    anyone: bool = False  # as urgent in someone else (a grandchild who swallowed tablets)

    @property
    def phrases(self) -> tuple[Term, ...]:
        return tuple(t for p in self.patterns for g in p.groups for t in g if len(t) > 1)

    @property
    def cues(self) -> frozenset[str]:
        """The kinds of context that make this sign a mention or nothing."""
        kinds = set(KINDS) - {"denied"}
        if self.maybe:
            kinds.discard("hypothetical")
        if self.anyone:
            kinds.discard("other")
        return frozenset(kinds)


@dataclass
class StemMemo:
    """The stems of the warning words, kept in the user's cache folder between starts:
    reading them (pymorphy3 parsing over a thousand Russian words, Snowball the English)
    was most of the detector's start. The file is named for everything a stem depends on
    (the stemmer, the libraries' versions, this module's lemma rule), so a change there
    starts a new file; a missing or broken file is only slower."""

    path: Path | None
    stems: dict[str, str]
    added: bool = False

    @classmethod
    def load(cls, name: str) -> StemMemo:
        key = hashlib.sha256(
            "|".join(
                [name, version("pymorphy3"), version("snowballstemmer"), inspect.getsource(_lemma)]
            ).encode()
        ).hexdigest()[:16]
        path = default_path().parent / f"stems-{name}-{key}.json"
        try:
            return cls(path, dict(json.loads(path.read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            return cls(path, {})

    def wrap(self, stem: Callable[[str], str]) -> Callable[[str], str]:
        def stem_word(word: str) -> str:
            found = self.stems.get(word)
            if found is None:
                found = stem(word)
                if self.path is not None:  # while loading: kept for the next start
                    self.stems[word] = found
                    self.added = True
            return found

        return stem_word

    def save(self) -> None:
        """Write the stems found while loading (once), then stop collecting: a message's
        words are not kept."""
        if self.path is not None and self.added:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
                temporary.write_text(json.dumps(self.stems, ensure_ascii=False), encoding="utf-8")
                os.replace(temporary, self.path)
            except OSError:
                pass  # only slower next time
        self.path = None


def _stemmer(name: str) -> Callable[[str], str]:
    """A Snowball stemmer by its language, or "pymorphy3": Russian words by their lemma, so
    every form of a verb is one word ("проснусь", "проснулась" -> "проснуться")."""
    if name == "pymorphy3":
        return _lemma
    try:
        return cast(Callable[[str], str], snowballstemmer.stemmer(name).stemWord)
    except KeyError as exc:
        raise SafetyDataError(f"unknown stemmer {name!r}") from exc


def _lemma(word: str) -> str:
    """The likeliest lemma that is not a name or a place: in lower-case text "колю" is
    "колоть" (to prick), not "Коля", and "режу" is "резать", not a town."""
    try:
        parses = analyzer().parse(word)
    except (KeyError, ValueError):  # a letter of a script it has no name for
        return word
    common = next((p for p in parses if PROPER.isdisjoint(p.tag.grammemes)), parses[0])
    return str(common.normal_form).replace("ё", "е")


@dataclass(frozen=True)
class KnownWords(Container[str]):
    """The words a morphological dictionary knows, in any form."""

    morph: pymorphy3.MorphAnalyzer

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and _known(self.morph, word)


@lru_cache(maxsize=SLIP_CACHE)
def _known(morph: pymorphy3.MorphAnalyzer, word: str) -> bool:
    try:
        return bool(morph.word_is_known(word))
    except (KeyError, ValueError):
        return False


def normalise(text: str) -> str:
    """Lower case (NFKC), one kind of apostrophe, "&" and "+" read as "and"."""
    text = unicodedata.normalize("NFKC", text[:MAX_TEXT]).lower()
    text = text.replace("’", "'").replace("‘", "'").replace("`", "'")
    return text.replace("&", " and ").replace("+", " and ")


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(normalise(text)) if s.strip()]


def _close(word: str, target: str) -> bool:
    """One letter added, dropped, changed, or two neighbours swapped."""
    if word == target or abs(len(word) - len(target)) > 1:
        return word == target
    if len(word) == len(target):
        diffs = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
        if len(diffs) == 1:
            return True
        return (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and word[diffs[0]] == target[diffs[1]]
            and word[diffs[1]] == target[diffs[0]]
        )
    short, long = sorted((word, target), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


@dataclass
class LanguageRules:
    """One language's warning signs, crisis concepts and word clean-up."""

    stem_word: Any
    contractions: dict[str, tuple[str, ...]]
    misspellings: dict[str, tuple[str, ...]]
    not_misspellings: frozenset[str]
    real_words: Container[str]  # never read as a slip ("parting" is not "panting")
    crisis: tuple[Pattern, ...]
    signs: tuple[Sign, ...]
    hints: dict[str, tuple[Pattern, ...]]
    context: Context = field(default_factory=Context)
    distress: tuple[Pattern, ...] = ()
    renewed: tuple[Pattern, ...] = ()  # a long-standing sign changed today ("but today worse")
    _vocabulary: frozenset[str] = frozenset()
    _long_words: tuple[str, ...] = ()
    _slips: dict[str, tuple[str, ...] | None] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> LanguageRules:
        try:
            data = read_yaml(path.read_text(encoding="utf-8")) or {}
            name = str(data.get("stemmer") or "english")
            known = StemMemo.load(name)
            rules = cls(
                stem_word=lru_cache(maxsize=SLIP_CACHE)(known.wrap(_stemmer(name))),
                contractions=_word_map(data.get("contractions")),
                misspellings=_word_map(data.get("misspellings")),
                not_misspellings=frozenset(
                    str(w).lower() for w in data.get("not_misspellings") or []
                ),
                real_words=_dictionary(str(data.get("dictionary") or "")),
                crisis=(),
                signs=(),
                hints={},
            )
            rules.crisis = rules.patterns(data.get("crisis"))
            rules.distress = rules.patterns(data.get("distress"))
            rules.signs = tuple(
                Sign(
                    name=str(name),
                    section=str(spec["section"]),
                    patterns=rules.patterns(spec["when"]),
                    unless=rules.terms(spec.get("unless")),
                    level=_level(name, spec.get("level", "emergency")),
                    self_only=bool(spec.get("self_only")),
                    maybe=bool(spec.get("maybe")),
                    anyone=bool(spec.get("anyone")),
                )
                for name, spec in (data.get("signs") or {}).items()
            )
            rules.hints = {str(k): rules.patterns(v) for k, v in (data.get("hints") or {}).items()}
            rules.context = rules.read_context(data.get("context") or {})
            rules.renewed = rules.patterns((data.get("context") or {}).get("renewed"))
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError, ValueError) as exc:
            raise SafetyDataError(f"{path}: {exc}") from exc
        if not rules.signs:
            raise SafetyDataError(f"{path}: no signs")
        known.save()  # the warning words' stems, for the next start
        rules._vocabulary = frozenset(_raw_words(data.get("signs"), data.get("crisis")))
        rules._long_words = tuple(sorted(w for w in rules._vocabulary if len(w) >= FUZZY_MIN))
        return rules

    def term(self, text: object) -> Term:
        term = tuple(self.stems(_text(text).lower()))
        if not term:
            raise ValueError(f"{text!r} has no word")
        return term

    def terms(self, raw: object) -> tuple[Term, ...]:
        if raw is not None and not isinstance(raw, list):
            raise TypeError(f"{raw!r} is not a list of words")
        return tuple(self.term(t) for t in _phrases(raw or []))

    def words_of(self, raw: object) -> frozenset[str]:
        """A list of single words as the stems they are read as."""
        return frozenset(stem for term in self.terms(raw) for stem in term)

    def cues(self, raw: dict[str, Any]) -> Cues:
        return Cues(
            self.terms(raw.get("before")),
            self.terms(raw.get("after")),
            self.terms(raw.get("next")),
            bool(raw.get("clause")),
            self.terms(raw.get("stop")),
        )

    def read_context(self, raw: dict[str, Any]) -> Context:
        """The `context:` section: ConText cues in this language's words."""
        unknown = set(raw) - {
            "near", "scope", "ignore", "terminate", "pseudo", "third_person", "asks", "affirm",
            "affirm_closing", "renewed", "durations", "numbers", "clock",
        }  # fmt: skip
        if unknown - set(KINDS):
            raise ValueError(f"context: unknown {sorted(unknown - set(KINDS))}")
        return Context(
            near=int(raw.get("near", 10)),
            scope=int(raw.get("scope", 6)),
            ignore=self.terms(raw.get("ignore")),
            terminate=self.terms(raw.get("terminate")),
            pseudo=self.terms(raw.get("pseudo")),
            cues={kind: self.cues(raw[kind]) for kind in KINDS if kind in raw},
            third_person=self.cues(raw.get("third_person") or {}),
            asks=self.terms(raw.get("asks")),
            affirm=self.terms(raw.get("affirm")),
            affirm_closing=self.terms(raw.get("affirm_closing")),
            durations=self.words_of(raw.get("durations")),
            numbers=self.words_of(raw.get("numbers")),
            clock=Clock(**{k: self.words_of(v) for k, v in (raw.get("clock") or {}).items()}),
        )

    def patterns(self, raw: object) -> tuple[Pattern, ...]:
        """A list of patterns: each a list of groups, or {all: [groups], unless: [terms]}."""
        out = []
        for item in raw if isinstance(raw, list) else []:
            spec = item if isinstance(item, dict) else {"all": item}
            groups = [g if isinstance(g, list) else [g] for g in spec["all"]]
            out.append(
                Pattern(
                    tuple(tuple(self.term(t) for t in _phrases(group)) for group in groups),
                    self.terms(spec.get("unless")),
                )
            )
        return tuple(out)

    def words(self, sentence: str) -> list[str]:
        """The sentence's words after contractions and misspellings, before stemming."""
        out: list[str] = []
        for word in WORD.findall(sentence):
            fixed = self.contractions.get(word) or self.misspellings.get(word)
            if fixed is None and len(word) >= FUZZY_MIN and word not in self._vocabulary:
                fixed = self._slip(word)
            out.extend(fixed or (word,))
        return out

    def _slip(self, word: str) -> tuple[str, ...] | None:
        if word in self._slips:
            return self._slips[word]
        found = None
        # While the rules are read there are no warning words yet to slip to (and asking
        # the dictionary then would load it into every start).
        if self._long_words and word not in self.not_misspellings and word not in self.real_words:
            found = next(((k,) for k in self._long_words if _close(word, k)), None)
        if len(self._slips) < SLIP_CACHE:
            self._slips[word] = found
        return found

    def stems(self, sentence: str) -> Stems:
        """The sentence's stems (a comma kept as a pause), other senses of warning words
        masked."""
        stems: list[str] = []
        for i, part in enumerate(sentence.split(",")):
            stems.extend([PAUSE] if i else [])
            stems.extend(
                YEAR if YEARS.fullmatch(w) else self.stem_word(w) for w in self.words(part)
            )
        return Stems(self.context.timed(stems)).masked(self.context.ignore)

    def crisis_in(self, stems: Stems) -> str:
        """ "crisis" for thoughts of suicide or self-harm, "distress" when they are denied or
        asked about, or for distress in other words; "" for neither."""
        stops = self.context.stops(stems)
        found = ""
        for pattern in (p for p in self.crisis if _fits(p, stems)):
            for words in self._spans(pattern, stems, stops):
                if CHECK_IN.isdisjoint(self.context.modifiers(stems, words, stops)):
                    return "crisis"
                found = "distress"
        distress = (p for p in self.distress if _fits(p, stems))
        if not found and any(self._spans(p, stems, stops) for p in distress):
            found = "distress"
        return found

    def signs_in(self, stems: Stems) -> Iterable[tuple[Sign, bool | None]]:
        """Each warning sign the sentence names, and whether she has it now (True), only
        mentions it (False: asked about, someone else's) or denies it, or it is over (None)."""
        stops: set[int] | None = None
        for sign in self.signs:
            fitting = [p for p in sign.patterns if _fits(p, stems)]  # most signs stop here
            if not fitting or any(stems.has(t) for t in sign.unless):
                continue
            stops = self.context.stops(stems) if stops is None else stops
            spans = [w for p in fitting for w in self._spans(p, stems, stops)]
            if not spans:
                continue
            # the sign's phrases elsewhere in the sentence ("can not feel"): their words are
            # no cue
            own = stems.covered(sign.phrases)
            mention = MENTION - {"other"} if sign.self_only else MENTION
            mentioned = False
            for words in spans:
                kinds = self.context.modifiers(stems, words, stops, sign.self_only, own, sign.cues)
                if not kinds or (kinds == {"historical"} and self._renewed(stems, words, stops)):
                    yield sign, True
                    break
                quiet = kinds.isdisjoint(mention) or not kinds.isdisjoint(QUIET)
                mentioned = mentioned or not quiet
            else:
                yield sign, False if mentioned else None

    def _renewed(self, stems: Stems, sign: set[int], stops: set[int]) -> bool:
        """A sign she has had for long, then, past a "but", a change today ("angina for years
        but today the pain is different"): she has it now."""
        end = max(sign)
        return any(
            min(words) > end and not stops.isdisjoint(range(end, min(words)))
            for pattern in self.renewed
            if _fits(pattern, stems)
            for words in self._spans(pattern, stems, set())
        )

    def reads(self, words: Iterable[str]) -> bool:
        """Whether the words are this language's: most of them are its real words."""
        found = [w in self.real_words for w in words if len(w) > 2 and w.isalpha()]
        return len(found) >= 2 and sum(found) >= READS * len(found)

    def hint_in(self, stems: Stems) -> str:
        """The first hint whose words stand in the sentence undenied ("no swelling" is none)."""
        stops = self.context.stops(stems)
        for name, patterns in self.hints.items():
            for pattern in (p for p in patterns if _fits(p, stems)):
                for words in self._spans(pattern, stems, stops):
                    if "negated" not in self.context.modifiers(stems, words, stops):
                        return name
        return ""

    def _spans(self, pattern: Pattern, stems: Stems, stops: set[int]) -> list[set[int]]:
        """The words of each fit of a pattern that `_fits` the sentence, closest first: each
        group's term nearest one of the first group's, all within `near` words and one
        clause. Each is read in its context: one of them may be affirmed."""
        places = [[(i, len(t)) for t in group for i in stems.find(t)] for group in pattern.groups]
        found: list[tuple[int, set[int]]] = []
        for anchor in places[0]:
            chosen = [anchor, *(min(g, key=lambda p: abs(p[0] - anchor[0])) for g in places[1:])]
            start = min(i for i, _ in chosen)
            end = max(i + n for i, n in chosen)
            commas = stems[start:end].count(PAUSE)  # a comma is no word
            if end - start - commas <= self.context.near and stops.isdisjoint(range(start, end)):
                found.append((end - start, {i + k for i, n in chosen for k in range(n)}))
        return [words for _, words in sorted(found, key=lambda f: f[0])]


def _phrases(raw: list[object]) -> list[object]:
    """A list of terms as written, where an item `{then: [[two, 2], [tablets, of my]]}` is
    every phrase of one term from each list in turn ("two tablets", "2 of my"): a count
    that must count her tablets, written once instead of as every pair."""
    out: list[object] = []
    for item in raw:
        if not isinstance(item, dict):
            out.append(item)
            continue
        if set(item) != {"then"} or not isinstance(item["then"], list) or not item["then"]:
            raise ValueError(f"{item!r}: write {{then: [[words], [words], ...]}}")
        found = [""]
        for part in item["then"]:
            words = [_text(w) for w in (part if isinstance(part, list) else [part])]
            found = [f"{start} {word}".strip() for start in found for word in words]
        out.extend(found)
    return out


def _word_map(raw: object) -> dict[str, tuple[str, ...]]:
    items = raw.items() if isinstance(raw, dict) else []
    return {str(k).lower(): tuple(str(v).lower().split()) for k, v in items}


def _raw_words(*sections: object) -> Iterable[str]:
    """Every single word written in the signs and crisis patterns (for spotting slips)."""
    stack: list[object] = list(sections)
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            yield from WORD.findall(item.lower())


@cache
@dataclass
class WordList(Container[str]):
    """pyspellchecker's frequency list of a language, loaded on first use: only a long word
    that is no warning word asks it, and loading it took a third of the detector's start."""

    language: str
    _words: Container[str] | None = None

    def __contains__(self, word: object) -> bool:
        if self._words is None:
            self._words = SpellChecker(language=self.language, distance=1).word_frequency.dictionary
        return word in self._words


def _dictionary(language: str) -> Container[str]:
    """The language's real words: pyspellchecker's frequency list (`WordList`), or every
    form pymorphy3's dictionary knows (Russian, whose forms no word list holds)."""
    if not language:
        return frozenset()
    if language == "pymorphy3":
        return KnownWords(analyzer())
    if language not in SpellChecker.languages():
        raise SafetyDataError(f"no dictionary for {language!r}")
    return WordList(language)


def _level(name: object, level: object) -> str:
    if level not in LEVELS:
        raise ValueError(f"{name}: level {level!r} is not one of {LEVELS}")
    return str(level)


def _fits(pattern: Pattern, stems: Stems) -> bool:
    """Whether the sentence holds a word of every group (anywhere) and no `unless` term."""
    if any(first.isdisjoint(stems.present) for first in pattern.firsts):
        return False
    return (
        bool(pattern.groups)
        and all(any(stems.has(t) for t in group) for group in pattern.groups)
        and not any(stems.has(t) for t in pattern.unless)
    )


@dataclass(frozen=True)
class OtherLanguage:
    code: str
    name: str
    words: frozenset[str]
    letters: str = ""  # letters only this language (of the listed ones) uses much

    def count(self, words: Sequence[str]) -> int:
        """How many of the words look like this language."""
        return sum(
            1
            for w in words
            if w in self.words or (self.letters and any(c in self.letters for c in w))
        )


@dataclass
class AnyLanguageRules:
    """Emergency signs in languages the bot does not read, and how to recognise them.

    Terms match a word that begins with them (so "дыш" finds "дышать"); in scripts written
    without spaces (Chinese, Japanese, Thai) they match anywhere in the text."""

    languages: tuple[OtherLanguage, ...] = ()
    scripts: dict[str, str] = field(default_factory=dict)
    crisis: tuple[PrefixPattern, ...] = ()
    signs: dict[str, tuple[PrefixPattern, ...]] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> AnyLanguageRules:
        if not path.exists():
            return cls()
        try:
            data = read_yaml(path.read_text(encoding="utf-8")) or {}
            return cls(
                languages=tuple(
                    OtherLanguage(
                        str(code),
                        str(spec["name"]),
                        frozenset(normalise(_text(w)) for w in spec["words"]),
                        normalise(str(spec.get("letters") or "")),
                    )
                    for code, spec in (data.get("languages") or {}).items()
                ),
                scripts={str(k).upper(): str(v) for k, v in (data.get("scripts") or {}).items()},
                crisis=_prefix_patterns(data.get("crisis")),
                signs={
                    str(name): _prefix_patterns(spec["when"])
                    for name, spec in (data.get("signs") or {}).items()
                },
                sections={
                    str(name): str(spec["section"])
                    for name, spec in (data.get("signs") or {}).items()
                },
            )
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            raise SafetyDataError(f"{path}: {exc}") from exc

    def crisis_in(self, split: Split) -> bool:
        return _any_prefix_fits(self.crisis, split)

    def sign_in(self, split: Split) -> str:
        return next((name for name, ps in self.signs.items() if _any_prefix_fits(ps, split)), "")

    def language_of(self, text: str) -> OtherLanguage | None:
        """The language the text is written in, when it is one of the listed ones (by its
        script, or by its common little words for languages written in Latin letters)."""
        letters = [c for c in text if c.isalpha()]
        if not letters:
            return None
        counts: dict[str, int] = {}
        for char in letters:
            script = unicodedata.name(char, "UNKNOWN").split()[0]
            counts[script] = counts.get(script, 0) + 1
        script = max(counts, key=lambda s: counts[s])
        if script != "LATIN":
            code = self.scripts.get(script, "")
            known = next((lang for lang in self.languages if lang.code == code), None)
            return known or OtherLanguage(code or script.lower(), "", frozenset())
        words = WORD.findall(normalise(text))
        best, best_count = None, 0
        for language in self.languages:
            count = language.count(words)
            if count > best_count:
                best, best_count = language, count
        if best is None or best.code == "en":
            return None
        english = next((lang for lang in self.languages if lang.code == "en"), None)
        english_count = english.count(words) if english else 0
        # two of its words, or a greeting of one word ("bonjour", "danke")
        sure = best_count >= 2 or best_count == len(words)
        return best if sure and best_count > english_count else None


def _prefix_patterns(raw: object) -> tuple[PrefixPattern, ...]:
    out = []
    for pattern in raw if isinstance(raw, list) else []:
        groups = [g if isinstance(g, list) else [g] for g in pattern]
        out.append(
            tuple(tuple(_prefix_term(normalise(_text(t))) for t in group) for group in groups)
        )
    return tuple(out)


def _text(value: object) -> str:
    """A term as written; YAML reads a bare `no` or `on` as true/false: refuse it."""
    if not isinstance(value, str | int):
        raise TypeError(f"{value!r} is not a word (put quotes around it)")
    return str(value)


# Scripts written without spaces, or whose words carry attached little words (Arabic "بألم")
# or combining vowel signs (Devanagari): their terms are looked for anywhere in the sentence.
ANYWHERE = {"CJK", "HIRAGANA", "KATAKANA", "THAI", "DEVANAGARI", "BENGALI", "TAMIL", "ARABIC"}


def _prefix_term(term: str) -> PrefixTerm:
    anywhere = any(unicodedata.name(c, "?").split()[0] in ANYWHERE for c in term)
    return (term,) if anywhere else tuple(term.split()), anywhere


def _split(text: str) -> Split:
    out = []
    for sentence in sentences(text):
        words = WORD.findall(sentence)
        out.append((sentence, words, frozenset(w[:i] for w in words for i in range(1, len(w) + 1))))
    return out


def _prefix_has(
    term: PrefixTerm, sentence: str, words: Sequence[str], starts: frozenset[str]
) -> bool:
    parts, anywhere = term
    if anywhere:
        return parts[0] in sentence
    n = len(parts)
    if parts[0] not in starts:  # most terms fail here, before any walk over the words
        return False
    if n == 1:
        return True
    return any(
        all(words[i + k].startswith(parts[k]) for k in range(n)) for i in range(len(words) - n + 1)
    )


def _prefix_fits(pattern: PrefixPattern, split: Split) -> bool:
    firsts = _prefix_firsts(pattern)
    return any(
        not any(first is not None and first.isdisjoint(starts) for first in firsts)
        and all(any(_prefix_has(t, sentence, words, starts) for t in group) for group in pattern)
        for sentence, words, starts in split
    )


def _any_prefix_fits(patterns: tuple[PrefixPattern, ...], split: Split) -> bool:
    """Whether one of the patterns fits, trying only those whose first group has a word
    beginning in the text (found by one set intersection) or a term found anywhere."""
    index, always = _prefix_index(patterns)
    starts = frozenset().union(*(s for _, _, s in split))
    tried = sorted({*always, *(i for key in index.keys() & starts for i in index[key])})
    return any(_prefix_fits(patterns[i], split) for i in tried)


@cache
def _prefix_index(
    patterns: tuple[PrefixPattern, ...],
) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """(first group's word beginning -> the patterns it can start; patterns always tried)."""
    index: dict[str, list[int]] = {}
    always: list[int] = []
    for i, pattern in enumerate(patterns):
        first = _prefix_firsts(pattern)[0] if pattern else None
        if first is None:
            always.append(i)
            continue
        for key in first:
            index.setdefault(key, []).append(i)
    return {k: tuple(v) for k, v in index.items()}, tuple(always)


@cache
def _prefix_firsts(pattern: PrefixPattern) -> tuple[frozenset[str] | None, ...]:
    """Each group's first word beginnings (None for a group with a term found anywhere in
    the text): a sentence with none of one group's cannot fit, which one set test tells."""
    return tuple(
        None
        if any(anywhere for _, anywhere in group)
        else frozenset(parts[0] for parts, _ in group)
        for group in pattern
    )


class Detector:
    """Red flags for every language with a `red_flags.yaml`, plus the any-language file."""

    def __init__(self, rules: dict[str, LanguageRules], others: AnyLanguageRules) -> None:
        self._rules = rules
        self._others = others
        # The verdict depends on the text alone, and many messages repeat word for word
        # ("thank you", "what are the side effects"): those are worked out once.
        self._verdicts = lru_cache(maxsize=VERDICT_CACHE)(self._assess)

    @classmethod
    def load(cls, content_root: Path) -> Detector:
        rules = {
            path.parent.name: LanguageRules.load(path)
            for path in sorted(content_root.glob("*/red_flags.yaml"))
        }
        if "en" not in rules:
            raise SafetyDataError(f"{content_root}/en/red_flags.yaml: missing")
        return cls(rules, AnyLanguageRules.load(content_root / ANY_LANGUAGE_FILE))

    def prepare(self) -> None:
        """Load the real-word lists a first slip asks (a fifth of a second for English): run
        beside the start, so neither the start nor her first message waits for them."""
        for rules in self._rules.values():
            _ = "" in rules.real_words

    def assess(self, text: str, language: str = "en") -> Verdict:
        """What the text needs (see `_assess`), worked out once per distinct message."""
        return self._verdicts(text, language)

    def urgent(self, sign: str, language: str = "en") -> Verdict:
        """The verdict of a warning sign another reader found ("twice" in her words about
        her tablet is `overdose`), so it gets the same answer as when the net finds it."""
        rules = self._rules.get(language, self._rules["en"])
        found = next(s for s in rules.signs if s.name == sign)
        return Verdict("urgent", sign=sign, section=found.section)

    def _assess(self, text: str, language: str) -> Verdict:
        """Crisis first, then warning signs (her language, the language she wrote in, English,
        the emergency words of any language), then whether the bot can read the text at all.

        A message in another language the bot has content for (Russian from someone who
        chose English) is read with that language's signs, then answered as "foreign": her
        answers come from her own language's guide, so the matcher could not read it."""
        written = self._others.language_of(text)
        own = language if language in self._rules else "en"
        codes = [own]
        if written and written.code in self._rules and written.code not in codes:
            codes.append(written.code)
        if "en" not in codes:  # English words from someone who chose another language
            codes.append("en")
        stemmed = [
            (self._rules[c], [self._rules[c].stems(s) for s in sentences(text)]) for c in codes
        ]
        crisis = {r.crisis_in(stems) for r, all_stems in stemmed for stems in all_stems}
        if "crisis" in crisis:
            return Verdict("crisis", sign="crisis")
        plain = _split(text)
        # Words of a language it has rules for are read by those rules alone: the cruder
        # any-language words would find "сердц" + "бол" in "болезнь сердца".
        crude = not any(r.reads(w for _, words, _ in plain for w in words) for r, _ in stemmed)
        if crude and "distress" not in crisis and self._others.crisis_in(plain):
            return Verdict("crisis", sign="crisis")
        hints = {"distress"} & crisis
        seen = False  # a sign her language's rules read (then the cruder words are not asked)
        for rules, all_stems in stemmed:
            mentioned: Sign | None = None  # asked about or someone else's, until she says "me too"
            for stems in all_stems:
                found = list(rules.signs_in(stems))
                if mentioned and not found and rules.context.affirms(stems):
                    found = [(mentioned, True)]
                for sign, affirmed in found:
                    if affirmed:
                        section = self._section(sign, own)
                        return Verdict("urgent", sign=sign.name, section=section)
                    if affirmed is False:
                        hints.add(f"warning_{sign.level}")
                        mentioned = sign
                    seen = True
        other = self._others.sign_in(plain) if crude and not seen else ""
        if other and not self._ruled_out(other, stemmed):
            section = self._section(Sign(other, self._others.sections[other], ()), own)
            return Verdict("urgent", sign=other, section=section)
        if written and written.code != own:
            return Verdict("foreign", language=written.name)
        hint = next((h for h in HINTS if h in hints), "")
        for rules, all_stems in stemmed:
            for stems in all_stems:
                hint = hint or rules.hint_in(stems)
        return Verdict("none", hint=hint) if hint else NONE

    @staticmethod
    def _ruled_out(name: str, stemmed: list[tuple[LanguageRules, list[Stems]]]) -> bool:
        """The any-language words are cruder than a language's own rules: a look-alike those
        rules cancel ("трудно глотать таблетку", a swallowed tablet) is not an alarm."""
        for rules, all_stems in stemmed:
            for sign in rules.signs:
                if sign.name == name:
                    terms = sign.unless + tuple(t for p in sign.patterns for t in p.unless)
                    if any(stems.has(t) for stems in all_stems for t in terms):
                        return True
        return False

    def _section(self, sign: Sign, language: str) -> str:
        """The heading of HER urgent topic for the sign (found in another language's words)."""
        mine = next((s for s in self._rules[language].signs if s.name == sign.name), sign)
        return mine.section
