"""The safety corpus: what patients and caregivers really write, to judge the safety net.

Six helpers who never saw the detector each wrote as one persona (newly diagnosed, years in
and older, caregivers; in English and in Russian): everyday messages, warning signs labelled
with their level, crisis messages and ambiguous distress (tests/safety/corpus/BRIEF.md is
what they were told). Every third message of each list was moved to `heldout/` before the
detector saw any of them; the rest (`dev/`) is what the detector was built against.

    python -m tests.safety_corpus             # figures for the dev part, both languages
    python -m tests.safety_corpus --misses    # and what it got wrong there
    python -m tests.safety_corpus --heldout   # the held-out part too (with --misses, its misses)
    python -m tests.safety_corpus --readme    # docs/content.md's table, from this run

(The option keeps its old name: the table lived in README.md before issue 24 moved it to
docs/content.md, and the block's marker quotes the command.) tests/test_safety_corpus.py
holds the targets and keeps docs/content.md's block of figures true.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.pure.safety import Detector, Verdict

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "safety" / "corpus"
PERSONAS = ("new", "older", "care")
LANGUAGES = ("en", "ru")
PARTS = ("dev", "heldout")
CLASSES = ("everyday", "warning", "crisis", "distress")
# The label's level of each warning sign (urgent.md's sections), as the writers were told.
LEVEL = {
    "face_swelling": "emergency", "breathing_swallowing": "emergency", "chest_pain": "emergency",
    "overdose": "emergency", "skin_blisters": "urgent", "liver": "prompt",
    "vaginal_bleeding": "prompt", "hand_tingling": "prompt", "pregnancy": "prompt",
}  # fmt: skip


def load(language: str, part: str) -> dict[str, list[dict[str, Any]]]:
    """Every persona's messages of one language and part; a missing file is an error (the
    suite must never shrink silently)."""
    found: dict[str, list[dict[str, Any]]] = {name: [] for name in CLASSES}
    for persona in PERSONAS:
        path = CORPUS / part / f"{language}_{persona}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name in CLASSES:
            found[name].extend(data[name])
    return found


@dataclass(frozen=True)
class Figures:
    """How the safety net did on one part of one language's corpus."""

    language: str
    part: str
    crisis: tuple[int, int]  # reached crisis help, of
    warning_led: tuple[int, int]  # led with urgent care (or crisis help)
    warning_level: tuple[int, int]  # at the level the label gives
    everyday_lost: tuple[int, int]  # lost their answer to an alarm
    everyday_extra: tuple[int, int]  # got a "when to get help" line besides their answer
    distress: tuple[int, int]  # got crisis help or the check-in
    ms: float  # the detector's time a message, uncached

    def row(self) -> str:
        def pct(pair: tuple[int, int]) -> str:
            return f"{pair[0]}/{pair[1]} ({100 * pair[0] / max(pair[1], 1):.1f}%)"

        return (
            f"| {self.language} | {self.part} | {pct(self.crisis)} | {pct(self.warning_led)} "
            f"| {pct(self.warning_level)} | {pct(self.everyday_lost)} "
            f"| {pct(self.everyday_extra)} | {pct(self.distress)} |"
        )


HEADER = (
    "| language | part | crisis reach crisis help | warning signs lead with care "
    "| ... at the right level | everyday messages that lose their answer "
    "| everyday messages with an extra line | distress gets a check-in |\n"
    "|---|---|---|---|---|---|---|---|"
)


def alarm(verdict: Verdict) -> bool:
    return verdict.stops


def level(verdict: Verdict) -> str:
    return LEVEL.get(verdict.sign, "") if verdict.kind == "urgent" else ""


def checked_in(verdict: Verdict) -> bool:
    """Crisis help, or a line with the numbers and the care team (distress, low mood)."""
    return verdict.kind == "crisis" or verdict.hint in {"distress", "mood"}


def measure(detector: Detector, language: str, part: str) -> Figures:
    sets = load(language, part)
    fresh = Detector(detector._rules, detector._others)
    texts = [item["text"] for name in CLASSES for item in sets[name]]
    started = time.perf_counter()
    for text in texts:
        fresh._assess(text, language)
    ms = 1000 * (time.perf_counter() - started) / max(len(texts), 1)
    verdicts = {
        name: [detector.assess(i["text"], language) for i in sets[name]] for name in CLASSES
    }
    warnings = list(zip(sets["warning"], verdicts["warning"], strict=True))
    return Figures(
        language=language,
        part=part,
        crisis=(sum(v.kind == "crisis" for v in verdicts["crisis"]), len(verdicts["crisis"])),
        warning_led=(sum(alarm(v) for v in verdicts["warning"]), len(warnings)),
        warning_level=(sum(level(v) == i["level"] for i, v in warnings), len(warnings)),
        everyday_lost=(sum(alarm(v) for v in verdicts["everyday"]), len(verdicts["everyday"])),
        everyday_extra=(
            sum(not alarm(v) and bool(v.hint) for v in verdicts["everyday"]),
            len(verdicts["everyday"]),
        ),
        distress=(sum(checked_in(v) for v in verdicts["distress"]), len(verdicts["distress"])),
        ms=ms,
    )


def misses(detector: Detector, language: str, part: str = "dev") -> Iterator[str]:
    """Each message the safety net got wrong, with what it said."""
    sets = load(language, part)
    for name in CLASSES:
        for item in sets[name]:
            v = detector.assess(item["text"], language)
            wrong = {
                "crisis": v.kind != "crisis",
                "warning": level(v) != item.get("level"),
                "everyday": alarm(v) or bool(v.hint),
                "distress": not checked_in(v),
            }[name]
            if wrong:
                label = item.get("sign") or item.get("kind") or item.get("about") or ""
                yield f"{name}/{label}: {item['text']!r} -> {v.kind} {v.sign} {v.hint}"


DOC = ROOT / "docs" / "content.md"  # where the figures are shown
BEGIN = "<!-- safety-figures: python -m tests.safety_corpus --readme -->"
END = "<!-- /safety-figures -->"


def table(figures: Iterable[Figures]) -> str:
    return "\n".join([HEADER, *(f.row() for f in figures)])


def doc_block(text: str) -> str:
    """The table between the markers in docs/content.md ("" when there is none)."""
    if BEGIN not in text or END not in text:
        return ""
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip()


def write_doc(detector: Detector) -> None:
    path = DOC
    text = path.read_text(encoding="utf-8")
    figures = [measure(detector, lang, part) for lang in LANGUAGES for part in PARTS]
    block = f"{BEGIN}\n{table(figures)}\n{END}"
    head, tail = text.split(BEGIN, 1)[0], text.split(END, 1)[1]
    path.write_text(head + block + tail, encoding="utf-8")


def main(argv: list[str]) -> None:
    detector = Detector.load(ROOT / "content")
    if "--readme" in argv:
        write_doc(detector)
        return
    print(HEADER)
    for language in LANGUAGES:
        for part in PARTS if "--heldout" in argv else ("dev",):
            print(measure(detector, language, part).row())
    if "--misses" in argv:
        for language in LANGUAGES:
            for part in PARTS if "--heldout" in argv else ("dev",):
                for line in misses(detector, language, part):
                    print(language, part, line)


if __name__ == "__main__":
    main(sys.argv[1:])
