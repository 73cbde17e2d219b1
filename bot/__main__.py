"""`python -m bot`: run the bot (polling, or a webhook when one is set), or an operator's
command: `check` (settings, content, database; exit 0 or 2) and `backup PATH`; or `try`
it offline in the terminal (no token, no network: bot/trial/)."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from telegram.error import InvalidToken

from bot import trial
from bot.pure.content import ContentError
from bot.pure.i18n import CatalogError
from bot.settings import Settings, StoreSettings, load, load_settings

if TYPE_CHECKING:
    from bot.app import App
    from bot.trial.clock import FakeClock
    from bot.trial.standin import TrialRequest
    from bot.webhook import FrontDoor

ALLOWED_UPDATES = ["message", "callback_query"]
UMASK = 0o077  # every file and folder the process makes is its user's alone (health data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("check", help="check settings, content and database; exit 0 or 2")
    backup = commands.add_parser("backup", help="copy the database while the bot runs")
    backup.add_argument("path", type=Path, help="the file to write")
    backup.add_argument(
        "--keep", type=int, metavar="N", help="then keep only the N newest backups named like it"
    )
    trial.options(commands.add_parser("try", help="the bot offline in this terminal (no token)"))
    args = parser.parse_args(argv)
    os.umask(UMASK)
    if args.command == "backup":
        return _backup(args.path, args.keep)
    if args.command == "try":
        from bot.trial.terminal import run_trial

        return run_trial(args, _trial_app)
    settings = load_settings()
    if args.command == "check":
        return _check(settings)
    return _run(settings)


def _application(settings: Settings, **extra: Any) -> App:
    """The composition root: the only place that sees the framework and every feature."""
    from bot.app import build_application
    from handlers import FEATURES, QUERIES

    return build_application(settings, FEATURES, QUERIES, **extra)


def _trial_app(settings: Settings, request: TrialRequest, clock: FakeClock) -> App:
    return _application(settings, request=request, clock=clock)


def _backup(path: Path, keep: int | None) -> int:
    from bot.operations import run_backup

    store = load(StoreSettings)
    try:
        print(run_backup(store.database_path, path, keep))
    except (OSError, ValueError) as exc:
        print(f"error: backup: {exc}", file=sys.stderr)
        return 2
    return 0


def _check(settings: Settings) -> int:
    from bot.operations import CheckFailed, check

    try:
        print(check(settings))
    except CheckFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _run(settings: Settings) -> int:
    from bot.errors import configure_logging

    configure_logging(settings.log_level)
    from bot import scheduler

    # Start-up makes some 200,000 objects that live as long as the bot (the features, the
    # content's indexes): collecting garbage while they are made finds none and took a sixth
    # of the start; frozen, later collections skip them too.
    gc.disable()
    try:
        app = _application(settings)
    except (ContentError, CatalogError) as exc:
        print(f"error: content: {exc}", file=sys.stderr)
        return 2
    finally:
        gc.freeze()
        gc.enable()
    log = logging.getLogger(__name__)
    services = app.bot_data["services"]
    door = _front_door(app, settings) if settings.telegram_webhook_url else None
    if settings.metrics_port is not None and door is None:
        from bot.metrics import serve

        serve(services)
        log.info("metrics on %s:%d", settings.metrics_listen, settings.metrics_port)
    log.info("starting; database %s", settings.database_path)

    def stop(name: str) -> None:
        """SIGTERM (a deploy) or SIGINT: the tick claims nothing more and lets its sends
        finish; then PTB stops receiving updates, waits for the tick and shuts down."""
        log.info("%s: stopping", name)
        scheduler.stop(services)
        if door is not None:
            door.should_exit = True
        else:
            app.stop_running()

    loop = asyncio.new_event_loop()  # run_polling uses it (get_event_loop)
    asyncio.set_event_loop(loop)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig.name)
    try:
        if door is not None:
            log.info(
                "receiving updates by webhook on %s:%d",
                settings.webhook_listen,
                settings.webhook_port,
            )
            loop.run_until_complete(door.run_bot(ALLOWED_UPDATES))
        else:
            app.run_polling(
                allowed_updates=ALLOWED_UPDATES,
                drop_pending_updates=False,
                stop_signals=None,  # ours above, which stop the scheduler first
            )
    except InvalidToken:  # its message quotes the token: never print it
        print(
            "error: TELEGRAM_BOT_TOKEN was refused by Telegram (see .env.example)", file=sys.stderr
        )
        return 2
    return 0


def _front_door(app: App, settings: Settings) -> FrontDoor:
    """Webhook mode: our own server (bot/webhook.py), with the metrics when they are on."""
    from bot.metrics import scraper
    from bot.webhook import FrontDoor

    metrics = scraper(app.bot_data["services"]) if settings.metrics_port is not None else None
    return FrontDoor(app, settings, metrics)


if __name__ == "__main__":
    sys.exit(main())
