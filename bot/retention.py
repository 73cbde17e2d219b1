"""Once a day, forget what is no longer needed: delivery records older than
LEDGER_RETENTION_DAYS and invitations that expired unused; then empty the write-ahead log,
which would otherwise keep copies of the deleted rows until overwritten."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from bot.pure.timerules import epoch
from bot.services import Services
from db import caregivers, events
from db.store import checkpoint

log = logging.getLogger(__name__)

EVERY = timedelta(days=1)
BATCH = 5_000  # rows a transaction: about 30 ms, so updates and the tick go on in between


async def purge(services: Services) -> tuple[int, int]:
    """(delivery records, invitations) removed."""
    now = services.clock.now()
    cutoff = epoch(now - timedelta(days=services.settings.ledger_retention_days))
    deliveries, batch = 0, BATCH
    while batch == BATCH:
        with services.db.atomic():
            batch = events.purge_ledger(services.db, cutoff, BATCH)
        deliveries += batch
        await asyncio.sleep(0)  # let waiting updates and sends run
    with services.db.atomic():
        invitations = caregivers.purge_invitations(services.db, epoch(now))
    if not checkpoint(services.db):  # what was deleted leaves the write-ahead log too
        log.warning("the write-ahead log was in use: emptied at the next checkpoint")
    log.info("purged %d old delivery records and %d expired invitations", deliveries, invitations)
    return deliveries, invitations


def install(app: Any, services: Services) -> None:
    """First a minute after start-up, then daily."""

    async def job(context: Any) -> None:
        await purge(services)

    app.job_queue.run_repeating(
        job, interval=EVERY, first=60, name="daily-purge", job_kwargs={"max_instances": 1}
    )
