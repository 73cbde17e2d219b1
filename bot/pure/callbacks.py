"""One typed codec for the callback data of every button (in the spirit of aiogram's
CallbackData): a button's data is a small frozen class with a prefix and typed fields,

    class DoseButton(CallbackData, prefix="rem"):
        action: Literal["take", "skip", "snooze"]
        day: date
        minutes: Annotated[int, Digits(3)] | None = None

packed as "rem:take:2026-03-01" and unpacked by `DoseButton.unpack(data)`, which returns
None for anything malformed (a forged or garbled press gets the friendly "expired" answer
from its handler). The longest data a class can pack is worked out when the class is
defined: over Telegram's 64 bytes, the class is refused at import, not at a press.

Fields: `Literal[...]` of strings, `int` (at most 18 digits and a sign: a forged number
never overflows SQLite's integers), `Annotated[int, Digits(n)]` (n digits, not negative),
`date` (ISO), `Annotated[str, Text(n)]` (n ASCII characters of a safe set, never ":"),
each optionally `| None` (packed empty; trailing empty fields are left out). A class whose
first field is a Literal claims "prefix:<choice>" for each choice, so several classes can
share a prefix (a feature's); a prefix may also name an action itself ("diary:pick"); two
classes never claim the same data. A class may check its fields together in
`__post_init__` (raise ValueError).
No Telegram here: a pure module."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import (
    Annotated,
    Any,
    ClassVar,
    Literal,
    Self,
    Union,
    dataclass_transform,
    get_args,
    get_origin,
    get_type_hints,
)

LIMIT = 64  # bytes: Telegram's limit on callback data
SEP = ":"
_INT = 19  # up to 18 digits and a sign: always inside SQLite's 64-bit integers


@dataclass(frozen=True)
class Digits:
    """An int field of at most `size` digits, never negative."""

    size: int


@dataclass(frozen=True)
class Text:
    """A str field of 1 to `size` characters of `chars` (ASCII, never the separator), or
    matching `shape` (a regex of at most `size` such characters) when given."""

    size: int
    chars: str = r"A-Za-z0-9_\-+/.="
    shape: str = ""


DAY = Text(10, shape=r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # an ISO day kept as text: 2026-03-01


@dataclass(frozen=True)
class _Field:
    name: str
    size: int  # the most bytes it packs to
    optional: bool
    parse: Callable[[str], Any]  # raises ValueError for anything malformed
    show: Callable[[Any], str]
    choices: tuple[str, ...] = ()


def _matching(pattern: str, convert: Callable[[str], Any]) -> Callable[[str], Any]:
    compiled = re.compile(pattern)

    def parse(text: str) -> Any:
        if not compiled.fullmatch(text):
            raise ValueError("malformed field")
        return convert(text)

    return parse


def _field(name: str, hint: Any) -> _Field:
    optional = False
    if get_origin(hint) in (Union, types.UnionType):
        args = [a for a in get_args(hint) if a is not type(None)]
        if len(args) != 1 or len(get_args(hint)) != 2:
            raise TypeError(f"field {name}: only `X | None` unions are callback data")
        hint, optional = args[0], True
    extra: tuple[Any, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *rest = get_args(hint)
        extra = tuple(rest)
    if get_origin(hint) is Literal:
        choices = tuple(get_args(hint))
        if not all(isinstance(c, str) and c and SEP not in c for c in choices):
            raise TypeError(f"field {name}: Literal choices must be strings without {SEP!r}")

        def choose(text: str) -> str:
            if text not in choices:
                raise ValueError("not a choice")
            return text

        return _Field(name, max(len(c.encode()) for c in choices), optional, choose, str, choices)
    if hint is bool:
        raise TypeError(f"field {name}: say what a bool means with a Literal")
    if hint is int:
        digits = next((e for e in extra if isinstance(e, Digits)), None)
        if digits is None:
            return _Field(name, _INT, optional, _matching(r"0|-?[1-9][0-9]{0,17}", int), str)
        shape = f"0|[1-9][0-9]{{0,{digits.size - 1}}}"  # no leading zeros: one text per number
        return _Field(name, digits.size, optional, _matching(shape, int), str)
    if hint is date:
        iso = _matching(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", date.fromisoformat)
        return _Field(name, 10, optional, iso, date.isoformat)
    if hint is str:
        text = next((e for e in extra if isinstance(e, Text)), None)
        if text is None:
            raise TypeError(f"field {name}: a str field needs Annotated[str, Text(size)]")
        return _Field(
            name, text.size, optional, _matching(f"[{text.chars}]{{1,{text.size}}}", str), str
        )
    raise TypeError(f"field {name}: {hint!r} is not a callback data type")


_HEADS: dict[str, str] = {}  # the data each class claims (its heads) -> the class's name


def _claim(cls: type[CallbackData]) -> None:
    owner = f"{cls.__module__}.{cls.__qualname__}"
    first = cls._fields[0] if cls._fields else None
    heads = (
        [f"{cls.prefix}{SEP}{c}" for c in first.choices]
        if first is not None and first.choices and not first.optional
        else [cls.prefix]
    )
    for head in heads:
        for known, other in _HEADS.items():
            clash = head == known or head.startswith(known + SEP) or known.startswith(head + SEP)
            if clash and other != owner:
                raise TypeError(f"{owner}: callback data {head!r} is already {other}'s")
    _HEADS.update(dict.fromkeys(heads, owner))
    cls.heads = tuple(heads)


@dataclass_transform(frozen_default=True)
class CallbackData:
    """A button's callback data: subclass with `prefix=` and typed fields (see the module)."""

    prefix: ClassVar[str]
    heads: ClassVar[tuple[str, ...]]
    _fields: ClassVar[tuple[_Field, ...]]

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not all(prefix.split(SEP)):
            raise TypeError(f"{cls.__name__}: a prefix is one or more words joined by {SEP!r}")
        dataclass(frozen=True)(cls)
        cls.prefix = prefix
        hints = get_type_hints(cls, include_extras=True)
        cls._fields = tuple(_field(f.name, hints[f.name]) for f in fields(cls))  # type: ignore[arg-type]
        size = len(prefix.encode()) + sum(len(SEP) + f.size for f in cls._fields)
        if size > LIMIT:
            raise TypeError(
                f"{cls.__name__}: its callback data can take {size} bytes; Telegram takes {LIMIT}"
            )
        _claim(cls)

    def pack(self) -> str:
        parts = [self.prefix]
        parts += ["" if (v := getattr(self, f.name)) is None else f.show(v) for f in self._fields]
        while parts[-1] == "" and len(parts) > 1:
            parts.pop()
        return SEP.join(parts)

    @classmethod
    def unpack(cls, data: str | object) -> Self | None:
        """The press `data` means, or None for anything malformed, forged or not this class's.
        Only data as `pack` writes it is read (no leading zeros, no trailing separator)."""
        if not isinstance(data, str) or len(data.encode()) > LIMIT:
            return None
        if (data != cls.prefix and not data.startswith(cls.prefix + SEP)) or data.endswith(SEP):
            return None
        parts = data[len(cls.prefix) + 1 :].split(SEP) if data != cls.prefix else []
        if len(parts) > len(cls._fields):
            return None
        parts += [""] * (len(cls._fields) - len(parts))
        values: dict[str, Any] = {}
        try:
            for field, part in zip(cls._fields, parts, strict=True):
                if part == "" and not field.optional:
                    return None
                values[field.name] = None if part == "" else field.parse(part)
            return cls(**values)
        except (ValueError, TypeError):
            return None

    @classmethod
    def pattern(cls) -> str:
        """A regex for CallbackQueryHandler: the data this class claims."""
        return pattern(cls)


def pattern(*classes: type[CallbackData]) -> str:
    """A regex matching the data of any of `classes` (a feature's buttons, one handler)."""
    heads = sorted({re.escape(h) for c in classes for h in c.heads}, key=len, reverse=True)
    return f"^(?:{'|'.join(heads)})(?:{SEP}|$)"


def unpack(data: str | object, *classes: type[CallbackData]) -> CallbackData | None:
    """The first of `classes` that reads `data`, or None."""
    for cls in classes:
        press = cls.unpack(data)
        if press is not None:
            return press
    return None
