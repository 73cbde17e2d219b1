"""Every translation says everything the English says: each topic and interface text exists,
and keeps every number, dose, command and link of the English (a slip there is a wrong dose,
not a style problem). A failure lists exactly what is missing or differs, to translate next."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from bot.pure.content import Library, Topic
from bot.pure.i18n import FALLBACK, Catalog
from tests.test_render import problems

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
LIBRARY = Library.load(CONTENT)
CATALOG = Catalog.load(CONTENT)
TRANSLATIONS = sorted(p.name for p in CONTENT.iterdir() if p.is_dir() and p.name != FALLBACK)
# Dose units as each language writes them (a new language adds its line).
UNITS = {"ru": {"мг": "mg", "МЕ": "IU"}}
# English writes 1,000 and 3.5; Russian 1000 and 3,5.
NUMBER = {
    "en": (re.compile(r"\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?"), lambda n: n.replace(",", "")),
    "ru": (re.compile(r"\d+(?:,\d+)?"), lambda n: n.replace(",", ".")),
}
URL = re.compile(r"https?://[^\s)<>\"]*[^\s)<>\".,;:!?]")
COMMAND = re.compile(r"(?<![\w/<])/([a-z][a-z0-9_]*)")
FIELD = re.compile(r"\{[a-z_][a-z0-9_]*\}")
CODE = re.compile(r"<code>(.*?)</code>")


def facts(text: str, language: str) -> dict[str, list[str]]:
    """What a translation must keep: numbers, doses (in English units), commands, links."""
    plain = FIELD.sub(" ", URL.sub(" ", text))
    pattern, normal = NUMBER[language]
    units = UNITS.get(language, {"mg": "mg", "IU": "IU"})
    dose = re.compile(rf"({pattern.pattern})\s*({'|'.join(units)})(?!\w)")
    return {
        "numbers": sorted(normal(n) for n in pattern.findall(CODE.sub(" ", plain))),
        "doses": sorted(f"{normal(n)} {units[u]}" for n, u in dose.findall(plain)),
        "commands": sorted(COMMAND.findall(text)),
        "links": sorted(URL.findall(text)),
        "code": sorted(CODE.findall(text)),
    }


# Emergency and crisis numbers a translation adds for its own speakers, beside every English
# one (../shared/OFFICIAL-SOURCES.md, "Emergency and crisis numbers for Russian speakers":
# 112, 103, 8-800-2000-122, Moscow's 051 and 8-495-051).
LOCAL_NUMBERS = {"ru": {"112", "103", "8", "800", "2000", "122", "051", "495"}}


def differences(english: str, translated: str, language: str) -> dict[str, tuple[object, ...]]:
    want, got = facts(english, "en"), facts(translated, language)
    found = {kind: (want[kind], got[kind]) for kind in want if want[kind] != got[kind]}
    if "numbers" in found:
        missing = Counter(want["numbers"]) - Counter(got["numbers"])
        added = set(Counter(got["numbers"]) - Counter(want["numbers"]))
        if not missing and added <= LOCAL_NUMBERS.get(language, set()):
            del found["numbers"]
    return found


def english_keys_by_file() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((CONTENT / FALLBACK / "ui").glob("*.yaml")):
        found[path.name] = list(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return found


def test_there_is_a_russian_translation() -> None:
    assert "ru" in TRANSLATIONS and "ru" in LIBRARY.languages() and "ru" in CATALOG.languages()


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_no_english_interface_text_is_missing(language: str) -> None:
    own = set(CATALOG._texts.get(language, {}))
    missing = {
        name: [key for key in keys if key not in own]
        for name, keys in english_keys_by_file().items()
    }
    missing = {name: keys for name, keys in missing.items() if keys}
    assert not missing, f"content/{language}/ui lacks these English keys (by file): {missing}"


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_no_english_topic_is_missing(language: str) -> None:
    own = {t.path.name for t in LIBRARY.topics(language) if t.path.parent.name == language}
    missing = sorted(t.path.name for t in LIBRARY.topics(FALLBACK) if t.path.name not in own)
    assert not missing, f"content/{language}/ lacks these English topics: {missing}"


def translated_topics() -> list[tuple[str, Topic]]:
    return [
        (language, topic)
        for language in TRANSLATIONS
        for topic in LIBRARY.topics(language)
        if topic.path.parent.name == language
    ]


@pytest.mark.parametrize(
    ("language", "topic"), translated_topics(), ids=lambda v: getattr(v, "command", v)
)
def test_a_translated_topic_keeps_every_fact_and_says_it_is_a_translation(
    language: str, topic: Topic
) -> None:
    english = LIBRARY.get(topic.command, FALLBACK)
    assert english is not None, f"{topic.path}: no English /{topic.command}"
    assert (topic.order, topic.sources) == (english.order, english.sources), topic.path
    assert topic.body.startswith(CATALOG.text(language, "language_translated_topic") + "\n\n")
    assert differences(english.body, topic.body, language) == {}, topic.path
    assert differences(english.description, topic.description, language) == {}, topic.path


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translated_interface_text_keeps_fields_numbers_commands_and_code(
    language: str,
) -> None:
    english = CATALOG._texts[FALLBACK]
    changed = {
        key: found
        for key, text in CATALOG._texts[language].items()
        for found in [differences(english[key], text, language)]
        if found or set(FIELD.findall(english[key])) != set(FIELD.findall(text))
    }
    assert changed == {}


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_translated_text_is_valid_telegram_html(language: str) -> None:
    for key, template in CATALOG._texts[language].items():
        names = {name[1:-1] for name in FIELD.findall(template)}
        filled = CATALOG.text(language, key, **dict.fromkeys(names, "<b>&</i>"))
        assert problems(filled) == [], (key, filled)


def test_the_check_catches_a_changed_dose_number_command_and_link() -> None:
    english = "Take 1 mg (1,000 IU, 3.5%) daily, see /dose and https://www.nhs.uk/x."
    assert (
        differences(
            english, "Принимайте 1 мг (1000 МЕ, 3,5%), см. /dose и https://www.nhs.uk/x.", "ru"
        )
        == {}
    )
    assert set(
        differences(english, "Принимайте 10 мг (1000 МЕ, 3,5%), /dose https://www.nhs.uk/x", "ru")
    ) == {"numbers", "doses"}
    assert set(
        differences(english, "Принимайте 1 мг (1,000 МЕ, 3,5%), /dose https://www.nhs.uk/x", "ru")
    ) == {"numbers", "doses"}
    assert set(
        differences(english, "Принимайте 1 мг (1000 МЕ, 3,5%), /doza https://nhs.uk/x", "ru")
    ) == {"commands", "links"}


def test_a_translation_may_add_only_its_speakers_emergency_numbers() -> None:
    english = "Call 999, 112 or 911."
    assert differences(english, "Звоните 112 или 103, 999, 911.", "ru") == {}
    assert differences(english, "Звоните 112, 999 или 911, 5 мг.", "ru") != {}
    assert differences(english, "Звоните 999 или 911.", "ru") != {}  # 112 went missing
