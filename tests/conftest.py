"""Shared fixtures: one test suite, both stores.

``store_url`` is parametrized over SQLite (a file in the test's temporary directory)
and PostgreSQL (a schema of its own, dropped afterwards, in the database named by
``LEDGER_TEST_POSTGRES_DSN``). Without that variable the PostgreSQL cases skip with a
visible reason; CI sets it, so there they run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from ledger.application import HazardLedger

PG_DSN_VAR = "LEDGER_TEST_POSTGRES_DSN"


class FakeClock:
    """The ledger's recording clock, moved by hand."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> datetime:
        self.now += timedelta(**kwargs)
        return self.now


def postgres_dsn() -> str | None:
    return os.environ.get(PG_DSN_VAR) or None


def drop_schema(dsn: str, schema: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def new_store_url(kind: str, tmp_path: Path) -> tuple[str, str | None]:
    """A fresh store of ``kind``; returns (url, schema to drop or None)."""
    if kind == "sqlite":
        return str(tmp_path / f"ledger-{uuid4().hex[:8]}.db"), None
    dsn = postgres_dsn()
    if dsn is None:
        pytest.skip(f"PostgreSQL case skipped: set {PG_DSN_VAR} to run it")
    schema = f"test_{uuid4().hex[:16]}"
    sep = "&" if "?" in dsn else "?"
    return f"{dsn}{sep}schema={schema}", schema


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_url(store_kind: str, tmp_path: Path) -> Iterator[str]:
    url, schema = new_store_url(store_kind, tmp_path)
    yield url
    if schema is not None:
        dsn = postgres_dsn()
        assert dsn is not None
        drop_schema(dsn, schema)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))


@pytest.fixture
def ledger(store_url: str, clock: FakeClock) -> Iterator[HazardLedger]:
    app = HazardLedger(store_url, clock=clock)
    yield app
    app.close()
