"""bot/gate.py: only private chats reach the features, whatever the kind of update, and a
person flooding the bot is told once to slow down, then ignored until her bucket refills,
while everyone else's answers and the due reminders go out as usual."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from telegram import Update

from bot import scheduler
from bot.app import App
from bot.gate import FORGET_AFTER, FloodControl
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import events, people
from tests.support import Person

SLOW_DOWN = "You're sending messages faster than I can answer"
USER = {"id": 4242, "is_bot": False, "first_name": "Mallory"}
GROUP = {"id": -100123, "type": "supergroup", "title": "Friends"}
CHANNEL = {"id": -100456, "type": "channel", "title": "News"}
PRIVATE = {"id": 4242, "type": "private", "first_name": "Mallory"}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"flood_per_minute": 20, "flood_burst": 10})


def message(chat: dict[str, Any], text: str = "/start", **extra: Any) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "message_id": 7,
        "date": 1_700_000_000,
        "chat": chat,
        "text": text,
        **({"entities": entities} if text.startswith("/") else {}),
        **extra,
    }


def member_update(chat: dict[str, Any]) -> dict[str, Any]:
    member = {"status": "member", "user": {"id": 777000111, "is_bot": True, "first_name": "B"}}
    return {
        "chat": chat,
        "from": USER,
        "date": 1_700_000_000,
        "old_chat_member": {**member, "status": "left"},
        "new_chat_member": member,
    }


NOT_FOR_US = {
    "group message": {"message": message(GROUP, **{"from": USER})},
    "group question": {"message": message(GROUP, "can I drink alcohol", **{"from": USER})},
    "edited group message": {"edited_message": message(GROUP, "hi", **{"from": USER})},
    "channel post": {"channel_post": message(CHANNEL, "what is anastrozole")},
    "edited channel post": {"edited_channel_post": message(CHANNEL, "/help")},
    "group button": {
        "callback_query": {
            "id": "1",
            "from": USER,
            "chat_instance": "g",
            "data": "rem:take:2026-03-02",
            "message": message(GROUP, "(button)"),
        }
    },
    "inline-message button": {
        "callback_query": {
            "id": "2",
            "from": USER,
            "chat_instance": "i",
            "data": "account:keep",
            "inline_message_id": "abc",
        }
    },
    "inline query": {"inline_query": {"id": "3", "from": USER, "query": "dose", "offset": ""}},
    "bot added to a group": {"my_chat_member": member_update(GROUP)},
    "private message without a sender": {"message": message(PRIVATE)},
    "poll": {
        "poll": {
            "id": "5",
            "question": "?",
            "options": [],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": True,
            "type": "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
    },
}


@pytest.mark.parametrize("kind", list(NOT_FOR_US))
async def test_only_private_chats_reach_the_features(
    kind: str,
    app: App,
    request_layer: RecordingRequest,
    services: Services,
    caplog: pytest.LogCaptureFixture,
) -> None:
    request_layer.clear()
    await app.process_update(Update.de_json({"update_id": 1, **NOT_FOR_US[kind]}, app.bot))
    assert request_layer.calls == [], kind  # nothing sent, no button answered, nowhere
    assert people.get(services.db, USER["id"]) is None  # not even recorded as a person
    assert not [r for r in caplog.records if r.levelname == "ERROR"], kind


async def test_a_private_message_still_gets_its_answer(anna: Person) -> None:
    assert "Hello Anna" in (await anna.send("/start"))[0]


async def flood(person: Person, count: int, clock: FakeClock, every: float = 0) -> list[str]:
    texts: list[str] = []
    for _ in range(count):
        texts += await person.send("/dose")
        clock.advance(timedelta(seconds=every))
    return texts


async def test_a_flooder_is_told_once_and_her_excess_is_dropped(
    anna: Person, clock: FakeClock
) -> None:
    texts = await flood(anna, 30, clock)
    answers = [t for t in texts if not t.startswith(SLOW_DOWN)]
    assert [t for t in texts if t.startswith(SLOW_DOWN)] == [texts[len(answers)]]
    per_dose = len(answers) // 10
    assert len(answers) == 10 * per_dose and per_dose >= 1  # the burst of 10, then nothing

    # Still sending, one a second for two minutes: one answer every 3 s, no second notice.
    texts = await flood(anna, 120, clock, every=1)
    assert not [t for t in texts if t.startswith(SLOW_DOWN)]
    assert 38 * per_dose <= len(texts) <= 42 * per_dose

    # Half a minute of calm ends the flood: a new one is told again, once.
    clock.advance(timedelta(seconds=30))
    texts = await flood(anna, 30, clock)
    assert len([t for t in texts if t.startswith(SLOW_DOWN)]) == 1


async def test_a_flooder_delays_no_one_else(
    app: App, request_layer: RecordingRequest, services: Services, clock: FakeClock
) -> None:
    anna = Person(app, request_layer, chat_id=1001, first_name="Anna")
    bea = Person(app, request_layer, chat_id=1002, first_name="Bea")
    carla = Person(app, request_layer, chat_id=1003, first_name="Carla")
    await carla.send("/remind 09:05")
    event = events.find(services.db, carla.chat_id, "dose")
    assert event is not None
    clock.set(datetime.fromtimestamp(event.next_fire, UTC))

    texts = await flood(anna, 200, clock)
    assert len(texts) < 50 and [t for t in texts if t.startswith(SLOW_DOWN)]
    answer = await bea.send("can I eat soy")
    assert answer and not [t for t in answer if t.startswith(SLOW_DOWN)]
    before = len(request_layer.calls)
    assert await scheduler.tick(app.bot, services) == 1
    assert "tablet" in carla.texts_since(before)[0]


async def test_button_presses_count_and_the_notice_sits_on_the_button(
    anna: Person, request_layer: RecordingRequest, clock: FakeClock
) -> None:
    await anna.send("/start")
    before = len(request_layer.calls)
    for _ in range(12):
        await anna.press("account:keep")
    answers = [c.params for c in request_layer.calls[before:] if c.method == "answerCallbackQuery"]
    assert len(answers) == 10  # 9 presses answered plainly (/start took a token) and 1 notice
    assert [a.get("text") for a in answers].count(None) == 9
    assert str(answers[-1]["text"]).startswith(SLOW_DOWN)
    sent = [c for c in request_layer.calls[before:] if c.method.startswith("send")]
    assert sent == []  # a button flood adds no message to her chat


def test_idle_people_are_forgotten_so_memory_stays_bounded() -> None:
    flood = FloodControl(per_minute=20, burst=10)
    for person in range(50_000):  # one update each, a second apart: all idle soon after
        assert flood.admit(person, float(person)) == (True, False)
    assert len(flood.buckets) <= 2 * FORGET_AFTER
