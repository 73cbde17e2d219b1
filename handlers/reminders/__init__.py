"""Reminders: the daily dose (commands.py: /remind, /history, /pills, the dose buttons and
words), its event kinds (kinds.py) and her time zone (timezone.py)."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from handlers.reminders import commands, timezone


def register(app: Any, services: Services) -> None:
    commands.register(app, services)
    timezone.register(app, services)
