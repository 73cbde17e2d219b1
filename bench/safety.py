"""The safety net's cost: the detector's time a message over the patients' corpus
(tests/safety/corpus), uncached and in the steady state (each word's stem or lemma already
known, as it soon is in a running bot), with the verdict cache bypassed."""

from __future__ import annotations

import time
from pathlib import Path

import yaml

from bot.pure.safety import Detector

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "safety" / "corpus"
CLASSES = ("everyday", "warning", "crisis", "distress")


def messages() -> list[tuple[str, str]]:
    """(text, language) for every message of the corpus, both parts."""
    found = []
    for path in sorted(CORPUS.glob("*/*.yaml")):
        language = path.stem.split("_")[0]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(item["text"], language) for name in CLASSES for item in data[name]]
    return found


def detector_ms(content: Path) -> tuple[float, float, int]:
    """(first sight, steady state) milliseconds a message, and how many messages."""
    texts = messages()
    detector = Detector.load(content)
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        for text, language in texts:
            detector._assess(text, language)  # the uncached verdict
        runs.append(1000 * (time.perf_counter() - started) / len(texts))
    return runs[0], min(runs[1:]), len(texts)
