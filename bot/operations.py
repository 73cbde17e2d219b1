"""What an operator runs beside the bot: `python -m bot check` and `python -m bot backup`."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.matcher import Matcher
from bot.pure.content import ContentError, Library
from bot.pure.i18n import Catalog, CatalogError
from bot.settings import Settings
from db import schema, stats
from db.store import SIDE_FILES, backup, pending_migrations, unknown_migrations


class CheckFailed(Exception):
    """A problem that would stop the bot, in one line."""


def bot_version() -> str:
    try:
        return version("anastrozole-companion")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def check(settings: Settings) -> str:
    """Content and database checked as start-up would, without starting or writing: one line.
    Settings were checked when they were read."""
    try:
        library = Library.load(settings.content_path)
        catalog = Catalog.load(settings.content_path)
        Matcher(library, settings.content_path)
    except (ContentError, CatalogError) as exc:
        raise CheckFailed(f"content: {exc}") from None
    topics = len(library.topics())
    content = f"content: {topics} topics, {len(catalog.languages())} language(s)"
    return f"ok: settings; {content}; {_database(settings.database_path)}"


def _database(path: Path) -> str:
    if not path.exists():
        return f"database {path}: none yet, created at the first start"
    try:
        db = stats.read_only(path)
        try:
            unknown = unknown_migrations(db, schema.MIGRATION_SETS)
            pending = pending_migrations(db, schema.MIGRATION_SETS)
        finally:
            db.close()
    except Exception as exc:  # sqlite3 errors: not a database, locked, unreadable
        raise CheckFailed(f"database {path}: {type(exc).__name__}: {exc}") from None
    if unknown:
        raise CheckFailed(
            f"database {path} was written by a newer version ({unknown[0]}): upgrade the bot"
        )
    state = f"{pending} migration(s) to apply at start" if pending else "schema current"
    return f"database {path}: {state}"


def run_backup(source: Path, target: Path, keep: int | None = None) -> str:
    """Back up the database to `target` while the bot runs: one line saying where. With
    `keep`, only the `keep` newest backups named like it are left (see `rotate`)."""
    size = backup(source, target)
    line = f"backup: {source} copied to {target.resolve()} ({size:,} bytes)"
    if keep is not None:
        removed = rotate(source, target, keep)
        line += f"; {len(removed)} older backup(s) removed, {keep} kept"
    return line


def rotate(source: Path, target: Path, keep: int) -> list[Path]:
    """Remove all but the `keep` newest files named like `target` in its folder: the same
    name with any digits in their places (backup-2026-03-02.db is like backup-2026-02-01.db,
    not like bot.db). A backup holds what people deleted since it was taken: kept forever,
    a deletion would never be final. The database itself is never touched."""
    if keep < 1:
        raise ValueError("--keep must be at least 1")
    shape = re.compile(re.sub(r"\d", r"\\d", re.escape(target.name)))
    live = {source.resolve(), *(source.resolve().with_name(source.name + s) for s in SIDE_FILES)}
    like = [
        file
        for file in target.parent.iterdir()
        if file.is_file() and shape.fullmatch(file.name) and file.resolve() not in live
    ]
    like.sort(key=lambda file: (file.stat().st_mtime, file.name), reverse=True)
    for old in like[keep:]:
        old.unlink()
    return like[keep:]
