"""The safety net through the real application: what she is sent, and what is not."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.matcher import passages
from bot.pure.content import ContentError
from bot.pure.render import blocks
from bot.screen import section_blocks
from bot.services import Services
from bot.settings import Settings
from db import people
from tests.support import Person, build_app, en
from tests.test_content import CONTENT
from tests.test_render import problems

EMERGENCY = "<b>Call emergency services now"


async def test_thoughts_of_suicide_get_crisis_help_and_nothing_else(anna: Person) -> None:
    [text] = await anna.send("I don't want to live anymore")
    assert "116 123" in text and "988" in text and "999" in text
    assert "couldn't find" not in text
    assert problems(text) == []


async def test_a_warning_sign_in_any_words_gets_its_section(anna: Person) -> None:
    [text] = await anna.send("my throat feels tight and I can't swallow")
    assert EMERGENCY in text
    assert "Trouble breathing or swallowing" in text
    assert "/urgent" in text
    [text] = await anna.send("I took two tablets by mistake")
    assert "<b>If you took too many tablets</b>" in text
    assert "Do not drive yourself" in text
    [text] = await anna.send("pins and needles in my hands at night")
    assert "<b>Contact your doctor promptly</b>" in text
    assert problems(text) == []


async def test_a_warning_sign_in_a_reply_to_a_prompt_is_answered_and_the_prompt_stays(
    anna: Person, services: Services
) -> None:
    replies: list[str] = []

    async def on_reply(update: Any, context: Any) -> None:
        replies.append(update.effective_message.text)

    services.registry.on_reply("test_prompt", on_reply)
    await anna.send("/start")
    people.set_awaiting(services.db, anna.chat_id, {"kind": "test_prompt"})
    [text] = await anna.send("my lips are swelling up")
    assert EMERGENCY in text
    assert replies == []
    person = people.get(services.db, anna.chat_id)
    assert person is not None and person.awaiting == {"kind": "test_prompt"}
    await anna.send("2026-03-01")
    assert replies == ["2026-03-01"]


@pytest.mark.parametrize(
    "harmless",
    ["my ankles are a bit swollen in the evening", "stiff swollen knees in the morning"],
)
async def test_harmless_swelling_gets_no_alarm_but_one_line_on_which_swelling_is_urgent(
    anna: Person, harmless: str
) -> None:
    texts = await anna.send(harmless)
    assert not any(EMERGENCY in t for t in texts)
    assert en("safety_hint_swelling") in texts[-1]


async def test_low_mood_gets_the_guide_and_a_line_to_the_care_team(anna: Person) -> None:
    [text] = await anna.send("I've been feeling really low and tearful")
    assert "116 123" in text  # the mood line: where to turn if it gets worse
    assert en("safety_hint_mood") in text


async def test_other_medicines_from_the_content_and_never_a_guess(anna: Person) -> None:
    [text] = await anna.send("can I take it with tamoxifen")
    assert "not taken together with tamoxifen" in text
    [text] = await anna.send("can I take it with metformin?")
    assert en("safety_medicine_unknown") in text
    [text] = await anna.send("with metformin?")  # a follow-up to the question before
    assert en("safety_medicine_unknown") in text
    assert "Here is what I found" not in text


async def test_a_language_the_bot_does_not_read_gets_a_short_english_answer(
    anna: Person,
) -> None:
    [text] = await anna.send("Kann ich die Tablette mit Essen nehmen?")
    assert text.startswith(en("safety_foreign"))
    assert "112" in text
    [text] = await anna.send("Я не могу дышать")
    assert EMERGENCY in text


def test_each_sign_names_a_section_of_the_urgent_topic() -> None:
    body = (CONTENT / "en" / "urgent.md").read_text(encoding="utf-8").split("---", 2)[2]
    for name in ("en/red_flags.yaml", "red_flags_any.yaml"):
        data = yaml.safe_load((CONTENT / name).read_text(encoding="utf-8"))
        for sign, spec in data["signs"].items():
            assert section_blocks(body, spec["section"])[1:], (name, sign)


def test_every_caution_note_is_quoted_with_the_claim_before_it(services: Services) -> None:
    """A note after a claim in its section is never a passage on its own."""
    checked = 0
    for topic in services.library.topics("en"):
        texts = [text for _section, text in passages(topic)]
        claim = False
        for block in blocks(topic.body):
            if block.startswith("#"):
                claim = False
            elif block.startswith(">"):
                [holder] = [t for t in texts if block.strip() in t]
                assert holder.startswith(">") != claim, block  # with its claim, if any
                checked += claim
            else:
                claim = True
    assert checked >= 5


def test_the_off_label_uses_come_with_their_note(services: Services) -> None:
    [found, *_] = services.matcher.search("is it used for infertility")
    assert "off-label" in found.passage and "not recommendations" in found.passage


def test_the_caregivers_missed_dose_alert_says_never_two_tablets(services: Services) -> None:
    assert "never take two tablets" in services.catalog.text(
        "en", "caregivers_alert", patient="Anna", time="08:00"
    )


def test_a_broken_red_flag_file_stops_the_start(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "en" / "red_flags.yaml").write_text("signs: {x: {when: [[a]]}}\n")
    settings = Settings(
        telegram_bot_token="1:T",
        content_path=content,
        database_path=tmp_path / "bot.db",
        _env_file=None,  # type: ignore[call-arg]
    )
    with pytest.raises(ContentError, match=r"red_flags\.yaml"):
        build_app(settings)


async def test_a_question_about_a_warning_sign_keeps_its_answer_with_one_line(
    anna: Person,
) -> None:
    """A mention: the sign asked about, not reported. Her answer, then when to get help."""
    texts = await anna.send("what should I do if my face ever swells up?")
    assert not any(t.startswith(en("safety_urgent_intro")) for t in texts)
    assert en("safety_hint_warning_emergency") in texts[-1]
    assert problems(texts[-1]) == []


@pytest.mark.parametrize(
    "everyday",
    [
        "I'm in my fourth year on arimidex, when do I finish?",
        "my blood pressure was fine at the GP, is that checked on this tablet?",
        "no chest pain or anything, just tired all the time",
        "my BRCA test came back positive, does that change anything?",
    ],
)
async def test_everyday_oncology_talk_gets_its_answer_not_an_alarm(
    anna: Person, everyday: str
) -> None:
    """Answered from the guide (which may quote the warning signs), never alarmed."""
    texts = await anna.send(everyday)
    assert not any(t.startswith(en("safety_urgent_intro")) for t in texts)
    assert not any(en("safety_crisis") in t or en("safety_hint_distress") in t for t in texts)


async def test_distress_gets_a_warm_check_in_with_the_numbers_not_a_dead_end(
    anna: Person,
) -> None:
    [text] = await anna.send("I can't cope with any of this")
    assert text == en("safety_hint_distress")
    assert "116 123" in text and "988" in text
    assert "couldn't find" not in text


async def test_crisis_help_for_a_russian_speaker_leads_with_her_numbers(
    app: Any, request_layer: Any
) -> None:
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await olga.send("/start")
    [text] = await olga.send("хочу уйти из жизни")
    assert text.index("112") < text.index("116 123") < text.index("988")
    assert "103" in text and "8-800-2000-122" in text and "8-495-051" in text
    assert "медицинской команде" not in text and "поступить по этим мыслям" not in text
    assert problems(text) == []
