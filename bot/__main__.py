"""`python -m bot`: read settings, build the application, poll until stopped."""

from __future__ import annotations

import logging
import sys

from telegram.error import InvalidToken

from bot.content import ContentError
from bot.i18n import CatalogError
from bot.settings import load_settings


def main() -> int:
    settings = load_settings()
    from bot.errors import configure_logging

    configure_logging(settings.log_level)
    from bot.app import build_application

    try:
        app = build_application(settings)
    except (ContentError, CatalogError) as exc:
        print(f"error: content: {exc}", file=sys.stderr)
        return 2
    logging.getLogger(__name__).info("starting; database %s", settings.database_path)
    try:
        app.run_polling(allowed_updates=["message", "callback_query"], drop_pending_updates=False)
    except InvalidToken:  # its message quotes the token: never print it
        print(
            "error: TELEGRAM_BOT_TOKEN was refused by Telegram (see .env.example)", file=sys.stderr
        )
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
