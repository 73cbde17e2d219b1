"""Telegram-facing code, one home per feature (a module, or a package when it has grown).
Each exposes register(app, services); none imports another (see pyproject, import-linter)."""

from __future__ import annotations

from types import ModuleType

from handlers import (
    account,
    admin,
    caregivers,
    checkups,
    diary,
    info,
    language,
    medicines,
    reminders,
    smalltalk,
)

# Order matters only for /help groups and for handlers that claim the same updates.
FEATURES: list[ModuleType] = [
    account,
    info,
    language,
    reminders,
    medicines,
    caregivers,
    checkups,
    admin,
    diary,
    smalltalk,
]
