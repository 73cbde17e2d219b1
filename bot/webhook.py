"""The webhook's front door: a small ASGI app of our own (Starlette, served by uvicorn, as
python-telegram-bot's `customwebhookbot` examples do) instead of PTB's built-in tornado
server, which reads a whole post, up to 100 MB, before it looks at the secret.

Here the secret header is compared in constant time before one byte of the body is read; a
body over LIMIT is refused from its Content-Length, or as soon as the bytes read pass it,
never buffered whole; a connection must deliver its request within REQUEST_SECONDS (a
slow-loris client is cut off); at most CONNECTIONS are served at once. The same port answers
`/healthz` and, when METRICS_PORT is set, `/metrics`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlparse

import uvicorn
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LIMIT = 1_048_576  # bytes: Telegram's updates are a few kB; a message is at most 4096 chars
REQUEST_SECONDS = 5.0  # from waiting for a request to its answer: headers, body, reply
CONNECTIONS = 100  # at once; more get 503 (Telegram opens at most 40 by default)


class TooLarge(Exception):
    """The body passed LIMIT: nothing more is read."""


async def read_body(request: Request) -> bytes:
    """The body, read chunk by chunk and refused as soon as it passes LIMIT."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > LIMIT):
        raise TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > LIMIT:
            raise TooLarge
    return bytes(body)


def front_door(
    application: Application[Any, Any, Any, Any, Any, Any],
    path: str,
    secret: str,
    metrics: Callable[[], bytes] | None = None,
) -> Starlette:
    """The ASGI app: POST `path` (updates), GET /healthz, GET /metrics (when given)."""
    expected = secret.encode()

    async def updates(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)  # before a byte of the body is read
        try:
            body = await read_body(request)
        except TooLarge:
            return Response(status_code=413, headers={"Connection": "close"})
        except ClientDisconnect:
            return Response(status_code=400)
        try:
            update = Update.de_json(json.loads(body), application.bot)
        except Exception as exc:  # never log the body: it is what she wrote
            log.warning("a post that is not an update was ignored: %s", type(exc).__name__)
            return Response(status_code=400)
        await application.update_queue.put(update)
        return Response()

    async def healthz(_request: Request) -> Response:
        running = application.running
        return PlainTextResponse("ok" if running else "stopped", 200 if running else 503)

    routes = [
        Route(path, updates, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    if metrics is not None:
        scrape = metrics

        async def serve_metrics(_request: Request) -> Response:
            # The collector reads SQLite through its own connection: in a worker thread.
            body = await asyncio.to_thread(scrape)
            return Response(body, media_type="text/plain; version=0.0.4; charset=utf-8")

        routes.append(Route("/metrics", serve_metrics, methods=["GET"]))
    return Starlette(routes=routes)


class Deadline(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with one more rule: a request (headers and body) must
    arrive within REQUEST_SECONDS of the connection waiting for it, or the connection is
    closed. uvicorn's keep-alive timeout covers only the idle time between requests, and a
    byte a minute would hold a connection open for ever."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline = self.loop.call_later(REQUEST_SECONDS, self._too_slow)

    def on_response_complete(self) -> None:
        self._deadline.cancel()
        self._deadline = self.loop.call_later(REQUEST_SECONDS, self._too_slow)
        super().on_response_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._deadline.cancel()
        super().connection_lost(exc)

    def _too_slow(self) -> None:
        if not self.transport.is_closing():
            log.info("a webhook connection too slow to send its request was closed")
            self.transport.close()


class FrontDoor(uvicorn.Server):
    """The server, run with the application: `python -m bot`'s own SIGTERM handler stops
    the scheduler first, then sets `should_exit` (uvicorn installs no signal handlers)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        settings: Settings,
        metrics: Callable[[], bytes] | None = None,
    ) -> None:
        assert settings.telegram_webhook_url and settings.telegram_webhook_secret
        self.application, self.settings = application, settings
        path = urlparse(settings.telegram_webhook_url).path or "/"
        app = front_door(application, path, settings.telegram_webhook_secret, metrics)
        self.opened = asyncio.Event()  # listening: the webhook may be registered
        super().__init__(
            uvicorn.Config(
                app,
                host=settings.webhook_listen,
                port=settings.webhook_port,
                http=Deadline,
                lifespan="off",
                limit_concurrency=CONNECTIONS,
                timeout_keep_alive=5,
                access_log=False,  # the path and client are no one's business in the log
                log_config=None,  # our logging (bot/errors.py) as it is
                server_header=False,
            )
        )

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield  # python -m bot handles SIGTERM and SIGINT itself

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.opened.set()

    async def run_bot(self, allowed_updates: list[str]) -> None:
        """Start the application and the server, then register the webhook (Telegram posts
        only once the door is open); serve until told to stop, then stop the application as
        run_webhook would (pending updates handled, the tick finished)."""
        application, settings = self.application, self.settings
        async with application:  # initialize() ... shutdown()
            if application.post_init:
                await application.post_init(application)
            await application.start()
            opened = asyncio.create_task(self.opened.wait())
            serving = asyncio.create_task(self.serve())
            try:
                await asyncio.wait([opened, serving], return_when=asyncio.FIRST_COMPLETED)
                if self.started:
                    await application.bot.set_webhook(
                        url=settings.telegram_webhook_url or "",
                        secret_token=settings.telegram_webhook_secret,
                        allowed_updates=allowed_updates,
                        drop_pending_updates=False,
                    )
                await serving
            finally:
                self.should_exit = True
                opened.cancel()
                await asyncio.wait([serving])
                await application.stop()
                if application.post_stop:
                    await application.post_stop(application)
        if application.post_shutdown:
            await application.post_shutdown(application)
