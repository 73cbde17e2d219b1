"""Our ConText rules (bot/pure/context.py) against medspaCy's ConText, on the English corpus.

Why: the issue asked whether medspaCy's ConText, the clinical NLP reference, would read the
context of warning signs in patients' messages as well as our own cues. Both methods are
given the same sign candidates, so only the reading of their context differs:

- ours: an alarm is `Detector.assess(text, "en").kind == "urgent"`;
- medspaCy: the candidates are our detector's, with context disabled: each fit of a sign's
  pattern in `content/en/red_flags.yaml` (the same words, other senses masked, `unless`
  terms, within one clause; no cue looked at) becomes a target span over the sign's words,
  from its first to its last, labelled with the sign's name. A blank English pipeline with
  medspaCy's PyRuSH sentence splitter and its default English ConText rules reads them; an
  alarm is a target neither negated, hypothetical, historical nor family (uncertain is not
  counted). The target matcher is not used: TargetRules of single words ("chest") would
  find far more than the signs' word groups do. medspaCy reads the message as written (or
  as `normalise` writes it when that changes its length), and runs on every message.

One setting is not medspaCy's default: `prune_on_target_overlap`, which drops a cue that
overlaps a target. `ConTextModifier.modifies` means to ignore such cues, but its overlap
test misses a cue strictly inside the target, so "can't catch my breath" was negated by its
own "n't" (7 warning messages with medspaCy 1.3.1); the cost is a cue inside a long target
("hands are fine, no numbness") no longer read (2 everyday messages). Caregivers write of
the woman they care for ("my wife can't breathe"), which medspaCy reads as family: a last
row counts those too.

The time a message is the median of 3 runs after a warm-up, with the verdict cache bypassed;
medspaCy's includes finding the candidates. medspaCy is no project dependency:

    /tmp/medspacy-venv/bin/python -m bench.context_compare [--write docs/safety.md]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bot.pure.safety import SENTENCE, WORD, Detector, LanguageRules, _fits, normalise
from tests.safety_corpus import PARTS, load

ROOT = Path(__file__).resolve().parents[1]
HEADING = "## medspaCy's ConText"
GROUP = "medspacy_spans"
Span = tuple[int, int, str]  # characters of normalise(text), and the sign's name


def _sentences(text: str) -> Iterator[tuple[int, str]]:
    """`bot.pure.safety.sentences` of normalised text, with where each starts."""
    bounds = [0, *(i for m in SENTENCE.finditer(text) for i in m.span()), len(text)]
    for start, end in zip(bounds[::2], bounds[1::2], strict=True):
        if text[start:end].strip():
            yield start, text[start:end]


def _places(rules: LanguageRules, sentence: str, offset: int) -> list[tuple[int, int]]:
    """The characters each of `rules.stems(sentence)` comes from (a comma is a pause)."""
    places: list[tuple[int, int]] = []
    for i, part in enumerate(sentence.split(",")):
        if i:
            places.append((offset - 1, offset))
        for m in WORD.finditer(part):  # "can't" is two stems, "can not"
            places += [(offset + m.start(), offset + m.end())] * len(rules.words(m.group()))
        offset += len(part) + 1
    return places


def candidates(rules: LanguageRules, text: str) -> list[Span]:
    """Each fit of a sign's pattern in the normalised text, its context unread."""
    found: set[Span] = set()
    for offset, sentence in _sentences(text):
        stems = rules.stems(sentence)
        places = _places(rules, sentence, offset)
        assert len(places) == len(stems), sentence
        stops = rules.context.stops(stems)
        for sign in rules.signs:
            if any(stems.has(t) for t in sign.unless):
                continue
            for pattern in (p for p in sign.patterns if _fits(p, stems)):
                for words in rules._spans(pattern, stems, stops):
                    found.add((places[min(words)][0], places[max(words)][1], sign.name))
    return sorted(found)


def medspacy_reader(rules: LanguageRules, spacy: Any, family: bool) -> Callable[[str], bool]:
    """Whether medspaCy's ConText leaves one of the message's candidates affirmed (`family`:
    one of a family member counts as not)."""
    importlib.import_module("loguru").logger.disable("PyRuSH")  # a debug line a token
    nlp = spacy.blank("en")
    split = nlp.add_pipe("medspacy_pyrush")
    context = nlp.add_pipe(
        "medspacy_context",
        config={
            "input_span_type": "group",
            "span_group_name": GROUP,
            "prune_on_target_overlap": True,
        },
    )

    def alarm(text: str) -> bool:
        norm = normalise(text)
        doc = split(nlp.make_doc(text if len(text) == len(norm) else norm))
        spans = (
            doc.char_span(s, e, label=n, alignment_mode="expand")
            for s, e, n in candidates(rules, norm)
        )
        doc.spans[GROUP] = [s for s in spans if s is not None]
        doc = context(doc)
        return any(
            not (
                t._.is_negated
                or t._.is_hypothetical
                or t._.is_historical
                or (family and t._.is_family)
            )
            for t in doc.spans[GROUP]
        )

    return alarm


def measure(alarm: Callable[[str], bool], texts: list[str]) -> tuple[list[bool], float]:
    """Each text's alarm, and the median of 3 runs' milliseconds a text after a warm-up."""
    found = [alarm(t) for t in texts]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for text in texts:
            alarm(text)
        runs.append(1000 * (time.perf_counter() - started) / len(texts))
    return found, statistics.median(runs)


def pct(hits: list[bool]) -> str:
    return f"{sum(hits)}/{len(hits)} ({100 * sum(hits) / max(len(hits), 1):.1f}%)"


def table(medspacy: Any, spacy: Any) -> str:
    detector = Detector.load(ROOT / "content")
    sets = [load("en", part) for part in PARTS]
    warning = [i["text"] for s in sets for i in s["warning"]]
    everyday = [i["text"] for s in sets for i in s["everyday"]]
    rules = detector._rules["en"]
    methods: dict[str, Callable[[str], bool]] = {
        "ours (bot/pure/context.py)": lambda t: detector._assess(t, "en").kind == "urgent",
        f"medspaCy {medspacy.__version__} ConText": medspacy_reader(rules, spacy, True),
        "medspaCy, family not counted": medspacy_reader(rules, spacy, False),
    }
    rows = [
        "| method | warning signs raised (recall) | everyday messages raised (false alarms) "
        "| ms a message |",
        "|---|---|---|---|",
    ]
    for name, alarm in methods.items():
        hits, ms = measure(alarm, warning + everyday)
        rows.append(
            f"| {name} | {pct(hits[: len(warning)])} | {pct(hits[len(warning) :])} | {ms:.3f} |"
        )
    return "\n".join(rows)


METHOD = (
    "English corpus, both parts (dev and held-out), warning and everyday messages. Ours: an "
    'alarm is the detector\'s "urgent" verdict. medspaCy: the same sign candidates (our '
    "signs' word patterns with our context cues off) as target spans, read by medspaCy "
    "{version}'s default English ConText rules (spaCy {spacy}, blank English pipeline, PyRuSH "
    "sentences, cues inside a target dropped); an alarm is a target neither negated, "
    "hypothetical, historical nor family. Caregivers write of the woman they care for, which "
    "medspaCy reads as family: the last row counts those too. The time a message is the "
    "median of 3 runs after a warm-up, uncached; medspaCy's includes finding the candidates. "
    "`bench/context_compare.py` says why and how."
)


def write(path: Path, text: str) -> None:
    """Replace what follows the medspaCy heading of `path` with `text`."""
    old = path.read_text(encoding="utf-8")
    if HEADING not in old:
        raise SystemExit(f"{path}: no {HEADING!r} heading")
    path.write_text(f"{old.split(HEADING, 1)[0]}{HEADING}\n\n{text}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--write", type=Path, help="replace the medspaCy section of this file")
    args = parser.parse_args()
    try:
        medspacy = importlib.import_module("medspacy")
        spacy = importlib.import_module("spacy")
    except ImportError:
        print("medspaCy is not installed: nothing to compare (pip install medspacy).")
        return
    found = table(medspacy, spacy)
    print(found)
    if args.write:
        method = METHOD.format(version=medspacy.__version__, spacy=spacy.__version__)
        method = textwrap.fill(method, width=92)  # as the rest of the file
        write(args.write, f"{method}\n\n{found}")


if __name__ == "__main__":
    main()
