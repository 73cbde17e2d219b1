"""Pure parsing of what a patient types: a time of day, and a time-zone name or place.

Zone names come from the IANA database shipped with the `tzdata` package, so a city or
country resolves offline: `Berlin` -> Europe/Berlin, `India` -> Asia/Kolkata,
`Australia` -> several zones (the caller offers buttons).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import time
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

_TIME = re.compile(
    r"^(?P<hour>\d{1,2})(?:\s*[:.h]\s*(?P<minute>\d{2}))?\s*(?P<half>[ap])?\.?\s*(?:m\.?)?$"
)
_COUNTRY_ALIASES = {
    "usa": "US",
    "us": "US",
    "america": "US",
    "united states of america": "US",
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "holland": "NL",
    "russia": "RU",
}
# Zones that most of the world's people use, offered as buttons; ordered west to east.
COMMON_ZONES = (
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Athens",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
)


def parse_time(text: str) -> time | None:
    """`8:30`, `08:30`, `8.30`, `8am`, `8:30 pm`, `20h15` -> a time; None if not a time."""
    match = _TIME.match(text.strip().lower())
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = match["half"]
    if half is not None:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def format_time(at: time) -> str:
    return f"{at.hour:02d}:{at.minute:02d}"


def _key(text: str) -> str:
    """Compare places without case, accents, spaces or punctuation: 'São Paulo' = 'sao_paulo'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", plain.lower())


@cache
def _zones() -> tuple[str, ...]:
    names = available_timezones()
    return tuple(sorted(z for z in names if "/" in z and z[0].isupper() and z[:4] != "Etc/"))


def _tab(name: str) -> list[list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _places() -> dict[str, tuple[str, ...]]:
    """Every way to name a place -> its zones: full zone name, city part, country."""
    places: dict[str, list[str]] = {}

    def add(name: str, zone: str) -> None:
        zones = places.setdefault(_key(name), [])
        if zone not in zones:
            zones.append(zone)

    add("UTC", "UTC")
    for zone in _zones():
        add(zone, zone)
        add(zone.rsplit("/", 1)[-1], zone)
    country_names = {row[0]: row[1] for row in _tab("iso3166.tab")}
    by_country: dict[str, list[str]] = {}
    for row in _tab("zone.tab"):
        by_country.setdefault(row[0], []).append(row[2])
    # zone1970.tab leaves out zones that differ only before 1970 (Europe/Busingen ...).
    modern = {row[2] for row in _tab("zone1970.tab")}
    for code, zones in by_country.items():
        by_country[code] = [z for z in zones if z in modern] or zones
    aliases = [(name, code) for code, name in country_names.items()]
    aliases += [(alias, code) for alias, code in _COUNTRY_ALIASES.items()]
    for name, code in aliases:
        for zone in by_country.get(code, []):
            add(name, zone)
    return {key: tuple(zones) for key, zones in places.items()}


def prepare() -> None:
    """Read the zone and country tables now (tens of milliseconds from disk, more when the
    files are cold) rather than on her first `/timezone <city>` (places.prepare)."""
    _places()


def find_zones(text: str) -> tuple[str, ...]:
    """The IANA zones a name means: one when it is clear, several to choose from, or none.

    Several come main zones first (America/Chicago before America/Indiana/Vevay)."""
    key = _key(text[:100])
    if not key:
        return ()
    return tuple(sorted(_places().get(key, ()), key=lambda zone: zone.count("/")))


_FIXED = re.compile(r"Etc/GMT[+-](?:[1-9]|1[0-4])")


def is_zone(name: str) -> bool:
    """A zone the bot offers: a place's zone, UTC, or a fixed offset (Etc/GMT-1 = UTC+1)."""
    return name in _zones() or name == "UTC" or bool(_FIXED.fullmatch(name))
