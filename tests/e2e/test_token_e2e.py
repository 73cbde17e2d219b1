"""A token Telegram refuses: `python -m bot` says so in one line naming the variable, never
its value, and exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.e2e.conftest import ROOT
from tests.fake_bot_api import FakeBotApi

REFUSED = "424242:REFUSED-SECRET-TOKEN"


def test_a_refused_token_is_named_never_printed(api: FakeBotApi, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": REFUSED,
        "TELEGRAM_BASE_URL": api.base_url,
        "DATABASE_PATH": str(tmp_path / "bot.db"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot"], cwd=ROOT, env=env, capture_output=True, timeout=120
    )
    output = (done.stdout + done.stderr).decode()
    assert done.returncode == 2, output
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "TELEGRAM_BOT_TOKEN" in errors[0], output
    assert "REFUSED-SECRET" not in output and "424242" not in output, output
    assert "Traceback" not in output, output
