"""`python -m bot`: read settings, build the application, poll until stopped."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.content import ContentError
from bot.i18n import CatalogError
from bot.settings import load_settings


def main() -> int:
    settings = load_settings()
    from bot.errors import configure_logging

    configure_logging(settings.log_level)
    from bot import scheduler
    from bot.app import build_application

    try:
        app = build_application(settings)
    except (ContentError, CatalogError) as exc:
        print(f"error: content: {exc}", file=sys.stderr)
        return 2
    log = logging.getLogger(__name__)
    log.info("starting; database %s", settings.database_path)

    def stop(name: str) -> None:
        """SIGTERM (a deploy) or SIGINT: the tick claims nothing more and lets its sends
        finish; then PTB stops polling, waits for the tick and shuts down."""
        log.info("%s: stopping", name)
        scheduler.stop(app.bot_data["services"])
        app.stop_running()

    loop = asyncio.new_event_loop()  # run_polling uses it (asyncio.get_event_loop)
    asyncio.set_event_loop(loop)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop, sig.name)
    app.run_polling(
        allowed_updates=["message", "callback_query"],
        drop_pending_updates=False,
        stop_signals=None,  # ours above, which stop the scheduler first
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
