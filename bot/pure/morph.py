"""pymorphy3's Russian analyser, one per process: the safety net reads words by their lemma
("проснулась" -> "проснуться"), the city index reads a place in any case ("в Казани"). It
takes a tenth of a second and some memory to load, so both share one, loaded at start-up."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pymorphy3


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    import pymorphy3  # on first use: an import of bot.pure costs nothing for it

    return pymorphy3.MorphAnalyzer()
