"""Configuration from the environment and a `.env` file, validated once at start-up."""

from __future__ import annotations

import sys
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Every knob an operator can turn; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: str = Field(min_length=1)
    telegram_base_url: str | None = None
    database_path: Path = Path("data/bot.db")
    content_path: Path = Field(default_factory=lambda: default_content_path())
    log_level: str = "INFO"
    rate_limit: bool = True
    scheduler_tick_seconds: float = Field(default=10, gt=0, le=60)
    reminder_catchup_hours: float = Field(default=6, ge=0)
    caregiver_alert_after_minutes: int = Field(default=120, gt=0)
    flood_per_minute: int = Field(default=20, ge=0)  # 0 turns flood control off
    flood_burst: int = Field(default=10, ge=1)
    ledger_retention_days: int = Field(default=90, ge=1)

    @field_validator("telegram_base_url")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    def bot_api_base_url(self) -> str:
        """python-telegram-bot appends the token to `base_url`; default is Telegram's cloud."""
        return self.telegram_base_url or "https://api.telegram.org/bot"


def default_content_path() -> Path:
    """The checkout's content/ when run from source (or `pip install -e .`); otherwise, as
    after installing a wheel, which holds no content, `content` in the working directory."""
    checkout = Path(__file__).resolve().parent.parent / "content"
    return checkout if checkout.is_dir() else Path("content")


def load_settings() -> Settings:
    """Read settings, or exit 2 with one plain line when something required is missing."""
    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]).upper() if error["loc"] else "setting"
            if error["type"] in ("missing", "string_too_short"):
                print(f"error: {name} is not set (see .env.example)", file=sys.stderr)
            else:
                print(f"error: {name}: {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from None
