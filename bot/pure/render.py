"""A small Markdown subset to Telegram HTML: everything escaped, only tags Telegram accepts.

Supported: headings, paragraphs, `-` lists, `|` tables, `>` notes, **bold**, *italic*,
`code` and [links](https://...). Anything else is shown as plain, escaped text.
"""

from __future__ import annotations

import html
import re

MESSAGE_LIMIT = 4096

_INLINE = [
    (re.compile(r"`([^`\n]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(.+?)\*\*"), r"<b>\1</b>"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])"), r"<i>\1</i>"),
    (re.compile(r'\[([^\]\n]+)\]\((https?://[^\s)"<>]+)\)'), r'<a href="\2">\1</a>'),
]


def inline(text: str) -> str:
    out = html.escape(text, quote=False)
    for pattern, replacement in _INLINE:
        out = pattern.sub(replacement, out)
    return out


def _table_row(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def render_block(block: str) -> str:
    lines = [line.rstrip() for line in block.strip().splitlines()]
    first = lines[0]
    if first.startswith("#"):
        return "<b>" + inline(first.lstrip("#").strip()) + "</b>"
    if all(line.startswith(">") for line in lines):
        quoted = "\n".join(inline(line[1:].strip()) for line in lines)
        return f"<blockquote>{quoted}</blockquote>"
    if first.startswith("|"):
        rows = [_table_row(line) for line in lines if not re.fullmatch(r"[|\s:-]+", line)]
        if len(lines) > 1 and re.fullmatch(r"[|\s:-]+", lines[1]):
            rows = rows[1:]  # the header row only names the columns
        return "\n".join(
            "• <b>" + inline(row[0]) + "</b>: " + inline(" ".join(row[1:])) for row in rows
        )
    out = []
    for line in lines:
        if re.match(r"^\s*[-*] ", line):
            out.append("• " + inline(re.sub(r"^\s*[-*] ", "", line)))
        else:
            out.append(inline(line))
    return "\n".join(out)


def blocks(markdown: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", markdown.strip()) if b.strip()]


def _fit(block: str, limit: int) -> list[str]:
    """Split one over-long source block at word boundaries, before rendering.

    Each piece is the longest run of words whose rendering fits, found by binary search, so
    a huge block costs O(n log n) renders of at most `limit` words, not one render per word.
    """
    if len(render_block(block)) <= limit:
        return [block]
    words = [w for w in re.split(r"(?<=\n)|(?<= )", block) if w]
    words = [w[i : i + limit // 8] for w in words for i in range(0, len(w), limit // 8)]
    pieces: list[str] = []
    start = 0
    while start < len(words):
        fits, too_many = start + 1, min(len(words), start + limit) + 1
        while too_many - fits > 1:
            middle = (fits + too_many) // 2
            if len(render_block("".join(words[start:middle]))) <= limit:
                fits = middle
            else:
                too_many = middle
        pieces.append("".join(words[start:fits]))
        start = fits
    return [p for p in pieces if p.strip()]


def to_messages(markdown: str, footer: str = "", limit: int = MESSAGE_LIMIT) -> list[str]:
    """Render and pack whole paragraphs into messages of at most `limit` characters."""
    rendered = [render_block(piece) for b in blocks(markdown) for piece in _fit(b, limit)]
    if footer:
        rendered.append(footer)
    messages: list[str] = []
    current = ""
    for part in rendered:
        candidate = f"{current}\n\n{part}" if current else part
        if len(candidate) > limit and current:
            messages.append(current)
            current = part
        else:
            current = candidate
    if current:
        messages.append(current)
    return messages
