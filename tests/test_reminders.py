"""Reminders through the real application: commands, buttons, scheduler tick, failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from telegram import Bot

from bot import scheduler
from bot.app import App
from bot.pure.content import ContentError
from bot.pure.signals import DoseAnswered
from bot.pure.words import her_words
from bot.services import Services
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses, events, people, reminders
from tests.support import Person, en
from tests.test_caregivers import (
    ALERT_AT,
    CAROL,
    DOSE_DAY,
    follow,
    messages,
    open_dose,
    set_dose_time,
    tick_at,
)

CONTENT = Path(__file__).resolve().parents[1] / "content"


async def tick(app: App, services: Services) -> int:
    return await scheduler.tick(app.bot, services)


def reminders_to(request_layer: RecordingRequest, chat_id: int = 1001) -> list[dict[str, object]]:
    return [
        p
        for p in request_layer.sent()
        if str(p["chat_id"]) == str(chat_id) and "tablet" in str(p["text"])
    ]


async def set_up(anna: Person, zone: str = "Europe/Berlin", at: str = "08:30") -> None:
    await anna.send(f"/timezone {zone}")
    await anna.send(f"/remind {at}")


async def make_due(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> str:
    """Move the clock to her next reminder, tick, and return its day."""
    event = events.find(services.db, anna.chat_id, "dose")
    assert event is not None
    clock.set(datetime.fromtimestamp(event.next_fire, UTC))
    before = len(request_layer.calls)
    assert await tick(app, services) == 1
    sent = [c for c in request_layer.calls[before:] if c.method == "sendMessage"]
    assert len(sent) == 1
    data = sent[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    return str(data).split(":")[2]


@pytest.fixture
async def day(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> str:
    """Anna in Berlin with a reminder at 08:30 that has just been sent (3 March 2026)."""
    await set_up(anna)
    return await make_due(anna, app, services, clock, request_layer)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("8:30", "08:30"),
        ("08:30", "08:30"),
        ("8.30", "08:30"),
        ("8am", "08:00"),
        ("8:30 pm", "20:30"),
    ],
)
async def test_remind_accepts_common_time_forms(anna: Person, typed: str, expected: str) -> None:
    texts = await anna.send(f"/remind {typed}")
    assert f"<b>{expected}</b>" in texts[0]
    assert "UTC" in texts[0]  # no zone yet: she is told


@pytest.mark.parametrize("typed", ["25:99", "lunchtime", "13pm", "8:7"])
async def test_remind_rejects_impossible_times(
    anna: Person, services: Services, typed: str
) -> None:
    texts = await anna.send(f"/remind {typed}")
    assert "couldn't read that time" in texts[0]
    assert events.find(services.db, anna.chat_id, "dose") is None


async def test_timezone_by_city_then_reminder_in_local_time(
    anna: Person, services: Services
) -> None:
    texts = await anna.send("/timezone berlin")
    assert "Berlin, Germany" in texts[0]
    texts = await anna.send("/remind 8:30")
    assert "<b>08:30</b>" in texts[0] and "Berlin, Germany" in texts[0]
    event = events.find(services.db, anna.chat_id, "dose")
    assert event is not None
    # 2026-03-02 09:00 UTC is 10:00 in Berlin: next is 3 March 08:30 CET = 07:30 UTC.
    assert datetime.fromtimestamp(event.next_fire, UTC) == datetime(2026, 3, 3, 7, 30, tzinfo=UTC)


async def test_unknown_zone_gets_an_example(anna: Person) -> None:
    texts = await anna.send("/timezone Xyzzyville")
    assert "Xyzzyville" in texts[0] and "/timezone Leeds" in texts[0]


async def test_country_with_many_zones_offers_buttons(anna: Person) -> None:
    await anna.send("/timezone Australia")
    buttons = anna.buttons()
    assert buttons["Sydney, Australia"] == "rem:zone:Australia/Sydney"  # named by city, country
    texts = await anna.press("rem:zone:Australia/Sydney")
    assert any("Sydney, Australia" in t for t in texts)


async def test_zone_button_rejects_forged_zone(anna: Person, services: Services) -> None:
    texts = await anna.press("rem:zone:Mars/Olympus")
    assert any("no longer works" in t for t in texts)
    assert services.zone(anna.chat_id).key == "UTC"


async def test_reminder_taken_once(
    anna: Person, app: App, services: Services, clock: FakeClock, day: str
) -> None:
    assert day == "2026-03-03"
    assert set(anna.buttons().values()) == {
        f"rem:take:{day}",
        f"rem:snooze:{day}:15",
        f"rem:skip:{day}",
    }
    texts = await anna.press(f"rem:take:{day}")
    assert any("Taken at 08:30" in t for t in texts)
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "taken"
    texts = await anna.press(f"rem:take:{day}")
    assert texts == [en("reminders_already_taken")]
    # Taken cancelled the follow-ups: nothing more today.
    clock.advance(timedelta(hours=3))
    assert await tick(app, services) == 0


async def test_a_mistaken_answer_can_be_corrected(
    anna: Person, services: Services, day: str
) -> None:
    heard: list[str] = []

    async def listener(services: Services, bot: Bot, signal: DoseAnswered) -> None:
        heard.append(signal.status)

    services.registry.listen(DoseAnswered, listener)
    reminders.set_pills(services.db, anna.chat_id, 20)
    texts = await anna.press(f"rem:skip:{day}")
    assert anna.buttons() == {"✅ I took it after all": f"rem:mark:{day}:taken"}
    texts = await anna.press(f"rem:take:{day}")  # Taken on the old reminder after a Skip
    assert any("Changed: Tue 3 March is now recorded as taken" in t for t in texts)
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "taken"
    assert reminders.get(services.db, anna.chat_id).pills == 19
    texts = await anna.press(f"rem:skip:{day}")  # and back
    assert en("reminders_changed_skipped", day="Tue 3 March") in texts
    assert reminders.get(services.db, anna.chat_id).pills == 20
    texts = await anna.press(f"rem:mark:{day}:taken")  # the button kept after Skip
    assert any("recorded as taken" in t for t in texts)
    assert heard == ["skipped", "taken", "skipped", "taken"]


async def test_dose_answered_signal(anna: Person, services: Services, day: str) -> None:
    heard: list[tuple[int, str, str]] = []

    async def listener(services: Services, bot: Bot, signal: DoseAnswered) -> None:
        heard.append((signal.chat_id, signal.local_date, signal.status))

    services.registry.listen(DoseAnswered, listener)
    await anna.press(f"rem:skip:{day}")
    await anna.press(f"rem:skip:{day}")
    assert heard == [(anna.chat_id, day, "skipped")]


async def test_skip_shows_missed_dose_guidance(anna: Person, services: Services, day: str) -> None:
    texts = await anna.press(f"rem:skip:{day}")
    assert any("never take two" in t and "pharmacist" in t for t in texts)
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "skipped"


async def test_snooze_resends_after_15_minutes_then_once(
    anna: Person,
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    day: str,
) -> None:
    texts = await anna.press(f"rem:snooze:{day}:15")
    assert any("again at 08:45" in t for t in texts)
    assert f"rem:snooze:{day}:30" in anna.buttons().values()
    clock.advance(timedelta(minutes=14))
    assert await tick(app, services) == 0
    clock.advance(timedelta(minutes=1))
    assert await tick(app, services) == 1
    assert await tick(app, services) == 0
    assert len(reminders_to(request_layer)) == 2


async def test_snooze_choice_replaces_the_first(
    anna: Person, app: App, services: Services, clock: FakeClock, day: str
) -> None:
    await anna.press(f"rem:snooze:{day}:15")
    await anna.press(f"rem:snooze:{day}:60")
    clock.advance(timedelta(minutes=59))
    assert await tick(app, services) == 0
    clock.advance(timedelta(minutes=1))
    assert await tick(app, services) == 1


@pytest.mark.parametrize(
    "data",
    [
        "rem:take:2026-03-04",  # another day: no reminder went out
        "rem:take:2026-13-45",
        "rem:snooze:{day}:7",  # not a choice
        "rem:snooze:{day}",
        "rem:take:{day}:15",
        "rem:take:../../etc",
        "rem:nudge:45",
        "rem:at:2599",
        "rem:garbage",
        "garbage",
    ],
)
async def test_forged_buttons_change_nothing(
    anna: Person, services: Services, data: str, day: str
) -> None:
    texts = await anna.press(data.format(day=day))
    assert len(texts) == 1 and ("no longer works" in texts[0] or "can't be snoozed" in texts[0])
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"


async def test_another_chat_cannot_answer_her_dose(
    anna: Person, app: App, services: Services, request_layer: RecordingRequest, day: str
) -> None:
    mallory = Person(app, request_layer, chat_id=666, first_name="M")
    texts = await mallory.press(f"rem:take:{day}")
    assert any("no longer works" in t for t in texts)
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"


async def test_remind_off_stops_reminders(
    anna: Person, app: App, services: Services, clock: FakeClock, day: str
) -> None:
    texts = await anna.send("/remind off")
    assert "off" in texts[0]
    assert events.find(services.db, anna.chat_id, "dose") is None
    clock.advance(timedelta(days=2))
    assert await tick(app, services) == 0
    [answer] = await anna.send("/remind")  # after off: "off", not "no reminder yet"
    assert "reminder is off" in answer and "yet" not in answer


async def test_remind_alone_shows_settings_with_buttons(anna: Person, services: Services) -> None:
    texts = await anna.send("/remind")
    assert "No daily reminder yet" in texts[0] and "UTC" in texts[0]
    buttons = anna.buttons()
    assert buttons["08:00"] == "rem:at:0800" and buttons["✓ 1 hour"] == "rem:nudge:60"
    texts = await anna.press("rem:at:0800")
    assert any("<b>08:00</b>" in t for t in texts)
    texts = await anna.send("/remind")
    assert "<b>08:00</b>" in texts[0]
    texts = await anna.press(anna.buttons()["🔕 Turn reminders off"])
    assert any("off" in t for t in texts)
    assert events.find(services.db, anna.chat_id, "dose") is None


async def test_follow_up_setting_off_sends_no_nudges(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    texts = await anna.press("rem:nudge:0")
    assert any("answer a reminder: <b>off</b>" in t for t in texts)
    await set_up(anna)
    await make_due(anna, app, services, clock, request_layer)
    clock.advance(timedelta(hours=5))
    assert await tick(app, services) == 0


async def test_follow_up_after_30_minutes(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    await anna.press("rem:nudge:30")
    await set_up(anna)
    await make_due(anna, app, services, clock, request_layer)
    clock.advance(timedelta(minutes=29))
    assert await tick(app, services) == 0
    clock.advance(timedelta(minutes=1))
    assert await tick(app, services) == 1
    first = str(request_layer.sent()[-1]["text"])
    assert "checking in" in first
    clock.advance(timedelta(minutes=30))
    assert await tick(app, services) == 1
    second = str(request_layer.sent()[-1]["text"])  # not the same words twice
    assert second != first and "last check for today" in second and "never take two" in second


async def test_snoozed_reminder_is_followed_up_if_unanswered(
    anna: Person, app: App, services: Services, clock: FakeClock, day: str
) -> None:
    await anna.press(f"rem:snooze:{day}:15")
    clock.advance(timedelta(minutes=15))
    assert await tick(app, services) == 1
    clock.advance(timedelta(minutes=60))
    assert await tick(app, services) == 1
    await anna.press(f"rem:take:{day}")
    clock.advance(timedelta(minutes=60))
    assert await tick(app, services) == 0


async def test_snooze_after_answer_is_refused(anna: Person, day: str) -> None:
    await anna.press(f"rem:take:{day}")
    texts = await anna.press(f"rem:snooze:{day}:30")
    assert texts == [en("reminders_cannot_snooze")]


async def test_pills_count_down_and_refill_at_7_and_3(
    anna: Person, app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest
) -> None:
    assert "not counting" in (await anna.send("/pills"))[0]
    assert "Please write the number" in (await anna.send("/pills lots"))[0]
    assert "Please write the number" in (await anna.send("/pills -3"))[0]
    assert "Tablets on hand: <b>9</b>" in (await anna.send("/pills 9"))[0]
    await set_up(anna)
    refills = []
    for _ in range(7):
        day = await make_due(anna, app, services, clock, request_layer)
        texts = await anna.press(f"rem:take:{day}")
        refills += [t for t in texts if "Time to order" in t]
    assert refills == [
        "💊 Only 7 tablets left. Time to order your next pack from your pharmacy or doctor.",
        "💊 Only 3 tablets left. Time to order your next pack from your pharmacy or doctor.",
    ]
    assert "<b>2</b>" in (await anna.send("/pills"))[0]


async def test_history_counts_and_calendar(anna: Person, services: Services) -> None:
    assert (await anna.send("/history"))[0] == en("reminders_history_empty")
    for day, status in [
        ("2026-02-23", "taken"),
        ("2026-02-24", "taken"),
        ("2026-02-25", "taken"),
        ("2026-02-26", "taken"),
        ("2026-02-27", "skipped"),
        ("2026-02-28", "pending"),
        ("2026-03-01", "taken"),
        ("2026-03-02", "pending"),
        ("2026-01-01", "taken"),  # older than 30 days: not counted
    ]:
        doses.open_dose(services.db, anna.chat_id, day, 0, None)
        if status != "pending":
            doses.answer(services.db, anna.chat_id, day, status, 0)
    text = (await anna.send("/history"))[0]
    assert "Taken: 5" in text and "Skipped: 1" in text and "Missed: 1" in text
    assert "71%" in text and "Days in a row: 1." in text
    # a line a week, each with its first day (2 March 2026 is a Monday)
    assert "<code> 23 Feb</code> ✅✅✅✅➖❌✅\n<code>  2 Mar</code> ⏳\n" in text


async def test_history_without_a_run_of_days_does_not_say_zero(
    anna: Person, services: Services
) -> None:
    doses.open_dose(services.db, anna.chat_id, "2026-03-01", 0, None)
    doses.answer(services.db, anna.chat_id, "2026-03-01", "skipped", 0)
    text = (await anna.send("/history"))[0]  # one day: its count, no "0%" and no run
    assert "Skipped: 1" in text and "%" not in text and "Days in a row" not in text


async def test_timezone_alone_shows_choices_and_location(anna: Person, services: Services) -> None:
    texts = await anna.send("/timezone")
    assert "UTC" in texts[0]
    buttons = anna.buttons()
    assert buttons["Kolkata, India"] == "rem:zone:Asia/Kolkata"
    await anna.press(buttons["📍 Share my location"])
    markup = anna.last_markup()
    assert markup is not None and markup["keyboard"][0][0]["request_location"] is True


async def test_location_sets_zone_offline(anna: Person, services: Services) -> None:
    await anna.send("/remind 07:00")
    texts = await anna.send_message(location={"latitude": 27.7172, "longitude": 85.3240})
    assert any("Kathmandu, Nepal" in t for t in texts)
    assert services.zone(anna.chat_id).key == "Asia/Kathmandu"
    event = events.find(services.db, anna.chat_id, "dose")
    # 07:00 in Kathmandu (+05:45) on 3 March is 01:15 UTC: the event moved with the zone.
    assert event is not None
    assert datetime.fromtimestamp(event.next_fire, UTC) == datetime(2026, 3, 3, 1, 15, tzinfo=UTC)


async def test_location_at_sea(anna: Person, services: Services) -> None:
    texts = await anna.send_message(location={"latitude": 0.0, "longitude": -30.0})
    assert en("timezone_location_unknown") in texts
    assert services.zone(anna.chat_id).key == "UTC"


async def test_onboarding_after_start_in_a_few_taps(anna: Person, services: Services) -> None:
    texts = await anna.send("/start")
    assert any("daily reminder" in t for t in texts)
    assert "Later" in anna.buttons()  # every set-up question can be left for later
    texts = await anna.press(anna.buttons()["Berlin, Germany"])
    assert not any("DEXA" in t for t in texts)  # the time comes first, alone
    texts = await anna.press(anna.buttons()["08:00"])
    assert any("<b>08:00</b>" in t and "Berlin, Germany" in t for t in texts)
    assert "DEXA" in texts[-1]  # then the next question
    texts = await anna.send("/start")
    assert not any("daily reminder" in t for t in texts)  # set up: not offered again
    texts = await anna.press("rem:at:0900")  # a time changed later asks nothing more
    assert not any("DEXA" in t for t in texts)


async def test_a_tap_on_an_old_reminder_changes_nothing(
    anna: Person, services: Services, clock: FakeClock, day: str
) -> None:
    clock.advance(timedelta(days=1))
    texts = await anna.press(f"rem:take:{day}")  # yesterday's, tapped late: taken after all
    assert any("Taken at" in t for t in texts)
    doses.open_dose(services.db, anna.chat_id, "2026-02-20", 0, None)
    texts = await anna.press("rem:take:2026-02-20")
    assert any("no longer works" in t for t in texts)
    dose = doses.get(services.db, anna.chat_id, "2026-02-20")
    assert dose is not None and dose.status == "pending"


async def test_moving_west_does_not_repeat_the_day(
    anna: Person, app: App, services: Services, clock: FakeClock, day: str
) -> None:
    await anna.press(f"rem:take:{day}")
    await anna.send("/timezone America/New_York")  # 08:30 there is still 3 March
    await anna.send("/remind 9:00")
    clock.advance(timedelta(hours=20))
    assert await tick(app, services) == 0
    event = events.find(services.db, anna.chat_id, "dose")
    assert event is not None
    assert datetime.fromtimestamp(event.next_fire, UTC) == datetime(2026, 3, 4, 14, 0, tzinfo=UTC)


# --- doses she can correct: her own words, /history fill-in, caregivers following --------
@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("I took it", "taken"),
        ("taken", "taken"),
        ("Taken ✅", "taken"),
        ("I took my tablet", "taken"),
        ("actually I did take it", "taken"),
        ("I’ve taken it today", "taken"),
        ("I forgot yesterday", "skipped"),
        ("I missed my tablet yesterday", "skipped"),
        ("I didn't take it", "skipped"),
        ("I took it with food, is that ok?", None),  # a question for the matcher
        ("I forgot my tablet yesterday, what should I do?", None),
        ("can I take it at night", None),
        ("I take it every morning with breakfast and tea", None),
        ("my mum missed her tablet", None),
        ("выпила таблетку", "taken"),
        ("Уже приняла!", "taken"),
        ("ой, забыла вчера", "skipped"),
        ("я не выпила таблетку сегодня", "skipped"),
        ("я выпила её утром, это нормально?", None),
        ("можно ли пить её вечером", None),
        ("мама забыла таблетку", None),
    ],
)
def test_dose_words_are_conservative(typed: str, status: str | None) -> None:
    said = her_words(CONTENT).dose(typed)
    assert (said[0] if said else None) == status


@pytest.mark.parametrize(
    ("typed", "place"),
    [
        ("I live in Leeds", "leeds"),
        ("hi, I'm based in Manchester.", "manchester"),
        ("я живу в Казани", "казани"),
        ("Мы сейчас живём в Нижнем Новгороде", "нижнем новгороде"),
        ("where do you live?", None),
        ("живу одна, дети далеко", None),
    ],
)
def test_where_she_lives_in_her_words(typed: str, place: str | None) -> None:
    assert her_words(CONTENT).place(typed) == place


@pytest.fixture
def carol(app: App, request_layer: RecordingRequest) -> Person:
    return Person(app, request_layer, chat_id=CAROL, first_name="Carol")


async def test_her_words_are_confirmed_before_anything_is_recorded(
    anna: Person, services: Services, day: str
) -> None:
    [answer] = await anna.send("I took my tablet")
    assert "Tue 3 March" in answer and "as taken?" in answer
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "pending"  # nothing yet
    texts = await anna.press(anna.buttons()["✅ Taken"])
    assert "Recorded: taken on Tue 3 March" in texts[-1]
    dose = doses.get(services.db, anna.chat_id, day)
    assert dose is not None and dose.status == "taken"
    [answer] = await anna.send("taken")
    assert "already recorded as taken" in answer


async def test_forgot_yesterday_fills_in_yesterday(
    anna: Person, services: Services, day: str
) -> None:
    [answer] = await anna.send("I forgot yesterday")
    assert "Mon 2 March" in answer and "not taken" in answer and "never take two" in answer
    await anna.press(anna.buttons()["➖ Not taken"])
    dose = doses.get(services.db, anna.chat_id, "2026-03-02")
    assert dose is not None and dose.status == "skipped"
    [answer] = await anna.send("I forgot yesterday")
    await anna.press(anna.buttons()["Leave it"])
    assert "nothing recorded" in (await anna.press("rem:nomark"))[-1]


async def test_a_question_about_taking_it_still_reaches_the_matcher(anna: Person, day: str) -> None:
    answer = await anna.send("I took it with food, is that ok?")
    assert "Shall I record" not in answer[0]
    assert "with or without food" in "".join(answer)
    assert "info:topic:dose" in anna.buttons().values()


async def test_words_from_someone_without_reminders_get_what_applies(anna: Person) -> None:
    """Nothing to record without reminders, but a missed tablet always gets its rule."""
    [answer] = await anna.send("I took it")
    assert "Shall I record" not in answer and "/remind 08:00" in answer
    [answer] = await anna.send("I forgot it this morning")
    assert "never take two" in answer


async def test_russian_words_about_her_tablet_and_her_town(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await olga.send("/remind 08:00")
    [answer] = await olga.send("ой, забыла вчера")
    assert "не принята" in answer and "никогда не принимайте две" in answer
    [answer] = await olga.send("меня вырвало после таблетки")  # nothing recorded, the pharmacist
    assert "спросите фармацевта" in answer and "ничего не изменила" in answer
    [answer] = await olga.send("приняла в обед вместо утра")  # the day's, once she says so
    assert "принята?" in answer and "в одно и то же время" in answer
    [answer, asked] = await olga.send("выпила сразу вчерашнюю и сегодняшнюю")  # too many: urgent
    assert "Не садитесь за руль" in answer and "принята?" in asked
    [answer] = await olga.send("я живу в Казани")
    assert "rem:zone:Europe/Moscow" in olga.buttons().values()


async def test_history_fills_in_the_last_seven_days(
    anna: Person, services: Services, day: str
) -> None:
    await anna.send("/history")
    await anna.press(anna.buttons()["✏️ Fill in or correct a day"])
    days = anna.buttons()
    assert len(days) == 7 and days["⏳ Tue 3 March"] == "rem:pick:2026-03-03"
    assert days["▫️ Wed 25 February"] == "rem:pick:2026-02-25"
    await anna.press(days["▫️ Sat 28 February"])
    texts = await anna.press(anna.buttons()["✅ Taken"])
    assert "Recorded: taken on Sat 28 February" in texts[-1]
    dose = doses.get(services.db, anna.chat_id, "2026-02-28")
    assert dose is not None and dose.status == "taken"
    texts = await anna.press("rem:mark:2026-02-20:taken")  # older than 7 days
    assert any("only fill in the last 7 days" in t for t in texts)
    assert doses.get(services.db, anna.chat_id, "2026-02-20") is None


@pytest.mark.parametrize("data", ["rem:mark:2026-03-03", "rem:pick", "rem:days:2026-03-03"])
async def test_forged_fill_in_buttons_do_nothing(anna: Person, data: str, day: str) -> None:
    texts = await anna.press(data)
    assert any("no longer works" in t for t in texts)


async def test_her_caregiver_hears_the_corrected_record(
    anna: Person, carol: Person, app: App, services: Services, clock: FakeClock
) -> None:
    """Carol was told of a missed dose; Anna then says she took it: Carol hears so."""
    await anna.send("/start")
    set_dose_time(services)
    await follow(anna, carol)
    open_dose(services)
    await tick_at(app, services, clock, ALERT_AT)
    before = len(carol.request.calls)
    clock.advance(timedelta(minutes=20))
    await anna.send("actually I did take it")
    await anna.press(anna.buttons()["✅ Taken"])
    await scheduler.tick(app.bot, services)
    assert messages(carol, before) == ["✅ Good news: <b>Anna</b> has taken her tablet after all."]
    dose = doses.get(services.db, anna.chat_id, DOSE_DAY)
    assert dose is not None and dose.status == "taken"


def test_a_broken_words_file_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "intents.yaml").write_text("took: '('\n", encoding="utf-8")
    with pytest.raises(ContentError):
        her_words(tmp_path)


async def test_set_up_questions_answered_in_words(anna: Person, services: Services) -> None:
    """The buttons are a shortcut: a time and a yes/no typed in her words answer too."""
    await anna.send("/start")
    await anna.press(anna.buttons()["Berlin, Germany"])
    texts = await anna.send("9 in the morning please")
    assert any("<b>09:00</b>" in t for t in texts) and "DEXA" in texts[-1]
    texts = await anna.send("No, not yet")
    assert "A starting scan helps" in texts[0] and "when did you start" in texts[-1]
    texts = await anna.send("14 March 2025")
    assert "14 March 2025" in texts[-1] and "Day" in texts[-1]  # the course, and its progress


async def test_a_question_instead_of_a_time_gets_its_answer(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    await anna.press(anna.buttons()["Berlin, Germany"])
    texts = await anna.send("what is anastrozole used for?")
    assert not any("Daily reminder" in t for t in texts)
    assert any(v.startswith("info:topic:") for v in anna.buttons().values())  # the guide's answer
    person = people.get(services.db, anna.chat_id)
    assert person is not None and person.awaiting is None  # the question is closed


async def test_russian_set_up_answered_in_words(
    app: App, request_layer: RecordingRequest, services: Services
) -> None:
    olga = Person(app, request_layer, chat_id=4004, first_name="Ольга", language_code="ru")
    await olga.send("/start")
    await olga.press("rem:zone:Europe/Moscow")
    texts = await olga.send("в 8 вечера")
    assert any("<b>20:00</b>" in t for t in texts)
    texts = await olga.send("не помню")
    assert "спрошу" in texts[-1].lower() or "спрошу" in " ".join(texts).lower()


async def test_after_a_time_button_the_scan_question_takes_words(anna: Person) -> None:
    await anna.send("/start")
    await anna.press(anna.buttons()["Berlin, Germany"])
    texts = await anna.press(anna.buttons()["08:00"])
    assert "DEXA" in texts[-1]
    texts = await anna.send("not sure")
    assert "ask again" in texts[0] and "when did you start" in texts[-1]
    texts = await anna.press("checkups:course:later")
    assert "/started" in texts[-1]


@pytest.mark.parametrize(
    ("typed", "level"),
    [("none", 0), ("mild", 1), ("quite bad", 2), ("very bad", 3), ("нет", 0), ("немного", 1),
     ("умеренно", 2), ("очень сильно", 3), ("how bad is bad?", None), ("tuesday", None)],
)  # fmt: skip
def test_how_bad_in_her_words_both_languages(typed: str, level: int | None) -> None:
    assert her_words(CONTENT).severity(typed) == level


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("follow up in 30 mins", 30),
        ("after two hours please", 120),
        ("in half an hour", 30),
        ("an hour", 60),
        ("no follow ups please", 0),
        ("don't follow up", 0),
        ("через 2 ч", 120),
        ("спустя полчаса", 30),
        ("через час", 60),
        ("не надо повторять", 0),
        ("без повторов, спасибо", 0),
        ("20 minutes", 20),
        ("1.5 hours", 90),
        ("at 9 tonight", None),
        ("I took it", None),
        ("how does a follow-up work?", None),
        ("нормально", None),
    ],
)  # phrasings written before the patterns were run on them
def test_follow_up_in_her_words_both_languages(typed: str, minutes: int | None) -> None:
    assert her_words(CONTENT).follow_up(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("an hour and a half", 90),
        ("after one hour and a half", 90),
        ("1.5 hours", 90),
        ("two and a half hours", 150),
        ("2 and a half hours", 150),
        ("a couple of hours", 120),
        ("half an hour", 30),
        ("полтора часа", 90),
        ("через час с половиной", 90),
        ("через два с половиной часа", 150),
        ("после полутора часов", 90),
        ("5 minutes and a half", None),
    ],
)
def test_a_half_in_her_words_is_half_an_hour_more(typed: str, minutes: int | None) -> None:
    assert her_words(CONTENT).follow_up(typed) == minutes


async def test_remind_settings_answered_in_words(anna: Person, services: Services) -> None:
    await anna.send("/remind")
    [answer] = await anna.send("remind me again after 30 minutes")
    assert answer == en("reminders_nudge_set", nudge="30 min")
    assert reminders.get(services.db, anna.chat_id).nudge_minutes == 30
    await anna.send("/remind")
    [answer] = await anna.send("через 2 часа")
    assert reminders.get(services.db, anna.chat_id).nudge_minutes == 120
    await anna.send("/remind")
    texts = await anna.send("8.30pm")
    assert any("<b>20:30</b>" in t for t in texts)
    await anna.send("/remind")
    await anna.send("no follow-ups")
    assert reminders.get(services.db, anna.chat_id).nudge_minutes == 0


async def test_a_follow_up_the_buttons_do_not_offer_gets_them_again(
    anna: Person, services: Services
) -> None:
    await anna.send("/remind")
    [again] = await anna.send("45 minutes")
    assert again.startswith(en("reminders_nudge_choices"))
    [again] = await anna.send("an hour and a half")  # 90, not 60: no button either
    assert again.startswith(en("reminders_nudge_choices"))
    assert anna.buttons()["30 min"] == "rem:nudge:30"
    [answer] = await anna.send("half an hour then")
    assert answer == en("reminders_nudge_set", nudge="30 min")


async def test_a_number_that_is_no_time_sets_no_reminder(anna: Person, services: Services) -> None:
    await anna.send("/remind")
    await anna.send("every 2 weeks")
    person = people.get(services.db, anna.chat_id)
    assert person is not None and person.remind_at is None


async def test_a_question_after_remind_closes_it_and_is_answered(
    anna: Person, services: Services
) -> None:
    await anna.send("/remind")
    texts = await anna.send("can I drink alcohol?")
    assert "alcohol" in " ".join(texts).lower()
    person = people.get(services.db, anna.chat_id)
    assert person is not None and person.awaiting is None
    assert reminders.get(services.db, anna.chat_id).nudge_minutes == 60
