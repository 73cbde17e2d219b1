"""The red-flag detector against phrasings written from the sources by someone else.

tests/safety/urgent_en.yaml, ordinary_en.yaml and foreign.yaml were written by a helper who
did not write the matcher (kept as written); *_heldout*.yaml were written by the same helper
and kept from the detector's author until it was done (first contact: 36/40 urgent found, 1/40
false alarm; the misses were fixed in red_flags.yaml); *_extra*.yaml are ours. Misses and false
alarms are printed (`pytest -s tests/test_safety.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.pure.safety import Detector, Verdict
from tests.test_matcher import HOSTILE

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
SETS = ROOT / "tests" / "safety"


def load(*names: str) -> list[dict[str, Any]]:
    """The sets, each of which must be there: a missing file fails, never shrinks the suite."""
    items: list[dict[str, Any]] = []
    for name in names:
        items.extend(yaml.safe_load((SETS / name).read_text(encoding="utf-8")) or [])
    return items


URGENT = load("urgent_en.yaml", "urgent_extra_en.yaml", "urgent_heldout_en.yaml")
ORDINARY = load("ordinary_en.yaml", "ordinary_extra_en.yaml", "ordinary_heldout_en.yaml")
FOREIGN = load("foreign.yaml")
URGENT_RU = load("urgent_ru.yaml", "urgent_extra_ru.yaml")
ORDINARY_RU = load("ordinary_ru.yaml", "ordinary_extra_ru.yaml")
SIGNS = {
    "face_swelling", "breathing_swallowing", "chest_pain", "skin_blisters", "liver",
    "vaginal_bleeding", "hand_tingling", "pregnancy", "overdose", "crisis",
}  # fmt: skip


def alarms(verdict: Verdict) -> bool:
    return verdict.kind in {"urgent", "crisis"}


def test_the_sets_are_big_enough_and_cover_every_sign() -> None:
    for language in BY_LANGUAGE:
        assert len(load(f"urgent_{language}.yaml")) >= 80
        assert len(load(f"ordinary_{language}.yaml")) >= 80
    for sign in SIGNS:
        assert sum(1 for item in URGENT if item["sign"] == sign) >= 4, sign
        assert sum(1 for item in URGENT_RU if item["sign"] == sign) >= 4, sign


BY_LANGUAGE = {"en": (URGENT, ORDINARY), "ru": (URGENT_RU, ORDINARY_RU)}


@pytest.mark.parametrize("language", BY_LANGUAGE)
def test_every_urgent_phrasing_leads_to_urgent_care_or_crisis_help(
    detector: Detector, language: str
) -> None:
    urgent = BY_LANGUAGE[language][0]
    verdicts = [(item, detector.assess(item["text"], language)) for item in urgent]
    misses = [item["text"] for item, verdict in verdicts if not alarms(verdict)]
    wrong_sign = [
        (item["text"], item["sign"], verdict.sign)
        for item, verdict in verdicts
        if alarms(verdict) and verdict.sign != item["sign"]
    ]
    print(f"\n{language} urgent: {len(urgent) - len(misses)}/{len(urgent)} found; misses: {misses}")
    print(f"found under another sign ({len(wrong_sign)}): {wrong_sign}")
    assert misses == []


@pytest.mark.parametrize("language", BY_LANGUAGE)
def test_crisis_phrasings_get_crisis_help_first(detector: Detector, language: str) -> None:
    crisis = [item["text"] for item in BY_LANGUAGE[language][0] if item["sign"] == "crisis"]
    assert crisis
    assert [t for t in crisis if detector.assess(t, language).kind != "crisis"] == []


@pytest.mark.parametrize("language", BY_LANGUAGE)
def test_at_most_3_percent_of_ordinary_questions_raise_an_alarm(
    detector: Detector, language: str
) -> None:
    ordinary = BY_LANGUAGE[language][1]
    verdicts = [(item["text"], detector.assess(item["text"], language)) for item in ordinary]
    false = [(text, verdict.sign) for text, verdict in verdicts if alarms(verdict)]
    share = len(false) / len(ordinary)
    print(f"\n{language} ordinary: {len(false)}/{len(ordinary)} false alarms ({share:.1%})")
    print(f"false alarms: {false}")
    assert share <= 0.03


def test_messages_in_other_languages(detector: Detector) -> None:
    """Emergency signs in other languages lead to urgent care; the rest get the short
    English answer that the bot does not read that language (never a false alarm)."""
    misses = [i["text"] for i in FOREIGN if i["urgent"] and not alarms(detector.assess(i["text"]))]
    false = [i["text"] for i in FOREIGN if not i["urgent"] and alarms(detector.assess(i["text"]))]
    unread = [
        i["text"]
        for i in FOREIGN
        if not i["urgent"] and detector.assess(i["text"]).kind != "foreign"
    ]
    print(f"\nforeign: misses {misses}; false alarms {false}; not recognised {unread}")
    assert misses == []
    assert false == []
    assert len(unread) <= 0.1 * len(FOREIGN)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "ru", "xx"]))
def test_any_text_at_all_gets_a_verdict(detector: Detector, text: str, language: str) -> None:
    assert detector.assess(text, language).kind in {"crisis", "urgent", "foreign", "none"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_never_breaks_the_detector(detector: Detector, text: str) -> None:
    assert isinstance(detector.assess(text * 3), Verdict)


def test_a_language_is_recognised_by_its_words_letters_or_script(detector: Detector) -> None:
    assert detector.assess("Kann ich die Tablette mit Essen nehmen?").language == "German"
    assert detector.assess("mam uderzenia gorąca").language == "Polish"
    assert detector.assess("Можно ли принимать с едой?").kind == "foreign"
    assert detector.assess("can I take it with food?").kind == "none"
    assert detector.assess("hola").kind == "foreign"


def test_a_language_with_content_is_read_with_its_own_signs_whoever_writes_it(
    detector: Detector,
) -> None:
    """Russian from someone who chose English, and English from someone who chose Russian,
    still raise the alarm, with the advice of HER urgent topic; a harmless Russian question
    from an English speaker gets the short "foreign" answer (her guide is in English)."""
    ru = detector.assess("у меня опухли губы и язык", "en")
    assert ru.sign == "face_swelling"
    assert ru.section == "Call emergency services now (for example 999, 112 or 911)"
    en = detector.assess("my throat is closing up", "ru")
    assert en.sign == "breathing_swallowing"
    assert en.section == "Немедленно вызовите скорую помощь: 112 или 103"
    assert detector.assess("не хочу больше жить", "en").kind == "crisis"
    ua = detector.assess("не можу дихати", "ru")  # found by the any-language words
    assert ua.section == "Немедленно вызовите скорую помощь: 112 или 103"
    assert detector.assess("Можно ли принимать с едой?", "en").kind == "foreign"
    assert detector.assess("Можно ли принимать с едой?", "ru").kind == "none"
    assert detector.assess("Kann ich die Tablette mit Essen nehmen?", "ru").kind == "foreign"


def test_the_stem_memo_is_only_a_shortcut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The warning words' stems kept between starts (bot/pure/safety.py StemMemo): a broken
    file is read as none, and the detector reads messages the same with or without it."""
    from bot.pure import safety

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = Detector.load(CONTENT)  # no file: stems worked out, then kept
    kept = sorted((tmp_path / "anastrozole-companion").glob("stems-*.json"))
    assert len(kept) == 2
    for path in kept:
        path.write_text("{not json", encoding="utf-8")
    broken = Detector.load(CONTENT)
    again = Detector.load(CONTENT)  # rewritten by the load before: read from the file
    for text in ("my face is swelling up", "у меня отекло лицо", "what are the side effects"):
        assert fresh.assess(text) == broken.assess(text) == again.assess(text)
    assert safety.StemMemo.load("english").stems  # the file holds the English stems


def test_the_word_lists_load_beside_the_start_not_in_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the rules never opens the English word list (a fifth of the start); `prepare`,
    which the bot runs once polling has begun, opens it; a slip reads the same either way."""
    from spellchecker import SpellChecker

    from bot.pure import safety

    opened: list[str] = []

    class Counted(SpellChecker):
        def __init__(self, language: str, **options: Any) -> None:
            opened.append(language)
            super().__init__(language=language, **options)

    monkeypatch.setattr(safety, "SpellChecker", Counted)
    safety.WordList.cache_clear()  # type: ignore[attr-defined]  # one per language: anew
    try:
        fresh = Detector.load(CONTENT)
        assert opened == []
        fresh.prepare()
        assert opened == ["en"]
        slipped = fresh.assess("my face is sweling up")
        assert slipped.kind == "urgent" and opened == ["en"]
    finally:
        safety.WordList.cache_clear()  # type: ignore[attr-defined]


def test_then_writes_every_phrase_of_one_word_from_each_list(tmp_path: Path) -> None:
    """`{then: [[a, b], [c, d]]}` in a group or an `unless`: "a c", "a d", "b c", "b d"."""
    from bot.pure.safety import LanguageRules, SafetyDataError

    (tmp_path / "red_flags.yaml").write_text(
        "signs:\n  overdose:\n    section: S\n    when:\n"
        "      - all: [[{then: [[two, 2], [tablets, of my]]}], [took]]\n"
        "        unless: [{then: [[tablets], [of], [calcium, vitamin]]}]\n",
        encoding="utf-8",
    )
    rules = LanguageRules.load(tmp_path / "red_flags.yaml")
    (pattern,) = rules.signs[0].patterns
    assert pattern.groups[0] == (
        ("two", "tablet"),
        ("two", "of", "my"),
        ("2", "tablet"),
        ("2", "of", "my"),
    )
    assert pattern.unless == (("tablet", "of", "calcium"), ("tablet", "of", "vitamin"))
    (tmp_path / "red_flags.yaml").write_text(
        "signs:\n  overdose:\n    section: S\n    when: [[[{then: two}], [took]]]\n",
        encoding="utf-8",
    )
    with pytest.raises(SafetyDataError, match="then"):
        LanguageRules.load(tmp_path / "red_flags.yaml")


# Look-alikes of a count, "twice", "again", "another" and someone else's pills, written for
# the class (not taken from tests/dose_words_twice.yaml): her tablets counted, or not.
NOT_HER_DOUBLE_DOSE = {
    "en": [
        "took three naps this week",
        "had two cups of tea with my tablet",
        "took my two vitamin tablets",
        "took 2 tablets of calcium with my anastrozole",
        "my son took two of his pills",
        "took the rubbish out twice today",
        "took it again this morning, same as always",
        "had my tablet late again",
        "almost took it twice",
        "took another photo for the nurse",
        "took another one of those long walks",
        "had a second cup of coffee",
        "I had too much wine at the party",
        "started it six months ago",
        "pressed one out of the blister for mum",
        "took my tablet after I'd already had breakfast",
        "my neighbour took two of hers by mistake and was fine",
        "she thought she'd already had it, but the box was full so she took it",
    ],
    "ru": [
        "выпила три стакана воды",
        "выпила две таблетки витамина",
        "сын принял свою таблетку дважды",
        "выпила таблетку опять поздно",
        "выпила таблетку снова утром, как обычно",
        "чуть не выпила её дважды",
        "выпила ещё одну от изжоги",
        "начала пить полгода назад",
        "выпила 2 чашки сегодня",
        "сегодня уже вторую неделю пью",
    ],
}
HER_DOUBLE_DOSE = {
    "en": [
        "took my tablet twice this morning",
        "had my pill again, forgot I'd taken it already",
        "my grandson has swallowed two of my tablets",
        "took 3 of my tablets by mistake",
        "took another one, I'd already had today's",
        "my husband took my tablet as well as his own by mistake",
        "took two anastrozole today",
        "I've taken my tablet twice",
        "so that's 2 today, I'd already taken mine",
        "took my tablet, then realised I'd already had one",
    ],
    "ru": [
        "выпила две свои таблетки по ошибке",
        "выпила таблетку снова, забыла что уже пила",
        "внук проглотил две мои таблетки",
        "выпила анастрозол дважды",
        "муж выпил мою таблетку вместо своей",
        "приняла три таблетки анастрозола",
        "две выпила за сегодня",
        "приняла вчерашнюю и сегодняшнюю сразу",
        "выпила 3шт по ошибке",
    ],
}


@pytest.mark.parametrize("language", NOT_HER_DOUBLE_DOSE)
def test_a_count_is_her_double_dose_only_when_it_counts_her_tablets(
    detector: Detector, language: str
) -> None:
    stopped = [t for t in NOT_HER_DOUBLE_DOSE[language] if detector.assess(t, language).stops]
    missed = [
        t for t in HER_DOUBLE_DOSE[language] if detector.assess(t, language).sign != "overdose"
    ]
    assert (stopped, missed) == ([], [])


# The safety net's own stops on tests/dose_words_twice.yaml (written by a helper who never saw
# the patterns): first contact en everyday 20/72 and twice 34/40, ru 9/66 and 29/38; the
# overdose patterns were then changed by class with this set in view (docs/safety.md, 5).
TWICE_FLOORS = {"en": (0, 39), "ru": (1, 36)}  # (everyday stops at most, twice stops at least)


@pytest.mark.parametrize("language", TWICE_FLOORS)
def test_everyday_dose_words_do_not_stop_and_her_double_dose_does(
    detector: Detector, language: str
) -> None:
    data = yaml.safe_load((ROOT / "tests" / "dose_words_twice.yaml").read_text(encoding="utf-8"))
    everyday, twice = data[language]["everyday"], data[language]["twice"]
    stopped = [t for t in everyday if detector.assess(t, language).stops]
    missed = [t for t in twice if not detector.assess(t, language).stops]
    print(f"\n{language} everyday stops {len(stopped)}/{len(everyday)}: {stopped}")
    print(f"{language} twice stops {len(twice) - len(missed)}/{len(twice)}; missed: {missed}")
    most, least = TWICE_FLOORS[language]
    assert len(stopped) <= most
    assert len(twice) - len(missed) >= least
