"""README.md is for people, and what it says is true: its "Commands" section names every
command the bot registers (as `/name`) and no other; its example conversation uses only
registered commands and the bot's own words; the alcohol answer it shows is what the bot
answers, from /coping; and Russian dates are shown as it says. Fast: one application, a
few messages.

The rule for commands: inside the README's "## Commands" section, every `/word` outside a
fenced code block is a command. Shell commands, paths (`/app/content`), the operators'
`/admin` (in the configuration table, outside that section) and deep links are not in it.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

from bot.pure.dates import show
from bot.services import Services
from tests.support import CATALOG, Person, en

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMAND = re.compile(r"(?<![\w/.:])/([a-z][a-z0-9_]*)\b")
COPING = ROOT / "content" / "en" / "coping.md"
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def section(title: str) -> str:
    """The text of the README's `## title` section, up to the next `## ` heading."""
    after = README.split(f"\n## {title}\n", 1)[1]
    return after.split("\n## ", 1)[0]


def conversation() -> str:
    """The example conversation: the fenced block of "What a conversation looks like",
    its lines joined as one text (the wrapping undone)."""
    [block] = re.findall(r"```text\n(.*?)```", section("What a conversation looks like"), re.S)
    return " ".join(line.strip() for line in block.splitlines())


def plain(text: str) -> str:
    """A message as a person reads it: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def test_the_commands_section_names_every_registered_command_and_no_other(
    services: Services,
) -> None:
    registered = {spec.name for spec in services.registry.commands()}
    named = set(COMMAND.findall(FENCE.sub("", section("Commands"))))
    assert registered - named == set(), "registered but missing from README's Commands"
    assert named - registered == set(), "in README's Commands but not a registered command"


def test_the_example_conversation_uses_registered_commands(services: Services) -> None:
    registered = {spec.name for spec in services.registry.commands()}
    used = set(COMMAND.findall(conversation()))
    assert used and used <= registered, used - registered


def test_the_example_conversation_is_in_the_bots_own_words() -> None:
    said = conversation()
    for line in (
        plain(en("welcome", name="Anna")).split("tablet.")[0] + "tablet.",
        plain(en("reminders_due", name="Anna")),
        plain(en("reminders_taken", time="08:00")),
        plain(en("reminders_button_taken")),
        plain(en("reminders_button_snooze")),
        plain(en("reminders_button_skip")),
        plain(en("reminders_button_mark_skipped")),
        plain(en("reminders_button_nomark")),
    ):
        assert line in said, line


def coping_alcohol() -> str:
    """The /coping section that answers "Can I drink alcohol?", as content/en/coping.md
    holds it."""
    text = COPING.read_text(encoding="utf-8")
    after = text.split("## Can I drink alcohol?\n", 1)[1]
    return " ".join(after.strip().split("\n\n", 1)[0].split())


async def test_the_alcohol_answer_is_the_one_the_readme_shows(anna: Person) -> None:
    passage = coping_alcohol()
    assert passage.startswith("If you drink alcohol, cutting down may help with hot flushes")
    assert "ask your pharmacist" in passage
    [answer] = await anna.send("can I drink alcohol?")
    assert passage in plain(answer)
    [title] = re.findall(r"^title: (.+)$", COPING.read_text(encoding="utf-8"), re.M)
    assert f"More: {title}" in anna.buttons()
    assert passage in conversation()
    assert f"[More: {title}]" in conversation()
    assert "`/coping`" in section("What a conversation looks like")


def test_russian_dates_are_shown_as_the_readme_says() -> None:
    russian = CATALOG.names("ru")
    shown = show(date(2027, 3, 14), russian)
    assert shown == "14 марта 2027"
    commands = " ".join(section("Commands").split())
    assert "Babel's CLDR data" in commands
    assert f'in Russian, for example, "{shown}"' in commands
