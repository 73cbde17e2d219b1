"""Her other medicines through the real application: /addmedicine's guided flow and every
bad answer on the way, /mymedicines (pause, change, stop), one message per local time with
a row per medicine, follow-ups, refill counts, history, export and delete, and the clock
moved across days, a daylight-saving change and a restart."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot import scheduler
from bot.app import App
from bot.pure.words import her_words
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import account, events, medicines, people
from tests.support import CONTENT, Move, Person, build_app, en
from tests.test_account import mentions
from tests.test_caregivers import CAROL, follow, messages

ANNA = 1001


async def add(anna: Person, name: str, kind: str, *answers: str) -> list[str]:
    """The whole flow: the name, the kind's button, then each typed answer."""
    await anna.send("/addmedicine")
    await anna.send(name)
    said = await anna.press(f"meds:kind:{kind}")
    for typed in answers:
        said = await anna.send(typed)
    return said


def reminders_to(request_layer: RecordingRequest, since: int = 0) -> list[dict[str, object]]:
    return [
        c.params
        for c in request_layer.calls[since:]
        if c.method == "sendMessage" and "meds:" in str(c.params.get("reply_markup"))
    ]


def buttons_of(message: dict[str, object]) -> dict[str, str]:
    markup = message.get("reply_markup") or {}
    assert isinstance(markup, dict)
    return {b["text"]: b["callback_data"] for row in markup["inline_keyboard"] for b in row}


# --- the guided flow -----------------------------------------------------------------------
async def test_adding_a_daily_medicine_step_by_step(anna: Person, services: Services) -> None:
    assert await anna.send("/addmedicine") == [en("medicines_ask_name")]
    [asked] = await anna.send("Metformin")
    assert asked == en("medicines_ask_kind", name="Metformin")
    assert anna.buttons()["Every day"] == "meds:kind:daily"
    assert await anna.press("meds:kind:daily") == ["", en("medicines_ask_times")]
    [saved] = await anna.send("8:00, 20:00")
    assert "Saved: <b>Metformin</b>, every day at 08:00, 20:00" in saved
    [listed] = await anna.send("/mymedicines")
    assert "💊 <b>Metformin</b>: every day at 08:00, 20:00" in listed
    slots = {e.ref for e in events.for_chat(services.db, ANNA) if e.kind == "meds"}
    assert slots == {"08:00", "20:00"}


async def test_a_name_given_with_the_command_goes_straight_to_the_kind(anna: Person) -> None:
    [asked] = await anna.send("/addmedicine Vitamin D")
    assert asked == en("medicines_ask_kind", name="Vitamin D")
    assert "Only when needed" in anna.buttons()


@pytest.mark.parametrize(
    ("kind", "answers", "shown"),
    [
        ("weekly", ["Sunday", "07:00"], "every Sun at 07:00"),
        ("weekly", ["mon, thu", "9am"], "every Mon, Thu at 09:00"),
        ("every_days", ["3", "tomorrow", "08:00"], "every 3 days from 3 March 2026, at 08:00"),
        ("monthly", ["31", "09:00"], "every month on day 31"),
        ("every_months", ["6", "2026-04-15"], "every 6 months, next due 15 April 2026"),
        ("as_needed", [], "as needed"),
    ],
)
async def test_every_kind_of_schedule(
    anna: Person, services: Services, kind: str, answers: list[str], shown: str
) -> None:
    said = await add(anna, "Alendronic acid", kind, *answers)
    assert shown in said[-1]
    [medicine] = medicines.listed(services.db, ANNA)
    assert medicine.schedule["kind"] == kind
    has_slot = any(e.kind == "meds" for e in events.for_chat(services.db, ANNA))
    assert has_slot == (kind not in ("every_months", "as_needed"))


@pytest.mark.parametrize(
    ("kind", "bad", "answer", "good"),
    [
        ("daily", "25:00", en("medicines_bad_times"), "08:00"),
        ("daily", "soon", en("medicines_bad_times"), "08:00"),
        ("daily", "1,2,3,4,5,6,7", en("medicines_bad_times"), "08:00"),
        ("weekly", "someday", en("medicines_bad_weekdays"), "Sunday"),
        ("every_days", "1", en("medicines_bad_every", low=2, high=90), "2"),
        ("every_days", "365", en("medicines_bad_every", low=2, high=90), "2"),
        ("every_days", "-3", en("medicines_bad_every", low=2, high=90), "2"),
        ("monthly", "32", en("medicines_bad_day_of_month", low=1, high=31), "31"),
        ("every_months", "0", en("medicines_bad_months", low=1, high=24), "3"),
        ("every_months", "9" * 30, en("medicines_bad_months", low=1, high=24), "3"),
        ("every_months", "9" * 5000, en("medicines_bad_months", low=1, high=24), "3"),
    ],
)
async def test_a_bad_answer_is_explained_and_loses_nothing(
    anna: Person, services: Services, kind: str, bad: str, answer: str, good: str
) -> None:
    await anna.send("/addmedicine Calcium")
    await anna.press(f"meds:kind:{kind}")
    assert await anna.send(bad) == [answer]
    assert await anna.send(bad) == [answer]  # as often as it takes
    [after] = await anna.send(good)  # the same step, still open, with the name kept
    assert after != answer
    if "Saved" in after:
        assert "Calcium" in after
    else:
        person = people.get(services.db, ANNA)
        assert person is not None and person.awaiting is not None
        assert person.awaiting["name"] == "Calcium" and person.awaiting["draft"]["kind"] == kind


@pytest.mark.parametrize(
    ("typed", "key"),
    [("2026-01-10", "medicines_date_past"), ("2030-01-10", "medicines_date_impossible"),
     ("2026-02-30", "medicines_date_impossible"), ("whenever", "medicines_date_unreadable")],
)  # fmt: skip
async def test_dates_in_the_past_too_far_or_unreadable_are_refused(
    anna: Person, typed: str, key: str
) -> None:
    await anna.send("/addmedicine Zoledronic acid")
    await anna.press("meds:kind:every_months")
    await anna.send("6")
    [answer] = await anna.send(typed)
    assert answer == en(key, example="2 March 2026")
    [saved] = await anna.send("today")
    assert "next due 2 March 2026" in saved


@pytest.mark.parametrize(
    "name", ["Метформин 500 мг", "二甲双胍", "ميتفورمين", "Aspirin 💊", "a\u202eb\u0000c"]
)
async def test_any_script_is_a_name_and_control_characters_go(
    anna: Person, services: Services, name: str
) -> None:
    await add(anna, name, "as_needed")
    [medicine] = medicines.listed(services.db, ANNA)
    assert medicine.name == ("abc" if "\u202e" in name else name)


async def test_a_very_long_name_is_refused_kindly_and_the_flow_stays(anna: Person) -> None:
    await anna.send("/addmedicine")
    [answer] = await anna.send("x" * 61)
    assert answer == en("medicines_bad_name", limit=60)
    [asked] = await anna.send("Letrozole")
    assert asked == en("medicines_ask_kind", name="Letrozole")


async def test_a_question_in_the_middle_goes_to_the_guide_and_the_step_stays(
    anna: Person,
) -> None:
    await anna.send("/addmedicine Calcium")
    await anna.press("meds:kind:daily")
    said = await anna.send("can I take calcium with anastrozole?")
    assert en("medicines_bad_times") not in said
    [saved] = await anna.send("08:00")
    assert "Saved: <b>Calcium</b>" in saved


async def test_a_question_instead_of_the_name_is_no_name(anna: Person, services: Services) -> None:
    await anna.send("/addmedicine")
    said = await anna.send("can I take ibuprofen with anastrozole?")
    assert not any("how often" in text for text in said)
    [asked] = await anna.send("Ibuprofen")
    assert asked == en("medicines_ask_kind", name="Ibuprofen")


@pytest.mark.parametrize(
    "data",
    ["meds:kind:hourly", "meds:kind:daily", "meds:card:999", "meds:take:5", "meds:all:xx:0800",
     "meds:all:2026-03-02:2599", "meds:stopyes:1:2", "meds:pause:-1"],
)  # fmt: skip
async def test_forged_or_stale_buttons_get_the_friendly_answer(anna: Person, data: str) -> None:
    """meds:kind:daily with no flow open is stale; the rest are forged or not hers."""
    assert await anna.press(data) == [en("button_expired")]


async def test_another_persons_medicine_is_out_of_reach(
    app: App, anna: Person, request_layer: RecordingRequest, services: Services
) -> None:
    await add(anna, "Metformin", "daily", "08:00")
    [medicine] = medicines.listed(services.db, ANNA)
    olga = Person(app, request_layer, chat_id=3003, first_name="Olga")
    for action in ("card", "stopyes", "pause"):
        assert await olga.press(f"meds:{action}:{medicine.id}") == [en("button_expired")]
    assert medicines.listed(services.db, ANNA)[0].status == "active"


# --- the list: pause, change, stop ---------------------------------------------------------
async def test_pause_resume_change_and_stop_keep_the_history(
    anna: Person, services: Services
) -> None:
    await add(anna, "Metformin", "daily", "08:00")
    [medicine] = medicines.listed(services.db, ANNA)
    await anna.press(f"meds:pause:{medicine.id}")
    assert not [e for e in events.for_chat(services.db, ANNA) if e.kind == "meds"]
    [listed] = await anna.send("/mymedicines")
    assert "(paused)" in listed
    await anna.press(f"meds:resume:{medicine.id}")
    await anna.press(f"meds:change:{medicine.id}")
    await anna.press("meds:kind:daily")
    [changed] = await anna.send("21:00")
    assert "Changed: <b>Metformin</b>, every day at 21:00" in changed
    assert {e.ref for e in events.for_chat(services.db, ANNA) if e.kind == "meds"} == {"21:00"}
    asked = (await anna.press(f"meds:stop:{medicine.id}"))[-1]
    assert "Stop <b>Metformin</b>?" in asked
    await anna.press(f"meds:stopyes:{medicine.id}")
    assert medicines.listed(services.db, ANNA) == []
    [stopped] = medicines.listed(services.db, ANNA, stopped=True)
    assert stopped.id == medicine.id  # the row stays
    changes = services.db.conn.execute("SELECT change FROM medicine_changes ORDER BY id").fetchall()
    assert [c for (c,) in changes] == ["added", "paused", "active", "changed", "stopped"]
    assert not [e for e in events.for_chat(services.db, ANNA) if e.kind == "meds"]
    assert await anna.press(f"meds:resume:{medicine.id}") == [en("button_expired")]


# --- reminders ------------------------------------------------------------------------------
@pytest.fixture
async def london(anna: Person) -> None:
    """Anna in London: two medicines at 08:00, one at 20:00 (Monday 2 March 2026, 09:00)."""
    await anna.send("/timezone Europe/London")
    await add(anna, "Metformin", "daily", "08:00, 20:00")
    await add(anna, "Vitamin D", "daily", "8am")


@pytest.mark.usefixtures("london")
async def test_medicines_due_together_come_in_one_message(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 2, 20, 0, tzinfo=UTC))
    [evening] = reminders_to(request_layer, since)
    assert "Metformin" in str(evening["text"]) and "Vitamin D" not in str(evening["text"])
    assert "✅ All taken" not in buttons_of(evening)  # one medicine: no All button
    await anna.press(buttons_of(evening)["✅ Metformin"])
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    [morning] = reminders_to(request_layer, since)
    assert "<b>Metformin</b>" in str(morning["text"]) and "<b>Vitamin D</b>" in str(morning["text"])
    pressable = buttons_of(morning)
    assert pressable["✅ All taken"] == "meds:all:2026-03-03:0800"
    [_, edited] = await anna.press(pressable["✅ Metformin"])
    assert "✅ <b>Metformin</b>: taken" in edited and "• <b>Vitamin D</b>" in edited
    [_, edited] = await anna.press(pressable["✅ All taken"])
    assert "✅ <b>Vitamin D</b>: taken" in edited
    assert await anna.press(pressable["✅ All taken"]) == [en("button_expired")]
    # Answered: no follow-up comes.
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 11, 0, tzinfo=UTC))
    assert reminders_to(request_layer, since) == []


@pytest.mark.usefixtures("london")
async def test_unanswered_there_are_two_follow_ups_then_the_dose_is_missed(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await move(datetime(2026, 3, 3, 7, 59, tzinfo=UTC))
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))
    sent = reminders_to(request_layer, since)
    assert [str(m["text"]).split(":")[0] for m in sent] == [
        "💊 <b>08",
        "💊 Just checking in about your medicines of 08",
        "💊 Just checking in about your medicines of 08",
    ]
    await move(datetime(2026, 3, 4, 9, 0, tzinfo=UTC))
    history = (await anna.press("meds:history"))[-1]
    assert "❌ 3 March 2026 08:00: Metformin" in history
    assert "✅" not in history


@pytest.mark.usefixtures("london")
async def test_skip_gives_the_leaflet_advice_and_snooze_comes_back(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await move(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    pressable = buttons_of(reminders_to(request_layer)[-1])
    said = await anna.press(pressable["✅ Vitamin D"].replace("take", "skip"))
    assert en("medicines_missed_advice", name="Vitamin D") in said
    await anna.press(pressable["✅ Metformin"].replace("take", "snooze"))
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 8, 16, tzinfo=UTC))
    [again] = reminders_to(request_layer, since)
    assert str(again["text"]).startswith("⏰")
    assert list(buttons_of(again)) == ["✅ Metformin", "⏰ 15 min", "Skip"]


async def test_a_pack_is_counted_down_and_a_refill_is_asked_for(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await add(anna, "Metformin", "daily", "08:00")
    [medicine] = medicines.listed(services.db, ANNA)
    await anna.press(f"meds:pack:{medicine.id}")
    assert await anna.send("lots") == [en("medicines_bad_pack", most=999)]
    assert await anna.send("1000") == [en("medicines_bad_pack", most=999)]
    assert await anna.send("8") == [en("medicines_pack_set", name="Metformin", left=8)]
    said: list[list[str]] = []
    for day in (3, 4):
        await move(datetime(2026, 3, day, 8, 0, tzinfo=UTC))
        pressable = buttons_of(reminders_to(request_layer)[-1])
        said.append(await anna.press(pressable["✅ Metformin"]))
    assert en("medicines_refill", name="Metformin", left=7) in said[0]
    assert not any("order more" in text for text in said[1])
    assert await anna.press(pressable["✅ Metformin"]) != []  # again: changes nothing
    assert medicines.get(services.db, ANNA, medicine.id).tablets_left == 6  # type: ignore[union-attr]
    [listed] = await anna.send("/mymedicines")
    assert ", 6 left" in listed


async def test_a_weekly_dose_across_both_changes_fires_once_each_sunday(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    """London, Sunday 29 March 2026: 01:00 jumps to 02:00, so a 01:30 dose comes at the
    jump (01:00 UTC), once; Sunday 25 October: 01:30 happens twice, the dose comes once, at
    the first (00:30 UTC). Every Sunday in between once, none skipped."""
    await anna.send("/timezone Europe/London")
    await add(anna, "Alendronic acid", "weekly", "Sunday", "01:30")
    await move(datetime(2026, 11, 2, tzinfo=UTC))
    rows = services.db.conn.execute(
        "SELECT occurrence, due, status FROM ledger WHERE kind = 'meds' ORDER BY due"
    ).fetchall()
    sundays = [date(2026, 3, 8) + timedelta(weeks=i) for i in range(35)]
    assert [occurrence for occurrence, _due, _status in rows] == [d.isoformat() for d in sundays]
    assert {status for _o, _d, status in rows} == {"sent"}
    due = {occurrence: datetime.fromtimestamp(d, UTC) for occurrence, d, _s in rows}
    assert due["2026-03-22"] == datetime(2026, 3, 22, 1, 30, tzinfo=UTC)  # GMT
    assert due["2026-03-29"] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # the jump
    assert due["2026-04-05"] == datetime(2026, 4, 5, 0, 30, tzinfo=UTC)  # BST
    assert due["2026-10-25"] == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 01:30
    assert due["2026-11-01"] == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)
    assert len(reminders_to(request_layer)) >= len(sundays)  # with follow-ups


async def test_a_restart_on_the_same_database_sends_nothing_twice(
    settings: Settings, clock: FakeClock, app: App, anna: Person, services: Services
) -> None:
    await add(anna, "Metformin", "daily", "08:00")
    await add(anna, "Vitamin D", "daily", "08:00")
    clock.set(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    await scheduler.tick(app.bot, services)
    second_layer = RecordingRequest()
    second = build_app(settings, request=second_layer, clock=clock)
    async with second:
        await second.post_init(second)  # type: ignore[misc]
        again = second.bot_data["services"]
        await scheduler.tick(second.bot, again)
        clock.set(datetime(2026, 3, 3, 8, 5, tzinfo=UTC))
        await scheduler.tick(second.bot, again)
    assert reminders_to(second_layer) == []
    count = services.db.conn.execute("SELECT count(*) FROM medicine_doses").fetchone()[0]
    assert count == 2


async def test_an_as_needed_medicine_is_logged_when_she_says_so(
    anna: Person, services: Services
) -> None:
    await add(anna, "Paracetamol", "as_needed")
    [medicine] = medicines.listed(services.db, ANNA)
    card = await anna.press(f"meds:card:{medicine.id}")
    assert "as needed" in card[-1]
    said = await anna.press(f"meds:took:{medicine.id}")
    assert en("medicines_logged", name="Paracetamol", time="09:00") in said
    history = (await anna.press("meds:history"))[-1]
    assert "✅ 2 March 2026 09:00: Paracetamol" in history


# --- her data --------------------------------------------------------------------------------
async def test_export_holds_her_medicines_and_delete_leaves_nothing(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await add(anna, "Metformin", "daily", "08:00")
    await move(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    await anna.press(buttons_of(reminders_to(request_layer)[-1])["✅ Metformin"])
    since = len(request_layer.calls)
    await anna.send("/export")
    files = {
        c.params["_files"]["document"][0]: c.params["_files"]["document"][1]
        for c in request_layer.calls[since:]
        if c.method == "sendDocument"
    }
    table = files["my-other-medicines-Anna-2026-03-03.csv"].decode("utf-8-sig").splitlines()
    assert table[0] == "medicine,local_date,local_time,due,status,answered_at"
    assert table[1].startswith("Metformin,2026-03-03,08:00,2026-03-03T08:00:00+00:00,taken,")
    document = account.export(services.db, ANNA, datetime.now(UTC))
    [medicine] = document["medicines"]
    assert medicine["name"] == "Metformin" and medicine["schedule"]["times"] == ["08:00"]
    assert document["medicine_doses"][0]["status"] == "taken"
    assert document["medicine_changes"][0]["change"] == "added"
    before = mentions(services.db, ANNA)
    assert {"medicines", "medicine_changes", "medicine_doses"} <= set(before)
    account.forget(services.db, ANNA)
    assert mentions(services.db, ANNA) == {}


# --- alendronic acid (NHS) -------------------------------------------------------------------
async def test_alendronic_acid_comes_with_the_nhs_rules_and_a_tablet_too_soon_is_named(
    anna: Person, services: Services, move: Move, request_layer: RecordingRequest
) -> None:
    await anna.send("/timezone Europe/London")
    await anna.send("/remind 07:15")  # her anastrozole: 15 minutes after it
    said = await add(anna, "Alendronic acid 70mg", "weekly", "Sunday", "07:00")
    assert (
        en(
            "medicines_too_soon",
            name="Alendronic acid 70mg",
            time="07:00",
            other="anastrozole",
            other_time="07:15",
        )
        in said[-1]
    )
    said = await add(anna, "Calcium", "daily", "07:20, 19:00")
    assert "⚠️ <b>Calcium</b> at 07:20" in said[-1] and "19:00 comes" not in said[-1]
    said = await add(anna, "Vitamin D", "daily", "07:30")  # 30 minutes after: fine
    assert "⚠️ <b>Vitamin D</b>" not in said[-1]
    await move(datetime(2026, 3, 8, 7, 0, tzinfo=UTC))
    sunday = [m for m in reminders_to(request_layer) if "Alendronic" in str(m["text"])]
    assert en("medicines_alendronic_how") in str(sunday[-1]["text"])
    assert "https://www.nhs.uk/medicines/alendronic-acid/" in str(sunday[-1]["text"])
    others = [m for m in reminders_to(request_layer) if "Alendronic" not in str(m["text"])]
    assert others and not any("NHS" in str(m["text"]) for m in others)


# --- caregivers --------------------------------------------------------------------------------
async def test_caregivers_hear_of_a_missed_medicine_only_when_she_shares_it(
    app: App,
    anna: Person,
    services: Services,
    move: Move,
    request_layer: RecordingRequest,
) -> None:
    carol = Person(app, request_layer, chat_id=CAROL, first_name="Carol")
    await follow(anna, carol)
    await add(anna, "Metformin", "daily", "08:00")
    await add(anna, "Vitamin D", "daily", "08:00")
    [metformin, vitamin] = medicines.listed(services.db, ANNA)
    assert "<b>off</b>" in (await anna.press(f"meds:card:{metformin.id}"))[-1]  # by default
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 3, 12, 0, tzinfo=UTC))  # reminder, follow-ups, nothing
    assert messages(carol, since) == []
    card = await anna.press(f"meds:share:{metformin.id}")
    assert "<b>on</b>" in card[-1]
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 4, 12, 0, tzinfo=UTC))
    [note] = messages(carol, since)
    assert note == en(
        "caregivers_medicine_missed", patient="Anna", medicines="Metformin", time="08:00"
    )
    assert "Vitamin D" not in note
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 5, 8, 0, tzinfo=UTC))
    await anna.press(buttons_of(reminders_to(request_layer)[-1])["✅ All taken"])
    await move(datetime(2026, 3, 5, 12, 0, tzinfo=UTC))  # taken: no news
    assert messages(carol, since) == []
    await carol.press(f"caregivers:unsub:{ANNA}")
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 6, 12, 0, tzinfo=UTC))  # no longer following: nothing
    assert messages(carol, since) == []
    assert vitamin.share_with_caregivers is False


NASTY = [
    "<b>08:00</b>",
    "08:00'; DROP TABLE medicines;--",
    "&amp; 8am",
    "\u202e00:80",
    "٠٨:٠٠",  # Arabic-Indic digits
    "08:00\n20:00\n21:00\n22:00\n23:00\n23:30\n23:45",
    "🕗",
    "x" * 5000,
    " ",
]


@pytest.mark.parametrize("typed", NASTY)
async def test_any_text_at_a_typed_step_gets_one_answer_and_keeps_the_flow(
    anna: Person, services: Services, typed: str
) -> None:
    await anna.send("/addmedicine Calcium")
    await anna.press("meds:kind:weekly")
    said = await anna.send(typed)
    assert len(said) <= 1  # one answer, or the guide's when it reads as a question
    person = people.get(services.db, ANNA)
    assert person is not None and person.awaiting is not None
    assert person.awaiting["name"] == "Calcium" and person.awaiting["step"] == "weekdays"
    assert medicines.listed(services.db, ANNA) == []


async def test_i_took_it_now_is_only_for_a_medicine_taken_when_needed(
    anna: Person, services: Services
) -> None:
    await add(anna, "Metformin", "daily", "08:00")
    [medicine] = medicines.listed(services.db, ANNA)
    assert await anna.press(f"meds:took:{medicine.id}") == [en("button_expired")]
    assert medicines.history(services.db, ANNA, "2026-01-01") == []


async def test_in_russian_from_the_name_to_the_reminder(
    app: App, request_layer: RecordingRequest, services: Services, move: Move
) -> None:
    """The whole flow and the grouped reminder in her language: Russian words for the days,
    Russian texts, a weekly dose on the day she named."""
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await olga.send("/addmedicine Алендроновая кислота")
    await olga.press("meds:kind:weekly")
    await olga.send("воскресенье")
    said = await olga.send("07:00")
    assert "Сохранено: <b>Алендроновая кислота</b>" in said[-1]
    await olga.send("/addmedicine Кальций")
    await olga.press("meds:kind:daily")
    await olga.send("07:00")
    since = len(request_layer.calls)
    await move(datetime(2026, 3, 8, 7, 1, tzinfo=UTC))  # Sunday 8 March, 07:00 UTC
    due = [
        r
        for r in reminders_to(request_layer, since)
        if r["chat_id"] == 4004 and "пора принять" in str(r["text"])
    ]
    assert len(due) == 6  # one a day, Monday 2 to Sunday 8 March (added after Monday's 07:00)
    assert all("Алендроновая" not in str(r["text"]) for r in due[:-1])  # weekdays: calcium
    reminder = due[-1]  # Sunday: both, in one message
    text = str(reminder["text"])
    assert "пора принять лекарства" in text and "Кальций" in text and "Алендроновая" in text
    assert "Приняла" in " ".join(buttons_of(reminder))


@pytest.mark.parametrize(("setting", "expected"), [("30", ["08:30", "09:00"]), ("0", [])])
async def test_follow_ups_come_at_her_remind_setting(
    anna: Person,
    move: Move,
    request_layer: RecordingRequest,
    setting: str,
    expected: list[str],
) -> None:
    await anna.send("/timezone Europe/London")
    await anna.press(f"rem:nudge:{setting}")  # /remind's follow-up choice, as for her tablet
    await add(anna, "Metformin", "daily", "08:00")
    await move(datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    since = len(request_layer.calls)
    sent_at: list[str] = []
    for minute in range(1, 180):
        await move(datetime(2026, 3, 3, 8, 0, tzinfo=UTC) + timedelta(minutes=minute))
        if reminders_to(request_layer, since):
            sent_at.append(f"{8 + minute // 60:02d}:{minute % 60:02d}")
            since = len(request_layer.calls)
    assert sent_at == expected


# --- how often, in her words (issue 24) --------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("every day without fail", ("daily", None)),
        ("twice daily", ("daily", None)),
        ("each night", ("daily", None)),
        ("Wednesdays", ("weekly", None)),
        ("once a week, on a Monday", ("weekly", None)),
        ("2 times per week", ("weekly", None)),
        ("every 4 days", ("every_days", 4)),
        ("once every 3 weeks", ("every_days", 21)),
        ("every second day", ("every_days", 2)),
        ("once a month on the 1st", ("monthly", 1)),
        ("the 28th of each month", ("monthly", 28)),
        ("every 3 months", ("every_months", 3)),
        ("an infusion once a year", ("every_months", 12)),
        ("as and when I need it", ("as_needed", None)),
        ("only if the pain is bad", ("as_needed", None)),
        ("ежедневно утром", ("daily", None)),
        ("утром и вечером", ("daily", None)),
        ("по средам и субботам", ("weekly", None)),
        ("один раз в неделю", ("weekly", None)),
        ("раз в четыре дня", ("every_days", 4)),
        ("каждые 5 дней", ("every_days", 5)),
        ("ежемесячно", ("monthly", None)),
        ("капельница каждые 12 месяцев", ("every_months", 12)),
        ("когда нужно, не регулярно", ("as_needed", None)),
        ("what is Fosamax for?", None),
        ("thanks", None),
        ("Ибупрофен", None),
    ],
)  # phrasings written before the patterns were run on them
def test_how_often_in_her_words_both_languages(
    typed: str, said: tuple[str, int | None] | None
) -> None:
    assert her_words(CONTENT).how_often(typed) == said


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("monthly on the 5th", 5),
        ("every month on the 5th", 5),
        ("each month, on day 12", 12),
        ("once a month on the 20th", 20),
        ("monthly on the 32nd", 32),  # out of range: the day is asked for
        ("monthly at 9am", None),
        ("every month 9:30", None),
        ("ежемесячно 5 числа", 5),
        ("каждый месяц 5-го", 5),
        ("раз в месяц, 20 числа", 20),
        ("раз в месяц 5-го числа", 5),
        ("каждый месяц в 5 утра", None),
    ],
)
def test_the_day_of_the_month_after_monthly_is_filled_in(typed: str, day: int | None) -> None:
    assert her_words(CONTENT).how_often(typed) == ("monthly", day)


async def test_how_often_typed_fills_in_what_she_said(anna: Person, services: Services) -> None:
    await anna.send("/addmedicine Calcium")
    [asked] = await anna.send("I take it every 3 days")
    assert "Every few days" in asked and en("medicines_ask_start") in asked
    await anna.send("tomorrow")
    [saved] = await anna.send("08:00")
    assert "every 3 days from 3 March 2026, at 08:00" in saved
    await anna.send("/addmedicine Alendronic acid")
    [asked] = await anna.send("once a week on Sundays")
    assert en("medicines_ask_times") in asked
    said = await anna.send("7am")
    assert "every Sun at 07:00" in said[-1]
    await anna.send("/addmedicine Paracetamol")
    said = await anna.send("when I need it")
    assert "as needed" in said[-1]
    assert [m.schedule["kind"] for m in medicines.listed(services.db, ANNA)] == [
        "every_days",
        "weekly",
        "as_needed",
    ]


async def test_how_often_in_russian_and_out_of_range_is_asked(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await olga.send("/addmedicine Деносумаб")
    [asked] = await olga.send("укол раз в полгода")
    assert "Когда следующий раз?" in asked
    said = await olga.send("завтра")
    assert "Деносумаб" in said[-1]
    assert medicines.listed(services.db, 4004)[0].schedule["months"] == 6
    await olga.send("/addmedicine Витамин D")
    [asked] = await olga.send("раз в 200 дней")  # out of range: the number is asked for
    assert "Раз в сколько дней?" in asked
    await olga.send("/addmedicine Железо")
    [asked] = await olga.send("ежемесячно 5 числа")  # the day is filled in: the time is asked
    assert "В какое время?" in asked
    [saved] = await olga.send("09:00")
    assert "каждый месяц 5-го числа" in saved


async def test_how_often_not_understood_asks_again_with_the_buttons(
    anna: Person, services: Services
) -> None:
    await anna.send("/addmedicine Calcium")
    [again] = await anna.send("with food")
    assert again == en("medicines_tap_a_kind", name="Calcium")
    assert anna.buttons()["Every day"] == "meds:kind:daily"
    said = await anna.send("can I take calcium with anastrozole?")  # a question: the guide
    assert en("medicines_tap_a_kind", name="Calcium") not in said
    said = await anna.send("daily")
    assert said == [f"<b>Every day</b>\n{en('medicines_ask_times')}"]
