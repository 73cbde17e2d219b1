"""Her own words about her tablet ("I took it", "забыла таблетку"), where she lives ("I live
in Leeds", "живу в Казани") and her typed answers to questions asked with buttons ("No, not
yet", "9 in the morning please", "every 3 days", "через час"), in every language with a
`content/<lang>/intents.yaml`: the words are content, so a translation brings its own, and a
message is read with every language's (a Russian sentence from someone who chose English is
understood too)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import time
from functools import cache
from pathlib import Path
from typing import Any

from bot.pure.content import ContentError, read_yaml
from bot.pure.medschedule import KINDS

INTENTS = "intents.yaml"
MAX_WORDS = 8  # a longer message is a question for the guide, not a report
EVENT_WORDS = 25  # "I was sick half an hour after my tablet this morning" is still a report
EVENTS = ("dropped", "twice", "vomited", "late")  # what happened to her tablet, in this order
BARE_HOUR_WORDS = 3  # "8", "около 7": a number alone is a time only in a message this short
# A group of these names (a digit may follow: a pattern names a group once) counts its number
# in a bigger unit: "every 2 weeks" is 14 days, "полгода" 6 months, "через 2 часа" 120 minutes.
UNITS = {"weeks": 7, "fortnights": 14, "years": 12, "half_years": 6, "hours": 60}
HALF = "half"  # a group of this name adds a half: "an hour and a half", "два с половиной часа"


@dataclass(frozen=True)
class Words:
    took: re.Pattern[str]
    forgot: re.Pattern[str]
    yesterday: re.Pattern[str]
    twice: re.Pattern[str]
    vomited: re.Pattern[str]
    dropped: re.Pattern[str]
    late: re.Pattern[str]
    not_hers: re.Pattern[str]
    lives_in: re.Pattern[str]
    yes: re.Pattern[str]
    no: re.Pattern[str]
    unsure: re.Pattern[str]
    time: re.Pattern[str]
    severity_0: re.Pattern[str]
    severity_1: re.Pattern[str]
    severity_2: re.Pattern[str]
    severity_3: re.Pattern[str]
    often_lead: re.Pattern[str]
    follow_up: re.Pattern[str]
    follow_up_none: re.Pattern[str]
    how_often: tuple[tuple[str, re.Pattern[str]], ...]  # (kind of schedule, its words)
    numbers: dict[str, float]  # number words: "other" 2, "six" 6, "пол" 0.5
    dose_sections: dict[str, str]  # what happened to a tablet -> its section of /dose
    code: str = "en"  # the language's folder

    def amount(self, match: re.Match[str]) -> int | None:
        """The whole number a match names: its group `n` (`n2` ...: digits or a number word;
        1 when only a unit is named: "once a year", "через час"), and a half more with a
        group `half` ("an hour and a half"), times its unit (UNITS); None when it names none
        or no whole one."""
        said, units, half = None, [], 0.0
        for group, value in match.groupdict().items():
            name = group.rstrip("0123456789")
            if value and name == "n":
                said = value
            elif value and name in UNITS:
                units.append(UNITS[name])
            elif value and name == HALF:
                half = 0.5
        if said is None and not units:
            return None
        n = 1.0 if said is None else self.number(said)
        value = None if n is None else (n + half) * (units[0] if units else 1)
        return int(value) if value is not None and value.is_integer() and value < 10**4 else None

    def number(self, said: str) -> float | None:
        """Digits ("1.5", "1,5" too) or a word of `numbers`."""
        digits = said.replace(",", ".")
        if digits.replace(".", "", 1).isdecimal():
            return float(digits)
        return self.numbers.get(said)

    def readable(self, match: re.Match[str]) -> bool:
        """Whether a number the match found is a number ("every single day" has a word where
        "every 3 days" has one: it is no interval)."""
        return all(
            self.number(value) is not None
            for group, value in match.groupdict().items()
            if value and group.rstrip("0123456789") == "n"
        )


def typed(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


@dataclass(frozen=True)
class HerWords:
    languages: tuple[Words, ...]

    def dose(self, text: str) -> tuple[str, bool] | None:
        """What her message says of her tablet and whether it is yesterday's: "taken" or
        "skipped" for a short report ("I took it", "забыла вчера"), or what happened to it
        ("twice", "vomited", "dropped", "late": "took it at lunch instead", "меня вырвало
        после таблетки"); None for anything else: a question about the medicine ("I took it
        with food, is that ok?"), a hypothetical ("what if I'm sick after it?") or someone
        else's tablet goes on to the guide."""
        said = typed(text)
        if found := self._event(said, hers=True):
            event, words = found
            return event, bool(words.yesterday.search(said))
        if "?" in said or len(said.split()) > MAX_WORDS:
            return None
        for words in self.languages:
            status = (
                "taken" if words.took.match(said) else "skipped" if words.forgot.match(said) else ""
            )
            if status:
                return status, bool(words.yesterday.search(said))
        return None

    def dose_section(self, text: str, language: str) -> str | None:
        """The heading of the /dose section (in `language`) for what happened to a tablet,
        whoever's it is and asked about or not ("my wife dropped her pill down the sink",
        "у мамы таблетка упала на пол"); None when the text tells of none."""
        found = self._event(typed(text), hers=False)
        mine = next((w for w in self.languages if w.code == language), self.languages[0])
        return mine.dose_sections.get(found[0]) if found else None

    def _event(self, said: str, hers: bool) -> tuple[str, Words] | None:
        """What happened to a tablet in a message of up to EVENT_WORDS words, and the
        language that read it; with `hers`, only when `not_hers` does not match."""
        if len(said.split()) > EVENT_WORDS:
            return None
        for words in self.languages:
            if not (hers and words.not_hers.search(said)):
                for event in EVENTS:
                    if getattr(words, event).search(said):
                        return event, words
        return None

    def answer(self, text: str) -> str | None:
        """ "yes", "no" or "unsure" for a short typed answer to a yes/no question ("No, not
        yet", "не помню"); None for anything else (a question goes on to the guide)."""
        said = typed(text)
        if "?" in said or len(said.split()) > MAX_WORDS:
            return None
        for words in self.languages:  # "not sure" before "no", "не знаю" before "нет"
            for name in ("unsure", "no", "yes"):
                if getattr(words, name).match(said):
                    return name
        return None

    def time(self, text: str, bare_words: int = BARE_HOUR_WORDS) -> time | None:
        """A time of day in her words ("9 in the morning please", "в 8 вечера", "21:30");
        None when there is none or it is no real time. A bare number ("8", "около 7") counts
        only in a message of `bare_words` words at most ("I take 2 tablets" has no time in
        it; where a number may be something else, "every 2 weeks", one word)."""
        said = typed(text)
        if len(said.split()) > MAX_WORDS:
            return None
        found = [m for words in self.languages if (m := words.time.search(said))]
        # the language that read the most (a half of the day, minutes) wins: "в 8 вечера"
        best = max(found, key=lambda m: (bool(m["am"] or m["pm"]), bool(m["minute"])), default=None)
        if best is None or not (
            best["am"] or best["pm"] or best["minute"] or len(said.split()) <= bare_words
        ):
            return None
        hour, minute = int(best["hour"]), int(best["minute"] or 0)
        if best["pm"] and 1 <= hour < 12:
            hour += 12
        elif best["am"] and hour == 12:
            hour = 0
        return time(hour, minute) if hour < 24 and minute < 60 else None

    def severity(self, text: str) -> int | None:
        """0 (none) to 3 (severe) for a short typed answer to "how bad has it been?"
        ("mild", "очень сильно"); None for anything else."""
        said = typed(text)
        if "?" in said or len(said.split()) > MAX_WORDS:
            return None
        for words in self.languages:  # "very bad" before "bad": most severe tried first
            for level in (3, 2, 1, 0):
                if getattr(words, f"severity_{level}").match(said):
                    return level
        return None

    def how_often(self, text: str) -> tuple[str, int | None] | None:
        """How often she takes a medicine, typed to that question ("every 3 days", "раз в
        полгода", "when I need it"): the kind of schedule (bot/pure/medschedule.py KINDS)
        and the number it names (days, months, a day of the month), or None when it names
        none; None for anything else (a question goes on to the guide)."""
        said = typed(text)
        if "?" in said or len(said.split()) > MAX_WORDS:
            return None
        for words in self.languages:
            rest = words.often_lead.sub("", said, count=1)
            for kind, pattern in words.how_often:  # in the file's order: the narrowest first
                if (match := pattern.match(rest)) and words.readable(match):
                    return kind, words.amount(match)
        return None

    def follow_up(self, text: str) -> int | None:
        """Minutes after which she wants a follow-up ("after half an hour", "через 2 часа"),
        0 for none ("no follow-ups", "без повторов"); None for anything else."""
        said = typed(text)
        if "?" in said or len(said.split()) > MAX_WORDS:
            return None
        for words in self.languages:
            if words.follow_up_none.match(said):
                return 0
            start = 0  # overlapping: "after an hour" is read again from "an hour"
            while match := words.follow_up.search(said, start):
                if words.readable(match) and (minutes := words.amount(match)):
                    return minutes
                start = match.start() + 1
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
            found.append(_words(raw, path.parent.name))
        except (OSError, KeyError, re.error, AttributeError, TypeError, ValueError) as exc:
            raise ContentError(f"{path}: {exc}") from exc
    return HerWords(tuple(found))


def _pattern(raw: Any) -> re.Pattern[str]:
    return re.compile(str(raw).strip(), re.VERBOSE)


def _words(raw: dict[str, Any], code: str) -> Words:
    """One language's file: a pattern per field, `how_often` a pattern per kind of
    schedule (in order), `numbers` a number per word, `dose_sections` a heading per event."""
    patterns = {f.name: _pattern(raw[f.name]) for f in fields(Words) if f.type == "re.Pattern[str]"}
    how_often = tuple((str(kind), _pattern(p)) for kind, p in raw["how_often"].items())
    if unknown := {kind for kind, _p in how_often} - set(KINDS):
        raise ValueError(f"how_often: no such kind of schedule {sorted(unknown)}")
    numbers = {typed(str(word)): float(n) for word, n in raw["numbers"].items()}
    sections = {str(event): str(heading) for event, heading in raw["dose_sections"].items()}
    if unknown_events := set(sections) - set(EVENTS):
        raise ValueError(f"dose_sections: no such event {sorted(unknown_events)}")
    return Words(
        **patterns, how_often=how_often, numbers=numbers, dose_sections=sections, code=code
    )
