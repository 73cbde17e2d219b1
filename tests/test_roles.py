"""Roles through the real application: someone who only follows a patient is a caregiver
(no patient onboarding, her own wording), until she sets a reminder of her own."""

from __future__ import annotations

import pytest

from bot.app import App
from bot.services import Services
from bot.trial.recording_request import RecordingRequest
from db import roles
from tests.support import Person
from tests.test_caregivers import CAROL, follow


@pytest.fixture
def carol(app: App, request_layer: RecordingRequest) -> Person:
    return Person(app, request_layer, chat_id=CAROL, first_name="Carol")


@pytest.fixture
async def daughter(anna: Person, carol: Person) -> Person:
    await anna.send("/start")
    await follow(anna, carol)
    return carol


async def test_a_caregivers_start_asks_nothing_of_a_patient(daughter: Person) -> None:
    texts = await daughter.send("/start")
    assert len(texts) == 1 and "Hello Carol" in texts[0]  # the welcome alone
    assert "You follow" in texts[0] and "/following" in texts[0]
    assert not any("bone" in t or "daily reminder" in t for t in texts)


async def test_a_caregivers_timezone_and_history(daughter: Person, services: Services) -> None:
    [answer] = await daughter.send("/timezone Leeds")
    assert "Leeds, United Kingdom" in answer and "weekly summary" in answer
    assert "When shall I remind you" not in answer
    assert "caregivers:accept" in str(daughter.last_markup())  # no time buttons sent since
    [answer] = await daughter.send("/history")
    assert "none of your own" in answer and "/following" in answer
    [answer] = await daughter.send("I live in Glasgow")
    assert "the news you follow" in answer


async def test_a_caregivers_question_gets_the_missed_dose_guidance(daughter: Person) -> None:
    answer = await daughter.send("my mum missed her tablet, what should she do")
    assert "never take two" in "".join(answer).lower() or "/dose" in "".join(answer)
    assert "If you miss a dose" in "".join(answer)


async def test_a_caregiver_becomes_a_patient_by_setting_a_reminder(
    daughter: Person, services: Services
) -> None:
    assert roles.is_caregiver(services.db, CAROL)
    await daughter.send("/remind 08:00")
    assert not roles.is_caregiver(services.db, CAROL)
    texts = await daughter.send("/start")
    assert any("bone" in t for t in texts)  # now asked as a patient is
