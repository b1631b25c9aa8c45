"""Fixtures for the federation: provinces and a national store as schemas of the shared
PostgreSQL server, standing in for servers of their own (the feed only ever sees DSNs).

``bench/federation/run.py`` runs the same thing on three real clusters with a streaming
replica; here every test gets fresh schemas, dropped afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from psycopg import sql

from api.composition import Config, Ledger, load_configured_sectors, open_ledger, read_models
from api.federation import NationalFeed, NationalStore, Province
from tests.conftest import PG_DSN_VAR, FakeClock, postgres_dsn

PROVINCES = ("62", "44")  # 甘肃省, 广东省


def _dsn() -> str:
    dsn = postgres_dsn()
    if dsn is None:
        pytest.skip(f"federation runs on PostgreSQL: set {PG_DSN_VAR} to run it")
    return dsn


def _with_schema(dsn: str, schema: str) -> str:
    return f"{dsn}{'&' if '?' in dsn else '?'}schema={schema}"


def _drop_schemas(dsn: str, prefix: str) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        found = conn.execute(
            "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)", (prefix,)
        ).fetchall()
        for (name,) in found:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


@pytest.fixture(autouse=True)
def own_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keys in the test's directory, checkpoints only when a test issues one."""
    directory = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(directory))
    monkeypatch.setenv("LEDGER_CHECKPOINT_EVERY", "0")
    for name in ("TRUSTED_KEYS", "WITNESSES", "WITNESS_QUORUM", "CHECKPOINT_DIR"):
        monkeypatch.delenv(f"LEDGER_{name}", raising=False)
    return directory


@pytest.fixture
def run_prefix() -> Iterator[str]:
    """A prefix for every schema this test makes; they are all dropped at the end."""
    dsn = _dsn()
    prefix = f"fed_{uuid4().hex[:10]}_"
    yield prefix
    _drop_schemas(dsn, prefix)


@pytest.fixture
def province_urls(run_prefix: str) -> dict[str, str]:
    return {code: _with_schema(_dsn(), f"{run_prefix}ledger_{code}") for code in PROVINCES}


@pytest.fixture
def provinces(province_urls: dict[str, str], clock: FakeClock) -> Iterator[dict[str, Ledger]]:
    """One provincial ledger per code, opened as ``ledger serve`` would open it."""
    opened = {
        code: open_ledger(Config(store=url, clock=clock)) for code, url in province_urls.items()
    }
    yield opened
    for ledger in opened.values():
        ledger.close()


@pytest.fixture
def national(run_prefix: str) -> NationalStore:
    return NationalStore(_dsn(), prefix=run_prefix)


@pytest.fixture
def feed(
    national: NationalStore, province_urls: dict[str, str], provinces: dict[str, Ledger]
) -> Iterator[NationalFeed]:
    models = read_models(load_configured_sectors())
    fed = NationalFeed(
        national, [Province(code, url) for code, url in province_urls.items()], models
    )
    yield fed
    fed.close()
