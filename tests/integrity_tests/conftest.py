"""Fixtures for the integrity tests: a signing key in a temporary directory, raw SQL.

The key directory comes from ``LEDGER_KEY_DIR``, so every test gets its own and never
touches the developer's ``~/.config``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.integrity.signing import SigningKey, create_keys


@pytest.fixture(autouse=True)
def key_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(directory))
    monkeypatch.setenv("LEDGER_CHECKPOINT_EVERY", "0")
    return directory


@pytest.fixture
def signing_key(key_directory: Path) -> SigningKey:
    return create_keys(key_directory)


@pytest.fixture
def keyed_ledger(ledger: HazardLedger, signing_key: SigningKey) -> Iterator[HazardLedger]:
    yield ledger


def raw(app: HazardLedger, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run SQL straight against the store, as someone with database access would."""
    tables = app.integrity.tables
    with tables.write() as cur:
        cur.execute(tables.sql(statement), params)
        try:
            return [tuple(r) for r in cur.fetchall()]
        except Exception:
            return []


def events_table(app: HazardLedger) -> tuple[str, str]:
    """(qualified events table, its notification id column)."""
    t = app.integrity.tables
    return t.events, t.event_id
