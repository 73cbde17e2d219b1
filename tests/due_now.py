"""Many patients whose daily reminder is due now, written straight to the store (shared by
the scheduler's fan-out, isolation and fault tests)."""

from __future__ import annotations

from bot.pure.timerules import epoch
from bot.services import Services
from bot.trial.clock import FakeClock


def add_patients(services: Services, clock: FakeClock, first: int, count: int) -> list[int]:
    """`count` people from chat id `first` on, each with a `dose` event due now."""
    chat_ids = list(range(first, first + count))
    stamp = clock.now().isoformat()
    with services.db.atomic():
        services.db.conn.executemany(
            "INSERT INTO people (chat_id, first_name, language, timezone, remind_at,"
            " created_at, last_seen_at) VALUES (?, 'P', 'en', 'UTC', ?, ?, ?)",
            [(c, f"{clock.now():%H:%M}", stamp, stamp) for c in chat_ids],
        )
        services.db.conn.executemany(
            "INSERT INTO events (chat_id, kind, ref, next_fire) VALUES (?, 'dose', '', ?)",
            [(c, epoch(clock.now())) for c in chat_ids],
        )
    return chat_ids
