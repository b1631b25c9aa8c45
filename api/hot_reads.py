"""The hottest read, a case's timeline, answered before FastAPI's request machinery.

FastAPI solves a route's dependencies (the bearer token, the query parameters) on every
request, and for a timeline read that costs more than reading and encoding the case's
events. ``HotReads`` answers ``GET /hazards/{id}/timeline`` (without a query string)
itself, but only when everything goes right: a known token, a case that exists, in the
caller's jurisdiction. Anything else — no token, a bad one, an unknown case, out of
scope, ``?known_at=`` — goes on to the full application, which gives the documented
answer and error. The route stays declared in FastAPI, so the OpenAPI document and
the behaviour are one. See decision record 0015.

Every read asks the store one question (``Lookups``): who holds the token, and the
case's last version and redaction count. Encoded timelines are kept per case with that
version and count, and re-encoded only when the case has moved on or one of its events
was redacted — also when another process recorded the change. Nothing about a token or
a case is remembered between requests except the encoded body: a revoked token is
refused at the next request, on every process. See decision record 0035.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from ledger.errors import NotFound
from ledger.hazard import HazardCase
from ledger.views import event_row

from .users import HOLDER_COLUMNS, hash_token, holder

TIMELINE = re.compile(r"^/hazards/([0-9a-fA-F-]{36})/timeline$")
TIMELINE_ROUTE = SimpleNamespace(path="/hazards/{case_id}/timeline")
JSON = [(b"content-type", b"application/json")]
LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Encoded:
    """A case's timeline as sent, with what scope checks need."""

    version: int
    redactions: int
    region_code: str
    sector: str
    enterprise_code: str
    body: bytes


class HotReads:
    """ASGI middleware: the success path of the timeline read, without FastAPI."""

    def __init__(self, app: ASGIApp, cache_size: int = 10_000) -> None:
        self.app = app
        self.cache_size = cache_size
        self.cache: OrderedDict[UUID, Encoded] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope["query_string"]:
            match = TIMELINE.match(scope["path"])
            body = await self._timeline(scope, match.group(1)) if match else None
            if body is not None:
                scope["route"] = TIMELINE_ROUTE  # for the request counter
                headers = [*JSON, (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    async def _timeline(self, scope: Scope, case_id: str) -> bytes | None:
        services: Any = getattr(scope["app"].state, "services", None)
        token = bearer_token(scope)
        if services is None or token is None:
            return None
        try:
            key = UUID(case_id)
        except ValueError:
            return None
        ledger = services.ledger
        found = await services.lookups().timeline(hash_token(token), key)
        if found is None:
            return None  # the store did not answer: the full application will say so
        row, version, redactions = found
        user = holder(row, now=ledger.clock())
        if user is None or version is None:
            return None
        encoded = self._encoded(ledger, key, version, redactions)
        if encoded is None or not user.sees(
            region_code=encoded.region_code,
            sector=encoded.sector,
            enterprise_code=encoded.enterprise_code,
        ):
            return None
        return encoded.body

    def _encoded(self, ledger: Any, case_id: UUID, version: int, redactions: int) -> Encoded | None:
        cached = self.cache.get(case_id)
        if cached is not None and cached.version == version and cached.redactions == redactions:
            self.cache.move_to_end(case_id)
            return cached
        try:
            events = ledger.history(case_id)
        except NotFound:
            return None
        reported = events[0]
        if not isinstance(reported, HazardCase.Reported):
            return None
        encoded = Encoded(
            events[-1].originator_version,
            redactions,
            reported.region_code,
            reported.sector,
            reported.enterprise_code,
            orjson.dumps([event_row(e) for e in events]),
        )
        self.cache[case_id] = encoded
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return encoded


class Lookups:
    """What the hot path asks the store on every request, in one statement.

    Who holds a token (``api.users.HOLDER_COLUMNS``), a case's last version, and a
    count that grows whenever one of the case's events is redacted (a redaction
    rewrites an event in place, without a new version), asked on a connection of its
    own in autocommit mode: every answer is the store's committed state after the
    request arrived, so a token revoked, or an event recorded or redacted, by any
    process is seen by the very next request. Nothing is remembered between requests.

    On PostgreSQL the round trip costs more than the rest of the read, so the questions
    (``timeline``, and ``user`` for every route's bearer check) are asked on an
    asynchronous connection, without stopping the event loop: a question waits until
    the loop has taken in the requests that arrived with it, and all of them are sent at
    once in pipeline mode; the questions that arrive while a batch is out go in the next
    one. One round trip per batch, each request still asked after it arrived. (One
    statement over ``unnest`` of all their keys measured many times slower here than
    pipelined plain statements.) The pooled path this replaces took four round trips per
    request (begin, token, commit, version). SQLite answers in microseconds in-process
    and is asked request by request. One connection per process either way.

    Used from the event loop's thread (a lock guards the SQLite connection against any
    other). If a connection breaks (a restarted server, a terminated backend), the
    question is asked once more on a new one; if that fails too the answer is None and
    the caller goes the full application's way. ``close()`` when the application stops.
    """

    def __init__(self, ledger: Any) -> None:
        self.store = ledger.store
        self.postgres = self.store.is_postgres
        table = ledger.recorder.events_table_name
        try:
            ledger.integrity  # noqa: B018 - raises when the ledger has no integrity log
            integrity = True
        except RuntimeError:
            integrity = False
        prefix = f'"{self.store.schema}".' if self.postgres else ""
        mark = "%s" if self.postgres else "?"
        redactions = (
            f"(SELECT COALESCE(SUM(LENGTH(r.fields) + 1), 0) FROM {prefix}integrity_log l "
            f"JOIN {prefix}integrity_redactions r ON r.seq = l.seq "
            f"WHERE l.originator_id = {mark})"
            if integrity
            else "0"
        )
        version = (
            f"(SELECT MAX(originator_version) FROM {prefix}{table} WHERE originator_id = {mark})"
        )
        holder = ", ".join(f"u.{c}" for c in HOLDER_COLUMNS)
        users = f"(SELECT 1) AS one LEFT JOIN {prefix}ledger_users u ON u.token_hash = {mark}"
        self.user_query = f"SELECT {holder} FROM {users}"
        # Parameters in order of appearance: the case (twice, or once), then the token.
        self.timeline_query = f"SELECT {holder}, {version}, {redactions} FROM {users}"
        self.case_marks = 2 if integrity else 1
        # The library stores UUIDs on SQLite as 32 hex digits.
        self.key: Callable[[UUID], Any] = (lambda u: u) if self.postgres else (lambda u: u.hex)
        self.conn: Any = None
        self.aconn: Any = None
        self.asking = False
        self.asker: asyncio.Task[None] | None = None
        self.lock = threading.Lock()
        self.waiting: list[tuple[str, tuple[Any, ...], asyncio.Future[tuple[Any, ...] | None]]] = []

    async def timeline(
        self, token_hash: str, case_id: UUID
    ) -> tuple[tuple[Any, ...], int | None, int] | None:
        """(the token's ``HOLDER_COLUMNS``, the case's last version or None, the case's
        redaction count), or None if the store cannot be asked."""
        params = (self.key(case_id),) * self.case_marks + (token_hash,)
        row = await self._asked(self.timeline_query, params)
        if row is None:
            return None
        n = len(HOLDER_COLUMNS)
        version = row[n]
        return tuple(row[:n]), None if version is None else int(version), int(row[n + 1])

    async def user(self, token_hash: str) -> tuple[Any, ...] | None:
        """The token's ``HOLDER_COLUMNS`` (all None if nobody holds it), or None if the
        store cannot be asked; on PostgreSQL asked together with the questions of the
        requests that arrived with this one."""
        return await self._asked(self.user_query, (token_hash,))

    async def _asked(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        if not self.postgres:
            return self._ask(query, params)
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[tuple[Any, ...] | None] = loop.create_future()
        self.waiting.append((query, params, answer))
        if not self.asking:
            self.asking = True
            # After the requests already read from the sockets have asked theirs.
            loop.call_soon(self._start_asking, loop)
        return await answer

    def _start_asking(self, loop: asyncio.AbstractEventLoop) -> None:
        self.asker = loop.create_task(self._ask_waiting())  # kept: a task needs a holder

    async def _ask_waiting(self) -> None:
        try:
            while self.waiting:
                waiting, self.waiting = self.waiting, []
                rows = await self._ask_async([(query, params) for query, params, _ in waiting])
                for (_, _, answer), row in zip(waiting, rows, strict=True):
                    if not answer.done():
                        answer.set_result(row)
        finally:
            self.asking = False

    async def _ask_async(
        self, batch: list[tuple[str, tuple[Any, ...]]]
    ) -> list[tuple[Any, ...] | None]:
        for attempt in (1, 2):
            try:
                if self.aconn is None:
                    self.aconn = await self._connect_async()
                conn = self.aconn
                if len(batch) == 1:
                    query, params = batch[0]
                    cursor = await conn.execute(query, params)
                    return [tuple(await cursor.fetchone())]
                async with conn.pipeline():
                    cursors = [await conn.execute(query, params) for query, params in batch]
                return [tuple(await cursor.fetchone()) for cursor in cursors]
            except Exception:
                self._drop_async()
                if attempt == 2:
                    LOG.warning("the hot path's store connection failed", exc_info=True)
        return [None] * len(batch)

    async def _connect_async(self) -> Any:
        return await self.store.connect_postgres_async()

    def _drop_async(self) -> None:
        conn, self.aconn = self.aconn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.pgconn.finish()  # closes the socket; no round trip to await

    def _ask(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """The row ``query`` gives on the SQLite connection; None if the store cannot be
        asked even on a new connection."""
        with self.lock:
            for attempt in (1, 2):
                try:
                    if self.conn is None:
                        self.conn = self._connect()
                    return tuple(self.conn.execute(query, params).fetchone())
                except Exception:
                    self._drop()
                    if attempt == 2:
                        LOG.warning("the hot path's store connection failed", exc_info=True)
        return None

    def _connect(self) -> Any:
        """The SQLite connection (PostgreSQL is asked on ``_connect_async``'s)."""
        conn = self.store.connect_sqlite(isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only = 1")
        return conn

    def _drop(self) -> None:
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def close(self) -> None:
        with self.lock:
            self._drop()
        self._drop_async()


def bearer_token(scope: Scope) -> str | None:
    """The request's bearer token, read from the raw ASGI headers (both hot paths)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None
