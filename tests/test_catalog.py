"""Every interface text is valid Telegram HTML whatever is filled in, and every key the code
asks for exists with the {fields} the code fills: a slip in either fails only at run time."""

from __future__ import annotations

import ast
import html
import re
import shutil
import string
from pathlib import Path

import pytest

from bot.pure.i18n import Catalog, CatalogError
from tests.test_render import problems

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
CODE = sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")])
HOSTILE = [
    "<b>bold</i> <script>alert(1)</script>",
    "&amp; & < > \" ' </a>",
    "{name} {0} %s",
    "🙂 \u200f\u202eمرحبا\u202c",
    "",
    "x" * 300,
]
CATALOG = Catalog.load(CONTENT)
ENGLISH = {key: CATALOG.text("en", key) for key in CATALOG._texts["en"]}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("value", HOSTILE)
def test_every_text_is_valid_telegram_html_whatever_is_filled_in(value: str) -> None:
    for key, template in ENGLISH.items():
        filled = CATALOG.text("en", key, **dict.fromkeys(fields(template), value))
        assert problems(filled) == [], (key, filled)


# Calls that take a catalog key; their other keyword arguments are the text's fields.
KEY_CALLS = {"text", "say", "label", "_button", "key_button"}
# Calls that take a key and keyword arguments of their own: the key must exist.
KEY_ONLY_CALLS = {"command", "ticked"}
KEY_SHAPE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")  # a key, not a command or a style


def text_calls(names: set[str] = KEY_CALLS) -> list[tuple[str, int, str, set[str] | None]]:
    """(file, line, key, keyword names or None for **values) of every call among `names`
    given a "key": text(..., "key"), label(services, chat_id, "key") and the like."""
    found = []
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (
                getattr(node.func, "attr", getattr(node.func, "id", None))
                if isinstance(node, ast.Call)
                else None
            )
            if name not in names:
                continue
            assert isinstance(node, ast.Call)
            keywords = {k.arg for k in node.keywords}
            passed = None if None in keywords else {str(k) for k in keywords}
            for arg in node.args:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and (name == "text" or arg.value in ENGLISH or KEY_SHAPE.fullmatch(arg.value))
                ):
                    found.append((path.name, node.lineno, arg.value, passed))
    return found


@pytest.mark.parametrize("value", HOSTILE)
def test_a_label_is_the_text_unescaped_whatever_is_filled_in(value: str) -> None:
    """Catalog.label keeps each template unescaped: the same plain text as unescaping the
    filled-in HTML, in every language (a name with "&amp;" or "<" stays as she typed it)."""
    for language in CATALOG.languages():
        for key, template in CATALOG._texts[language].items():
            values = dict.fromkeys(fields(template), value)
            want = html.unescape(CATALOG.text(language, key, **values))
            assert CATALOG.label(language, key, **values) == want, (language, key)


def test_every_key_the_code_names_exists_with_the_fields_it_fills() -> None:
    calls = text_calls()
    assert len(calls) > 100  # the scan sees the code
    for file, line, key, passed in calls:
        assert key in ENGLISH, f"{file}:{line}: no text {key!r} in content/en/ui"
        if passed is not None:  # a field not passed crashes; a value not shown is a slip
            assert fields(ENGLISH[key]) == passed, f"{file}:{line}: {key} fills {sorted(passed)}"


def test_every_key_given_to_a_menu_line_or_a_ticked_button_exists() -> None:
    calls = text_calls(KEY_ONLY_CALLS)
    assert len(calls) > 20  # the scan sees the menu
    for file, line, key, _ in calls:
        assert key in ENGLISH, f"{file}:{line}: no text {key!r} in content/en/ui"


def test_every_key_prefix_built_in_code_has_texts() -> None:
    """f"checkups_name_{name}": at least the prefix must lead somewhere."""
    prefixes = {key.split("_")[0] + "_" for key in ENGLISH}
    checked = 0
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
                start = str(node.values[0].value)
                if start.startswith(tuple(prefixes)) and " " not in start:
                    assert any(k.startswith(start) for k in ENGLISH), f"{path.name}: {start}"
                    checked += 1
    assert checked >= 10  # the code does build keys so (a broken CODE list would check none)


def translation(tmp_path: Path, text: str) -> Path:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "de" / "ui").mkdir(parents=True)
    (content / "de" / "ui" / "core.yaml").write_text(text, encoding="utf-8")
    return content


def test_a_translation_is_a_folder_and_missing_keys_fall_back_to_english(tmp_path: Path) -> None:
    catalog = Catalog.load(translation(tmp_path, "welcome: 'Hallo {name}!'\n"))
    assert catalog.languages() == ["de", "en", "ru"]
    assert catalog.text(catalog.language_for("de-CH"), "welcome", name="<Greta>") == (
        "Hallo &lt;Greta&gt;!"
    )
    assert catalog.text("de", "menu_help") == ENGLISH["menu_help"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("welcome: 'Hallo {vorname}!'\n", r"de: welcome uses \['vorname'\], not in English"),
        ("welcome: 'Hallo {name!'\n", r"de: welcome: broken \{field\}"),
        ("willkommen: 'Hallo'\n", r"de: keys not in English: \['willkommen'\]"),
    ],
)
def test_a_translation_that_would_fail_at_run_time_is_refused_at_start(
    tmp_path: Path, text: str, problem: str
) -> None:
    with pytest.raises(CatalogError, match=problem):
        Catalog.load(translation(tmp_path, text))
