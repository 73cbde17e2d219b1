"""Configuration from the environment and a `.env` file, validated once at start-up."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Telegram's rule for a webhook's secret token: 1-256 of A-Z, a-z, 0-9, _ and -.
SECRET_TOKEN = r"^[A-Za-z0-9_-]{1,256}$"
# Ours: at least 32 of them (openssl rand -hex 32 gives 64), so it cannot be guessed.
SECRET_MIN_LENGTH = 32


class StoreSettings(BaseSettings):
    """Where the database lives: all `python -m bot backup` needs (no token)."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    database_path: Path = Path("data/bot.db")


class Settings(StoreSettings):
    """Every knob an operator can turn; `.env.example` documents each one."""

    telegram_bot_token: str = Field(min_length=1)
    telegram_base_url: str | None = None
    content_path: Path = Field(default_factory=lambda: default_content_path())
    log_level: str = "INFO"
    rate_limit: bool = True
    scheduler_tick_seconds: float = Field(default=10, gt=0, le=60)
    reminder_catchup_hours: float = Field(default=6, ge=0)
    reminder_early_seconds: int = Field(default=120, ge=0, le=600)
    telegram_paid_broadcast: bool = False
    caregiver_alert_after_minutes: int = Field(default=120, gt=0)
    flood_per_minute: int = Field(default=20, ge=0)  # 0 turns flood control off
    flood_burst: int = Field(default=10, ge=1)
    ledger_retention_days: int = Field(default=90, ge=1)
    inactive_days: int | None = Field(default=None, ge=30)  # None: nobody is asked
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = Field(default=None, pattern=SECRET_TOKEN)
    webhook_listen: str = "127.0.0.1"  # the Docker image sets 0.0.0.0
    webhook_port: int = Field(default=8080, gt=0, lt=65536)
    admin_chat_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    metrics_port: int | None = Field(default=None, gt=0, lt=65536)
    metrics_listen: str = "127.0.0.1"

    @field_validator(
        "telegram_base_url",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "metrics_port",
        "inactive_days",
        mode="before",
    )
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return value or None

    @field_validator("admin_chat_ids", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        """`ADMIN_CHAT_IDS=123,-456`: chat ids separated by commas (blank: nobody)."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _webhook_needs_its_secret(self) -> Settings:
        """Without the secret anyone who finds the address could post updates as anyone."""
        if self.telegram_webhook_url and not self.telegram_webhook_secret:
            raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
        secret = self.telegram_webhook_secret or ""
        if self.telegram_webhook_url and len(secret) < SECRET_MIN_LENGTH:
            raise ValueError(
                f"TELEGRAM_WEBHOOK_SECRET is {len(secret)} characters; at least"
                f" {SECRET_MIN_LENGTH} are needed (make one with: openssl rand -hex 32)"
            )
        return self

    def bot_api_base_url(self) -> str:
        """python-telegram-bot appends the token to `base_url`; default is Telegram's cloud."""
        return self.telegram_base_url or "https://api.telegram.org/bot"


def default_content_path() -> Path:
    """The checkout's content/ when run from source (or `pip install -e .`); otherwise, as
    after installing a wheel, which holds no content, `content` in the working directory."""
    checkout = Path(__file__).resolve().parent.parent / "content"
    return checkout if checkout.is_dir() else Path("content")


AnySettings = TypeVar("AnySettings", bound=StoreSettings)


def load_settings(**overrides: Any) -> Settings:
    """Read settings, or exit 2 with one plain line when something required is missing."""
    return load(Settings, **overrides)


def load(kind: type[AnySettings], **overrides: Any) -> AnySettings:
    """`load_settings` for any part of the settings (`StoreSettings` needs no token)."""
    try:
        return kind(**overrides)
    except ValidationError as exc:
        for error in exc.errors():
            if not error["loc"]:  # a rule about several settings says their names itself
                print(f"error: {error['msg'].removeprefix('Value error, ')}", file=sys.stderr)
                continue
            name = str(error["loc"][0]).upper()
            if error["type"] in ("missing", "string_too_short"):
                print(
                    f"error: {name} is not set (see .env.example; to try the bot without"
                    " a token: make try)",
                    file=sys.stderr,
                )
            else:
                print(f"error: {name}: {error['msg']}", file=sys.stderr)
        raise SystemExit(2) from None
