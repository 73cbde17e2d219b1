"""build_application(): the one place the bot is wired, used by production and tests alike.

It receives the features and what they answer each other (handlers.FEATURES and
handlers.QUERIES, given by the composition root bot/__main__.py or by the tests): bot/ never
imports handlers/."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from functools import partial
from typing import Any, Protocol

from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import all_taken, gate, person, retention, router, scheduler
from bot.errors import on_error
from bot.matcher import Matcher
from bot.pacing import Pacer
from bot.pure import places
from bot.pure.clock import Clock, SystemClock
from bot.pure.content import Library
from bot.pure.i18n import FALLBACK, Catalog
from bot.pure.safety import Detector
from bot.queries import Queries
from bot.services import BotContext, Services
from bot.settings import Settings
from db.store import open_database

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]


class Feature(Protocol):
    """A feature module (handlers/<feature>): it adds its handlers, commands, replies,
    event kinds and listeners to the app and the registry."""

    def register(self, app: Any, services: Services) -> None: ...


def rate_limiter(settings: Settings) -> Pacer:
    """About 30 a second for the bot (scheduled sends up to 1000 with paid broadcasts), one a
    second per chat; a 429 pauses only its chat (see bot/pacing.py)."""
    return Pacer(paid=settings.telegram_paid_broadcast)


def build_application(
    settings: Settings,
    features: Sequence[Feature],
    queries: Queries,
    *,
    request: BaseRequest | None = None,
    clock: Clock | None = None,
    pacer: Pacer | None = None,
) -> App:
    """Wire settings, store, content, every feature and the queries they answer each other
    into a python-telegram-bot app (`pacer`: the bench's, on its virtual clock; otherwise one
    from the settings)."""
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token)
        .base_url(settings.bot_api_base_url())
        .post_init(_post_init)
        .concurrent_updates(True)
        .context_types(ContextTypes(context=BotContext))  # carries her record per update
        # Every text is Telegram HTML, set once. No-preview stays per send (bot/replies.py
        # NO_PREVIEW): a default LinkPreviewOptions would be built and serialised each time.
        .defaults(Defaults(parse_mode=ParseMode.HTML))
    )
    if settings.rate_limit:
        builder.rate_limiter(pacer or rate_limiter(settings))
    if request is not None:
        builder.request(request).get_updates_request(request)
    app = builder.build()

    library = Library.load(settings.content_path)
    services = Services(
        settings=settings,
        db=open_database(settings.database_path),
        clock=clock or SystemClock(),
        catalog=Catalog.load(settings.content_path),
        library=library,
        queries=queries,
        matcher=Matcher(library, settings.content_path),
        safety=Detector.load(settings.content_path),
    )
    app.bot_data["services"] = services
    # The framework's own handlers: the gate (group -2), the person middleware (-1) ...
    gate.install(app, services)
    person.install(app, services)
    all_taken.install(app, services)  # the moment's button (bot/moment.py), any feature's doses
    for feature in features:
        feature.register(app, services)
    services.registry.install(app)  # the commands, then the fallbacks features asked for
    router.install(app, services)  # ... and, last, free text and buttons nobody took
    app.add_error_handler(on_error)
    scheduler.install(app, services)
    retention.install(app, services)
    _prepare_once_polling(app)
    return app


def _prepare_once_polling(app: Any) -> None:
    """Once polling has begun, beside it: the city index opens (or, on a machine without
    it, is built) and the safety net's word lists load, so no start waits for them and the
    first `/timezone <city>` and the first message answer at once."""
    services: Services = app.bot_data["services"]

    def prepare() -> None:
        places.prepare()
        services.safety.prepare()

    async def start(context: BotContext) -> None:
        threading.Thread(target=prepare, name="prepare", daemon=True).start()

    app.job_queue.run_once(start, when=0, name="prepare")


async def _post_init(app: App) -> None:
    services: Services = app.bot_data["services"]
    released = scheduler.on_startup(services)
    if released:
        log.info("re-queued %d deliveries left unsent at the last stop", released)
    for language in services.catalog.languages():
        describe = partial(services.describe, language=language)
        await app.bot.set_my_commands(
            services.registry.menu(describe),
            language_code=None if language == FALLBACK else language,
        )
