"""Prometheus metrics (`METRICS_PORT`): the figures of /admin, read afresh at each scrape.
Served by their own small server in polling mode, and at `/metrics` of the webhook's front
door (bot/webhook.py) in webhook mode: one port to publish."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from wsgiref.simple_server import WSGIServer

from prometheus_client import CollectorRegistry, generate_latest, start_http_server
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector

from bot.operations import bot_version
from bot.pure.clock import Clock
from bot.pure.timerules import epoch
from bot.services import Services
from db import stats

PREFIX = "companion"


class FiguresCollector(Collector):
    """Reads the database through its own read-only connection: the metrics server answers
    in its own thread, and SQLite connections stay in the thread that made them."""

    def __init__(self, database_path: str, clock: Clock) -> None:
        self.database_path = database_path
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily | InfoMetricFamily]:
        db = stats.read_only(self.database_path)
        try:
            found = stats.figures(db, epoch(self.clock.now()))
        finally:
            db.close()
        yield InfoMetricFamily(PREFIX, "the running version", value={"version": bot_version()})
        for name, help_text, value in (
            ("people", "people who ever wrote to the bot", found.people),
            (
                "patients_with_reminder",
                "people with a daily reminder",
                found.patients_with_reminder,
            ),
            ("caregiver_links", "caregivers following a patient", found.caregiver_links),
            ("paused_chats", "chats paused because they blocked the bot", found.paused_chats),
            ("failed_last_day", "deliveries given up in the last day", found.failed_last_day),
            ("database_bytes", "size of the SQLite database", found.database_bytes),
        ):
            yield GaugeMetricFamily(f"{PREFIX}_{name}", help_text, value=value)
        sent = GaugeMetricFamily(
            f"{PREFIX}_messages_sent", "scheduled messages sent", labels=["window"]
        )
        sent.add_metric(["1h"], found.sent_last_hour)
        sent.add_metric(["1d"], found.sent_last_day)
        yield sent
        late = GaugeMetricFamily(
            f"{PREFIX}_reminder_lateness_seconds",
            "how late reminders went out over the last day (absent with none sent)",
            labels=["quantile"],
        )
        quantiles = {"0.5": found.lateness_median, "0.95": found.lateness_p95}
        for quantile, seconds in quantiles.items():
            if seconds is not None:
                late.add_metric([quantile], seconds)
        yield late


def registry_of(services: Services) -> CollectorRegistry:
    registry = CollectorRegistry()
    registry.register(FiguresCollector(str(services.settings.database_path), services.clock))
    return registry


def scraper(services: Services) -> Callable[[], bytes]:
    """The text of one scrape (the webhook's front door serves it at /metrics)."""
    registry = registry_of(services)
    return lambda: generate_latest(registry)


def serve(services: Services) -> WSGIServer:
    """Start the metrics server in a daemon thread on METRICS_LISTEN:METRICS_PORT."""
    settings = services.settings
    assert settings.metrics_port is not None
    server, _thread = start_http_server(
        settings.metrics_port, addr=settings.metrics_listen, registry=registry_of(services)
    )
    return server
