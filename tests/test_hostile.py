"""Hostile input through every way in: each command's arguments, each question the bot asks
(typed dates and times), forged buttons. Each gets a normal answer in valid HTML, never the
error apology, and the bot keeps answering."""

from __future__ import annotations

import pytest

from bot.services import Services
from db import people
from tests.support import Person
from tests.test_render import problems

HOSTILE = [
    "'; DROP TABLE people; --",
    "<b>x</i>&amp;<script>alert(1)</script>",
    "x" * 4000,
    "🙂🌷💊",
    "\u200f\u202eمرحبا هل يمكنني\u202c",
    "31/02/2025",
    "2099-01-01",
    "25:61",
    "-1",
    "9" * 40,
    "\x00",
    "Europe/../../etc/passwd",
    "{name} %s {0}",
    "2025-01-10 ²",  # a digit to str.isdigit() that int() refuses
    "cholesterol ¹²",
]
APOLOGY = "Sorry, something went wrong"


def assert_normal(label: str, texts: list[str]) -> None:
    assert texts, f"{label}: no answer"
    for text in texts:
        assert not text.startswith(APOLOGY), label
        assert problems(text) == [], (label, problems(text))


async def test_every_command_takes_hostile_arguments(anna: Person, services: Services) -> None:
    await anna.send("/start")
    for name in sorted(services.registry.names()):
        for value in HOSTILE:
            assert_normal(f"/{name} {value[:20]!r}", await anna.send(f"/{name} {value}"))
    assert "soy isoflavones" in (await anna.send("can I eat soy"))[0]


@pytest.mark.parametrize("state", [{}, {"check": "bonescan", "mode": "done"}, {"mode": "book"}])
async def test_every_question_the_bot_asks_takes_hostile_answers(
    anna: Person, services: Services, state: dict[str, str]
) -> None:
    await anna.send("/start")
    assert services.registry.replies
    for kind in services.registry.replies:
        for value in HOSTILE:
            people.set_awaiting(services.db, anna.chat_id, {"kind": kind, **state})
            assert_normal(f"{kind} {state} {value[:20]!r}", await anna.send(value))


async def test_forged_buttons_get_a_plain_answer(anna: Person) -> None:
    await anna.send("/start")
    for prefix in ("rem:take:", "rem:at:", "rem:zone:", "caregivers:", "checkups:", "x:"):
        for value in HOSTILE:
            data = (prefix + value)[:64]  # Telegram's limit for callback data
            texts = await anna.press(data)
            assert not [t for t in texts if t.startswith(APOLOGY)], data
    assert "soy isoflavones" in (await anna.send("can I eat soy"))[0]


@pytest.mark.parametrize(
    "data",
    [
        "caregivers:remove:9999999999999999999",  # beyond SQLite's 64-bit integers
        "caregivers:unsub:-9999999999999999999",
        "caregivers:switch:9999999999999999999:weekly",
        "caregivers:delay:9999999999999999999",
        "caregivers:remove:١٢",  # digits to a regex, not a chat id
    ],
)
async def test_forged_ids_in_buttons_get_a_plain_answer(anna: Person, data: str) -> None:
    await anna.send("/start")
    texts = await anna.press(data)
    assert not [t for t in texts if t.startswith(APOLOGY)], data
    assert "soy isoflavones" in (await anna.send("can I eat soy"))[0]
