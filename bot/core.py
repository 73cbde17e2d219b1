"""What a use case needs (settings, database, clock, her language and zone, interface text,
other features' data through bot/queries.py), without Telegram: use cases take a Core, so
import-linter can check that they never reach Telegram, even indirectly. Services
(bot/services.py) is a Core with the framework's Telegram side added."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlite_utils import Database

from bot.pure.clock import Clock
from bot.pure.content import Library
from bot.pure.dates import Names
from bot.pure.i18n import Catalog
from bot.pure.timerules import local_date
from bot.queries import Queries
from bot.settings import Settings
from db import people

# Invisible marks that change the direction of the text around them (Unicode bidi classes).
DIRECTION_MARKS = {"LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
RIGHT_TO_LEFT = {"R", "AL"}


@dataclass(eq=False)
class Core:
    settings: Settings
    db: Database
    clock: Clock
    catalog: Catalog
    library: Library
    queries: Queries

    def language(self, chat_id: int) -> str:
        """Her language (English until she has one)."""
        return people.language(self.db, chat_id) or "en"

    def zone(self, chat_id: int) -> ZoneInfo:
        """Her time zone, UTC until she sets one."""
        person = people.get(self.db, chat_id)
        return ZoneInfo(person.timezone) if person and person.timezone else ZoneInfo("UTC")

    def text(self, chat_id: int, key: str, **values: Any) -> str:
        """Interface text for key in the language of the person in chat_id."""
        return self.catalog.text(self.language(chat_id), key, **values)

    def weekday(self, chat_id: int, day: date) -> str:
        """A day of this week with its weekday, in her language (Tue 3 March)."""
        return self.catalog.weekday(self.language(chat_id), day)

    def say(self, chat_id: int) -> Callable[..., str]:
        """Plain text in her language (buttons, pictures, the PDF: no HTML there). Her
        language is read once, here: what it is handed to may run in a worker thread, which
        must not touch the database."""
        language = self.language(chat_id)

        def say(key: str, **values: Any) -> str:
            return self.catalog.label(language, key, **values)

        return say

    def names(self, chat_id: int) -> Names:
        """Month names and words for days in her language, to read the dates she types."""
        return self.catalog.names(self.language(chat_id))


def label(core: Core, chat_id: int, key: str, **values: Any) -> str:
    """Plain text (a button, a value filled into a template): no HTML escaping."""
    return core.catalog.label(core.language(chat_id), key, **values)


def file_name(core: Core, chat_id: int, key: str, **values: Any) -> str:
    """A file she is sent, named by `key` in her language, with her first name and her local
    today ({name}, {day}): her Russian report, her daughter's English one and last month's
    never overwrite one another in a downloads folder."""
    person = people.get(core.db, chat_id)
    words = re.findall(r"[^\W_]+", person.first_name if person else "")[:3]
    name = "-".join(words) or label(core, chat_id, "file_name_nobody")
    day = local_date(core.clock.now(), core.zone(chat_id)).isoformat()
    return label(core, chat_id, key, name=name, day=day, **values)


def isolated(name: str) -> str:
    """A name that can't turn the sentence around it: direction marks dropped, and a name
    written right to left (Arabic, Hebrew ...) wrapped in a first-strong isolate."""
    name = "".join(c for c in name if unicodedata.bidirectional(c) not in DIRECTION_MARKS)
    if any(unicodedata.bidirectional(c) in RIGHT_TO_LEFT for c in name):
        return f"\u2068{name}\u2069"
    return name


def name_of(core: Core, chat_id: int, reader: int) -> str:
    """A person's first name as shown to `reader` (plain text; escaped when filled in)."""
    person = people.get(core.db, chat_id)
    name = isolated(person.first_name) if person else ""
    return name or label(core, reader, "caregivers_someone")
