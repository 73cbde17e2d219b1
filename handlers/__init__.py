"""Telegram-facing code, one home per feature (a module, or a package when it has grown).
Each exposes register(app, services); none imports another (see pyproject, import-linter):
what one reads of another's data goes through bot/queries.py, answered as QUERIES says."""

from __future__ import annotations

from types import ModuleType

from bot.queries import Queries
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
from handlers.caregivers.queries import Links
from handlers.checkups.queries import Checkups
from handlers.diary.queries import Symptoms
from handlers.medicines.queries import Injections, Medicines
from handlers.reminders.queries import Doses

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

# Who answers what one feature may read of another's data (the owner of its tables).
QUERIES = Queries(
    doses=Doses(),
    symptoms=Symptoms(),
    checkups=Checkups(),
    links=Links(),
    injections=Injections(),
    medicines=Medicines(),
)
