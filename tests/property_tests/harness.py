"""The generated history on a store, served over HTTP, with copies cut at a moment.

``World`` is the history of ``world.write_history`` recorded on a store (a SQLite file or
a PostgreSQL schema), its read models caught up, an API client with one token per viewer,
and what a test needs around it:

- ``copy_at(T)``: a second, fresh store holding exactly the events recorded up to ``T``
  (the stored rows are copied in order, so the copy's integrity log recomputes the same
  leaves), its read models caught up, served by its own app whose clock stands at ``T``.
  "The answer on a copy of the ledger holding only the events recorded up to T."
- ``snapshot_at(T)``: the read-model snapshot at ``T`` built through ``POST /snapshots``
  and waited for through ``GET /snapshots``, as the web page does.
- ``cli(...)``: the ``ledger`` command line run in-process against a store.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.persistence import StoredEvent
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx2 import Response
from typer.testing import CliRunner

from api.app import Settings, create_app
from api.cli import app as cli_app
from api.composition import Config, load_configured_sectors, open_ledger
from ledger.application import HazardLedger
from tests.conftest import drop_schema, new_store_url, postgres_dsn

from .world import START, VIEWERS, Clock, History, write_history

SNAPSHOT_WAIT_SECONDS = 60.0
PLUGINS = ("chemicals", "city_gas", "construction", "fire", "special_equipment")
"""The built-in sectors only, everywhere (the app, the copies, the CLI): the properties are
about the routes, and installed third-party plugins are not part of this history."""


@dataclass
class Served:
    """One ledger behind one app, with a token per viewer."""

    url: str
    ledger: HazardLedger
    clock: Clock
    app: FastAPI
    client: TestClient
    tokens: dict[str, str]

    def get(self, who: str, path: str, **params: Any) -> Response:
        query = {k: _param(v) for k, v in params.items() if v is not None}
        return self.client.get(
            path, params=query, headers={"Authorization": f"Bearer {self.tokens[who]}"}
        )

    def post(self, who: str, path: str, body: Any, **headers: str) -> Response:
        return self.client.post(
            path, json=body, headers={"Authorization": f"Bearer {self.tokens[who]}", **headers}
        )

    def event_count(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def catch_up(self) -> None:
        """Apply every recorded event to the live read models."""
        config = Config(store=self.url, plugins=PLUGINS)
        follower = open_ledger(config, ledger=self.ledger).follower()
        try:
            follower.catch_up()
        finally:
            follower.close()


def _param(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_param(v) for v in value]
    return value


@dataclass
class StoreFactory:
    """Fresh stores of one kind; PostgreSQL schemas are dropped at the end."""

    kind: str
    directory: Path
    schemas: list[str] = field(default_factory=list)

    def new(self) -> str:
        url, schema = new_store_url(self.kind, self.directory)
        if schema is not None:
            self.schemas.append(schema)
        return url

    def drop_all(self) -> None:
        dsn = postgres_dsn()
        for schema in self.schemas:
            if dsn is not None:
                drop_schema(dsn, schema)


def serve(url: str, ledger: HazardLedger, clock: Clock, stack: ExitStack) -> Served:
    """An app over ``ledger`` (no background follower: tests catch up explicitly)."""
    settings = Settings(store=url, clock=clock, follow=False, plugins=PLUGINS)
    app = create_app(settings, ledger=ledger)
    client = stack.enter_context(TestClient(app))
    users = app.state.services.users
    tokens = {key: users.add(user, now=clock.now) for key, user in VIEWERS.items()}
    return Served(url, ledger, clock, app, client, tokens)


@dataclass
class World:
    """The generated history on one store, served, with copies and snapshots."""

    history: History
    served: Served
    stores: StoreFactory
    stack: ExitStack
    copies: dict[datetime, Served] = field(default_factory=dict)
    snapshot: datetime | None = None
    copy_snapshots: set[datetime] = field(default_factory=set)

    def __repr__(self) -> str:  # hypothesis prints the arguments of a failing example
        return f"World({self.served.url!r}, {len(self.history.steps)} steps)"

    @property
    def facts(self) -> Any:
        return self.history.facts

    def copy_at(self, moment: datetime) -> Served:
        """A fresh store with only the events recorded up to ``moment``; clock at it."""
        if moment in self.copies:
            return self.copies[moment]
        count = self.history.events_by(moment)
        url = self.stores.new()
        clock = Clock(moment)
        ledger = HazardLedger(url, clock=clock, sectors=load_configured_sectors(PLUGINS))
        self.stack.callback(ledger.close)
        source = self.served.ledger.recorder
        if count:
            rows = source.select_notifications(start=1, limit=count)
            ledger.recorder.insert_events(
                [
                    StoredEvent(
                        originator_id=r.originator_id,
                        originator_version=r.originator_version,
                        topic=r.topic,
                        state=r.state,
                    )
                    for r in rows
                ]
            )
        served = serve(url, ledger, clock, self.stack)
        served.catch_up()
        self.copies[moment] = served
        return served

    def snapshot_at(self, moment: datetime) -> None:
        """Build the read-model snapshot at ``moment`` the way the web page asks for it."""
        if self.snapshot == moment:
            return
        body = {"known_at": moment.isoformat()}
        for who in ("admin", "gov_6208", "auditor_62", "dept_gas_6208", "insp_jingning"):
            r = self.served.post(who, "/snapshots", body)
            if r.status_code != 403:
                break
        assert r.status_code == 202, f"POST /snapshots: {r.status_code} {r.text}"
        deadline = time.monotonic() + SNAPSHOT_WAIT_SECONDS
        while True:
            state = self.served.get(who, "/snapshots").json()
            if state.get("state") == "ready" and state.get("known_at") == moment.isoformat():
                break
            assert state.get("state") != "failed", f"snapshot failed: {state}"
            assert time.monotonic() < deadline, f"snapshot not ready: {state}"
            time.sleep(0.02)
        self.snapshot = moment

    def copy_snapshot_at(self, moment: datetime) -> Served:
        """The copy at ``moment`` with its own read-model snapshot at ``moment`` (for
        commands that must be asked ``--known-at`` on both sides: the CLI has no clock
        to stand at T)."""
        copy = self.copy_at(moment)
        if moment not in self.copy_snapshots:
            config = Config(store=copy.url, plugins=PLUGINS)
            follower = open_ledger(config, ledger=copy.ledger).follower()
            try:
                follower.rebuild(known_at=moment)
            finally:
                follower.close()
            self.copy_snapshots.add(moment)
        return copy

    def cli(self, url: str, *args: str) -> tuple[int, Any]:
        """Run ``ledger --store url --json ARGS``; the exit code and the parsed JSON
        (or the raw text when the output is not JSON)."""
        options = ["--store", url, "--plugins", ",".join(PLUGINS), "--json"]
        result = CliRunner().invoke(cli_app, [*options, *args])
        text = result.stdout
        try:
            return result.exit_code, orjson.loads(text)
        except orjson.JSONDecodeError:
            return result.exit_code, text


def build_world(kind: str, directory: Path) -> Iterator[World]:
    """The history on a fresh store of ``kind``; yields the world, then tears it down."""
    stores = StoreFactory(kind, directory)
    with ExitStack() as stack:
        url = stores.new()
        clock = Clock(START)
        ledger = HazardLedger(url, clock=clock, sectors=load_configured_sectors(PLUGINS))
        stack.callback(ledger.close)
        history = write_history(ledger, clock)
        clock.now = history.end + timedelta(days=1)  # "now": a day after the last command
        served = serve(url, ledger, clock, stack)
        served.catch_up()
        yield World(history, served, stores, stack)
    stores.drop_all()


def without(body: Any, *names: str) -> Any:
    """``body`` with the named keys removed at its top level (and in each list item)."""
    if isinstance(body, dict):
        return {k: v for k, v in body.items() if k not in names}
    if isinstance(body, list):
        return [without(item, *names) for item in body]
    return body


def answer(response: Response) -> tuple[int, Any]:
    """Status and body (JSON when it is JSON) of a response, for comparing answers."""
    try:
        body = response.json()
    except ValueError:
        body = response.text
    return response.status_code, body


def masked(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with each id string replaced by its placeholder (for comparing an
    answer about one id with the answer about another)."""
    text = orjson.dumps(value).decode()
    for real, placeholder in ids.items():
        text = text.replace(real, placeholder)
    return orjson.loads(text)


def uuid_strings(value: UUID) -> tuple[str, ...]:
    """The forms an id may take in a body or a cursor."""
    return (str(value), value.hex)


def differences(left: Any, right: Any, path: str = "") -> list[str]:
    """Every place two answers differ, and how (for one-line counterexamples)."""
    if isinstance(left, dict) and isinstance(right, dict):
        out: list[str] = []
        for key in sorted(set(left) | set(right), key=str):
            if key not in left or key not in right:
                out.append(f"{path}.{key}: only on the {'left' if key in left else 'right'}")
            elif left[key] != right[key]:
                out += differences(left[key], right[key], f"{path}.{key}")
        return out
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return [f"{path}: {len(left)} items vs {len(right)}"]
        out = []
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            if a != b:
                out += differences(a, b, f"{path}[{index}]")
        return out
    if left == right:
        return []
    return [f"{path or 'answer'}: {str(left)[:120]} vs {str(right)[:120]}"]


def first_difference(left: Any, right: Any, limit: int = 6) -> str:
    """The first few differences between two answers, on one line."""
    found = differences(left, right)
    more = f" (+{len(found) - limit} more)" if len(found) > limit else ""
    return "; ".join(found[:limit]) + more
