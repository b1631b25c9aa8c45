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
    for name in ("TRUSTED_KEYS", "WITNESSES", "WITNESS_QUORUM", "CHECKPOINT_DIR"):
        monkeypatch.delenv(f"LEDGER_{name}", raising=False)
    return directory


@pytest.fixture
def signing_key(key_directory: Path) -> SigningKey:
    return create_keys(key_directory)


@pytest.fixture
def trusted_key_file(signing_key: SigningKey, tmp_path: Path) -> Path:
    """The log's public key as the auditor keeps it: a vkey file outside key dir and store."""
    path = tmp_path / "auditor" / "ledger.vkey"
    path.parent.mkdir()
    path.write_text(signing_key.verifier.to_text() + "\n")
    return path


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


def recompute_tree(app: HazardLedger) -> None:
    """Make the log's tree state and stored nodes agree with its leaf rows again, as an
    attacker who rewrote history would."""
    from ledger import merkle

    t = app.integrity.tables
    size = int(raw(app, f"SELECT COUNT(*) FROM {t.log}")[0][0])
    frontier = merkle.Frontier()
    completed: list[tuple[int, int, bytes]] = []
    for leaf in app.integrity.leaf_hashes(0, size):
        frontier.append(leaf, completed)
    raw(app, f"DELETE FROM {t.nodes}")
    raw(
        app,
        f"UPDATE {t.tree} SET tree_size = ?, frontier = ?, root = ? WHERE id = 1",
        (size, frontier.to_bytes(), frontier.root()),
    )
    app.integrity._nodes_complete_to = 0


def truncate(app: HazardLedger, keep: int) -> None:
    """Delete every event from seq ``keep`` on, with its leaf and later checkpoints."""
    t = app.integrity.tables
    table, id_column = events_table(app)
    raw(
        app,
        f"DELETE FROM {table} WHERE {id_column} IN "
        f"(SELECT notification_id FROM {t.log} WHERE seq >= ?)",
        (keep,),
    )
    raw(app, f"DELETE FROM {t.log} WHERE seq >= ?", (keep,))
    raw(app, f"DELETE FROM {t.checkpoints} WHERE tree_size > ?", (keep,))
    recompute_tree(app)


def rewrite_payload(app: HazardLedger, seq: int, old: bytes, new: bytes) -> None:
    """Change the stored event at ``seq`` and recompute its leaf and the tree."""
    from ledger import merkle
    from ledger.integrity.leaf import encode_leaf, payload_hash

    t = app.integrity.tables
    table, id_column = events_table(app)
    nid = raw(app, f"SELECT notification_id FROM {t.log} WHERE seq = ?", (seq,))[0][0]
    state = bytes(raw(app, f"SELECT state FROM {table} WHERE {id_column} = ?", (nid,))[0][0])
    assert old in state
    edited = state.replace(old, new)
    raw(app, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (edited, nid))
    rows = app.integrity._entry_rows("seq = ?", (seq,))
    header, _, _ = app.integrity._entry(rows[0])
    p_hash = payload_hash(edited)
    leaf = merkle.leaf_hash(encode_leaf(header, p_hash))
    raw(
        app,
        f"UPDATE {t.log} SET payload_hash = ?, leaf_hash = ? WHERE seq = ?",
        (p_hash, leaf, seq),
    )
    recompute_tree(app)


def event_at(app: HazardLedger, seq: int) -> tuple[int, bytes]:
    """The stored event logged at ``seq``: its notification id and state bytes."""
    table, id_column = events_table(app)
    t = app.integrity.tables
    row = raw(
        app,
        f"SELECT e.{id_column}, e.state FROM {table} e JOIN {t.log} l "
        f"ON e.{id_column} = l.notification_id WHERE l.seq = ?",
        (seq,),
    )[0]
    return int(row[0]), bytes(row[1])
