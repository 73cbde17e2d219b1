"""Invitation links from the patient's side: /caregivers lists those nobody used yet, each
with a Cancel button; at most five are open at once; the texts name everything a caregiver
receives by default; expired ones are purged daily."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import retention
from bot.app import App
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import caregivers as store
from db.caregivers import SWITCHES, Link
from tests.support import Person, en
from tests.test_caregivers import CAROL, make_invitation


@pytest.mark.parametrize("language", ["en", "ru"])
async def test_invitation_and_consent_name_everything_received_by_default(
    app: App, request_layer: RecordingRequest, services: Services, language: str
) -> None:
    anna = Person(app, request_layer, language_code=language)
    payload = await make_invitation(anna)
    invite = request_layer.sent()[-1]["text"]
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol", language_code=language)
    offer = (await carol.send(f"/start {payload}"))[0]
    defaults = [s for s in SWITCHES if Link(patient=1, caregiver=2).allows(s)]
    assert len(defaults) == 3
    for switch in defaults:
        item = services.catalog.text(language, f"caregivers_item_{switch}")
        assert item in invite and item in offer, item


async def test_unused_invitations_are_listed_and_each_can_be_cancelled(
    anna: Person, app: App, request_layer: RecordingRequest, clock: FakeClock
) -> None:
    first = await make_invitation(anna)
    clock.advance(timedelta(days=1))
    await make_invitation(anna)
    texts = await anna.send("/caregivers")
    assert en("caregivers_list_none") in texts[0]
    assert "1. made 2 March 2026, works until 9 March 2026" in texts[1]
    assert "2. made 3 March 2026, works until 10 March 2026" in texts[1]
    buttons = anna.buttons()
    assert list(buttons) == ["Cancel link 1", "Cancel link 2"]

    await anna.press(buttons["Cancel link 1"])
    assert list(anna.buttons()) == ["Cancel link 1"]  # the list, edited: one left
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    assert "doesn't work" in (await carol.send(f"/start {first}"))[0]

    texts = await anna.press(anna.buttons()["Cancel link 1"])
    assert en("caregivers_invitations_none") in texts[0]
    texts = await anna.press(buttons["Cancel link 2"])  # pressed again: nothing to cancel
    assert "no longer works" in texts[-1]


async def test_another_person_cannot_cancel_her_invitation(
    anna: Person, app: App, request_layer: RecordingRequest, services: Services
) -> None:
    await make_invitation(anna)
    await anna.send("/caregivers")
    data = anna.buttons()["Cancel link 1"]
    mallory = Person(app, request_layer, chat_id=4242, first_name="Mallory")
    assert "no longer works" in (await mallory.press(data))[-1]
    now = int(services.clock.now().timestamp())
    assert len(store.open_invitations(services.db, anna.chat_id, now)) == 1


async def test_at_most_five_invitations_are_open_at_once(
    anna: Person, services: Services, clock: FakeClock
) -> None:
    for _ in range(5):
        await make_invitation(anna)
    refused = await anna.send("/invite")
    assert "You already have 5 invitation links" in refused[0]
    assert "start=care-" not in refused[0]
    await anna.send("/caregivers")
    await anna.press(anna.buttons()["Cancel link 3"])
    await make_invitation(anna)  # room again
    clock.advance(timedelta(days=7))  # all expired: they no longer count
    for _ in range(5):
        await make_invitation(anna)


async def test_invitations_that_expired_unused_are_purged(
    anna: Person, app: App, request_layer: RecordingRequest, services: Services, clock: FakeClock
) -> None:
    accepted = await make_invitation(anna)
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    await carol.send(f"/start {accepted}")
    await carol.press(carol.buttons()["✅ Accept"])
    await make_invitation(anna)
    clock.advance(timedelta(days=6, hours=23))
    assert await retention.purge(services) == (0, 0)
    clock.advance(timedelta(hours=1))
    assert await retention.purge(services) == (0, 1)
    rows = list(services.db.query("SELECT used_by FROM invitations"))
    assert rows == [{"used_by": CAROL}]  # the record of her consent stays


async def test_an_old_cancel_button_never_cancels_a_newer_link(
    anna: Person, services: Services, clock: FakeClock
) -> None:
    await make_invitation(anna)
    await anna.send("/caregivers")
    old = anna.buttons()["Cancel link 1"]
    await anna.press(old)
    clock.advance(timedelta(minutes=1))
    await make_invitation(anna)  # SQLite may give it the rowid the cancelled one had
    assert "no longer works" in (await anna.press(old))[-1]
    now = int(services.clock.now().timestamp())
    assert len(store.open_invitations(services.db, anna.chat_id, now)) == 1
