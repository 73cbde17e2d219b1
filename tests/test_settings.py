"""Settings: a missing token is one plain line and exit code 2; the rest reaches the app."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from tests.support import build_app

ROOT = Path(__file__).resolve().parents[1]


def run_bot(cwd: Path, **env: str) -> subprocess.CompletedProcess[bytes]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=cwd,
        env={**clean, "DATABASE_PATH": str(cwd / "bot.db"), **env},
        capture_output=True,
        timeout=60,
    )


@pytest.mark.parametrize("token", [None, ""])
def test_missing_token_is_one_line_naming_it_and_exit_2(tmp_path: Path, token: str | None) -> None:
    assert not (tmp_path / ".env").exists()
    done = run_bot(tmp_path, **({} if token is None else {"TELEGRAM_BOT_TOKEN": token}))
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "error: TELEGRAM_BOT_TOKEN is not set (see .env.example; to try the bot without a token:"
        " make try)"
    ]
    assert done.stdout == b""


def test_a_bad_value_names_the_setting(tmp_path: Path) -> None:
    done = run_bot(tmp_path, TELEGRAM_BOT_TOKEN="1:T", SCHEDULER_TICK_SECONDS="0")
    assert done.returncode == 2
    lines = done.stderr.decode().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: SCHEDULER_TICK_SECONDS: ")


def test_settings_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:ENV")
    monkeypatch.setenv("TELEGRAM_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("DATABASE_PATH", str(tmp_path / "x" / "bot.db"))
    settings = load_settings()
    assert settings.telegram_bot_token == "1:ENV"
    assert settings.bot_api_base_url() == "http://127.0.0.1:8081/bot"
    assert settings.database_path == tmp_path / "x" / "bot.db"


def make(tmp_path: Path, **values: object) -> Settings:
    fields: dict[str, object] = {"database_path": tmp_path / "bot.db", **values}
    return Settings(
        telegram_bot_token="1:T",
        _env_file=None,  # type: ignore[call-arg]
        **fields,  # type: ignore[arg-type]
    )


def test_base_url_is_passed_to_python_telegram_bot(tmp_path: Path) -> None:
    app = build_app(make(tmp_path, telegram_base_url="http://127.0.0.1:8081/bot"))
    assert app.bot.base_url == "http://127.0.0.1:8081/bot1:T"


def test_blank_base_url_means_telegrams_cloud(tmp_path: Path) -> None:
    app = build_app(make(tmp_path, telegram_base_url=""))
    assert app.bot.base_url == "https://api.telegram.org/bot1:T"


def test_database_folders_are_created(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "bot.db"
    build_app(make(tmp_path, database_path=path))
    assert path.is_file()


def installed_like_a_wheel(tmp_path: Path) -> tuple[Path, Path]:
    """The packages copied elsewhere without content/, as `pip install .` leaves them."""
    site, work = tmp_path / "site", tmp_path / "work"
    for package in ("bot", "handlers", "db"):
        shutil.copytree(ROOT / package, site / package)
    work.mkdir()
    return site, work


def test_an_installed_bot_without_content_says_to_set_content_path(tmp_path: Path) -> None:
    site, work = installed_like_a_wheel(tmp_path)
    done = run_bot(work, TELEGRAM_BOT_TOKEN="1:T", PYTHONPATH=str(site))
    assert done.returncode == 2
    assert done.stderr.decode().splitlines()[-1] == (
        "error: content: content: no such folder (set CONTENT_PATH)"
    )


def test_an_installed_bot_finds_content_in_the_working_directory(tmp_path: Path) -> None:
    site, work = installed_like_a_wheel(tmp_path)
    shutil.copytree(ROOT / "content", work / "content")
    done = subprocess.run(
        [sys.executable, "-c", "from bot.settings import Settings; print(Settings().content_path)"],
        cwd=work,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": "1:T", "PYTHONPATH": str(site)},
        capture_output=True,
        timeout=60,
    )
    assert done.stdout.decode().strip() == "content"
    assert Settings(telegram_bot_token="1:T").content_path == ROOT / "content"  # a checkout
