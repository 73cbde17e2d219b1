"""Telegram HTML and inline keyboards as terminal text (prompt_toolkit fragments)."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser
from typing import Any

from prompt_toolkit.formatted_text import FormattedText

# Telegram's tags (what content/ may use) as terminal styles.
STYLES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strike",
    "strike": "strike",
    "del": "strike",
    "code": "fg:ansigreen",
    "pre": "fg:ansigreen",
    "a": "fg:ansicyan underline",
    "tg-spoiler": "reverse",
    "blockquote": "fg:ansiyellow",
}


class _Fragments(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.fragments: list[tuple[str, str]] = []
        self._open: list[tuple[str, str]] = []  # (tag, style)
        self._links: list[str] = []

    def _style(self) -> str:
        return " ".join(style for _, style in self._open if style)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._open.append((tag, STYLES.get(tag, "")))
        if tag == "a":
            self._links.append(dict(attrs).get("href") or "")
        if tag == "blockquote":
            self.fragments.append((self._style(), "│ "))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break
        if tag == "a" and self._links:
            href = self._links.pop()
            shown = self.fragments[-1][1] if self.fragments else ""
            if href and href != shown:
                self.fragments.append(("fg:ansicyan", f" ({href})"))

    def handle_data(self, data: str) -> None:
        if any(tag == "blockquote" for tag, _ in self._open):
            data = data.replace("\n", "\n│ ")
        self.fragments.append((self._style(), data))


def telegram_html(text: str) -> FormattedText:
    """Bold, italic, links (with their address), code, quotes and spoilers, styled."""
    parser = _Fragments()
    parser.feed(text)
    parser.close()
    return FormattedText(parser.fragments)


def rows(markup: Any) -> list[list[dict[str, Any]]]:
    """The rows of an inline keyboard, or of a reply keyboard (whose buttons may be bare text)."""
    if not isinstance(markup, dict):
        return []
    found = markup.get("inline_keyboard") or markup.get("keyboard") or []
    return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in found]


def buttons(markup: Any) -> list[dict[str, Any]]:
    """The keyboard's buttons in reading order (left to right, top to bottom)."""
    return [button for row in rows(markup) for button in row]


def keyboard(markup: Any) -> FormattedText:
    """`[1] Taken  [2] Snooze` with one line per keyboard row; empty without buttons."""
    fragments: list[tuple[str, str]] = []
    number = itertools.count(1)
    for row in rows(markup):
        cells = [f"[{next(number)}] {button.get('text', '')}" for button in row]
        fragments.append(("fg:ansimagenta bold", "  ".join(cells) + "\n"))
    return FormattedText(fragments)
