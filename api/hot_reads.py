"""The hottest read, a case's timeline, answered before FastAPI's request machinery.

FastAPI solves a route's dependencies (the bearer token, the query parameters) on every
request, and for a timeline read that costs more than reading and encoding the case's
events. ``HotReads`` answers ``GET /hazards/{id}/timeline`` (without a query string)
itself, but only when everything goes right: a known token, a case that exists, in the
caller's jurisdiction. Anything else — no token, a bad one, an unknown case, out of
scope, ``?known_at=`` — goes on to the full application, which gives the documented
answer and error. The route stays declared in FastAPI, so the OpenAPI document and
the behaviour are one. See decision record 0015.

Encoded timelines are kept per case with the case's version: a read first asks the
store for the case's last version (one indexed row, no decoding), and re-encodes only
when the case has moved on — also when another process recorded the change.
"""

from __future__ import annotations

import re
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from ledger.errors import NotFound
from ledger.hazard import HazardCase
from ledger.views import event_row

TIMELINE = re.compile(r"^/hazards/([0-9a-fA-F-]{36})/timeline$")
TIMELINE_ROUTE = SimpleNamespace(path="/hazards/{case_id}/timeline")
JSON = [(b"content-type", b"application/json")]


@dataclass(frozen=True, slots=True)
class Encoded:
    """A case's timeline as sent, with what scope checks need."""

    version: int
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
            body = self._timeline(scope, match.group(1)) if match else None
            if body is not None:
                scope["route"] = TIMELINE_ROUTE  # for the request counter
                headers = [*JSON, (b"content-length", str(len(body)).encode())]
                await send({"type": "http.response.start", "status": 200, "headers": headers})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)

    def _timeline(self, scope: Scope, case_id: str) -> bytes | None:
        services: Any = getattr(scope["app"].state, "services", None)
        token = _bearer(scope)
        if services is None or token is None:
            return None
        ledger = services.ledger
        user = services.users.authenticate(token, now=ledger.clock())
        if user is None:
            return None
        try:
            key = UUID(case_id)
        except ValueError:
            return None
        encoded = self._encoded(services, key)
        if encoded is None or not user.sees(
            region_code=encoded.region_code,
            sector=encoded.sector,
            enterprise_code=encoded.enterprise_code,
        ):
            return None
        return encoded.body

    def _encoded(self, services: Any, case_id: UUID) -> Encoded | None:
        ledger = services.ledger
        version = services.version_probe().last_version(case_id)
        if version is None:
            return None
        cached = self.cache.get(case_id)
        if cached is not None and cached.version == version:
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
            reported.region_code,
            reported.sector,
            reported.enterprise_code,
            orjson.dumps([event_row(e) for e in events]),
        )
        self.cache[case_id] = encoded
        if len(self.cache) > self.cache_size:
            self.cache.popitem(last=False)
        return encoded


class VersionProbe:
    """The last version of an aggregate, straight from the events table.

    One indexed query on a connection of its own (read-only work, autocommit), used only
    from the event loop's thread: much cheaper than a library read of the last event.
    ``close()`` when the application stops.
    """

    def __init__(self, ledger: Any) -> None:
        store = ledger.store
        table = ledger.recorder.events_table_name
        self.conn: Any
        if store.is_postgres:
            self.conn = store.connect_postgres()
            self.query = (
                f'SELECT MAX(originator_version) FROM "{store.schema}".{table} '
                "WHERE originator_id = %s"
            )
            self.key: Any = lambda u: u
        else:
            self.conn = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
            self.conn.execute("PRAGMA query_only = 1")
            self.query = f"SELECT MAX(originator_version) FROM {table} WHERE originator_id = ?"
            self.key = lambda u: u.hex  # the library stores UUIDs on SQLite as 32 hex digits

    def last_version(self, aggregate_id: UUID) -> int | None:
        row = self.conn.execute(self.query, (self.key(aggregate_id),)).fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def close(self) -> None:
        self.conn.close()


def _bearer(scope: Scope) -> str | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            return token.strip() if scheme.lower() == "bearer" and token.strip() else None
    return None
