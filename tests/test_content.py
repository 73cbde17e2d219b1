"""The topic files: the real ones are complete and cited; a broken one stops the bot, named."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
import yaml

from bot.app import App
from bot.pure.content import SEED, ContentError, Library
from bot.settings import Settings
from tests.support import build_app

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
TOPICS = {
    "medicines",
    "everyday",
    "overview",
    "mechanism",
    "indications",
    "dose",
    "efficacy",
    "sideeffects",
    "coping",
    "research",
    "tests",
    "precautions",
    "dos_donts",
    "disclaimer",
    "urgent",
}
GOOD = """---
command: dose
title: Dose
description: How much
order: 40
sources:
  - https://www.nhs.uk/medicines/anastrozole/
---
Text.
"""


def test_the_real_library_has_every_topic_with_unique_commands() -> None:
    library = Library.load(CONTENT)
    assert {t.command for t in library.topics("en")} == TOPICS
    orders = [t.order for t in library.topics("en")]
    assert len(set(orders)) == len(orders)


def test_every_official_note_cites_a_source() -> None:
    """A `> **Note` adds official facts to the guide's words: the file must name its source."""
    for topic in Library.load(CONTENT).topics("en"):
        notes = re.findall(r"^> \*\*Note", topic.body, re.MULTILINE)
        if notes or topic.command == "urgent":
            assert topic.sources, f"{topic.path.name} adds official facts without sources"
        assert all(s.startswith("https://") or s == SEED for s in topic.sources)


def test_the_guide_wording_is_kept() -> None:
    """Spot checks that the topics carry the seed guide's own sentences."""
    library = Library.load(CONTENT)
    expectations = {
        "dose": "Consistency is vital to keep estrogen levels suppressed.",
        "sideeffects": "There is no FDA Black Box Warning for anastrozole.",
        "mechanism": "effectively “turning off” the factory that produces estrogen.",
        "tests": "A bone density scan is required before starting to establish a baseline.",
        "dos_donts": "the drug needs to be in your system 24/7 to keep the cancer “starved.”",
        "disclaimer": "does not constitute medical advice.",
    }
    for command, sentence in expectations.items():
        topic = library.get(command)
        assert topic is not None
        assert sentence in topic.body, command


def test_missed_dose_says_never_double_up() -> None:
    dose = Library.load(CONTENT).get("dose")
    assert dose is not None
    assert "never take two doses" in dose.body
    assert "pharmacist" in dose.body


def write(root: Path, name: str, text: str, language: str = "en") -> Path:
    folder = root / language
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BROKEN = {
    "no front matter": ("Just text.\n", "missing front matter"),
    "bad yaml": (GOOD.replace("order: 40", "order: [40"), "bad front matter"),
    "not a mapping": ("---\n- a list\n---\nText.\n", "must be 'key: value' lines"),
    "no command": (GOOD.replace("command: dose\n", ""), "'command' must be"),
    "bad command": (GOOD.replace("command: dose", "command: Dose-Now"), "'command' must be"),
    "no title": (GOOD.replace("title: Dose\n", ""), "'title' is required"),
    "blank description": (GOOD.replace("How much", "''"), "'description' is required"),
    "long description": (GOOD.replace("How much", "x" * 257), "at most 256"),
    "order not a number": (GOOD.replace("order: 40", "order: first"), "'order' must be"),
    "sources not a list": (
        GOOD.replace("sources:\n  - https://www.nhs.uk/medicines/anastrozole/", "sources: nhs"),
        "'sources' must be",
    ),
    "no text": (GOOD.replace("Text.\n", ""), "has no text"),
    "research not a list": (
        GOOD.replace("order: 40", "order: 40\nresearch: 3"),
        "'research' must be",
    ),
    "helps not true or false": (
        GOOD.replace("order: 40", "order: 40\nhelps: yes please"),
        "'helps' must be",
    ),
    "misspelt key": (GOOD.replace("sources:", "sorces:"), "unknown front matter key(s) ['sorces']"),
    "source not a link": (
        GOOD.replace("https://www.nhs.uk/medicines/anastrozole/", "the NHS website"),
        "source 'the NHS website' is not a web address",
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_each_broken_file_is_refused_naming_it(tmp_path: Path, case: str) -> None:
    text, message = BROKEN[case]
    path = write(tmp_path, "broken.md", text)
    with pytest.raises(ContentError) as error:
        Library.load(tmp_path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_a_duplicate_command_names_both_files(tmp_path: Path) -> None:
    write(tmp_path, "a.md", GOOD)
    second = write(tmp_path, "b.md", GOOD)
    with pytest.raises(ContentError, match=re.escape(f"{second}: command /dose is also in a.md")):
        Library.load(tmp_path)


def test_no_english_topics_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "dose.md", GOOD, language="de")
    with pytest.raises(ContentError, match="en: no topic files found"):
        Library.load(tmp_path)


def test_a_translation_covers_some_topics_and_english_fills_the_rest(tmp_path: Path) -> None:
    write(tmp_path, "dose.md", GOOD)
    write(tmp_path, "tests.md", GOOD.replace("dose", "tests"))
    write(tmp_path, "dose.md", GOOD.replace("title: Dose", "title: Dosis"), language="de")
    library = Library.load(tmp_path)
    assert [t.title for t in library.topics("de")] == ["Dosis", "Dose"]
    assert library.get("tests", "de") == library.get("tests", "en")
    assert library.get("dose", "fr") == library.get("dose", "en")


def broken_copy(tmp_path: Path) -> tuple[Path, Path]:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    broken = copy / "en" / "dose.md"
    broken.write_text(GOOD.replace("command: dose\n", ""), encoding="utf-8")
    return copy, broken


def test_python_m_bot_refuses_to_start_on_a_broken_file(tmp_path: Path) -> None:
    content, broken = broken_copy(tmp_path)
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": "123456:TEST",
        "TELEGRAM_BASE_URL": "http://127.0.0.1:9/bot",  # never reached
        "CONTENT_PATH": str(content),
        "DATABASE_PATH": str(tmp_path / "bot.db"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=tmp_path, env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 2
    stderr = done.stderr.decode()
    assert stderr.strip().splitlines()[-1].startswith(f"error: content: {broken}: ")
    assert "Traceback" not in stderr


def app_with_extra_topic(tmp_path: Path, command: str) -> App:
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    write(copy, "extra.md", GOOD.replace("command: dose", f"command: {command}"))
    settings = Settings(
        telegram_bot_token="1:T",
        content_path=copy,
        database_path=tmp_path / "bot.db",
        _env_file=None,  # type: ignore[call-arg]
    )
    return build_app(settings)


def test_a_new_topic_file_becomes_a_command_without_code(tmp_path: Path) -> None:
    """Content is data: a new file appears in /help and the menu."""
    app = app_with_extra_topic(tmp_path, "fatigue")
    services = app.bot_data["services"]
    menu = services.registry.menu(partial(services.describe, language="en"))
    assert "fatigue" in [c.command for c in menu]


def test_a_topic_cannot_take_a_command_of_the_bot(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match=r"extra\.md: /help is already a command of the bot"):
        app_with_extra_topic(tmp_path, "help")


def test_synonyms_file_is_valid_yaml_with_the_expected_sections() -> None:
    data = yaml.safe_load((CONTENT / "en" / "synonyms.yaml").read_text(encoding="utf-8"))
    assert set(data) == {
        "synonyms",
        "stopwords",
        "other_medicines",
        "smalltalk",
        "research",
        "helps",
        "silent",
    }
    assert "medicines" in TOPICS


# The addresses /work/shared/OFFICIAL-SOURCES.md names, and the two ASCO guidelines it names
# by title (their DOI addresses). A topic may cite only these.
OFFICIAL = {
    SEED,  # the patient guide itself, where it is the only source of a claim
    "https://www.nhs.uk/medicines/anastrozole/how-and-when-to-take-anastrozole/",
    "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=acbfaaa9-503c-4691-9828-76a7146ed6de",
    "https://www.nhs.uk/medicines/anastrozole/side-effects-of-anastrozole/",
    "https://www.medicines.org.uk/emc/product/2199/pil",
    "https://www.nhs.uk/mental-health/feelings-symptoms-behaviours/behaviours/help-for-suicidal-thoughts/",
    "https://988lifeline.org/",
    "https://www.nhs.uk/medicines/anastrozole/about-anastrozole/",
    "https://www.nhs.uk/medicines/anastrozole/common-questions-about-anastrozole/",
    "https://guidancebreastcancer.gov.au/node/143",
    "https://www.cancerresearchuk.org/about-cancer/cancer-in-general/treatment/cancer-drugs/drugs/anastrozole/side-effects",
    "https://doi.org/10.1200/JCO.18.01160",  # ASCO 2018 extended adjuvant endocrine therapy
    "https://doi.org/10.1200/JCO.19.01696",  # ASCO 2019 bone health in cancer survivors
}


def test_every_source_is_one_the_official_sources_name() -> None:
    for topic in Library.load(CONTENT).topics("en"):
        assert set(topic.sources) <= OFFICIAL, topic.path.name


def test_the_cholesterol_prompt_gives_no_interval_the_sources_do_not() -> None:
    texts = " ".join(
        (CONTENT / "en" / "ui" / name).read_text(encoding="utf-8")
        for name in ("checkups.yaml", "caregivers.yaml")
    )
    assert "once a year is usual" not in texts
