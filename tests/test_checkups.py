"""Scan and check-up prompts through the real application, with a FakeClock and the tick."""

import re
import sqlite3
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot import scheduler
from bot.app import App
from bot.pure.signals import BonescanOverdue
from bot.pure.timerules import epoch, from_epoch
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import checkups, events, people
from tests.support import Person, en


@pytest.fixture
async def london(anna: Person, services: Services) -> Person:
    """Anna in London with her daily reminder at 08:30."""
    await anna.send("/help")
    people.set_timezone(services.db, anna.chat_id, "Europe/London")
    people.set_remind_at(services.db, anna.chat_id, "08:30")
    return anna


Tick = Callable[[datetime], Awaitable[list[str]]]


@pytest.fixture
def tick(app: App, services: Services, clock: FakeClock, request_layer: RecordingRequest) -> Tick:
    """Move the clock to a UTC instant, tick twice (the second must add nothing) and
    return the texts the bot sent."""

    async def at(when: datetime) -> list[str]:
        start = len(request_layer.calls)
        clock.set(when)
        await scheduler.tick(app.bot, services)
        await scheduler.tick(app.bot, services)
        return [c.params["text"] for c in request_layer.calls[start:] if c.method == "sendMessage"]

    return at


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def prompt_fire(services: Services, anna: Person, name: str = "bonescan") -> datetime:
    event = events.find(services.db, anna.chat_id, "checkup_prompt", name)
    assert event is not None
    return from_epoch(event.next_fire)


async def first_prompt(anna: Person, tick: Tick) -> str:
    """Her scan falls due on 3 March 2026; its prompt goes out at 08:30 (her time)."""
    await anna.send("/bonescan 2024-03-03")
    [prompt] = await tick(utc(3, 3, 8, 30))
    return prompt


async def test_recording_a_scan_gives_the_next_due_date_with_its_year(
    london: Person, services: Services
) -> None:
    [answer] = await london.send("/bonescan 2025-01-10")
    assert "10 January 2025" in answer and "10 January 2027" in answer
    assert "overdue" not in answer
    assert prompt_fire(services, london) == datetime(2027, 1, 10, 8, 30, tzinfo=UTC)


async def test_an_old_scan_is_plainly_overdue_and_the_interval_can_be_set(
    london: Person, services: Services
) -> None:
    [answer] = await london.send("/bonescan 2024-06-30 12")
    assert "30 June 2025" in answer and "overdue" in answer and "every 12 months" in answer
    # overdue: the prompt comes at the next reminder time (08:30 tomorrow; 09:00 now)
    assert prompt_fire(services, london) == datetime(2026, 3, 3, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/bonescan 2024-02-30", "doesn't exist"),
        ("/bonescan 2026-03-03", "in the future"),
        ("/bonescan soon", "couldn't read"),
        ("/bonescan 2025-01-10 999", "whole number of months"),
        ("/bonescan 2025-01-10 1", "whole number of months"),
        ("/cholesterol 31 April 2025", "doesn't exist"),
    ],
)
async def test_bad_dates_get_a_clear_answer_and_change_nothing(
    london: Person, services: Services, typed: str, expected: str
) -> None:
    [answer] = await london.send(typed)
    assert expected in answer
    if "months" not in expected:  # an example to copy, command and all
        assert f"<code>{typed.split()[0]} 2 March 2026</code>" in answer
    assert not checkups.get(services.db, london.chat_id, "bonescan").recorded
    assert events.for_chat(services.db, london.chat_id) == []


async def test_bonescan_alone_shows_status_with_buttons(london: Person) -> None:
    [answer] = await london.send("/bonescan")
    assert "none recorded" in answer and "Every 24 months" in answer
    await london.send("/bonescan 14 March 2025")
    [answer] = await london.send("/bonescan")
    assert "14 March 2025" in answer and "14 March 2027" in answer
    await london.send("/bonescan 2024-03-14")  # a correction wins, even to an earlier date
    [answer] = await london.send("/bonescan")
    assert "14 March 2024" in answer and "14 March 2026" in answer
    assert set(london.buttons().values()) == {
        "checkups:done:bonescan",
        "checkups:book:bonescan",
        "checkups:later:bonescan",
    }


async def test_prompt_arrives_at_her_reminder_time_once_and_repeats_every_14_days(
    london: Person, services: Services, tick: Tick
) -> None:
    heard: list[int] = []

    async def caregivers(services: Services, bot: Any, signal: BonescanOverdue) -> None:
        heard.append(signal.chat_id)

    services.registry.listen(BonescanOverdue, caregivers)
    await london.send("/bonescan 2024-03-03")  # due 3 March 2026, tomorrow
    assert await tick(utc(3, 3, 8, 29)) == []
    [prompt] = await tick(utc(3, 3, 8, 30))
    assert "bone-density (DEXA) scan" in prompt and "3 March 2026" in prompt
    assert "overdue" not in prompt and heard == []
    assert set(london.buttons()) == {"✅ Done", "📅 Booked", "⏰ Later"}
    # unanswered: back in 14 days, now overdue, and the caregivers feature hears of it
    assert await tick(utc(3, 17, 8, 29)) == []
    [second] = await tick(utc(3, 17, 8, 30))
    assert "overdue" in second and "3 March 2026" in second
    assert heard == [london.chat_id]


async def test_an_overdue_scan_prompt_reaches_a_caregiver_she_allowed(
    london: Person, tick: Tick
) -> None:
    carol = Person(london.app, london.request, chat_id=3003, first_name="Carol")
    [invitation] = await london.send("/invite")
    payload = re.search(r"start=(care-[A-Za-z0-9_-]+)", invitation)
    assert payload is not None
    await carol.send(f"/start {payload[1]}")
    await carol.press(carol.buttons()["✅ Accept"])
    await london.send("/bonescan 2023-01-10")  # due 10 January 2025: overdue
    sent = await tick(utc(3, 3, 8, 30))
    assert any("overdue" in t and "Has it been done" in t for t in sent)
    assert any("Anna</b>'s bone-density scan is overdue" in t for t in sent)


async def test_prompt_defaults_to_ten_local_without_a_reminder_time(
    anna: Person, services: Services, tick: Tick
) -> None:
    await anna.send("/help")
    people.set_timezone(services.db, anna.chat_id, "America/New_York")
    await anna.send("/bonescan 2024-03-10")
    assert prompt_fire(services, anna) == datetime(2026, 3, 10, 14, 0, tzinfo=UTC)  # EDT
    assert len(await tick(utc(3, 10, 14))) == 1
    assert prompt_fire(services, anna) == datetime(2026, 3, 24, 14, 0, tzinfo=UTC)


async def test_the_reminder_time_is_read_afresh_for_each_prompt(
    london: Person, services: Services, tick: Tick
) -> None:
    await first_prompt(london, tick)
    people.set_remind_at(services.db, london.chat_id, "19:00")  # changed after the prompt,
    scheduler.reschedule_chat(services, london.chat_id)  # as /remind does
    # today's prompt was sent: the next is the 14-day step, at 19:00, not today again
    assert prompt_fire(services, london) == utc(3, 17, 19)
    assert await tick(utc(3, 3, 19)) == []
    assert len(await tick(utc(3, 17, 19))) == 1


async def test_a_prompt_not_sent_yet_follows_a_time_moved_before_now_to_the_next_day(
    london: Person, services: Services, clock: FakeClock, tick: Tick
) -> None:
    people.set_remind_at(services.db, london.chat_id, "20:00")
    await london.send("/bonescan 2024-03-03")  # due 3 March 2026 at 20:00
    assert await tick(utc(3, 3, 12)) == []
    people.set_remind_at(services.db, london.chat_id, "08:30")  # 08:30 has gone by today
    scheduler.reschedule_chat(services, london.chat_id)
    assert prompt_fire(services, london) == utc(3, 4, 8, 30)  # owed: tomorrow, not 17 March
    [prompt] = await tick(utc(3, 4, 8, 30))
    assert "3 March 2026" in prompt
    scheduler.reschedule_chat(services, london.chat_id)  # recomputing changes nothing now
    assert prompt_fire(services, london) == utc(3, 18, 8, 30)  # 14 days after it was sent


async def test_a_prompt_follows_a_zone_change_made_before_it_is_sent(
    london: Person, services: Services, tick: Tick
) -> None:
    await london.send("/bonescan 2024-03-03")  # 08:30 London on 3 March = 08:30 UTC
    people.set_timezone(services.db, london.chat_id, "America/New_York")
    scheduler.reschedule_chat(services, london.chat_id)
    assert prompt_fire(services, london) == utc(3, 3, 13, 30)  # 08:30 in New York (EST)
    assert await tick(utc(3, 3, 8, 30)) == []
    assert len(await tick(utc(3, 3, 13, 30))) == 1
    people.set_timezone(services.db, london.chat_id, "Asia/Tokyo")  # a day ahead: same step
    scheduler.reschedule_chat(services, london.chat_id)
    assert prompt_fire(services, london) == utc(3, 16, 23, 30)  # 17 March 08:30 in Tokyo


@pytest.mark.parametrize(
    ("zone", "times"),
    [
        ("Europe/London", ["08:30"]),
        ("America/New_York", ["08:30", "20:00", "06:00"]),
        ("Asia/Tokyo", ["23:30", "00:30", "12:00", "07:15"]),
    ],
)
async def test_recomputing_at_any_moment_never_loses_or_doubles_a_prompt(
    london: Person, services: Services, clock: FakeClock, app: App, zone: str, times: list[str]
) -> None:
    people.set_timezone(services.db, london.chat_id, zone)
    await london.send("/bonescan 2024-03-03")  # due 3 March, then again on 17 March
    start = len(london.request.calls)
    for step in range(int(17.5 * 24 * 60 / 50)):  # every 50 minutes until 19 March
        clock.advance(timedelta(minutes=50))
        if step % 29 == 0:  # her time changes about once a day, each day at another hour
            people.set_remind_at(services.db, london.chat_id, times[step // 29 % len(times)])
        scheduler.reschedule_chat(services, london.chat_id)  # as a zone or time change does
        await scheduler.tick(app.bot, services)
    sent = [p["text"] for m, p in london.calls_since(start) if m == "sendMessage"]
    assert len(sent) == 2 and all("3 March 2026" in t for t in sent) and "overdue" in sent[1]


async def test_later_asks_again_in_14_days_not_before(
    london: Person, services: Services, clock: FakeClock, tick: Tick
) -> None:
    await first_prompt(london, tick)
    clock.set(datetime(2026, 3, 5, 12, 0, tzinfo=UTC))
    [answer] = [t for t in await london.press("checkups:later:bonescan") if t]
    assert "19 March 2026" in answer
    assert prompt_fire(services, london) == datetime(2026, 3, 19, 8, 30, tzinfo=UTC)
    assert await tick(utc(3, 17, 8, 30)) == []
    assert len(await tick(utc(3, 19, 8, 30))) == 1


async def test_done_today_records_the_scan_and_moves_the_prompt_two_years_on(
    london: Person, services: Services, tick: Tick
) -> None:
    await first_prompt(london, tick)
    texts = await london.press("checkups:done:bonescan")
    assert any("When was your" in t for t in texts)
    assert london.buttons() == {"Today": "checkups:today:bonescan"}
    texts = await london.press("checkups:today:bonescan")
    assert any("3 March 2026" in t and "3 March 2028" in t for t in texts)
    assert prompt_fire(services, london) == datetime(2028, 3, 3, 8, 30, tzinfo=UTC)
    person = people.get(services.db, london.chat_id)
    assert person is not None and person.awaiting is None


async def test_done_with_a_typed_date_asks_again_after_a_wrong_one(
    london: Person, services: Services
) -> None:
    await london.press("checkups:done:cholesterol")
    [answer] = await london.send("2026-03-09")
    assert "in the future" in answer and "<code>2 March 2026</code>" in answer  # a bare date
    [answer] = await london.send("2026-02-30")
    assert "doesn't exist" in answer
    [answer] = await london.send("20 February 2026")
    assert "20 February 2026" in answer and "20 February 2027" in answer
    check = checkups.get(services.db, london.chat_id, "cholesterol")
    assert check.last_date is not None and check.last_date.isoformat() == "2026-02-20"


async def test_words_instead_of_a_date_end_the_question(london: Person, services: Services) -> None:
    await london.press("checkups:done:bonescan")
    answer = await london.send("👍")
    assert "left the date question" in answer[0] and "/checkups" in answer[0]
    person = people.get(services.db, london.chat_id)
    assert person is not None and person.awaiting is None
    assert len(await london.send("👍")) == 1  # closed: no second note


@pytest.mark.parametrize(
    ("mode", "typed", "saved"),
    [
        ("book", "next Tuesday", "2026-03-03"),  # today is Monday 2 March 2026
        ("book", "8 December", "2026-12-08"),
        ("done", "14/03/2025", "2025-03-14"),  # day first
        ("done", "8 December", "2025-12-08"),  # a past day for a done scan
    ],
)
async def test_dates_as_people_write_them(
    london: Person, services: Services, mode: str, typed: str, saved: str
) -> None:
    await london.press(f"checkups:{mode}:bonescan")
    await london.send(typed)
    check = checkups.get(services.db, london.chat_id, "bonescan")
    found = check.last_date if mode == "done" else check.booked_date
    assert found is not None and found.isoformat() == saved


async def test_a_month_alone_asks_which_day(london: Person, services: Services) -> None:
    await london.press("checkups:done:bonescan")
    [answer] = await london.send("last March")
    assert "Which day in March 2025?" in answer and "14 March 2025" in answer
    await london.send("14 March 2025")
    check = checkups.get(services.db, london.chat_id, "bonescan")
    assert check.last_date is not None and check.last_date.isoformat() == "2025-03-14"


async def test_an_open_date_question_expires_after_30_minutes(
    london: Person, services: Services, clock: FakeClock
) -> None:
    await london.press("checkups:book:bonescan")
    clock.advance(timedelta(minutes=31))
    answer = await london.send("8 December")
    assert not any("Saved" in a for a in answer)
    assert checkups.get(services.db, london.chat_id, "bonescan").booked_date is None


async def test_cancel_closes_an_open_question(london: Person, services: Services) -> None:
    await london.press("checkups:book:bonescan")
    [answer] = await london.send("/cancel")
    assert "closed that question" in answer
    person = people.get(services.db, london.chat_id)
    assert person is not None and person.awaiting is None
    [answer] = await london.send("/cancel")
    assert "no open question" in answer


async def test_a_question_instead_of_a_date_is_answered_as_a_question(
    london: Person, services: Services
) -> None:
    await london.press("checkups:book:bonescan")
    question = "How much anastrozole do I take each day?"
    answer = await london.send(question)
    person = people.get(services.db, london.chat_id)
    assert person is not None and person.awaiting is None
    assert answer == await london.send(question)  # the same answer as without the question
    assert not any("couldn't read that as a date" in t for t in answer)
    person = people.get(services.db, london.chat_id)
    assert person is not None and person.awaiting is None


async def test_booked_reminds_the_day_before_then_asks_if_it_was_done(
    london: Person, tick: Tick
) -> None:
    await first_prompt(london, tick)
    await london.press("checkups:book:bonescan")
    [answer] = await london.send("2026-03-01")
    assert "already passed" in answer
    [answer] = await london.send("2026-04-10")
    assert "10 April 2026" in answer and "9 April 2026" in answer
    # the 14-day repeat is replaced by the booking: nothing on 17 March
    assert await tick(utc(3, 17, 8, 30)) == []
    [reminder] = await tick(utc(4, 9, 7, 30))  # 08:30 BST
    assert "tomorrow, 10 April 2026" in reminder
    [after] = await tick(utc(4, 11, 7, 30))
    assert "booked for 10 April 2026" in after and "Has it been done" in after


@pytest.mark.parametrize(
    "data",
    [
        "checkups:every:bonescan:7",
        "checkups:every:bonescan",
        "checkups:nope:bonescan",
        "checkups:done:liver",
        "checkups:baseline:cholesterol:yes",
        "checkups:baseline:bonescan:maybe",
        "checkups:done:bonescan:1:2",
        "checkups:",
    ],
)
async def test_forged_buttons_are_refused_and_change_nothing(
    london: Person, services: Services, data: str
) -> None:
    texts = await london.press(data)
    assert texts == [en("button_expired")]
    person = people.get(services.db, london.chat_id)
    assert person is not None and person.awaiting is None
    assert not checkups.get(services.db, london.chat_id, "bonescan").recorded


async def test_later_without_a_prompt_says_so(london: Person, services: Services) -> None:
    texts = await london.press("checkups:later:cholesterol")
    assert "no reminder to postpone" in texts[-1]
    assert events.for_chat(services.db, london.chat_id) == []


async def test_later_never_brings_a_far_prompt_forward(london: Person, services: Services) -> None:
    await london.send("/bonescan 2026-02-01")  # next due 1 February 2028
    due = prompt_fire(services, london)
    texts = await london.press("checkups:later:bonescan")  # the button under /bonescan
    assert "no reminder to postpone" in texts[-1]
    assert prompt_fire(services, london) == due == datetime(2028, 2, 1, 8, 30, tzinfo=UTC)
    await london.send("/bonescan")  # so its status offers no Later that could do nothing
    assert set(london.buttons()) == {"✅ Done", "📅 Booked"}


async def test_a_second_claim_of_the_same_prompt_never_sends_twice(
    london: Person, services: Services, tick: Tick
) -> None:
    await london.send("/bonescan 2024-03-03")
    due = prompt_fire(services, london)
    assert len(await tick(due)) == 1
    # as if the event had not been moved on (a crash between claim and move): due again
    services.db.execute(
        "UPDATE events SET next_fire = ? WHERE kind = 'checkup_prompt'", [epoch(due)]
    )
    assert await tick(due + timedelta(minutes=1)) == []
    assert prompt_fire(services, london) == due + timedelta(days=14)


async def test_a_sent_prompt_is_committed_so_a_crash_cannot_undo_it(
    london: Person, tick: Tick, settings: Settings
) -> None:
    await first_prompt(london, tick)
    with sqlite3.connect(settings.database_path) as other:  # what a restarted process reads
        rows = other.execute("SELECT status FROM ledger WHERE kind = 'checkup_prompt'").fetchall()
    assert rows == [("sent",)]


async def test_a_claim_left_unsent_by_a_crash_is_sent_once_after_restart(
    london: Person, services: Services, tick: Tick
) -> None:
    await london.send("/bonescan 2024-03-03")
    due = prompt_fire(services, london)
    scheduler.claim_due(services, due)  # claimed, then the process died before sending
    scheduler.on_startup(services)
    assert len(await tick(due + timedelta(minutes=2))) == 1


async def test_a_prompt_missed_during_long_downtime_comes_at_the_next_reminder_time(
    london: Person, services: Services, tick: Tick
) -> None:
    await london.send("/bonescan 2024-03-03")
    assert await tick(utc(3, 3, 20)) == []  # 11.5 hours late: past the catch-up window
    assert prompt_fire(services, london) == utc(3, 4, 8, 30)
    assert len(await tick(utc(3, 4, 8, 30))) == 1


async def test_a_reminder_time_in_the_spring_gap_fires_when_the_clocks_jump(
    london: Person, services: Services
) -> None:
    people.set_remind_at(services.db, london.chat_id, "01:30")
    await london.send("/bonescan 2024-03-29")  # due 29 March 2026: clocks go forward at 01:00
    assert prompt_fire(services, london) == utc(3, 29, 1)


async def test_onboarding_asks_about_a_baseline_scan_once(
    anna: Person, services: Services, tick: Tick
) -> None:
    await anna.send("/help")
    people.set_remind_at(services.db, anna.chat_id, "08:00")  # reminder set-up done
    texts = await anna.send("/start")
    assert "bone-density (DEXA) scan" in texts[-1]
    assert set(anna.buttons().values()) == {
        "checkups:baseline:bonescan:yes",
        "checkups:baseline:bonescan:no",
        "checkups:baseline:bonescan:unsure",
    }
    texts = await anna.press("checkups:baseline:bonescan:no")
    assert "I'll remind you on 3 March 2026" in texts[-2]
    assert "when did you start" in texts[-1]  # the next set-up question
    assert prompt_fire(services, anna) == utc(3, 3, 8)
    texts = await anna.send("/start")
    assert not any("DEXA" in t for t in texts)
    texts = await anna.press("checkups:baseline:bonescan:unsure")  # a second tap
    assert "none recorded" in texts[-1] and "Next reminder from me: 3 March 2026" in texts[-1]
    assert prompt_fire(services, anna) == utc(3, 3, 8)
    [prompt] = await tick(utc(3, 3, 8))
    assert "ask your care team" in prompt and "overdue" not in prompt


async def test_one_question_at_a_time_after_start(anna: Person, services: Services) -> None:
    """The reminder's set-up first; the scan question only once she has answered it or
    left it for later, and each can be left."""
    texts = await anna.send("/start")
    assert any("daily reminder" in t for t in texts)
    assert not any("DEXA" in t for t in texts)
    texts = await anna.press(anna.buttons()["Later"])
    assert any("/remind 08:00" in t for t in texts) and "DEXA" in texts[-1]
    texts = await anna.press("checkups:baseline:bonescan:yes")
    assert "When was your" in texts[-1]
    answer, question = await anna.send("2025-11-05")  # the date, then the next question
    assert "5 November 2027" in answer and "when did you start" in question


async def test_onboarding_not_sure_asks_again_in_14_days(anna: Person, services: Services) -> None:
    await anna.send("/start")
    texts = await anna.press("checkups:baseline:bonescan:unsure")
    assert any("16 March 2026" in t for t in texts)
    assert prompt_fire(services, anna) == utc(3, 16, 10)


async def test_checkups_lists_and_changes_intervals(london: Person, services: Services) -> None:
    await london.send("/cholesterol 2025-09-15")
    [listing] = await london.send("/checkups")
    assert "Bone-density (DEXA) scan" in listing and "Cholesterol test" in listing
    assert "15 September 2026" in listing
    assert london.buttons()["Bone scan: every 6 months"] == "checkups:every:bonescan:6"
    assert london.buttons()["Cholesterol: off"] == "checkups:off:cholesterol"
    [answer] = await london.send("/checkups cholesterol 6")
    assert "every 6 months" in answer and "15 March 2026" in answer
    assert prompt_fire(services, london, "cholesterol") == datetime(2026, 3, 15, 8, 30, tzinfo=UTC)
    [answer] = await london.send("/checkups cholesterol off")
    assert "reminders off" in answer
    assert events.find(services.db, london.chat_id, "checkup_prompt", "cholesterol") is None
    texts = await london.press("checkups:every:cholesterol:12")
    assert "15 September 2026" in texts[-1]
    assert prompt_fire(services, london, "cholesterol") == datetime(2026, 9, 15, 7, 30, tzinfo=UTC)
    [answer] = await london.send("/checkups liver 6")
    assert "bonescan" in answer and "cholesterol" in answer
    [answer] = await london.send("/checkups cholesterol often")
    assert "whole number of months" in answer


async def test_start_reads_as_two_short_messages_and_the_scan_can_come_first(
    anna: Person, services: Services
) -> None:
    welcome, zone = await anna.send("/start")
    assert "Hello Anna" in welcome
    assert "time zone" in zone and "rem:zone:America/New_York" in anna.buttons().values()
    # she answers the scan first anyway (an older message's button), in UTC at 10:00, then
    # her zone and time: the prompt follows them
    await anna.press("checkups:baseline:bonescan:no")
    assert prompt_fire(services, anna) == utc(3, 3, 10)
    await anna.press("rem:zone:America/New_York")
    await anna.press("rem:at:0800")
    scheduler.reschedule_chat(services, anna.chat_id)  # what a zone or time change does
    assert prompt_fire(services, anna) == utc(3, 3, 13)  # 08:00 in New York


async def test_zone_and_time_first_then_a_scan_date_typed_after_other_buttons(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    await anna.press("checkups:baseline:bonescan:yes")  # asks the date ...
    await anna.press("rem:zone:America/New_York")  # ... she sets up her reminder first
    await anna.press("rem:at:0800")
    answer, *_ = await anna.send("5 Nov 2025")  # the date question is still open
    assert "5 November 2025" in answer and "5 November 2027" in answer
    assert prompt_fire(services, anna) == datetime(2027, 11, 5, 12, 0, tzinfo=UTC)  # 08:00 EST


async def test_checkups_ticks_the_current_choice(london: Person) -> None:
    await london.send("/checkups cholesterol 6")
    await london.send("/checkups bonescan off")
    await london.send("/checkups")
    chosen = sorted(label for label in london.buttons() if label.startswith("✓ "))
    assert len(chosen) == 2
    assert chosen[0].endswith("off") and "6 months" in chosen[1]


async def test_a_scan_in_plain_words_and_never_had_one(anna: Person, services: Services) -> None:
    """Her status offers "I've never had one" while none is recorded (a first scan is then
    suggested, as at the start), and /bonescan takes a day as she writes it."""
    [status] = await anna.send("/bonescan")
    assert "YYYY" not in status and "/bonescan 14 March 2025" in status
    never = anna.buttons()["I've never had one"]
    texts = await anna.press(never)
    assert any("A starting scan helps" in t for t in texts)
    [answer] = await anna.send("/bonescan 14 February 2026")
    assert "14 February 2026" in answer
    await anna.send("/bonescan")
    assert "I've never had one" not in anna.buttons()


async def test_when_she_started_in_words_a_month_is_asked_again(
    anna: Person, services: Services
) -> None:
    await anna.send("/start")
    await anna.press("rem:later")
    texts = await anna.press("checkups:baseline:bonescan:unsure")
    assert "when did you start" in texts[-1]
    [answer] = await anna.send("last March")
    assert "March" in answer and "day" in answer  # which day of it?
    texts = await anna.send("14 March 2025")
    assert "14 March 2025" in texts[-1]
    course = checkups.get_course(services.db, anna.chat_id)
    assert course is not None and course.started.isoformat() == "2025-03-14"


async def test_a_prompt_answered_in_words(anna: Person, services: Services, tick: Tick) -> None:
    """The prompt's buttons are a shortcut: "not yet" puts it off as Later does, and its day
    in words saves it as Done and a date would (also with an older question left open)."""
    await anna.send("/help")
    people.set_remind_at(services.db, anna.chat_id, "08:00")
    await anna.press("checkups:baseline:bonescan:no")  # a first prompt tomorrow
    [prompt] = await tick(utc(3, 3, 8))
    assert "bone" in prompt.lower()
    [answer] = await anna.send("not yet")
    assert answer == "I'll ask again on 17 March 2026."
    await tick(utc(3, 17, 8))  # the next prompt
    [answer] = await anna.send("done on 10 March 2026")
    assert "10 March 2026" in answer
    assert (
        checkups.get(services.db, anna.chat_id, "bonescan").last_date
        == datetime(2026, 3, 10).date()
    )
