"""`make try`: the terminal chat drives the real application against the in-process stand-in;
scripted here as someone trying the bot would type."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prompt_toolkit.formatted_text import fragment_list_to_text

from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.render import keyboard, telegram_html
from bot.trial.session import TrialChat
from bot.trial.standin import TrialRequest
from tests.support import build_app, en

START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)  # Monday, 07:00 in Berlin
REMINDER = "Time for your anastrozole tablet, Anna"
ALERT = "Anna hasn't confirmed her tablet yet (due at 08:00, her time)"


class Terminal:
    """The chat with what it printed, as plain text."""

    def __init__(self, chat: TrialChat, shown: list[str]) -> None:
        self.chat = chat
        self.shown = shown

    async def type(self, *lines: str) -> str:
        self.shown.clear()
        for line in lines:
            assert await self.chat.handle(line)
        return "".join(self.shown)


@pytest.fixture
async def terminal(settings: Settings, tmp_path: Path) -> AsyncIterator[Terminal]:
    request = TrialRequest()
    clock = FakeClock(START)
    app = build_app(settings, request=request, clock=clock)
    shown: list[str] = []
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        chat = TrialChat(
            app, request, clock, tmp_path, lambda text: shown.append(fragment_list_to_text(text))
        )
        yield Terminal(chat, shown)


async def anna_with_a_reminder(terminal: Terminal) -> None:
    await terminal.type("/start", "/timezone Europe/Berlin", "/remind 08:00")


async def test_reminder_taken_invitation_and_alert(terminal: Terminal) -> None:
    await anna_with_a_reminder(terminal)

    shown = await terminal.type("/clock 08:00")
    assert "── Mon 02 Mar 08:00 CET bot → Anna\n" in shown
    assert REMINDER in shown
    assert "[1] ✅ Taken  [2] ⏰ Snooze  [3] Skip today" in shown
    assert "It is now Mon 02 Mar 08:00 CET (Europe/Berlin)." in shown

    shown = await terminal.type("1")
    assert "bot → Anna (edits an earlier message)" in shown
    assert "✅ Taken at 08:00." in shown

    shown = await terminal.type("/invite")
    link = re.search(r"https://t\.me/\w+\?start=care-[\w-]+", shown)
    assert link, shown
    assert "/as caregiver, then /open" in shown
    assert f"(opens https://t.me/share/url?url={link.group(0)}" in await terminal.type("1")

    shown = await terminal.type("/as caregiver", "/open")
    assert f"Carol opens the link: Telegram sends /start {link.group(0).split('=')[1]}" in shown
    assert "Anna invites you to follow" in shown
    shown = await terminal.type("1")  # ✅ Accept
    assert "You now follow Anna's reminders" in shown
    assert "Carol now follows your reminders" in shown
    assert "bot → Anna  (in Anna's chat)" in shown

    shown = await terminal.type("/as patient", "/clock +1d", "/clock 10:00")
    assert shown.count(REMINDER) == 1
    assert "Taken at" not in shown
    alert = shown.index(ALERT)
    assert shown.index("── Tue 03 Mar 08:00 CET bot → Anna\n") < alert
    # Carol has no zone: UTC, two hours (the default delay) after Anna's 08:00.
    assert "── Tue 03 Mar 09:00 UTC bot → Carol  (in Carol's chat)\n" + "🔔 " + ALERT in shown


async def test_a_jump_of_days_stops_at_every_event_on_the_way(terminal: Terminal) -> None:
    await anna_with_a_reminder(terminal)
    shown = await terminal.type("/clock +3d")
    # Beyond REMINDER_CATCHUP_HOURS, yet each day's reminder and follow-ups came on time.
    for day in ("Mon 02", "Tue 03", "Wed 04"):
        assert f"── {day} Mar 08:00 CET bot → Anna\n🌷 {REMINDER}" in shown
        assert f"── {day} Mar 09:00 CET bot → Anna\n🌷 Just checking in" in shown
    assert shown.count(REMINDER) == 3
    assert "It is now Thu 05 Mar 07:00 CET" in shown
    assert "sorry, this comes late" not in shown.lower()


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("/clock -1h", "Try /clock +1h"),
        ("/clock +1x", "Try /clock +1h"),
        ("/clock 25:00", "Try /clock +1h"),
        ("/clock 2026-02-30", "Try /clock +1h"),
        ("/clock 2026-01-01 08:00", "The clock only moves forward"),
    ],
)
async def test_clock_words_it_cannot_use_leave_time_alone(
    terminal: Terminal, words: str, answer: str
) -> None:
    shown = await terminal.type(words)
    assert answer in shown
    assert terminal.chat.clock.now() == START


async def test_clock_moves_by_a_sum_and_to_a_day(terminal: Terminal) -> None:
    assert "It is now Tue 03 Mar 08:30 UTC.\n" in await terminal.type("/clock +1d2h30m")
    assert "It is now Fri 01 May 09:00 UTC" in await terminal.type("/clock 2026-05-01 9am")


async def test_buttons_that_are_not_there_and_people_unknown(terminal: Terminal) -> None:
    assert "That message of Anna's has no button 1." in await terminal.type("1")
    shown = await terminal.type("/as somebody")
    assert "You are Anna (patient)" in shown
    assert "No invitation link to open yet" in await terminal.type("/open")
    assert not await terminal.chat.handle("/quit")


async def test_a_shared_location_sets_her_zone(terminal: Terminal) -> None:
    await terminal.type("/start")
    shown = await terminal.type("/timezone", "9")  # 📍 Share my location
    assert "[1] 📍 Send my location" in shown  # a reply keyboard
    assert "here write /location 52.52 13.40" in await terminal.type("1")
    assert "Write it as /location 52.52 13.40" in await terminal.type("/location Berlin")
    set_by_location = await terminal.type("/location 52.52, 13.40")
    assert "Time zone set: Berlin, Germany" in set_by_location


async def test_a_document_is_saved_and_named(terminal: Terminal, tmp_path: Path) -> None:
    await terminal.type("/start")
    shown = await terminal.type("/export")
    [saved] = terminal.chat.saved
    assert saved.parent == tmp_path and saved.name.startswith("my-anastrozole-data-Anna-")
    size = saved.stat().st_size
    assert f"file: {saved.name} ({size} bytes) saved to {saved}" in shown
    assert size > 0


async def test_an_earlier_messages_buttons_stay_pressable(terminal: Terminal) -> None:
    await anna_with_a_reminder(terminal)
    reminder = await terminal.type("/clock 08:00")
    tag = re.search(r"\(#(\d+)\)", reminder)
    assert tag, reminder
    assert "(#" in await terminal.type("/invite")  # a newer message with buttons
    assert "Taken at 08:00" in await terminal.type(f"#{tag.group(1)} 1")
    assert "There is no message #99" in await terminal.type("#99 1")


async def test_a_second_file_of_the_same_name_is_kept_too(
    terminal: Terminal, tmp_path: Path
) -> None:
    await terminal.type("/start", "/export", "/export")
    first, second = terminal.chat.saved
    assert first.parent == tmp_path and first.name.startswith("my-anastrozole-data-Anna-")
    assert second == first.with_name(first.name.replace(".json", "~2.json"))
    assert first.exists() and second.exists()


def test_telegram_html_becomes_styled_terminal_text() -> None:
    text = telegram_html('<b>Taken</b> &amp; <i>on time</i>: <a href="https://x.org/a">guide</a>')
    assert fragment_list_to_text(text) == "Taken & on time: guide (https://x.org/a)"
    assert ("bold", "Taken") in text
    assert ("italic", "on time") in text
    quoted = telegram_html("<blockquote>one\ntwo</blockquote>")
    assert fragment_list_to_text(quoted) == "│ one\n│ two"
    rows = {"inline_keyboard": [[{"text": "A"}, {"text": "B"}], [{"text": "C"}]]}
    assert fragment_list_to_text(keyboard(rows)) == "[1] A  [2] B\n[3] C\n"
    reply = {"keyboard": [["Yes", {"text": "📍 Where", "request_location": True}]]}
    assert fragment_list_to_text(keyboard(reply)) == "[1] Yes  [2] 📍 Where\n"
    assert fragment_list_to_text(keyboard({"remove_keyboard": True})) == ""


ROOT = Path(__file__).resolve().parents[1]
SCRIPT = """\
# Anna sets a reminder, takes her tablet, invites Carol; next day she forgets.
/start
/timezone Europe/Berlin
/remind 08:00
/clock 08:00
1
/invite
/as caregiver
/open
1
/as patient
/clock +1d4h
"""


def run_try(cwd: Path, script: str = SCRIPT, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot try` with no token and every proxy pointing at a closed port, so any
    attempt to reach the network would fail."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DATABASE_"))}
    closed = "http://127.0.0.1:9"
    proxies = {"HTTP_PROXY": closed, "HTTPS_PROXY": closed, "ALL_PROXY": closed}
    return subprocess.run(
        [sys.executable, "-m", "bot", "try"],
        cwd=cwd,
        env={**clean, **proxies, **env},
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_try_starts_with_no_token_and_no_network(tmp_path: Path) -> None:
    # A .env beside it is a real bot's configuration: trying must not read it.
    (tmp_path / ".env").write_text("DATABASE_PATH=real.db\nTELEGRAM_BOT_TOKEN=1:REAL\n")
    done = run_try(tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "✅ Taken at 08:00" in done.stdout
    assert "You now follow Anna's reminders" in done.stdout
    assert ALERT in done.stdout
    assert not (tmp_path / "real.db").exists()
    data = re.search(r"^Data: (.+)$", done.stdout, re.MULTILINE)
    assert data and not Path(data.group(1)).exists()  # the temporary folder is gone


def test_make_try_keeps_its_data_where_database_path_says(tmp_path: Path) -> None:
    done = run_try(tmp_path, DATABASE_PATH=str(tmp_path / "trial.db"))
    assert done.returncode == 0, done.stderr
    assert f"Data: {tmp_path / 'trial.db'}" in done.stdout
    assert (tmp_path / "trial.db").stat().st_size > 0


def test_make_has_a_try_target() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^try: install\n\t\$\(BIN\)/python -m bot try$", makefile, re.MULTILINE)


def test_make_try_never_floods_and_keeps_the_files_it_was_sent(tmp_path: Path) -> None:
    """Thirty quick messages in a row are all answered (flood control would wait for a
    minute the simulated clock never lets pass), and an export outlives the session."""
    done = run_try(tmp_path, "/start\n" + "what is the dose\n" * 30 + "/export\n")
    assert done.returncode == 0, done.stderr
    assert "Flood control is off here" in done.stdout
    assert en("flood_slow_down") not in done.stdout
    assert done.stdout.count("bot → Anna") >= 31
    kept = re.search(r"^The files the bot sent are kept in (.+)$", done.stdout, re.MULTILINE)
    assert kept, done.stdout[-500:]
    [saved] = Path(kept.group(1)).glob("my-anastrozole-data-Anna-*.json")
    assert saved.stat().st_size > 0


async def test_a_week_of_mixed_schedules_in_make_try(terminal: Terminal) -> None:
    """`make try` walks a week of her medicines: a daily one every morning in one message
    with anastrozole's reminder (the same minute), and a weekly one only on its day, at its
    own time."""
    await anna_with_a_reminder(terminal)
    await terminal.type("/addmedicine Calcium", "1", "08:00")  # every day (button 1)
    shown = await terminal.type("/addmedicine Alendronic acid")
    tag = re.findall(r"\(#(\d+)\)", shown)[-1]
    await terminal.type(f"#{tag} 2", "Sunday", "07:30")  # on certain weekdays
    shown = await terminal.type("/clock +7d")
    assert shown.count("time for your medicines") == 8  # 7 mornings of calcium, 1 Sunday
    sunday = shown[shown.index("── Sun 08 Mar 07:30") :]
    assert "Alendronic acid" in sunday.split("──")[1]
    mornings = shown.split("time for your medicines, Anna")[1:]  # her 08:00 messages
    assert len(mornings) == 7 and all("• Anastrozole" in m.split("──")[0] for m in mornings)
    assert shown.count(REMINDER) == 0  # never a second message at the same minute
