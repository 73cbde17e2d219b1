"""`python -m bot try`: the production application, offline, with a chat in the terminal.

No token and no network: the Bot API is the in-process stand-in. The database is in a
temporary folder (gone when you leave) unless DATABASE_PATH is set in the environment; a
`.env` file is not read, so trying never touches a real bot's data. Files the bot sends (a
chart, a report, an export) are kept in a folder of their own, named when you leave.
Flood control is off: the simulated clock moves only when told to, so a limit per minute
would never refill (said so on entry).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.formatted_text import FormattedText, fragment_list_to_text

from bot.pure.content import ContentError
from bot.pure.i18n import CatalogError
from bot.settings import load_settings
from bot.trial.clock import FakeClock
from bot.trial.session import HELP, TrialChat
from bot.trial.standin import TOKEN, TrialRequest

if TYPE_CHECKING:
    from bot.app import App

# Builds the production application on the stand-in and the clock; given by the composition
# root (bot/__main__.py), which alone knows the features.
Build = Callable[[Any, TrialRequest, FakeClock], "App"]

WELCOME = """\
Trying the anastrozole companion: the real bot, offline, with a clock you move.
You are Anna, who takes anastrozole; Carol can follow her as a caregiver.
Write as you would in Telegram: /start, /remind 08:00, /invite, or a question.
(Flood control is off here: the clock moves only when you move it.)"""


def run_trial(args: argparse.Namespace, build: Build) -> int:
    """Chat until she leaves; the temporary folder goes with the session, the files she was
    sent stay (their folder is named on leaving)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    kept = Path(tempfile.gettempdir()) / f"companion-try-files-{stamp}"
    with tempfile.TemporaryDirectory(prefix="companion-try-") as folder:
        overrides: dict[str, Any] = {
            "telegram_bot_token": TOKEN,
            "_env_file": None,
            "flood_per_minute": 0,
        }
        if not os.environ.get("DATABASE_PATH"):
            overrides["database_path"] = Path(folder) / "bot.db"
        settings = load_settings(**overrides)
        start = datetime.now(UTC).replace(second=0, microsecond=0)
        lines = _script(args.script or ("" if sys.stdin.isatty() else "-"))
        try:
            return asyncio.run(_run(build, settings, FakeClock(start), kept, lines, args.language))
        except (ContentError, CatalogError) as exc:
            print(f"error: content: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:  # Ctrl-C while the clock runs: leave without a traceback
            return 130


def _script(name: str) -> Iterable[str] | None:
    """The lines to type instead of the keyboard: a file, piped standard input, or none."""
    if not name:
        return None
    return sys.stdin if name == "-" else Path(name).read_text(encoding="utf-8").splitlines()


async def _run(
    build: Build,
    settings: Any,
    clock: FakeClock,
    folder: Path,
    lines: Iterable[str] | None,
    language: str,
) -> int:
    request = TrialRequest()
    app = build(settings, request, clock)
    async with app:
        await app.post_init(app)  # type: ignore[misc]
        chat = TrialChat(app, request, clock, folder, _print, language)
        request.clear()  # getMe and the menus: nothing to show
        chat.say(WELCOME, "bold")
        chat.say(HELP)
        chat.say(f"Data: {settings.database_path}", "")
        source = _typed(chat) if lines is None else _scripted(chat, lines)
        async for line in source:
            if not await chat.handle(line):
                break
        if chat.saved:
            chat.say(f"The files the bot sent are kept in {folder}", "bold")
    return 0


async def _typed(chat: TrialChat) -> AsyncIterator[str]:
    session: PromptSession[str] = PromptSession()
    while True:
        try:
            yield await session.prompt_async(chat.prompt())
        except (EOFError, KeyboardInterrupt):
            return


async def _scripted(chat: TrialChat, lines: Iterable[str]) -> AsyncIterator[str]:
    """Each line as if typed (shown after the prompt); `#` lines are comments."""
    for line in lines:
        if line.strip().startswith("#"):
            continue
        _print(FormattedText([*chat.prompt(), ("", line.rstrip("\n") + "\n")]))
        yield line


def _print(text: FormattedText) -> None:
    if sys.stdout.isatty():
        print_formatted_text(text, end="")
    else:
        sys.stdout.write(fragment_list_to_text(text))
        sys.stdout.flush()
