"""The foundation's promises that no feature test looks at: the rate limiter is on, the
store is in WAL mode, and the people table remembers who wrote, in what language, and when."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.pacing import Pacer
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from tests.support import Person, build_app


def test_the_rate_limiter_is_on_unless_turned_off(tmp_path: Path) -> None:
    def limiter(**values: object) -> object:
        settings = Settings(
            telegram_bot_token="1:T",
            database_path=tmp_path / "bot.db",
            _env_file=None,  # type: ignore[call-arg]
            **values,  # type: ignore[arg-type]
        )
        return build_app(settings).bot.rate_limiter

    assert isinstance(limiter(), Pacer)
    assert limiter(rate_limit=False) is None


def test_the_store_is_in_wal_mode(services: Services) -> None:
    assert services.db.journal_mode == "wal"


async def test_people_remember_name_language_and_when(
    anna: Person, services: Services, clock: FakeClock
) -> None:
    await anna.send("/start")
    first = clock.now().isoformat()
    clock.advance(timedelta(days=3))
    anna.first_name, anna.language_code = "Anne", "pt-BR"
    await anna.send("/help")
    row = services.db["people"].get(anna.chat_id)
    assert (row["first_name"], row["language"]) == ("Anne", "en")  # no Portuguese folder
    assert row["created_at"] == first
    assert row["last_seen_at"] == clock.now().isoformat()
