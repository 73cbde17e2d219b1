"""The container files, checked as far as they can be without a container engine: the
Dockerfile keeps two stages, a non-root user and a health check that is `python -m bot check`
(and that command runs here); docker-compose.yml and litestream.yml parse and agree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
LITESTREAM: dict[str, Any] = yaml.safe_load((ROOT / "litestream.yml").read_text("utf-8"))


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    joined = DOCKERFILE.replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            found.append((word.upper(), rest.strip()))
    return found


def runtime_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def healthcheck_command() -> list[str]:
    [arguments] = [rest for word, rest in runtime_stage() if word == "HEALTHCHECK"]
    exec_form = arguments.split(" CMD ", 1)[1]
    command = json.loads(exec_form)
    assert isinstance(command, list)
    return [str(part) for part in command]


def test_the_image_keeps_two_stages_and_a_non_root_user() -> None:
    assert [word for word, _ in instructions()].count("FROM") == 2
    users = [rest for word, rest in runtime_stage() if word == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_the_health_check_is_the_check_command() -> None:
    assert healthcheck_command() == ["python", "-m", "bot", "check"]


def run_check(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The health check's command, as the container runs it (python is this interpreter)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    command = [sys.executable, *healthcheck_command()[1:]]
    return subprocess.run(
        command,
        cwd=tmp_path,  # like /app: no .env, content given by CONTENT_PATH
        env={**clean, "CONTENT_PATH": str(ROOT / "content"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_health_check_command_runs_and_says_ok_in_one_line(tmp_path: Path) -> None:
    done = run_check(
        tmp_path, TELEGRAM_BOT_TOKEN="1:T", DATABASE_PATH=str(tmp_path / "data" / "bot.db")
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ") and done.stdout.count("\n") == 1
    assert not (tmp_path / "data" / "bot.db").exists()  # checked, not created


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({}, "TELEGRAM_BOT_TOKEN is not set"),
        ({"TELEGRAM_BOT_TOKEN": "1:T", "CONTENT_PATH": "/nonexistent"}, "content: "),
        (
            {"TELEGRAM_BOT_TOKEN": "1:T", "TELEGRAM_WEBHOOK_URL": "https://x.org/hook"},
            "TELEGRAM_WEBHOOK_SECRET is required",
        ),
        (
            {
                "TELEGRAM_BOT_TOKEN": "1:T",
                "TELEGRAM_WEBHOOK_URL": "https://x.org/hook",
                "TELEGRAM_WEBHOOK_SECRET": "short",
            },
            "TELEGRAM_WEBHOOK_SECRET is 5 characters; at least 32 are needed",
        ),
    ],
)
def test_the_health_check_fails_with_exit_2_and_one_line(
    tmp_path: Path, env: dict[str, str], says: str
) -> None:
    done = run_check(tmp_path, DATABASE_PATH=str(tmp_path / "bot.db"), **env)
    assert done.returncode == 2
    [line] = done.stderr.splitlines()
    assert says in line


def test_compose_runs_the_bot_with_its_volume_and_env_file() -> None:
    bot = COMPOSE["services"]["bot"]
    assert bot["build"] == "."
    assert bot["env_file"] == ".env"
    database = Path(bot["environment"]["DATABASE_PATH"])
    volume, _, mount = bot["volumes"][0].partition(":")
    assert volume in COMPOSE["volumes"]
    assert database.parent == Path(mount)
    assert f'VOLUME ["{mount}"]' in DOCKERFILE
    assert "profiles" not in bot  # the bot runs without any profile


def test_the_replication_profile_adds_litestream_on_the_same_file() -> None:
    litestream = COMPOSE["services"]["litestream"]
    assert litestream["profiles"] == ["replication"]
    assert litestream["command"] == "replicate"
    mounts = dict(volume.split(":")[:2] for volume in litestream["volumes"])
    assert mounts["./litestream.yml"] == "/etc/litestream.yml"
    bot = COMPOSE["services"]["bot"]
    assert mounts[bot["volumes"][0].split(":")[0]] == "/data"
    [database] = LITESTREAM["dbs"]
    assert database["path"] == bot["environment"]["DATABASE_PATH"]
    [replica] = database["replicas"]
    assert replica["type"] == "s3" and "endpoint" in replica
    # Every ${VARIABLE} the config expands is passed to the container by compose.
    expanded = {
        str(value)[2:-1]
        for value in replica.values()
        if str(value).startswith("${") and str(value).endswith("}")
    }
    assert expanded and expanded <= set(litestream["environment"])


def test_the_image_keeps_data_private_and_listens_for_the_proxy() -> None:
    steps = runtime_stage()
    assert any(word == "RUN" and "mkdir -m 700 /data" in rest for word, rest in steps)
    env = " ".join(rest for word, rest in steps if word == "ENV")
    assert "WEBHOOK_LISTEN=0.0.0.0" in env  # the default outside a container is 127.0.0.1


def test_the_replica_keeps_72_hours_by_default_and_litestream_writes_private_files() -> None:
    litestream = COMPOSE["services"]["litestream"]
    assert litestream["environment"]["LITESTREAM_RETENTION"] == "${LITESTREAM_RETENTION:-72h}"
    [database] = LITESTREAM["dbs"]
    [replica] = database["replicas"]
    assert replica["retention"] == "${LITESTREAM_RETENTION}"
    assert "umask 077" in " ".join(litestream["entrypoint"])
