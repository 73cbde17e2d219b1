"""The one callback-data codec (bot/pure/callbacks.py): typed fields both ways, forged or garbled
data read as nothing, and Telegram's 64 bytes checked when a class is defined."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.pure.callbacks import LIMIT, CallbackData, Digits, Text, pattern, unpack


class Dose(CallbackData, prefix="tcodec"):
    action: Literal["take", "snooze"]
    day: date
    minutes: Annotated[int, Digits(3)] | None = None


class Other(CallbackData, prefix="tcodec"):
    action: Literal["zone"]
    zone: Annotated[str, Text(40)]


class Whole(CallbackData, prefix="twhole"):
    chat: int
    issued: int


def test_packs_and_unpacks_typed_fields() -> None:
    press = Dose("snooze", date(2026, 3, 1), 15)
    assert press.pack() == "tcodec:snooze:2026-03-01:15"
    assert Dose.unpack(press.pack()) == press
    assert Dose("take", date(2026, 3, 1)).pack() == "tcodec:take:2026-03-01"
    assert Dose.unpack("tcodec:take:2026-03-01") == Dose("take", date(2026, 3, 1))
    assert Whole.unpack(Whole(-1001, 7).pack()) == Whole(-1001, 7)
    assert unpack("tcodec:zone:Europe/London", Dose, Other) == Other("zone", "Europe/London")


@pytest.mark.parametrize(
    "data",
    [
        "",
        "tcodec",
        "tcodec:eat:2026-03-01",
        "tcodec:take:2026-02-30",
        "tcodec:take:yesterday",
        "tcodec:take:2026-03-01:-5",
        "tcodec:take:2026-03-01:1234",
        "tcodec:take:2026-03-01:015",
        "tcodec:take:2026-03-01:",
        "tcodec:take:2026-03-01:15:9",
        "tcodec:zone:Europe:London",
        "tcodec:zone:<b>",
        "twhole:1",
        "twhole:1:x",
        "twhole:" + "9" * 30 + ":1",
        "x" * 100,
    ],
)
def test_forged_or_garbled_data_is_nothing(data: str) -> None:
    assert unpack(data, Dose, Other, Whole) is None


@given(st.text(max_size=80))
def test_any_data_is_read_or_refused_never_raises(data: str) -> None:
    press = unpack(data, Dose, Other, Whole)
    assert press is None or press.pack() == data
    assert press is None or len(data.encode()) <= LIMIT


def test_the_64_bytes_are_checked_when_the_class_is_defined() -> None:
    with pytest.raises(TypeError, match="64"):

        class TooLong(CallbackData, prefix="ttoolong"):
            a: Annotated[str, Text(30)]
            b: Annotated[str, Text(30)]


def test_two_classes_never_claim_the_same_data() -> None:
    with pytest.raises(TypeError, match="already"):

        class Again(CallbackData, prefix="tcodec"):
            action: Literal["take"]

    with pytest.raises(TypeError, match="already"):

        class Everything(CallbackData, prefix="tcodec"):
            n: int


def test_untyped_fields_are_refused() -> None:
    with pytest.raises(TypeError, match="Text"):

        class Loose(CallbackData, prefix="tloose"):
            s: str


def test_the_pattern_matches_the_claimed_data_only() -> None:
    regex = re.compile(pattern(Dose, Other))
    assert regex.match("tcodec:take:2026-03-01")
    assert regex.match("tcodec:zone:UTC")
    assert not regex.match("tcodec:takes:1")
    assert not regex.match("twhole:1:2")
