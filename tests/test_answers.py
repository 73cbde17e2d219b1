"""Answers that read like a person (issue 12), through the real application: a short
answer first with "More" buttons, small talk, everyday questions, a short /help whose
group buttons hold every command, topics that open with a summary."""

from __future__ import annotations

import pytest

from bot.services import Services
from handlers.info import InfoButton
from tests.support import Person
from tests.test_render import problems

FOOTER_START = "💬 <i>Questions about your own treatment?"


async def test_an_answer_is_the_best_passage_with_more_buttons_and_no_preamble(
    anna: Person,
) -> None:
    [text] = await anna.send("I get hot flushes at night")
    assert not text.startswith("Here is what I found")
    assert "hot flashes" in text.lower()
    assert text.count("<b>Side effects</b>") == 0  # the topic's title is on the button
    assert text.splitlines()[-1].startswith(FOOTER_START)
    assert anna.buttons()["More: Side effects"] == "info:topic:sideeffects"
    assert problems(text) == []


async def test_a_more_button_opens_the_topic(anna: Person, services: Services) -> None:
    await anna.send("I get hot flushes at night")
    texts = await anna.press(anna.buttons()["More: Side effects"])
    assert texts[0] == ""  # the button's spinner is answered
    assert texts[1].startswith("<b>Side effects</b>")


@pytest.mark.parametrize("data", ["info:topic:nosuch", "info:help:nosuch", "info:topic:"])
async def test_a_forged_button_gets_the_plain_answer(anna: Person, data: str) -> None:
    [text] = await anna.press(data)
    assert "no longer works" in text


def test_button_data_round_trips() -> None:
    for button in (InfoButton("topic", "dose"), InfoButton("help", "caregivers")):
        assert InfoButton.unpack(button.pack()) == button
        assert len(button.pack().encode()) <= 64  # Telegram's limit for callback data
    assert InfoButton.unpack("info:topic:Dose; DROP") is None


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("what if I miss a dose", "never take two doses"),
        ("is it safe to drive", "do not drive, cycle or use tools or machines"),
        ("can I stop taking it, I feel awful", "Please don't stop or skip it on your own"),
        ("my finger keeps clicking and locking", "trigger finger"),
        ("how soon does it start to work", "within 24 hours"),
        ("will the side effects go away", "usually improve after a few months"),
        ("why have I been given a bisphosphonate as well", "bisphosphonate medicine"),
    ],
)
async def test_everyday_questions_are_answered_from_the_content(
    anna: Person, question: str, expected: str
) -> None:
    [text] = await anna.send(question)
    assert expected in text
    assert "Do not drive yourself" not in text  # the overdose passage is not for driving
    assert "cytochrome" not in text


@pytest.mark.parametrize("question", ["can I drink alcohol?", "hi, can I drink alcohol?"])
async def test_alcohol_gets_only_what_the_sources_say(anna: Person, question: str) -> None:
    """/coping: the NHS and Cancer Research UK say cutting down may help with hot flushes;
    nothing more, so the rest goes to the pharmacist."""
    [text] = await anna.send(question)
    assert "cutting down may help with hot flushes" in text
    assert "please ask your pharmacist" in text


@pytest.mark.parametrize(
    ("said", "reply"),
    [
        ("hello", "How can I help today?"),
        ("Hi there!", "How can I help today?"),
        ("thank you", "You're very welcome"),
        ("thanks so much love", "You're very welcome"),
        ("ok", "All right"),
        ("Okay.", "All right"),
        ("goodbye", "Take care"),
        ("are you a robot", "I'm not a person"),
    ],
)
async def test_small_talk_gets_a_short_friendly_reply(anna: Person, said: str, reply: str) -> None:
    [text] = await anna.send(said)
    assert reply in text
    assert "couldn't find" not in text
    assert len(text) < 400
    assert problems(text) == []


async def test_small_talk_never_swallows_a_question(anna: Person) -> None:
    [text] = await anna.send("thank you, what about hot flushes?")
    assert "hot flashes" in text.lower()


async def test_help_is_short_with_a_button_per_group_that_lists_it(
    anna: Person, services: Services
) -> None:
    [text] = await anna.send("/help")
    assert len(text) < 800
    assert text.count("\n/") < 4  # the few things people do most, not every command
    assert problems(text) == []
    listed: list[str] = []
    for data in anna.buttons().values():
        await anna.send("/help")
        _spinner, group = await anna.press(data)
        assert problems(group) == []
        listed += [line.split(" – ")[0][1:] for line in group.splitlines()[1:]]
    assert sorted(listed) == sorted(spec.name for spec in services.registry.commands())


@pytest.mark.parametrize("command", ["sideeffects", "mechanism", "overview"])
async def test_a_long_topic_opens_with_a_short_plain_summary(
    anna: Person, services: Services, command: str
) -> None:
    texts = await anna.send(f"/{command}")
    topic = services.library.get(command)
    assert topic is not None and 3 <= len(topic.summary.splitlines()) <= 4
    opening = texts[0].split("\n", 1)[1].lstrip("\n")
    assert opening.startswith("<blockquote>")
    summary = opening.split("</blockquote>")[0]
    assert "cytochrome" not in summary and "P450" not in summary
    assert "Aromatization" not in texts[0] and "(&gt;10%)" not in texts[0]
