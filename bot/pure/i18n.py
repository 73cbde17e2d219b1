"""Interface text per language, kept outside code in `content/<lang>/ui/*.yaml`.

A translation is a new folder: keys missing there fall back to English. Dates filled into
a text are shown in that language (Babel: "14 March 2027", "14 марта 2027").
"""

from __future__ import annotations

import html
import string
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.pure.content import read_yaml
from bot.pure.dates import Names, names_for, show, show_weekday

FALLBACK = "en"


class CatalogError(Exception):
    """A catalog file is broken; the message names the file."""


class Catalog:
    def __init__(self, texts: dict[str, dict[str, str]]) -> None:
        self._texts = texts
        self._names: dict[str, Names] = {}
        self._plain: dict[tuple[str, str], str] = {}

    @classmethod
    def load(cls, content_root: Path) -> Catalog:
        texts: dict[str, dict[str, str]] = {}
        for folder in sorted(p for p in content_root.iterdir() if (p / "ui").is_dir()):
            merged: dict[str, str] = {}
            for path in sorted((folder / "ui").glob("*.yaml")):
                merged.update(_read(path, merged))
            texts[folder.name] = merged
        if FALLBACK not in texts:
            raise CatalogError(f"{content_root}/{FALLBACK}/ui: no interface text found")
        english = texts[FALLBACK]
        for language, entries in texts.items():
            unknown = set(entries) - set(english)
            if unknown:
                raise CatalogError(f"{language}: keys not in English: {sorted(unknown)[:5]}")
            for key, template in entries.items():
                extra = fields(template, language, key) - fields(english[key], FALLBACK, key)
                if extra:
                    raise CatalogError(f"{language}: {key} uses {sorted(extra)}, not in English")
            days = entries.get("language_days")
            if days is not None and len(days.split()) != 3:
                raise CatalogError(f"{language}: language_days must be 3 words")
        return cls(texts)

    def languages(self) -> list[str]:
        return sorted(self._texts)

    def language_for(self, code: str | None) -> str:
        """Telegram's language_code ("pt-br") to a catalog language, English if none fits."""
        if code:
            base = code.lower().split("-")[0]
            if base in self._texts:
                return base
        return FALLBACK

    def text(self, language: str, key: str, **values: Any) -> str:
        """The text for key; values are HTML-escaped before they are filled in, and a date
        is shown in the text's language (14 March 2027, 14 марта 2027)."""
        template = self._texts.get(language, {}).get(key) or self._texts[FALLBACK][key]
        if not values:
            return template
        shown = self._shown
        return template.format(
            **{name: html.escape(shown(language, v), quote=False) for name, v in values.items()}
        )

    def label(self, language: str, key: str, **values: Any) -> str:
        """The same text as plain text (a button, a picture, a file name: no HTML there):
        its template unescaped once and kept, the values filled in as they are (a reminder's
        fan-out labels a button per medicine: docs/performance.md)."""
        plain = self._plain.get((language, key))
        if plain is None:
            plain = self._plain[language, key] = html.unescape(self.text(language, key))
        if not values:
            return plain
        return plain.format(**{name: self._shown(language, v) for name, v in values.items()})

    def _shown(self, language: str, value: Any) -> str:
        return show(value, self.names(language)) if type(value) is date else str(value)

    def weekday(self, language: str, day: date) -> str:
        """A day of this week with its weekday, in the language: Tue 3 March, вт 3 марта."""
        return show_weekday(day, self.names(language))

    def names(self, language: str) -> Names:
        """The language's month and weekday names and its words for today, yesterday and
        tomorrow, from its `language_*` texts."""
        found = self._names.get(language)
        if found is None:
            days = tuple(self.text(language, "language_days").lower().split())
            found = self._names[language] = names_for(language, days)
        return found


def fields(template: str, language: str, key: str) -> set[str]:
    """The {names} a template fills in; the code passes exactly English's, so a translation
    may use fewer but never others (that would fail only when someone reads it)."""
    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError as exc:
        raise CatalogError(f"{language}: {key}: broken {{field}} ({exc})") from exc


def _read(path: Path, seen: dict[str, str]) -> dict[str, str]:
    try:
        data = read_yaml(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise CatalogError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise CatalogError(f"{path}: must map each key to a text")
    clash = set(data) & set(seen)
    if clash:
        raise CatalogError(f"{path}: keys defined twice: {sorted(clash)[:5]}")
    return {str(k): v.strip() for k, v in data.items()}
