"""SCHEDULER_TICK_SECONDS and REMINDER_CATCHUP_HOURS are read, not assumed (here 3 s and 1 h)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import scheduler
from bot.app import App
from bot.services import Services
from bot.settings import Settings
from bot.trial.clock import FakeClock
from bot.trial.recording_request import RecordingRequest
from db import doses
from tests.test_reminder_schedule import add_patient, sends_to


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"scheduler_tick_seconds": 3, "reminder_catchup_hours": 1})


def test_the_tick_runs_every_scheduler_tick_seconds(app: App) -> None:
    assert app.job_queue is not None
    (job,) = app.job_queue.get_jobs_by_name("scheduler-tick")
    assert job.job.trigger.interval == timedelta(seconds=3)


@pytest.mark.parametrize(("late", "sent", "status"), [(59, 1, "pending"), (61, 0, "missed")])
async def test_the_catch_up_window_is_reminder_catchup_hours(
    app: App,
    services: Services,
    clock: FakeClock,
    request_layer: RecordingRequest,
    late: int,
    sent: int,
    status: str,
) -> None:
    chat_id = add_patient(services, "UTC", "09:30")
    clock.advance(timedelta(minutes=30 + late))  # the bot was down
    await scheduler.tick(app.bot, services)
    assert sends_to(request_layer, chat_id, "time for your") == sent
    dose = doses.get(services.db, chat_id, "2026-03-02")
    assert dose is not None and dose.status == status
