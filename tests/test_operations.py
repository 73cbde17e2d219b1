"""The operator's tools: webhook settings, /admin, the figures behind it and the metrics,
`check` and `backup` (the end-to-end side is in tests/e2e/test_operations_e2e.py)."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from pydantic import ValidationError
from sqlite_utils import Database

from bot.app import App
from bot.metrics import FiguresCollector
from bot.operations import CheckFailed, check
from bot.pure.timerules import epoch
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import stats
from db.store import backup, open_database
from tests.support import Person, build_app

ADMIN = 7001
ROOT = Path(__file__).resolve().parents[1]


def make(tmp_path: Path, **values: object) -> Settings:
    fields: dict[str, object] = {"database_path": tmp_path / "bot.db", **values}
    return Settings(
        telegram_bot_token="1:T",
        rate_limit=False,
        _env_file=None,  # type: ignore[call-arg]
        **fields,  # type: ignore[arg-type]
    )


# --- settings ---------------------------------------------------------------------------


def test_a_webhook_needs_its_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET is required"):
        make(tmp_path, telegram_webhook_url="https://bot.example.org/hook")
    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET is required"):
        make(tmp_path, telegram_webhook_url="https://x.org/h", telegram_webhook_secret="")


def test_the_secret_follows_telegrams_rule(tmp_path: Path) -> None:
    url = "https://bot.example.org/hook"
    with pytest.raises(ValidationError, match="telegram_webhook_secret"):
        make(tmp_path, telegram_webhook_url=url, telegram_webhook_secret="has space")
    settings = make(tmp_path, telegram_webhook_url=url, telegram_webhook_secret="A-z_09" * 6)
    assert (settings.webhook_listen, settings.webhook_port) == ("127.0.0.1", 8080)


@pytest.mark.parametrize("secret", ["x", "A-z_09" * 5])  # 1 and 30 characters
def test_a_short_secret_refuses_to_start_with_a_clear_message(tmp_path: Path, secret: str) -> None:
    url = "https://bot.example.org/hook"
    with pytest.raises(ValidationError, match=r"at least 32 are needed .*openssl rand -hex 32"):
        make(tmp_path, telegram_webhook_url=url, telegram_webhook_secret=secret)


def test_admin_ids_are_comma_separated_and_metrics_are_off_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADMIN_CHAT_IDS", " 12, -345 ,")
    monkeypatch.setenv("METRICS_PORT", "")
    settings = make(tmp_path)
    assert settings.admin_chat_ids == {12, -345}
    assert settings.metrics_port is None
    monkeypatch.setenv("ADMIN_CHAT_IDS", "12,anna")
    with pytest.raises(ValidationError, match="admin_chat_ids"):
        make(tmp_path)


# --- the figures ------------------------------------------------------------------------

NOW = 1_800_000_000


def add_delivery(db: Database, key: str, due: int, sent_at: int, status: str = "sent") -> None:
    db["ledger"].insert(
        {
            "key": key,
            "chat_id": 1,
            "kind": "dose",
            "ref": "",
            "occurrence": key,
            "due": due,
            "payload": "{}",
            "status": status,
            "sent_at": sent_at,
        }
    )


def test_figures_count_and_measure_lateness(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    for chat_id, remind_at, blocked in [(1, "08:00", 0), (2, None, 0), (3, "09:30", 1)]:
        db["people"].insert(
            {
                "chat_id": chat_id,
                "remind_at": remind_at,
                "blocked": blocked,
                "created_at": "2026-01-01",
                "last_seen_at": "2026-01-01",
            }
        )
    db["caregiver_links"].insert({"patient": 1, "caregiver": 2, "since": NOW})
    # Twenty sends in the last day, late by 0..19 s; three of them in the last hour.
    for late in range(20):
        sent_at = NOW - 600 - late * 1000
        add_delivery(db, f"d{late}", sent_at - late, sent_at)
    add_delivery(db, "old", NOW - 2 * stats.DAY, NOW - 2 * stats.DAY + 999)
    add_delivery(db, "f1", NOW - 100, NOW - 50, "failed")
    add_delivery(db, "b1", NOW - 100, NOW - 50, "blocked")
    add_delivery(db, "early", NOW - 10, NOW - 20)  # a clock step: never negative

    found = stats.figures(db, NOW)

    assert found.people == 3
    assert found.patients_with_reminder == 2
    assert found.caregiver_links == 1
    assert found.paused_chats == 1
    assert found.sent_last_hour == 1 + 1 + 1 + 1  # late 0, 1, 2 and the early one
    assert found.sent_last_day == 21
    assert found.failed_last_day == 1
    # Lateness 0 (twice: one early clamped) and 0..19: the 11th and 20th of 21 values.
    assert (found.lateness_median, found.lateness_p95) == (9, 18)
    assert found.database_bytes > 0


def test_figures_of_an_empty_database_have_no_lateness(tmp_path: Path) -> None:
    found = stats.figures(open_database(tmp_path / "bot.db"), NOW)
    assert (found.people, found.sent_last_day) == (0, 0)
    assert (found.lateness_median, found.lateness_p95) == (None, None)


def test_the_day_figures_read_the_index_not_the_whole_ledger(tmp_path: Path) -> None:
    db = open_database(tmp_path / "bot.db")
    plan = db.conn.execute(
        "EXPLAIN QUERY PLAN SELECT count(*) FROM ledger WHERE sent_at > ? AND status = 'sent'",
        [NOW],
    ).fetchall()
    assert "ledger_by_sent_at" in str(plan)


# --- /admin -----------------------------------------------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make(tmp_path, admin_chat_ids=frozenset({ADMIN}))


@pytest.fixture
async def plain(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Person]:
    """Anna, with the same bot but no admin set: what an unknown command looks like there."""
    request = RecordingRequest()
    application = build_app(make(tmp_path / "plain"), request=request, clock=clock)
    async with application:
        yield Person(application, request)


async def test_admin_sees_counts_only(app: App, anna: Person, services: Services) -> None:
    await anna.send("/start")
    await anna.send("/remind 08:00")
    admin = Person(app, anna.request, chat_id=ADMIN, first_name="Olga")
    [figures] = await admin.send("/admin")
    assert "People: 2" in figures  # Anna, and the admin herself
    assert "Patients with a reminder: 1" in figures
    assert "Anna" not in figures and "08:00" not in figures
    assert "median none sent" in figures


async def test_anyone_else_gets_exactly_the_unknown_command_answer(
    anna: Person, plain: Person
) -> None:
    answer = await anna.send("/admin")
    assert answer == await plain.send("/admin")
    assert "I don't know the command /admin" in answer[0]


async def test_admin_is_in_neither_the_menu_nor_help(
    anna: Person, request_layer: RecordingRequest
) -> None:
    menus = [c.params for c in request_layer.calls if c.method == "setMyCommands"]
    assert menus
    for menu in menus:
        assert "admin" not in {command["command"] for command in menu["commands"]}
    assert "/admin" not in await anna.help_everything()


# --- metrics ----------------------------------------------------------------------------


async def test_metrics_give_the_figures_of_admin(
    anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/start")
    registry = CollectorRegistry()
    registry.register(FiguresCollector(str(services.settings.database_path), clock))
    scraped = generate_latest(registry).decode()
    found = stats.figures(services.db, epoch(clock.now()))
    assert f"companion_people {float(found.people)}" in scraped
    assert found.people == 1
    assert f"companion_database_bytes {float(found.database_bytes)}" in scraped
    assert 'companion_messages_sent{window="1h"} 0.0' in scraped
    assert "companion_reminder_lateness_seconds{" not in scraped  # none sent: no sample


# --- check and backup -------------------------------------------------------------------


def test_check_says_ok_in_one_line(tmp_path: Path) -> None:
    settings = make(tmp_path)
    assert "none yet" in check(settings)
    open_database(settings.database_path).close()
    line = check(settings)
    assert line.startswith("ok: ") and "schema current" in line and "\n" not in line


def test_check_fails_on_broken_content(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "en" / "dose.md").write_text("no front matter at all", encoding="utf-8")
    with pytest.raises(CheckFailed, match=r"^content: "):
        check(make(tmp_path, content_path=content))


def test_check_fails_on_a_database_from_a_newer_version(tmp_path: Path) -> None:
    settings = make(tmp_path)
    with closing(open_database(settings.database_path)) as db:
        db["_sqlite_migrations"].insert(
            {"migration_set": "core", "name": "from_the_future", "applied_at": "2030"}
        )
    with pytest.raises(CheckFailed, match="newer version"):
        check(settings)


def test_check_counts_the_migrations_the_next_start_applies(tmp_path: Path) -> None:
    settings = make(tmp_path)
    with closing(open_database(settings.database_path)) as db:
        db.execute("DELETE FROM _sqlite_migrations WHERE migration_set = 'stats'")
    assert "1 migration(s) to apply at start" in check(settings)


def test_check_fails_on_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    settings = make(tmp_path)
    settings.database_path.write_bytes(b"not a database" * 100)
    with pytest.raises(CheckFailed, match="DatabaseError"):
        check(settings)


def test_backup_refuses_to_overwrite_the_database_or_copy_nothing(tmp_path: Path) -> None:
    source = tmp_path / "bot.db"
    with pytest.raises(FileNotFoundError):
        backup(source, tmp_path / "copy.db")
    open_database(source).close()
    with pytest.raises(ValueError, match="itself"):
        backup(source, source)
    assert backup(source, tmp_path / "copy.db") > 0
    with closing(sqlite3.connect(tmp_path / "copy.db")) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
