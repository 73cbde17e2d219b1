"""Every message the renderer makes must be HTML Telegram accepts, and fit in one message."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bot.pure.render import MESSAGE_LIMIT, render_block, to_messages
from bot.services import Services
from handlers.info import topic_messages

ALLOWED = {"b", "i", "u", "s", "a", "code", "pre", "blockquote", "tg-spoiler"}


class TelegramHtmlChecker(HTMLParser):
    """Collects what Telegram would reject: unknown tags, unbalanced tags, bad links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.problems.append(f"tag <{tag}> not allowed")
        if tag == "a" and not any(
            k == "href" and (v or "").startswith(("https://", "http://")) for k, v in attrs
        ):
            self.problems.append(f"link without an https href: {attrs}")
        elif tag != "a" and attrs:
            self.problems.append(f"<{tag}> with attributes {attrs}")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def close(self) -> None:
        super().close()
        if self.open:
            self.problems.append(f"left open: {self.open}")


def problems(message: str) -> list[str]:
    checker = TelegramHtmlChecker()
    checker.feed(message)
    checker.close()
    if len(message) > MESSAGE_LIMIT:
        checker.problems.append(f"{len(message)} characters")
    return checker.problems


def test_the_checker_itself_catches_bad_html() -> None:
    assert problems("<b>ok</b> <i>fine</i>") == []
    assert problems("<script>x</script>")
    assert problems("<b>open")
    assert problems("<b><i>crossed</b></i>")
    assert problems('<a href="javascript:alert(1)">x</a>')
    assert problems('<b class="x">x</b>')
    assert problems("x" * (MESSAGE_LIMIT + 1))


def test_every_message_of_every_topic_is_valid_telegram_html(services: Services) -> None:
    checked = 0
    for language in services.library.languages():
        for topic in services.library.topics(language):
            for message in topic_messages(services, topic.command, language):
                assert problems(message) == [], (topic.path, message)
                checked += 1
    assert checked >= 12


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("<script>alert(1)</script> & co", "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"),
        ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
        ('[ok](https://a.example/"><b>)', '[ok](https://a.example/"&gt;&lt;b&gt;)'),
        ("[ok](https://a.example/?a=1&b=2)", '<a href="https://a.example/?a=1&amp;b=2">ok</a>'),
        ("**Dose** and *timing*", "<b>Dose</b> and <i>timing</i>"),
        ("`1 mg`", "<code>1 mg</code>"),
        ("5 * 3 = 15 and 2*4", "5 * 3 = 15 and 2*4"),
        ("## Heading", "<b>Heading</b>"),
        ("- one\n- two", "• one\n• two"),
        ("> **Note:** careful\n> still", "<blockquote><b>Note:</b> careful\nstill</blockquote>"),
        ("| Detail | Value |\n| --- | --- |\n| Dose | 1 mg |", "• <b>Dose</b>: 1 mg"),
    ],
)
def test_markdown_subset_and_escaping(markdown: str, html: str) -> None:
    assert render_block(markdown) == html
    assert problems(html) == []


def test_footer_closes_the_last_message() -> None:
    messages = to_messages("# Title\n\nText.", footer="<i>Ask your care team.</i>")
    assert messages == ["<b>Title</b>\n\nText.\n\n<i>Ask your care team.</i>"]


@pytest.mark.parametrize("paragraph_size", [900, 5000, 20_000])
def test_a_huge_topic_is_split_at_paragraph_boundaries(paragraph_size: int) -> None:
    words = " ".join(f"**w{i}** <x>" for i in range(paragraph_size // 10))
    paragraphs = [f"Paragraph {n}: {words}" for n in range(30)]
    markdown = "\n\n".join(paragraphs)
    messages = to_messages(markdown, footer="<i>care team</i>")
    assert len(messages) > 1
    for message in messages:
        assert problems(message) == []
    assert messages[-1].endswith("<i>care team</i>")
    joined = "\n\n".join(messages)
    for n in range(30):
        assert joined.count(f"Paragraph {n}:") == 1  # nothing lost, nothing doubled
    if paragraph_size < MESSAGE_LIMIT // 4:
        # Short paragraphs are never cut: every message starts with a whole paragraph.
        assert all(m.startswith("Paragraph ") for m in messages[:-1])


def test_a_word_longer_than_a_message_is_cut_too() -> None:
    messages = to_messages("&" * 10_000)
    assert len(messages) >= 3
    assert all(problems(m) == [] for m in messages)
    assert "".join(messages).replace("\n", "").count("&amp;") == 10_000
