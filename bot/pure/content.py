"""Topic files: one Markdown file per topic with front matter, per language folder.

The loader refuses a broken library at start-up, naming the file, so a bad edit can never
reach a patient as a half-answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

COMMAND = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
KEYS = {"command", "title", "description", "order", "sources", "summary", "research", "helps"}
RESEARCH_ALL = "all"  # `research: all`: every passage of the topic is research
# libyaml's parser where PyYAML has it: the content's YAML (paraphrases, red flags) is read at
# every start-up, and the pure-Python parser took most of a second of it.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(text: str) -> Any:
    """`yaml.safe_load`, with the C parser when it is there."""
    return yaml.load(text, Loader=_LOADER)


URL = re.compile(r"^https?://[^\s\"<>]+$")
# The project's source text (../shared/seed/anastrozole-patient-guide.txt), cited by name: it
# has no web address.
SEED = "seed guide"
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


class ContentError(Exception):
    """A topic file is broken; the message names the file."""


@dataclass(frozen=True)
class Topic:
    command: str
    title: str
    description: str
    order: int
    sources: tuple[str, ...]
    body: str
    path: Path
    summary: str = ""  # a long topic's three or four plain lines, shown first
    # Passages (by their first words, or RESEARCH_ALL) of trial figures or research: they
    # answer only questions about trials and research (bot/matcher.py).
    research: tuple[str, ...] = ()
    # `helps: true`: its passages are practical help, which a question asking for help or
    # telling of suffering gets before a plain account of the effect (bot/matcher.py).
    helps: bool = False


class Library:
    def __init__(self, topics: dict[str, dict[str, Topic]]) -> None:
        self._topics = topics

    @classmethod
    def load(cls, root: Path) -> Library:
        if not root.is_dir():
            raise ContentError(f"{root}: no such folder (set CONTENT_PATH)")
        topics: dict[str, dict[str, Topic]] = {}
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            by_command: dict[str, Topic] = {}
            for path in sorted(folder.glob("*.md")):
                topic = parse_topic(path)
                if topic.command in by_command:
                    other = by_command[topic.command].path.name
                    raise ContentError(f"{path}: command /{topic.command} is also in {other}")
                by_command[topic.command] = topic
            if by_command:
                topics[folder.name] = by_command
        if "en" not in topics:
            raise ContentError(f"{root}/en: no topic files found")
        return cls(topics)

    def topics(self, language: str = "en") -> list[Topic]:
        """Topics in menu order; a translation may cover only some, English fills the rest."""
        merged = dict(self._topics["en"])
        merged.update(self._topics.get(language, {}))
        return sorted(merged.values(), key=lambda t: (t.order, t.command))

    def get(self, command: str, language: str = "en") -> Topic | None:
        return self._topics.get(language, {}).get(command) or self._topics["en"].get(command)

    def languages(self) -> list[str]:
        return sorted(self._topics)


def parse_topic(path: Path) -> Topic:
    match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
    if not match:
        raise ContentError(f"{path}: missing front matter between '---' lines")
    try:
        meta = read_yaml(match.group(1))
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: bad front matter ({exc})") from exc
    if not isinstance(meta, dict):
        raise ContentError(f"{path}: front matter must be 'key: value' lines")
    unknown = sorted(str(key) for key in set(meta) - KEYS)
    if unknown:
        raise ContentError(f"{path}: unknown front matter key(s) {unknown}; known: {sorted(KEYS)}")
    command = str(meta.get("command") or "").lstrip("/")
    if not COMMAND.match(command):
        raise ContentError(f"{path}: 'command' must be lowercase letters, digits or _")
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise ContentError(f"{path}: '{key}' is required")
    if len(meta["description"]) > 256:
        raise ContentError(f"{path}: 'description' must be at most 256 characters")
    order = meta.get("order", 100)
    if not isinstance(order, int):
        raise ContentError(f"{path}: 'order' must be a whole number")
    sources = meta.get("sources") or []
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        raise ContentError(f"{path}: 'sources' must be a list of texts")
    for source in sources:
        if source != SEED and not URL.match(source):
            raise ContentError(f"{path}: source {source!r} is not a web address (https://...)")
    summary = meta.get("summary") or ""
    if not isinstance(summary, str):
        raise ContentError(f"{path}: 'summary' must be a text")
    research = meta.get("research") or []
    if research == RESEARCH_ALL:
        research = [RESEARCH_ALL]
    if not isinstance(research, list) or not all(isinstance(r, str) for r in research):
        raise ContentError(f"{path}: 'research' must be '{RESEARCH_ALL}' or a list of texts")
    helps = meta.get("helps", False)
    if not isinstance(helps, bool):
        raise ContentError(f"{path}: 'helps' must be true or false")
    body = match.group(2).strip()
    if not body:
        raise ContentError(f"{path}: the topic has no text")
    return Topic(
        command=command,
        title=meta["title"].strip(),
        description=meta["description"].strip(),
        order=order,
        sources=tuple(sources),
        body=body,
        path=path,
        summary=summary.strip(),
        research=tuple(research),
        helps=helps,
    )
