"""Her own words about her tablet ("I took it", "забыла таблетку"), where she lives ("I live
in Leeds", "живу в Казани") and her typed answers to questions asked with buttons ("No, not
yet", "9 in the morning please"), in every language with a `content/<lang>/intents.yaml`:
the words are content, so a translation brings its own, and a message is read with every
language's (a Russian sentence from someone who chose English is understood too)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from functools import cache
from pathlib import Path

from bot.pure.content import ContentError, read_yaml

INTENTS = "intents.yaml"
MAX_WORDS = 8  # a longer message is a question for the guide, not a report
EVENT_WORDS = 25  # "I was sick half an hour after my tablet this morning" is still a report
EVENTS = ("dropped", "twice", "vomited", "late")  # what happened to her tablet, in this order
BARE_HOUR_WORDS = 3  # "8", "около 7": a number alone is a time only in a message this short


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
        words_in = len(said.split())
        for words in self.languages:
            if words_in <= EVENT_WORDS and not words.not_hers.search(said):
                for event in EVENTS:
                    if getattr(words, event).search(said):
                        return event, bool(words.yesterday.search(said))
        if "?" in said or words_in > MAX_WORDS:
            return None
        for words in self.languages:
            status = (
                "taken" if words.took.match(said) else "skipped" if words.forgot.match(said) else ""
            )
            if status:
                return status, bool(words.yesterday.search(said))
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

    def time(self, text: str) -> time | None:
        """A time of day in her words ("9 in the morning please", "в 8 вечера", "21:30");
        None when there is none or it is no real time. A bare number ("8", "около 7") counts
        only in a message of a few words ("I take 2 tablets" has no time in it)."""
        said = typed(text)
        if len(said.split()) > MAX_WORDS:
            return None
        found = [m for words in self.languages if (m := words.time.search(said))]
        # the language that read the most (a half of the day, minutes) wins: "в 8 вечера"
        best = max(found, key=lambda m: (bool(m["am"] or m["pm"]), bool(m["minute"])), default=None)
        if best is None or not (
            best["am"] or best["pm"] or best["minute"] or len(said.split()) <= 3
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
