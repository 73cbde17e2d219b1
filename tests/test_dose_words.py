"""Her tablet in her own words (issue 23): missed, late, taken twice, sick up, dropped, in
English and Russian, each with what applies and, where something should be recorded, a
question before it is. The phrasings in tests/dose_words/ were written before the patterns
(`pytest -s` prints each set's score and misses); their first-contact figures are in each
file's header."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.matcher import Matcher
from bot.pure.safety import Detector
from bot.pure.words import her_words
from bot.services import Services
from bot.trial.recording_request import RecordingRequest
from db import doses
from tests import test_reminders
from tests.support import App, Person, en
from tests.test_caregivers import follow

ROOT = Path(__file__).resolve().parents[1]
SETS = sorted((ROOT / "tests" / "dose_words").glob("*.yaml"))
day = test_reminders.day  # Anna in Berlin, her reminder of Tue 3 March just sent


def read_set(path: Path) -> list[tuple[str, str, str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        (lang, kind, t) for lang, kinds in data.items() for kind, ts in kinds.items() for t in ts
    ]


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_phrasing_is_read_as_what_happened(path: Path) -> None:
    words = her_words(ROOT / "content")
    misses = []
    phrasings = read_set(path)
    for lang, kind, typed in phrasings:
        said = words.dose(typed)
        if (said[0] if said else "none") != kind:
            misses.append((lang, kind, typed, said))
    print(f"{path.stem}: {len(phrasings) - len(misses)}/{len(phrasings)}; misses {misses}")
    assert not misses


async def test_a_late_tablet_is_the_days_after_she_says_so(
    anna: Person, services: Services, day: str
) -> None:
    [answer] = await anna.send("took it at lunch instead")
    assert (
        answer
        == f"{en('reminders_confirm_taken', day='Tue 3 March')}\n\n{en('reminders_guide_late')}"
    )
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"
    await anna.press(anna.buttons()["✅ Taken"])
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "taken"


@pytest.mark.parametrize(
    ("typed", "kind"),
    [("I was sick after taking it", "vomited"), ("dropped it down the sink", "dropped")],
)
async def test_sick_or_dropped_records_nothing_and_says_what_applies(
    anna: Person, services: Services, day: str, typed: str, kind: str
) -> None:
    [answer] = await anna.send(typed)
    assert answer == f"{en(f'reminders_guide_{kind}')}\n\n{en('reminders_words_unrecorded')}"
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"


async def test_a_missed_tablet_already_recorded_still_gets_the_rule(anna: Person, day: str) -> None:
    await anna.press(f"rem:skip:{day}")
    [answer] = await anna.send("forgot it this morning")
    assert en("reminders_guide_skipped") in answer and "already recorded" in answer


async def test_without_reminders_only_what_applies(anna: Person) -> None:
    [answer] = await anna.send("I took it 3 hours late")
    assert answer == f"{en('reminders_guide_late')}\n\n{en('reminders_words_remind')}"
    [answer] = await anna.send("I dropped my tablet on the floor and can't find it")
    assert answer == en("reminders_guide_dropped")


@pytest.mark.parametrize("typed", ["I took two by mistake", "случайно выпила две таблетки"])
async def test_taken_twice_gets_the_urgent_answer_first_then_the_days_question(
    anna: Person, services: Services, day: str, typed: str
) -> None:
    """Whether the safety net or her dose words read it, the same urgent answer, unchanged and
    first; then only the question to record the day's tablet, which a button records."""
    [by_words, _asked] = await anna.send("I took yesterday's and today's together")
    [by_net, asked] = await anna.send(typed)
    assert by_words == by_net and "A&amp;E" in by_net
    assert asked == en("reminders_confirm_taken", day="Tue 3 March")
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"
    await anna.press(anna.buttons()["✅ Taken"])
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "taken"
    [alone] = await anna.send(typed)  # recorded already: nothing to ask
    assert alone == by_net


async def test_taken_twice_without_reminders_gets_the_urgent_answer_alone(anna: Person) -> None:
    [alone] = await anna.send("I took two by mistake")
    assert "A&amp;E" in alone


async def test_a_question_about_it_still_goes_to_the_guide(anna: Person, day: str) -> None:
    answer = await anna.send("what if I'm sick after taking it?")
    assert en("reminders_guide_vomited") not in answer


DROPPED = {
    "en": "<b>If you were sick after a tablet, or dropped one</b>",
    "ru": "<b>Если после таблетки вырвало, или таблетка упала</b>",
}


@pytest.mark.parametrize(
    ("typed", "language", "caregiver"),
    [
        ("my wife dropped her pill down the sink", "en", False),
        ("what should I do if my tablet fell down the drain?", "en", False),
        ("Anna dropped her pill on the floor", "en", True),
        ("мама уронила таблетку в раковину", "ru", False),
        ("таблетка упала в раковину", "ru", True),
        ("у неё таблетка упала на пол", "ru", True),
    ],
)
async def test_a_tablet_dropped_by_someone_else_or_asked_about_gets_the_dose_section(
    app: App, request_layer: RecordingRequest, typed: str, language: str, caregiver: bool
) -> None:
    """Someone else's tablet, a question, or a caregiver's words of the patient's tablet
    record nothing, and get the /dose section for it (not low mood, not fractures)."""
    patient = Person(app, request_layer, chat_id=4004, first_name="Anna", language_code=language)
    carer = Person(app, request_layer, chat_id=4005, first_name="Carol", language_code=language)
    if caregiver:
        await follow(patient, carer)
    [answer] = await (carer if caregiver else patient).send(typed)
    assert answer.startswith(DROPPED[language])


def test_each_dose_section_is_a_heading_of_the_dose_topic() -> None:
    words = her_words(ROOT / "content")
    for language in words.languages:
        dose = (ROOT / "content" / language.code / "dose.md").read_text(encoding="utf-8")
        for heading in language.dose_sections.values():
            assert f"\n## {heading}\n" in dose, (language.code, heading)


@pytest.mark.parametrize(
    ("question", "language", "section"),
    [
        ("is it bad to take it late", "en", "If you took it late"),
        ("should I take another if I drop one", "en", "If you were sick after a tablet"),
        ("что делать если вырвало после таблетки?", "ru", "Если после таблетки вырвало"),
        ("что делать если уронила таблетку?", "ru", "Если после таблетки вырвало"),
    ],
)
def test_asked_about_it_the_dose_topic_answers(
    matcher: Matcher, question: str, language: str, section: str
) -> None:
    """A question, or someone else's tablet, gets the dose topic's own section for it."""
    [found, *_] = matcher.search(question, language)
    assert found.command == "dose" and found.passage.startswith(f"## {section}")


@pytest.mark.parametrize(
    ("typed", "language", "sign"),
    [
        ("took my tablet 2 hours late", "en", ""),
        ("выпила таблетку на 3 часа позже", "ru", ""),
        ("опоздала с таблеткой, выпила в два часа", "ru", ""),
        ("I took 2 tablets by mistake 3 hours ago", "en", "overdose"),
        ("выпила две таблетки в два часа", "ru", "overdose"),
        # a clock time: after "at", or "around" in a sentence that says she was late
        ("I took today's tablet late, around 4", "en", ""),
        ("took my tablet at 4", "en", ""),
        ("took my pill late, about 4 o'clock", "en", ""),
        ("I took my tablet at 2 today", "en", ""),
        ("took my tablet at 3 pm", "en", ""),
        ("приняла сегодня поздно, около 4", "ru", ""),
        ("приняла таблетку сегодня поздно, около четырёх", "ru", ""),
        ("выпила таблетку в 4", "ru", ""),
        # still tablets
        ("took 4 tablets", "en", "overdose"),
        ("I took four tablets", "en", "overdose"),
        ("took about 3 today", "en", "overdose"),
        ("I took 2 tablets at 4", "en", "overdose"),
        ("took it at 8 and took another one at 4", "en", "overdose"),
        ("выпила 4 таблетки", "ru", "overdose"),
        ("выпила около 4 таблеток", "ru", "overdose"),
        ("выпила в 2 раза больше таблеток", "ru", "overdose"),
        ("выпила в 8 вторую таблетку", "ru", "overdose"),
    ],
)
def test_hours_late_and_clock_times_are_no_second_tablet(
    detector: Detector, typed: str, language: str, sign: str
) -> None:
    """A number counting hours or telling the time is masked for the safety net: a late
    tablet is not too many; a number of tablets still is."""
    assert detector.assess(typed, language).sign == sign


def test_a_count_is_her_double_dose_only_when_nothing_else_is_counted() -> None:
    """A double dose gets the overdose answer and a question; "two glasses of wine", "another
    bad night", "took the dog out twice" must get neither (tests/dose_words_twice.yaml)."""
    words = her_words(ROOT / "content")
    data = yaml.safe_load((ROOT / "tests" / "dose_words_twice.yaml").read_text(encoding="utf-8"))
    for lang, sets in data.items():
        read = {
            k: [t for t in ts if (words.dose(t) or ("",))[0] == "twice"] for k, ts in sets.items()
        }
        print(
            f"\n{lang}: double doses read {len(read['twice'])}/{len(sets['twice'])};"
            f" everyday read as one {len(read['everyday'])}/{len(sets['everyday'])}"
        )
        assert read["everyday"] == []
        assert len(read["twice"]) >= 0.9 * len(sets["twice"])


@pytest.mark.parametrize(
    "typed", ["I had two glasses of wine last night", "had another bad night", "выпила две но-шпы"]
)
async def test_everyday_counts_get_no_overdose_answer_and_no_record_question(
    anna: Person, services: Services, day: str, typed: str
) -> None:
    answers = await anna.send(typed)
    assert not any("too many tablets" in a or "слишком много таблеток" in a for a in answers)
    assert not any("as taken" in a for a in answers)
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"
