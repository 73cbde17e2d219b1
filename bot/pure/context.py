"""Where a warning word stands in its sentence, read the way clinical NLP reads it.

ConText (Harkema et al. 2009, NegEx's successor; medspaCy implements it for English): a sign
found by its words is *affirmed*, she has it now, unless a cue near it in the same clause
changes that: *negated* ("no chest pain", "the rash has gone"), *hypothetical* ("what if my
face swells"), *topic* (a question about the medicine: "can it cause chest pain?"),
*historical* ("I had blisters years ago") or *other* (someone else: "my sister is
pregnant"). Thoughts of suicide have their own, narrower negation, *denied* ("I'm not
suicidal"): most ways of saying them hold a "no" ("no reason to live").

A cue reaches `scope` words towards the sign and stops at a terminator ("but", "however");
the words of a pseudo-cue ("no idea", "not sure") are no cue at all, and a cue's words that
are part of the sign ("can not breathe") are the sign's. Other senses of warning words
("blood pressure", "breast cancer", "blister pack") are masked before anything is looked
for, so they never make a sign.

Pure: no Telegram, no database. Everything here works on a sentence's stems
(`bot.pure.safety.LanguageRules.stems`), so each language writes its cues in its own words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Term = tuple[str, ...]  # consecutive stemmed words
MASK = "\x00"  # a masked position: no term starts or continues there
PAUSE = ","  # a comma's place among the stems: a cue does not reach over it
KINDS = ("negated", "hypothetical", "topic", "historical", "other", "denied")


class Stems(list[str]):
    """A sentence's stems, with a set of them for the one-word terms (most of them)."""

    def __init__(self, stems: Iterable[str]) -> None:
        super().__init__(stems)
        self.present = frozenset(self)

    def has(self, term: Term) -> bool:
        if term[0] not in self.present:  # most terms fail here, before any slicing
            return False
        return len(term) == 1 or bool(self.find(term))

    def find(self, term: Term) -> list[int]:
        """Where the term starts, each time it stands in the sentence."""
        if term[0] not in self.present:
            return []
        n = len(term)
        if n == 1:
            return [i for i, stem in enumerate(self) if stem == term[0]]
        return [i for i in range(len(self) - n + 1) if tuple(self[i : i + n]) == term]

    def covered(self, terms: Iterable[Term]) -> set[int]:
        """Every position one of the terms stands on."""
        return {i + k for term in terms for i in self.find(term) for k in range(len(term))}

    def masked(self, terms: tuple[Term, ...]) -> Stems:
        """The sentence with the words of these phrases taken out (positions kept)."""
        hidden = self.covered(t for t in terms if t[0] in self.present)
        if not hidden:
            return self
        return Stems(MASK if i in hidden else stem for i, stem in enumerate(self))


@dataclass(frozen=True)
class Cues:
    """Cue phrases that reach forward to a sign (`before` it) or back to it (`after` it);
    `next`: only a word of the sign right after them (Russian "не" negates one word);
    `clause`: they reach the whole clause, over commas ("my friend, her fingers went numb");
    `stop`: words they do not reach over ("my husband noticed MY eyes are yellow")."""

    before: tuple[Term, ...] = ()
    after: tuple[Term, ...] = ()
    next: tuple[Term, ...] = ()
    clause: bool = False
    stop: tuple[Term, ...] = ()


@dataclass(frozen=True)
class Clock:
    """Words that make a number a time of day: always after `at` ("took it at 4", "в 4"),
    after `around` only in a sentence that says she was `late` ("late, around 4"; "took
    about 3 today" may be tablets), and never with a `counted` word after it ("at 2
    tablets", "в 2 раза больше")."""

    at: frozenset[str] = frozenset()
    around: frozenset[str] = frozenset()
    late: frozenset[str] = frozenset()
    counted: frozenset[str] = frozenset()

    def tells(self, before: str, after: str, late: bool) -> bool:
        """Whether a number between these words is a clock time."""
        cued = before in self.at or (late and before in self.around)
        return cued and after not in self.counted


@dataclass(frozen=True)
class Context:
    """One language's ConText cues, and how near a pattern's words must stand."""

    near: int = 10  # a pattern's words all within this many words
    scope: int = 6  # how many words a cue reaches
    ignore: tuple[Term, ...] = ()  # other senses of warning words, masked first
    terminate: tuple[Term, ...] = ()
    pseudo: tuple[Term, ...] = ()
    cues: Mapping[str, Cues] | None = None
    third_person: Cues = Cues()  # someone else, for a sign only she can have
    # a word that makes a "не" before a sign a question ("не в положении ли она?")
    asks: tuple[Term, ...] = ()
    # after a sign asked about or someone else's, she says she has it ("Mine is.", "Me too",
    # "У меня сейчас пятый день"): `affirm` anywhere, `affirm_closing` where a clause ends
    affirm: tuple[Term, ...] = ()
    affirm_closing: tuple[Term, ...] = ()
    # a number before one of these counts time, not tablets ("2 hours late", "в два часа")
    durations: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()  # the number words (digits are numbers anyway)
    clock: Clock = Clock()

    def timed(self, stems: list[str]) -> list[str]:
        """The stems with each number that tells the time masked: it counts hours or
        minutes ("took my tablet 2 hours late", "at 4 pm"), or is a clock time (`Clock`),
        so it holds no second tablet."""
        late = not self.clock.late.isdisjoint(stems)
        padded = ["", *stems, ""]
        return [
            MASK
            if (stem.isdigit() or stem in self.numbers)
            and (after in self.durations or self.clock.tells(before, after, late))
            else stem
            for before, stem, after in zip(padded, padded[1:], padded[2:], strict=False)
        ]

    def stops(self, stems: Stems) -> set[int]:
        """Where a clause ends: no pattern spans it and no cue reaches over it."""
        return stems.covered(self.terminate)

    def modifiers(
        self,
        stems: Stems,
        sign: set[int],
        stops: set[int],
        self_only: bool = False,
        own: set[int] | frozenset[int] = frozenset(),
        kinds: frozenset[str] = frozenset(KINDS),
    ) -> frozenset[str]:
        """The kinds of cue that reach the sign's words in this sentence. `own`: where the
        sign's words stand elsewhere in it ("can't feel my fingertips, they tingle"): a cue's
        word there is the sign's."""
        start, end = min(sign), max(sign) + 1
        blocked = sign | own | stems.covered(self.pseudo)
        pauses = stops | {i for i, stem in enumerate(stems) if stem == PAUSE}
        found = set()
        for kind, cues in (self.cues or {}).items():
            if kind not in kinds:
                continue
            ends = (stops if cues.clause else pauses) | stems.covered(cues.stop)
            if self_only and kind == "other":  # "my friend, on anastrozole, is pregnant"
                ends = ends | stems.covered(self.third_person.stop)
            negates = any(
                i + len(term) in sign and blocked.isdisjoint(range(i, i + len(term)))
                for term in cues.next
                for i in stems.find(term)
            )
            # "не в положении ли она?": a question, not a negation
            asked = negates and any(end <= i <= end + 2 for t in self.asks for i in stems.find(t))
            reaches = self._reaches(stems, cues, start, end, blocked, ends)
            if reaches or (negates and not asked):
                found.add(kind)
            elif negates and "hypothetical" in kinds:
                found.add("hypothetical")
        third = self.third_person
        if self_only and self._reaches(
            stems, third, start, end, blocked, stops | stems.covered(third.stop)
        ):
            found.add("other")
        return frozenset(found)

    def affirms(self, stems: Stems) -> bool:
        """Whether the sentence says she has what was just mentioned (not denied, not over)."""
        stops = self.stops(stems)
        ends = stops | {i for i, stem in enumerate(stems) if stem == PAUSE} | {len(stems)}
        places = [(i, len(t)) for t in self.affirm for i in stems.find(t)]
        places += [
            (i, len(t)) for t in self.affirm_closing for i in stems.find(t) if i + len(t) in ends
        ]
        return any(
            {"negated", "historical"}.isdisjoint(self.modifiers(stems, set(range(i, i + n)), stops))
            for i, n in places
        )

    def _reaches(
        self, stems: Stems, cues: Cues, start: int, end: int, blocked: set[int], stops: set[int]
    ) -> bool:
        scope = len(stems) if cues.clause else self.scope
        for term in cues.before:
            for i in stems.find(term):
                last = i + len(term)
                if (
                    blocked.isdisjoint(range(i, last))
                    and (
                        # before the sign's words, or between them ("eyes not yellow")
                        (last <= start and start - last <= scope) or (start < i and last < end)
                    )
                    # a terminator that begins the cue ("а если") does not end its reach
                    and stops.isdisjoint(range(last, start) if last <= start else range(i, last))
                ):
                    return True
        for term in cues.after:
            for i in stems.find(term):
                if (
                    i >= end
                    and i - end <= scope
                    and blocked.isdisjoint(range(i, i + len(term)))
                    and stops.isdisjoint(range(end, i + len(term)))
                ):
                    return True
        return False
