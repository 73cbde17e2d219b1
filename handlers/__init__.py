"""Telegram-facing code, one module per feature. Each exposes register(app, services)."""

from __future__ import annotations

from types import ModuleType

from handlers import (
    account,
    admin,
    caregivers,
    checkups,
    course,
    diary,
    info,
    language,
    reminders,
    smalltalk,
    timezone,
)

# Order matters only for /help groups and for handlers that claim the same updates.
FEATURES: list[ModuleType] = [
    account,
    info,
    language,
    reminders,
    timezone,
    caregivers,
    checkups,
    course,
    admin,
    diary,
    smalltalk,
]
