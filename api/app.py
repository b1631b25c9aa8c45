"""The FastAPI application, built by one function from settings.

Routes are ``async def`` and call the synchronous ledger directly. Each call is a short,
bounded piece of work (a primary-key read or a one-transaction write), so running it
on the event loop costs less than the hop through Starlette's thread pool that a plain
``def`` route would take; concurrency comes from uvicorn workers (processes), which all
share the one store. See docs/decisions/0004-async-routes-without-threadpool.md.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ledger.application import Clock, HazardLedger, system_clock
from ledger.store import try_lease

from . import problems, web
from .body_limit import BodyLimit
from .composition import Config, Ledger, open_ledger
from .hot_reads import HotReads
from .hot_writes import HotWrites
from .routes import (
    accidents,
    api_docs,
    campaign,
    enforcement,
    evidence,
    hazards,
    integrity,
    labels,
    print_links,
    public_reports,
    readmodels,
    register_export,
    registry,
    review,
    risk,
    sectors,
    system,
    users,
)
from .services import Services

DESCRIPTION = """
hazard-ledger 隐患排查治理台账 — every step of every hazard as an immutable event.

All commands record the authenticated user as the actor, and both clocks: the
`occurred_at` you send (business time) and the time the ledger recorded it. Errors are
RFC 9457 problem details (`application/problem+json`) in Chinese or English by
`Accept-Language`; a refused command records nothing. Send `Idempotency-Key` with a POST
to make retries safe, and `If-Match: "<version>"` (or `expected_version`) to refuse stale
writes.
"""


#: The store-wide lease of the process that keeps the read models current.
FOLLOWER_LEASE = "read-models"


class RequestCounter:
    """Counts responses by route template and status, as a plain ASGI middleware.

    (Starlette's ``BaseHTTPMiddleware`` would cost more per request than the ledger
    work of a case read.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            services = getattr(scope["app"].state, "services", None)
            if services is not None:
                template = getattr(scope.get("route"), "path", "unmatched")
                services.metrics.count(template, status)


@dataclass(frozen=True)
class Settings:
    """What an API process needs: where the ledger lives, and (for tests) a clock."""

    store: str | None = None
    clock: Clock = system_clock
    follow: bool = field(default_factory=lambda: os.environ.get("LEDGER_FOLLOW", "1") != "0")
    """Keep the read models current from this process (a background follower; of several
    processes, the one holding the follower lease folds, and another takes over if it
    stops). ``$LEDGER_FOLLOW=0``
    (``ledger serve --no-follow``) leaves it to ``ledger project --follow`` workers."""
    key_dir: str | None = None
    """Where the checkpoint signing key lives (default: ``$LEDGER_KEY_DIR`` or
    ``~/.config/hazard-ledger/keys``); never in the store."""
    plugins: tuple[str, ...] | None = None
    """Load only these sector plugins (default: all installed, or ``$LEDGER_PLUGINS``)."""

    def config(self) -> Config:
        """The composition root's view of these settings."""
        return Config(
            store=self.store, plugins=self.plugins, key_dir=self.key_dir, clock=self.clock
        )


def _follow(composed: Ledger, stop: threading.Event) -> None:
    """Keep the read models current while this process holds the store's follower
    lease, until ``stop``.

    Every worker of ``ledger serve`` runs this thread, but only the one holding the
    lease follows: the others' folds would be the same work, done again only to be
    discarded when the first one's batch commits. A worker that stops (or dies) frees
    the lease, and another takes it within a second. The folding itself runs in a
    process of its own (``api.follow_process``), restarted if it ends; a ledger with a
    clock of its own (tests) is followed in this thread.
    """
    lease = None
    follower = None
    child: subprocess.Popen[bytes] | None = None
    try:
        while not stop.is_set():
            try:
                lease = lease or try_lease(composed.ledger.store, FOLLOWER_LEASE)
                if lease is not None and composed.config.clock is system_clock:
                    if child is None or child.poll() is not None:
                        child = _follow_process(composed.config)
                elif lease is not None:
                    follower = follower or composed.follower()
                    follower.catch_up()
            except Exception:  # a store hiccup: try again on the next tick
                logging.getLogger(__name__).exception("read-model follower failed; retrying")
            stop.wait(1.0)
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=10)
        if follower is not None:
            follower.close()
        if lease is not None:
            lease.release()


def _follow_process(config: Config) -> subprocess.Popen[bytes]:
    settings = {
        "store": config.store,
        "plugins": None if config.plugins is None else list(config.plugins),
        "key_dir": config.key_dir,
    }
    return subprocess.Popen([sys.executable, "-m", "api.follow_process", json.dumps(settings)])


_frozen = False


def _freeze_start_up() -> None:
    """Put what start-up made (plugins, labels, division lists, compiled schemas), which
    lives as long as the process, out of the garbage collector's sight: a full
    collection walked all of it and stopped every request for tens of milliseconds
    (report POSTs, one SQLite worker, no follower: p99 82-84 ms before, 11-14 ms after).
    Once per process: later objects stay collectable."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.collect()
        gc.freeze()


def create_app(settings: Settings | None = None, *, ledger: HazardLedger | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if ledger is not None:  # given by the caller, who also closes it
            yield
            app.state.services.close()
            return
        composed = open_ledger(settings.config())
        the_ledger = composed.ledger
        app.state.services = Services.build(the_ledger, settings.config())
        _freeze_start_up()
        stop = threading.Event()
        worker = None
        if settings.follow:
            worker = threading.Thread(
                target=_follow, args=(composed, stop), name="read-models", daemon=True
            )
            worker.start()
        try:
            yield
        finally:
            stop.set()
            if worker is not None:
                worker.join(timeout=10)
            app.state.services.close()
            the_ledger.close()

    app = FastAPI(
        title="hazard-ledger",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # offline pages instead: api.routes.api_docs
        redoc_url=None,
    )
    api_docs.install(app)
    if ledger is not None:
        app.state.services = Services.build(ledger, settings.config())
    problems.install(app)

    app.add_middleware(HotReads)
    app.add_middleware(HotWrites)
    app.add_middleware(BodyLimit)  # before anything reads a body
    app.add_middleware(RequestCounter)  # added last: outermost, so it counts hot reads too

    for module in (
        hazards,
        accidents,
        system,
        registry,
        enforcement,
        evidence,
        integrity,
        labels,
        review,
        readmodels,
        register_export,
        sectors,
        users,
        risk,
        public_reports,
        campaign,
        print_links,
    ):
        app.include_router(module.router)
    web.mount(app)
    return app
