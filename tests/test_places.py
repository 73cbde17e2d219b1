"""Places as people name them: the pure lookup, and through the real application."""

from __future__ import annotations

import pytest

from bot.pure.places import find_places, zone_label
from bot.services import Services
from tests.support import Person


@pytest.mark.parametrize(
    ("typed", "zone", "label"),
    [
        ("Leeds", "Europe/London", "Leeds, United Kingdom"),
        ("Glasgow", "Europe/London", "Glasgow, United Kingdom"),
        ("Mumbai", "Asia/Kolkata", "Mumbai, India"),
        ("Delhi", "Asia/Kolkata", "Delhi, India"),
        ("londn", "Europe/London", "London, United Kingdom"),  # a typo
        ("Москва", "Europe/Moscow", "Moscow, Russia"),  # local spelling
        ("Казани", "Europe/Moscow", "Kazan, Russia"),  # another case
        ("в Казани", "Europe/Moscow", "Kazan, Russia"),  # with its preposition
        ("во Владивостоке", "Asia/Vladivostok", "Vladivostok, Russia"),
        ("München", "Europe/Berlin", "Munich, Germany"),
        ("EST", "Etc/GMT+5", "UTC−05:00"),
        ("GMT+1", "Etc/GMT-1", "UTC+01:00"),
        ("UTC+5:30", "Asia/Kolkata", "UTC+05:30"),
    ],
)
def test_a_place_as_people_name_it(typed: str, zone: str, label: str) -> None:
    [place] = find_places(typed)
    assert (place.zone, place.label) == (zone, label)
    assert place.fixed == (label.startswith("UTC"))


def test_a_name_shared_by_big_cities_offers_each() -> None:
    places = find_places("Manchester")
    assert [p.label for p in places][:2] == [
        "Manchester, United Kingdom",
        "Manchester, United States",
    ]
    assert [p.label for p in find_places("Moscow")] == ["Moscow, Russia"]  # Idaho is too small


@pytest.mark.parametrize("typed", ["Xyzzyville", "mars", "", "?!", "UTC+25"])
def test_no_place_is_none(typed: str) -> None:
    assert find_places(typed) == ()


def test_zone_labels() -> None:
    assert zone_label("America/Metlakatla") == "Metlakatla, United States"
    assert zone_label("Asia/Singapore") == "Singapore"
    assert zone_label("Etc/GMT-1") == "UTC+01:00"


async def test_timezone_by_city_offset_and_typo(anna: Person, services: Services) -> None:
    [answer, *_] = await anna.send("/timezone Leeds")
    assert "Leeds, United Kingdom" in answer
    assert services.zone(anna.chat_id).key == "Europe/London"
    [answer] = await anna.send("/timezone Manchester")
    assert anna.buttons()["Manchester, United Kingdom"] == "rem:zone:Europe/London"
    [answer, *_] = await anna.send("/timezone GMT+1")
    assert "UTC+01:00" in answer and "daylight saving" in answer
    assert services.zone(anna.chat_id).key == "Etc/GMT-1"
    texts = await anna.press("rem:zone:Etc/GMT-1")  # its button works too
    assert any("UTC+01:00" in t for t in texts)


async def test_i_live_in_leeds_is_a_place_not_a_question(anna: Person, services: Services) -> None:
    [answer] = await anna.send("I live in Leeds")
    assert "local time there" in answer
    assert anna.buttons()["Leeds, United Kingdom"] == "rem:zone:Europe/London"
    assert services.zone(anna.chat_id).key == "UTC"  # nothing set before she taps
    await anna.press("rem:zone:Europe/London")
    assert services.zone(anna.chat_id).key == "Europe/London"


async def test_living_somewhere_unknown_is_still_answered(anna: Person) -> None:
    answer = await anna.send("I live in fear of side effects")
    assert not any("local time there" in a for a in answer)
