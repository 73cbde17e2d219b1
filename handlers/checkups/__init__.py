"""Check-ups: bone scans and cholesterol tests (commands.py: rules, planning, event kinds,
buttons and commands) and the course of treatment (course.py: start date, progress,
anniversaries, the calendar file)."""

from __future__ import annotations

from typing import Any

from bot.services import Services
from handlers.checkups import commands, course


def register(app: Any, services: Services) -> None:
    commands.register(app, services)
    course.register(app, services)
