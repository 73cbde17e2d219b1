"""Caregivers through the real application: Anna is the patient, Carol and Dave follow her
or try to; the patient's side (dose time, dose rows, signals) is simulated."""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

import pytest

from bot import scheduler
from bot.app import App
from bot.pure.signals import BonescanOverdue
from bot.pure.timerules import epoch
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import caregivers as store
from db import doses, events, people
from handlers.caregivers.planning import ALERT, WEEKLY, reschedule_patient
from tests.support import CATALOG, Person, build_app, en
from tests.test_render import problems

ANNA, CAROL, DAVE = 1001, 2002, 3003
DOSE_DAY = "2026-03-03"
DOSE_DUE = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
ALERT_AT = DOSE_DUE + timedelta(minutes=120)


@pytest.fixture
def carol(app: App, request_layer: RecordingRequest) -> Person:
    return Person(app, request_layer, chat_id=CAROL, first_name="Carol")


@pytest.fixture
def dave(app: App, request_layer: RecordingRequest) -> Person:
    return Person(app, request_layer, chat_id=DAVE, first_name="Dave")


async def make_invitation(patient: Person) -> str:
    texts = await patient.send("/invite")
    found = re.search(r"\?start=(care-[A-Za-z0-9_-]+)", texts[0])
    assert found, texts
    return found.group(1)


async def follow(patient: Person, caregiver: Person) -> None:
    payload = await make_invitation(patient)
    await caregiver.send(f"/start {payload}")
    [accept] = [data for data in caregiver.buttons().values() if ":accept:" in data]  # any language
    await caregiver.press(accept)


def messages(person: Person, since: int) -> list[str]:
    """Texts sent to or edited in this person's chat (not the pop-up answers to buttons)."""
    return [str(p["text"]) for m, p in person.calls_since(since) if m.startswith(("send", "edit"))]


async def tick_at(app: App, services: Services, clock: FakeClock, instant: datetime) -> None:
    clock.set(instant)
    await scheduler.tick(app.bot, services)


def set_dose_time(services: Services, chat_id: int = ANNA, zone: str = "Europe/Berlin") -> None:
    people.set_timezone(services.db, chat_id, zone)
    people.set_remind_at(services.db, chat_id, "08:00")
    scheduler.reschedule_chat(services, chat_id)


def open_dose(services: Services, day: str = DOSE_DAY, due: datetime = DOSE_DUE) -> None:
    doses.open_dose(services.db, ANNA, day, epoch(due), message_id=1)


BUTTON = {"taken": "rem:take", "skipped": "rem:skip"}


async def answer(anna: Person, status: str, day: str = DOSE_DAY) -> None:
    """Anna taps Taken or Skip on her reminder: the reminders feature's real handler."""
    await anna.press(f"{BUTTON[status]}:{day}")


@pytest.fixture
async def followed(anna: Person, carol: Person, services: Services) -> Services:
    """Anna takes her tablet at 08:00 Berlin time and Carol follows her."""
    await anna.send("/start")
    set_dose_time(services)
    await follow(anna, carol)
    return services


# --- invitation ---------------------------------------------------------------------------
async def test_invite_gives_a_single_use_link_and_a_share_button(
    anna: Person, services: Services
) -> None:
    texts = await anna.send("/invite")
    payload = re.search(r"start=(\S+)", texts[0])
    assert payload
    assert "https://t.me/anastrozole_companion_bot?start=care-" in texts[0]
    token = payload.group(1).removeprefix("care-")
    assert len(payload.group(1)) <= 64 and re.fullmatch(r"[A-Za-z0-9_-]+", payload.group(1))
    assert len(token) * 6 >= 128
    share = urlparse(anna.buttons()["📤 Share the link"])
    assert (share.netloc, share.path) == ("t.me", "/share/url")
    assert parse_qs(share.query)["url"] == [
        f"https://t.me/anastrozole_companion_bot?start=care-{token}"
    ]
    stored = list(services.db.query("SELECT * FROM invitations"))
    assert [row["token_hash"] for row in stored] == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in str(stored)


async def test_caregiver_sees_whose_updates_and_what_then_accepts(
    anna: Person, carol: Person, services: Services
) -> None:
    payload = await make_invitation(anna)
    offer = await carol.send(f"/start {payload}")
    assert len(offer) == 1
    assert "<b>Anna</b> invites you" in offer[0]
    assert "missed-dose alerts, a weekly summary" in offer[0]
    assert "2 hours" in offer[0]
    assert set(carol.buttons()) == {"✅ Accept", "Decline"}
    before = len(anna.request.calls)
    accepted = await carol.press(carol.buttons()["✅ Accept"])
    assert any("You now follow <b>Anna</b>" in t for t in accepted)
    told = messages(anna, before)
    assert any("<b>Carol</b> now follows your reminders" in t for t in told)
    assert anna.buttons() == {"Remove Carol": f"caregivers:remove:{CAROL}"}
    assert store.get_link(services.db, ANNA, CAROL) is not None
    assert events.find(services.db, CAROL, WEEKLY, str(ANNA)) is not None


async def test_decline_lets_nobody_in_and_spends_the_link(
    anna: Person, carol: Person, dave: Person, services: Services
) -> None:
    payload = await make_invitation(anna)
    await carol.send(f"/start {payload}")
    before = len(anna.request.calls)
    answer_texts = await carol.press(carol.buttons()["Decline"])
    assert any("won't receive anything" in t for t in answer_texts)
    assert any("Carol declined" in t for t in messages(anna, before))
    assert store.caregivers_of(services.db, ANNA) == []
    again = await dave.send(f"/start {payload}")
    assert "already been used" in again[0] and "Anna" not in again[0]


async def test_a_used_link_lets_no_one_else_in(
    anna: Person, carol: Person, dave: Person, services: Services
) -> None:
    payload = await make_invitation(anna)
    await carol.send(f"/start {payload}")
    accept = carol.buttons()["✅ Accept"]
    await carol.press(accept)
    texts = await dave.send(f"/start {payload}")
    assert texts == [services.text(DAVE, "caregivers_link_used")]
    forged = await dave.press(accept)  # Carol's button data, pressed by Dave
    assert "already been used" in " ".join(forged) and "Anna" not in " ".join(forged)
    assert [link.caregiver for link in store.caregivers_of(services.db, ANNA)] == [CAROL]


async def test_an_expired_link_says_so_even_with_the_offer_open(
    anna: Person, carol: Person, clock: FakeClock, services: Services
) -> None:
    payload = await make_invitation(anna)
    clock.advance(timedelta(days=6, hours=23))
    await carol.send(f"/start {payload}")
    clock.advance(timedelta(hours=1))
    texts = await carol.press(carol.buttons()["✅ Accept"])
    assert any("has expired" in t for t in texts)
    again = await carol.send(f"/start {payload}")
    assert again == [services.text(CAROL, "caregivers_link_expired")]
    assert store.caregivers_of(services.db, ANNA) == []


@pytest.mark.parametrize(
    "payload",
    ["care-", "care-" + "A" * 32, "care-" + "x" * 59, "care-<b>hi</b>", "care-" + "é" * 20],
)
async def test_a_made_up_link_lets_no_one_in(
    anna: Person, carol: Person, services: Services, payload: str
) -> None:
    await make_invitation(anna)
    texts = await carol.send(f"/start {payload}")
    assert texts == [services.text(CAROL, "caregivers_link_invalid")]
    forged = await carol.press(f"caregivers:accept:{payload.removeprefix('care-') or 'x'}")
    assert "Anna" not in " ".join(forged)
    assert store.caregivers_of(services.db, ANNA) == []


async def test_a_patient_cannot_follow_herself(anna: Person, services: Services) -> None:
    payload = await make_invitation(anna)
    texts = await anna.send(f"/start {payload}")
    assert texts == [services.text(ANNA, "caregivers_link_own")]
    await anna.press(f"caregivers:accept:{payload.removeprefix('care-')}")
    assert store.caregivers_of(services.db, ANNA) == []


async def test_a_second_tap_on_accept_changes_nothing(
    anna: Person, carol: Person, services: Services
) -> None:
    payload = await make_invitation(anna)
    await carol.send(f"/start {payload}")
    accept = carol.buttons()["✅ Accept"]
    await carol.press(accept)
    before = len(anna.request.calls)
    texts = await carol.press(accept)
    assert any("already been used" in t or "already follow" in t for t in texts)
    assert messages(anna, before) == []


# --- alerts -------------------------------------------------------------------------------
async def test_alert_after_the_delay_naming_the_patient_and_dose_time(
    followed: Services, app: App, carol: Person, clock: FakeClock
) -> None:
    open_dose(followed)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT - timedelta(minutes=1))
    assert messages(carol, before) == []
    await tick_at(app, followed, clock, ALERT_AT)
    texts = messages(carol, before)
    assert len(texts) == 1
    assert "<b>Anna</b> hasn't confirmed her tablet" in texts[0]
    assert "08:00" in texts[0]
    await tick_at(app, followed, clock, ALERT_AT + timedelta(minutes=5))
    assert len(messages(carol, before)) == 1


async def test_no_alert_when_no_reminder_went_out(
    followed: Services, app: App, carol: Person, clock: FakeClock
) -> None:
    """The bot was down at her dose time: the day is missed, but she was never asked."""
    doses.open_dose(followed.db, ANNA, DOSE_DAY, epoch(DOSE_DUE), message_id=None)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT)
    assert messages(carol, before) == []


async def test_a_dose_time_moved_later_today_still_gets_its_alert(
    followed: Services, app: App, carol: Person, clock: FakeClock
) -> None:
    clock.set(DOSE_DUE - timedelta(hours=1))
    people.set_remind_at(followed.db, ANNA, "20:00")  # as /remind would, before today's dose
    scheduler.reschedule_chat(followed, ANNA)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT)  # the old alert time: no dose yet
    evening_dose = datetime(2026, 3, 3, 19, 0, tzinfo=UTC)
    open_dose(followed, due=evening_dose)
    await tick_at(app, followed, clock, evening_dose + timedelta(minutes=119))
    assert messages(carol, before) == []
    await tick_at(app, followed, clock, evening_dose + timedelta(minutes=120))
    texts = messages(carol, before)
    assert len(texts) == 1 and "due at 20:00, her time" in texts[0]


async def test_one_alert_per_dose_even_when_her_dose_time_changes(
    followed: Services, app: App, carol: Person, clock: FakeClock
) -> None:
    open_dose(followed)
    clock.set(ALERT_AT - timedelta(minutes=30))
    people.set_remind_at(followed.db, ANNA, "09:30")  # the alert now falls due again at 10:30
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT)
    await tick_at(app, followed, clock, ALERT_AT + timedelta(hours=2))
    texts = messages(carol, before)
    assert len(texts) == 1 and "due at 08:00" in texts[0]


async def test_help_lists_the_caregiver_commands(anna: Person) -> None:
    help_text = await anna.help_everything()
    assert "<b>Family and caregivers</b>" in help_text
    for command in ("/invite", "/caregivers", "/following"):
        assert command in help_text


async def test_no_alert_when_taken_in_time(
    followed: Services, app: App, anna: Person, carol: Person, clock: FakeClock
) -> None:
    open_dose(followed)
    clock.set(DOSE_DUE + timedelta(minutes=10))
    before = len(carol.request.calls)
    await answer(anna, "taken")
    await tick_at(app, followed, clock, ALERT_AT + timedelta(minutes=1))
    assert messages(carol, before) == []


@pytest.mark.parametrize(
    ("status", "follow_up"),
    [
        ("taken", ["✅ Good news: <b>Anna</b> has taken her tablet after all."]),
        ("skipped", []),
    ],
)
async def test_taken_after_all_follows_the_alert_once(
    followed: Services,
    app: App,
    anna: Person,
    carol: Person,
    clock: FakeClock,
    status: str,
    follow_up: list[str],
) -> None:
    open_dose(followed)
    await tick_at(app, followed, clock, ALERT_AT)
    before = len(carol.request.calls)
    clock.advance(timedelta(minutes=20))
    await answer(anna, status)
    await scheduler.tick(app.bot, followed)
    await scheduler.tick(app.bot, followed)
    assert messages(carol, before) == follow_up


async def test_every_caregiver_gets_the_alert_and_one_caregiver_follows_two_patients(
    followed: Services, app: App, anna: Person, carol: Person, dave: Person, clock: FakeClock
) -> None:
    await follow(anna, dave)
    bea = Person(app, carol.request, chat_id=4004, first_name="Bea")
    await bea.send("/start")
    set_dose_time(followed, 4004, "UTC")  # 08:00 UTC, so her alert is due at 10:00 UTC
    await follow(bea, carol)
    open_dose(followed)
    doses.open_dose(followed.db, 4004, DOSE_DAY, epoch(datetime(2026, 3, 3, 8, tzinfo=UTC)), 1)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, datetime(2026, 3, 3, 10, 0, tzinfo=UTC))
    carol_texts = messages(carol, before)
    assert sorted(re.findall(r"<b>(\w+)</b> hasn't", " ".join(carol_texts))) == ["Anna", "Bea"]
    assert len(messages(dave, before)) == 1
    following = await carol.send("/following")
    assert len(following) == 2


async def test_patient_chooses_the_delay_or_turns_alerts_off(
    followed: Services, anna: Person, carol: Person, dave: Person, app: App, clock: FakeClock
) -> None:
    texts = await anna.send("/caregivers")
    assert "after: <b>2 hours</b>" in texts[0]
    buttons = anna.request.calls[-2].params["reply_markup"]["inline_keyboard"]
    labels = [b["text"] for row in buttons for b in row]
    assert labels == ["30 min", "1 hour", "✓ 2 hours", "4 hours", "Off"]
    edited = await anna.press("caregivers:delay:30")
    assert any("after: <b>30 min</b>" in t for t in edited)
    alert = events.find(followed.db, CAROL, ALERT, str(ANNA))
    assert alert is not None and alert.next_fire == epoch(DOSE_DUE + timedelta(minutes=30))
    refused = await anna.press("caregivers:delay:45")
    assert refused == [followed.text(ANNA, "button_expired")]
    await anna.press("caregivers:delay:0")
    assert events.find(followed.db, CAROL, ALERT, str(ANNA)) is None
    offer = await dave.send(f"/start {await make_invitation(anna)}")
    assert en("caregivers_offer_when_off") in offer[0]
    open_dose(followed)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT)
    assert messages(carol, before) == []


async def test_switches_stop_and_restart_each_kind_of_news(
    followed: Services, anna: Person, carol: Person, app: App, clock: FakeClock
) -> None:
    texts = await anna.send("/caregivers")
    assert "<b>Carol</b> receives: missed-dose alerts, a weekly summary" in texts[1]
    buttons = anna.buttons()
    assert "⬜ Symptoms in the weekly summary" in buttons  # offered, off by default
    edited = await anna.press(buttons["✅ Missed-dose alerts"])
    assert any("receives: a weekly summary, a note when" in t for t in edited)
    assert events.find(followed.db, CAROL, ALERT, str(ANNA)) is None
    open_dose(followed)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT)
    assert messages(carol, before) == []
    await anna.press(f"caregivers:switch:{CAROL}:missed_dose")
    link = store.get_link(followed.db, ANNA, CAROL)
    assert link is not None and link.missed_dose
    assert events.find(followed.db, CAROL, ALERT, str(ANNA)) is not None


async def test_bone_scan_note_only_if_allowed_and_once_a_day(
    followed: Services, anna: Person, carol: Person, app: App
) -> None:
    signal = BonescanOverdue(ANNA)
    before = len(carol.request.calls)
    await followed.registry.emit(followed, app.bot, signal)
    await followed.registry.emit(followed, app.bot, signal)
    await scheduler.tick(app.bot, followed)
    await scheduler.tick(app.bot, followed)
    texts = messages(carol, before)
    assert len(texts) == 1 and "<b>Anna</b>'s bone-density scan is overdue" in texts[0]
    await anna.press(f"caregivers:switch:{CAROL}:bonescan")
    followed.clock.advance(timedelta(days=1))  # type: ignore[attr-defined]
    before = len(carol.request.calls)
    await followed.registry.emit(followed, app.bot, signal)
    await scheduler.tick(app.bot, followed)
    assert messages(carol, before) == []


async def test_weekly_summary_on_sunday_evening_in_the_caregivers_zone(
    followed: Services, carol: Person, app: App, clock: FakeClock
) -> None:
    people.set_timezone(followed.db, CAROL, "America/New_York")
    scheduler.reschedule_chat(followed, CAROL)
    statuses = ["taken", "taken", "skipped", "taken", "taken", "pending", "pending"]
    for offset, status in enumerate(statuses):
        day = datetime(2026, 3, 3, 7, tzinfo=UTC) + timedelta(days=offset)
        doses.open_dose(followed.db, ANNA, day.date().isoformat(), epoch(day), 1)
        if status != "pending":
            doses.answer(followed.db, ANNA, day.date().isoformat(), status, epoch(day))
    # Sunday 8 March 19:00 in New York is 23:00 UTC (DST began that morning), which is
    # already Monday 9 March in Berlin: Anna's week is 3-9 March, today's dose not yet due.
    sunday_evening = datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    await tick_at(app, followed, clock, sunday_evening - timedelta(minutes=1))
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, sunday_evening - timedelta(seconds=1))
    assert messages(carol, before) == []
    await tick_at(app, followed, clock, sunday_evening)
    texts = messages(carol, before)
    assert texts == [
        "📅 <b>Anna</b>'s week, Tue 3 March to Mon 9 March:\n"
        "Taken: 4 of 6 days (67%)\nSkipped: 1\nNot confirmed: 1"
    ]
    weekly = events.find(followed.db, CAROL, WEEKLY, str(ANNA))
    assert weekly is not None
    assert weekly.next_fire == epoch(datetime(2026, 3, 15, 23, 0, tzinfo=UTC))


async def test_a_weekly_summary_of_one_day_is_said_in_words(
    followed: Services, carol: Person, app: App, clock: FakeClock
) -> None:
    people.set_timezone(followed.db, CAROL, "America/New_York")
    scheduler.reschedule_chat(followed, CAROL)
    day = datetime(2026, 3, 8, 7, tzinfo=UTC)
    doses.open_dose(followed.db, ANNA, day.date().isoformat(), epoch(day), 1)
    doses.answer(followed.db, ANNA, day.date().isoformat(), "taken", epoch(day))
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, datetime(2026, 3, 8, 23, 0, tzinfo=UTC))
    assert messages(carol, before) == [
        "📅 <b>Anna</b>'s week, Tue 3 March to Mon 9 March:"
        " one day with a reminder so far, and her tablet was taken."
    ]


# --- control ------------------------------------------------------------------------------
async def test_patient_removes_a_caregiver_and_everything_stops(
    followed: Services, anna: Person, carol: Person, app: App, clock: FakeClock
) -> None:
    await followed.registry.emit(followed, app.bot, BonescanOverdue(ANNA))
    before = len(carol.request.calls)
    texts = await anna.press(f"caregivers:remove:{CAROL}")  # asks once first
    assert any("Remove <b>Carol</b>?" in t for t in texts) and messages(carol, before) == []
    assert set(anna.buttons().values()) == {f"caregivers:rmyes:{CAROL}", f"caregivers:keep:{CAROL}"}
    texts = await anna.press(f"caregivers:rmyes:{CAROL}")
    assert any("Done: Carol no longer follows" in t for t in texts)
    assert messages(carol, before) == [
        "Anna has stopped sharing her reminders with you."
        " You won't receive anything more about her."
    ]
    assert events.for_chat(followed.db, CAROL) == []
    open_dose(followed)
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, ALERT_AT)
    assert messages(carol, before) == []
    assert await carol.send("/following") == [followed.text(CAROL, "caregivers_following_none")]
    texts = await carol.press(f"caregivers:unsub:{ANNA}")  # her old button says why
    assert texts == ["You no longer follow Anna's reminders, so this button does nothing now."]


async def test_keep_leaves_the_caregiver_in_place(
    followed: Services, anna: Person, carol: Person
) -> None:
    await anna.press(f"caregivers:remove:{CAROL}")
    texts = await anna.press(f"caregivers:keep:{CAROL}")
    assert any("<b>Carol</b> receives" in t for t in texts)
    assert store.get_link(followed.db, ANNA, CAROL) is not None


async def test_caregiver_unsubscribes_and_the_patient_is_told(
    followed: Services, anna: Person, carol: Person
) -> None:
    texts = await carol.send("/following")
    assert texts == [
        "You follow <b>Anna</b> and receive: missed-dose alerts, a weekly summary,"
        " a note when a bone scan is overdue."
    ]
    before = len(anna.request.calls)
    done = await carol.press(carol.buttons()["Stop following Anna"])
    assert any("you no longer follow Anna" in t for t in done)
    assert messages(anna, before) == ["Carol no longer follows your reminders."]
    assert events.for_chat(followed.db, CAROL) == []
    assert await anna.send("/caregivers") == [followed.text(ANNA, "caregivers_list_none")]


async def test_forged_buttons_from_the_wrong_person_do_nothing(
    followed: Services, anna: Person, carol: Person, dave: Person
) -> None:
    await dave.send("/start")
    refusal = followed.text(DAVE, "button_expired")
    forged = [
        (dave, f"caregivers:remove:{CAROL}"),
        (dave, f"caregivers:unsub:{ANNA}"),
        (dave, f"caregivers:switch:{CAROL}:diary"),
        (carol, f"caregivers:switch:{CAROL}:diary"),  # a caregiver can't change her own access
        (carol, f"caregivers:remove:{CAROL}"),
        (carol, f"caregivers:rmyes:{CAROL}"),
        (dave, f"caregivers:keep:{CAROL}"),
        (anna, f"caregivers:unsub:{ANNA}"),
        (anna, f"caregivers:switch:{CAROL}:everything"),
        (anna, "caregivers:switch:abc:diary"),
        (anna, "caregivers:remove:"),
        (anna, "caregivers:remove:1:2"),
        (anna, "caregivers:nonsense:1"),
        (anna, "caregivers"),
    ]
    for person, data in forged:
        before = len(person.request.calls)
        assert await person.press(data) == [refusal], data
        assert [c.method for c in person.request.calls[before:]] == ["answerCallbackQuery"]
    link = store.get_link(followed.db, ANNA, CAROL)
    assert link is not None and not link.diary


async def test_a_caregiver_who_blocked_the_bot_is_paused_not_retried(
    followed: Services, app: App, carol: Person, request_layer: RecordingRequest, clock: FakeClock
) -> None:
    open_dose(followed)
    request_layer.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await tick_at(app, followed, clock, ALERT_AT)
    paused = list(followed.db.query("SELECT paused FROM events WHERE chat_id = ?", [CAROL]))
    assert paused and all(row["paused"] for row in paused)
    person = people.get(followed.db, CAROL)
    assert person is not None and person.blocked
    open_dose(followed, "2026-03-04", DOSE_DUE + timedelta(days=1))
    before = len(request_layer.calls)
    await tick_at(app, followed, clock, ALERT_AT + timedelta(days=1))
    assert messages(carol, before) == []
    await carol.send("/following")  # she comes back: her events resume from now
    alert = events.find(followed.db, CAROL, ALERT, str(ANNA))
    assert alert is not None and alert.next_fire == epoch(ALERT_AT + timedelta(days=2))


async def test_a_crash_between_claim_and_send_neither_loses_nor_doubles_the_alert(
    followed: Services,
    settings: Settings,
    request_layer: RecordingRequest,
    carol: Person,
    clock: FakeClock,
) -> None:
    open_dose(followed)
    clock.set(ALERT_AT)
    scheduler.claim_due(followed, clock.now())
    events.take_pending(followed.db, epoch(clock.now()), epoch(clock.now()) + 300, 10)
    assert not followed.db.conn.in_transaction  # the lease is on disk for the next process
    # ... and the process dies here. A new process on the same database:
    restarted = build_app(settings, request=request_layer, clock=clock)
    async with restarted:
        await restarted.post_init(restarted)  # type: ignore[misc]
        services = restarted.bot_data["services"]
        before = len(request_layer.calls)
        await scheduler.tick(restarted.bot, services)
        await scheduler.tick(restarted.bot, services)
        clock.advance(timedelta(hours=1))
        await scheduler.tick(restarted.bot, services)
        texts = messages(carol, before)
    assert len(texts) == 1 and "hasn't confirmed" in texts[0]
    rows = list(followed.db.query("SELECT status FROM ledger WHERE kind = ?", [ALERT]))
    assert [r["status"] for r in rows] == ["sent"]


# --- acceptance audit: the patient's real reminders, several people at once ----------------
async def reminded(anna: Person, carol: Person) -> None:
    """Anna's real daily reminder at 08:00 Berlin time (no follow-up nudges); Carol follows."""
    await anna.send("/timezone Europe/Berlin")
    await anna.send("/remind 08:00")
    await anna.press("rem:nudge:0")
    await follow(anna, carol)


async def test_a_caregiver_cannot_answer_or_change_the_patients_reminders(
    app: App, anna: Person, carol: Person, services: Services, clock: FakeClock
) -> None:
    await reminded(anna, carol)
    await tick_at(app, services, clock, DOSE_DUE)
    assert "rem:take:2026-03-03" in anna.buttons().values()
    refusal = services.text(CAROL, "button_expired")
    for data in ("rem:take:2026-03-03", "rem:skip:2026-03-03", "rem:snooze:2026-03-03:15"):
        assert await carol.press(data) == [refusal], data
    for data in ("rem:at:0600", "rem:off", "rem:nudge:30", "caregivers:delay:0"):
        await carol.press(data)  # her own settings at most, never Anna's
    dose = doses.get(services.db, ANNA, DOSE_DAY)
    assert dose is not None and dose.status == "pending"
    person = people.get(services.db, ANNA)
    assert person is not None and person.remind_at == "08:00"
    assert store.alert_delay(services.db, ANNA, 120) == 120
    before = len(carol.request.calls)
    await tick_at(app, services, clock, ALERT_AT)
    assert len(messages(carol, before)) == 1  # her alert still comes


async def test_two_people_accepting_one_link_at_once_only_the_first_gets_in(
    anna: Person, carol: Person, dave: Person, services: Services
) -> None:
    payload = await make_invitation(anna)
    await carol.send(f"/start {payload}")
    await dave.send(f"/start {payload}")
    accept = carol.buttons()["✅ Accept"]
    assert dave.buttons()["✅ Accept"] == accept
    before = len(anna.request.calls)
    await asyncio.gather(carol.press(accept), dave.press(accept))
    followers = [link.caregiver for link in store.caregivers_of(services.db, ANNA)]
    assert followers == [CAROL]
    assert messages(dave, before) == [services.text(DAVE, "caregivers_link_used")]
    assert len([t for t in messages(anna, before) if "now follows" in t]) == 1


async def test_a_removed_caregiver_gets_nothing_more_even_an_alert_already_queued(
    app: App, anna: Person, carol: Person, services: Services, clock: FakeClock
) -> None:
    await reminded(anna, carol)
    await tick_at(app, services, clock, DOSE_DUE)
    clock.set(ALERT_AT)
    assert scheduler.claim_due(services, clock.now())  # the alert is queued in the ledger
    await anna.press(f"caregivers:rmyes:{CAROL}")
    before = len(carol.request.calls)
    await scheduler.tick(app.bot, services)
    await tick_at(app, services, clock, ALERT_AT + timedelta(days=7))
    assert messages(carol, before) == []
    rows = services.db.query("SELECT status FROM ledger WHERE chat_id = ?", [CAROL])
    assert [r["status"] for r in rows] == ["skipped"]


async def test_a_blocked_caregiver_pauses_only_her_own_events(
    app: App,
    anna: Person,
    carol: Person,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
) -> None:
    await reminded(anna, carol)
    await tick_at(app, services, clock, DOSE_DUE)
    request_layer.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
    await tick_at(app, services, clock, ALERT_AT)  # Carol's alert is the only send: refused
    blocked = people.get(services.db, CAROL)
    assert blocked is not None and blocked.blocked
    paused = "SELECT chat_id, paused FROM events WHERE chat_id IN (?, ?)"
    rows = list(services.db.query(paused, [ANNA, CAROL]))
    assert {(r["chat_id"], r["paused"]) for r in rows} == {(ANNA, 0), (CAROL, 1)}
    before = len(request_layer.calls)
    await tick_at(app, services, clock, DOSE_DUE + timedelta(days=1))
    await tick_at(app, services, clock, ALERT_AT + timedelta(days=1))
    assert messages(carol, before) == []
    assert any(en("reminders_due", name="Anna") in t for t in messages(anna, before))


async def test_a_patient_who_also_follows_someone_keeps_both_roles_apart(
    app: App, anna: Person, carol: Person, services: Services, clock: FakeClock
) -> None:
    """Carol follows Anna, and Anna follows Bea: news and buttons never cross over."""
    bea = Person(app, anna.request, chat_id=4004, first_name="Bea")
    await reminded(anna, carol)
    await reminded(bea, anna)
    assert len(await anna.send("/caregivers")) == 2  # the header and Carol's card
    assert await anna.send("/following") == [
        "You follow <b>Bea</b> and receive: missed-dose alerts, a weekly summary,"
        " a note when a bone scan is overdue."
    ]
    await tick_at(app, services, clock, DOSE_DUE)
    await anna.press("rem:take:2026-03-03")  # her own tablet only
    bea_dose = doses.get(services.db, 4004, DOSE_DAY)
    assert bea_dose is not None and bea_dose.status == "pending"
    before = len(anna.request.calls)
    await tick_at(app, services, clock, ALERT_AT)
    assert messages(carol, before) == []
    assert [t for t in messages(anna, before) if "hasn't confirmed" in t] == [
        "🔔 <b>Bea</b> hasn't confirmed her tablet yet (due at 08:00, her time).\n"
        "A gentle word from you may help."
        " If she missed it, she should never take two tablets to make up for it."
        " If you're worried about her health, her care team is the right place to ask."
    ]
    await anna.press(f"caregivers:unsub:{4004}")
    assert [link.caregiver for link in store.caregivers_of(services.db, ANNA)] == [CAROL]
    assert events.find(services.db, CAROL, ALERT, str(ANNA)) is not None
    assert events.find(services.db, ANNA, "dose") is not None


async def test_weekly_summary_counts_match_history_for_the_same_days(
    followed: Services, app: App, anna: Person, carol: Person, clock: FakeClock
) -> None:
    # Mon 2 to Sun 8 March; Sunday's 08:00 dose is still open at 19:00 (UTC) that evening.
    statuses = ["taken", "pending", "skipped", "taken", "missed", "taken", "pending"]
    for offset, status in enumerate(statuses):
        due = datetime(2026, 3, 2, 7, tzinfo=UTC) + timedelta(days=offset)
        doses.open_dose(followed.db, ANNA, due.date().isoformat(), epoch(due), 1)
        if status in ("taken", "skipped"):
            doses.answer(followed.db, ANNA, due.date().isoformat(), status, epoch(due))
        elif status == "missed":
            followed.db.execute("UPDATE doses SET status = 'missed' WHERE due = ?", [epoch(due)])
    before = len(carol.request.calls)
    await tick_at(app, followed, clock, datetime(2026, 3, 8, 19, 0, tzinfo=UTC))
    [weekly] = messages(carol, before)
    history = (await anna.send("/history"))[0]
    found = re.search(r"Taken: (\d+) .*Skipped: (\d+) .*Missed: (\d+)", history)
    assert found, history
    taken, skipped, missed = found.groups()
    percent = round(100 * int(taken) / (int(taken) + int(skipped) + int(missed)))
    assert weekly == (
        "📅 <b>Anna</b>'s week, Mon 2 March to Sun 8 March:\n"
        f"Taken: {taken} of 6 days ({percent}%)\n"
        f"Skipped: {skipped}\nNot confirmed: {missed}"
    )
    assert (taken, skipped, missed) == ("3", "1", "2")


async def test_names_with_html_or_right_to_left_letters_are_safe_everywhere(
    app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    anna = Person(app, request_layer, ANNA, first_name="<i>An</i> & Co\u202e")
    miriam = Person(app, request_layer, CAROL, first_name="מרים")
    await reminded(anna, miriam)
    await anna.send("/caregivers")
    await miriam.send("/following")
    await tick_at(app, services, clock, DOSE_DUE)
    await tick_at(app, services, clock, ALERT_AT)
    await anna.press("rem:take:2026-03-03")
    await scheduler.tick(app.bot, services)
    await anna.press(f"caregivers:rmyes:{CAROL}")
    labels = [
        b["text"]
        for c in request_layer.calls
        if isinstance(c.params.get("reply_markup"), dict)
        for row in c.params["reply_markup"].get("inline_keyboard", [])
        for b in row
    ]
    to_miriam = messages(miriam, 0)
    about_miriam = [t for t in messages(anna, 0) if "מרים" in t]
    assert any("&lt;i&gt;An&lt;/i&gt; &amp; Co has stopped sharing" in t for t in to_miriam)
    assert any("Good news: <b>&lt;i&gt;An&lt;/i&gt; &amp; Co</b>" in t for t in to_miriam)
    assert any("<b>\u2068מרים\u2069</b> now follows" in t for t in about_miriam)
    assert "Remove \u2068מרים\u2069" in labels
    assert "Stop following <i>An</i> & Co" in labels  # buttons are plain text
    ours = to_miriam + about_miriam
    assert [problems(t) for t in ours] == [[] for _ in ours]
    assert [t for t in ours + labels if "\u202e" in t] == []


async def test_reschedule_patient_moves_every_caregivers_alert_to_her_new_dose_time(
    followed: Services, anna: Person, dave: Person, clock: FakeClock
) -> None:
    """What the reminders feature's news of a changed dose time or zone relies on."""
    await follow(anna, dave)
    people.set_remind_at(followed.db, ANNA, "20:00")
    people.set_timezone(followed.db, ANNA, "Asia/Tokyo")
    reschedule_patient(followed, ANNA)
    tokyo_evening_alert = epoch(datetime(2026, 3, 2, 13, 0, tzinfo=UTC))  # 20:00 JST + 2 h
    for caregiver in (CAROL, DAVE):
        alert = events.find(followed.db, caregiver, ALERT, str(ANNA))
        assert alert is not None and alert.next_fire == tokyo_evening_alert


async def test_taken_after_all_only_to_a_caregiver_who_had_the_alert(
    app: App, anna: Person, carol: Person, dave: Person, services: Services, clock: FakeClock
) -> None:
    await reminded(anna, carol)
    await tick_at(app, services, clock, DOSE_DUE)
    await tick_at(app, services, clock, ALERT_AT)  # Carol hears the tablet is unconfirmed
    await follow(anna, dave)  # Dave joins after the alert
    before = len(carol.request.calls)
    clock.advance(timedelta(minutes=10))
    await anna.press("rem:take:2026-03-03")
    await scheduler.tick(app.bot, services)
    assert messages(carol, before) == ["✅ Good news: <b>Anna</b> has taken her tablet after all."]
    assert messages(dave, before) == []


BLOCKED = (403, "Forbidden: bot was blocked by the user")


async def leaves_quietly(
    app: App, patient: Person, carol: Person, clock: FakeClock, failure: tuple[int, str]
) -> int:
    """Carol follows the patient, then her alert is refused (`failure`); the tick after it
    sends what the patient is told. The call index from before the refusal."""
    services = app.bot_data["services"]
    await reminded(patient, carol)
    await tick_at(app, services, clock, DOSE_DUE)
    before = len(patient.request.calls)
    patient.request.fail_next("sendMessage", *failure)
    await tick_at(app, services, clock, ALERT_AT)
    await tick_at(app, services, clock, ALERT_AT + timedelta(minutes=1))
    return before


@pytest.mark.parametrize("failure", [BLOCKED, (400, "Bad Request: chat not found")])
async def test_a_caregiver_who_leaves_quietly_is_told_once_shown_paused_and_resumes(
    app: App, anna: Person, carol: Person, clock: FakeClock, failure: tuple[int, str]
) -> None:
    services = app.bot_data["services"]
    before = await leaves_quietly(app, anna, carol, clock, failure)
    told = en("caregivers_gone", caregiver="Carol")
    assert messages(anna, before).count(told) == 1
    cards = await anna.send("/caregivers")
    assert any(en("caregivers_card_paused", caregiver="Carol") in card for card in cards)
    before = len(anna.request.calls)
    await tick_at(app, services, clock, ALERT_AT + timedelta(days=1))  # nothing more
    assert told not in messages(anna, before)
    await carol.send("/following")  # she writes again: the link is live by itself
    cards = await anna.send("/caregivers")
    assert not any("Paused" in card for card in cards)
    await tick_at(app, services, clock, DOSE_DUE + timedelta(days=2))  # Anna's reminder
    before = len(anna.request.calls)
    await tick_at(app, services, clock, ALERT_AT + timedelta(days=2))
    assert messages(carol, before)  # her alerts come again


async def test_the_note_in_russian(app: App, carol: Person, clock: FakeClock) -> None:
    olga = Person(app, carol.request, chat_id=4005, first_name="Ольга", language_code="ru")
    before = await leaves_quietly(app, olga, carol, clock, BLOCKED)
    expected = CATALOG.text("ru", "caregivers_gone", caregiver="Carol")
    assert messages(olga, before) == [expected]


async def test_a_caregiver_gets_her_own_help_and_answers(
    anna: Person, carol: Person, services: Services
) -> None:
    """Carol cares for Anna: /help and answers speak to her of "her treatment", never of
    "your own"; Anna's stay hers."""
    await follow(anna, carol)
    [help_text] = await carol.send("/help")
    assert "Whom you follow" in help_text and "/remind 08:00" not in help_text
    [answer] = await carol.send("what if she forgets a tablet")
    assert "her treatment" in answer and "your own treatment" not in answer
    [topic, *_] = await carol.send("/dose")
    assert "her treatment" in "".join([topic, *_])
    [help_text] = await anna.send("/help")
    assert "/remind 08:00" in help_text
    [answer] = await anna.send("what if I forget a tablet")
    assert "your own treatment" in answer


async def test_an_invitation_answered_in_words(
    anna: Person, carol: Person, services: Services
) -> None:
    """The invitation's buttons are a shortcut: "yes" typed accepts it, "нет" declines."""
    payload = await make_invitation(anna)
    await carol.send(f"/start {payload}")
    texts = await carol.send("yes please")
    assert "You now follow <b>Anna</b>" in texts[-1]
    assert store.get_link(services.db, ANNA, CAROL) is not None
