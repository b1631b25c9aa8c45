"""Stored subtree nodes: written with the leaves, checked by verify, refilled when
missing, and what keeps a proof's cost flat as the ledger grows."""

from __future__ import annotations

import hashlib
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import merkle
from ledger.application import HazardLedger
from ledger.events import Context
from ledger.hazard import HazardCase
from ledger.integrity.log import NODE_LEVEL
from ledger.integrity.proofs import ProofBuilder
from tests.conftest import FakeClock
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant

from .conftest import raw


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(n)]


def completed_nodes(hashes: list[bytes]) -> list[tuple[int, int, bytes]]:
    frontier = merkle.Frontier()
    completed: list[tuple[int, int, bytes]] = []
    for h in hashes:
        frontier.append(h, completed)
    return completed


@settings(max_examples=40)
@given(st.integers(min_value=0, max_value=1100))
def test_the_frontier_reports_every_perfect_subtree_it_closes(n: int) -> None:
    hashes = leaves(n)
    expected = {
        (level, i, merkle.root(hashes[i << level : (i + 1) << level]))
        for level in range(1, n.bit_length())
        for i in range(n >> level)
    }
    completed = completed_nodes(hashes)
    assert len(completed) == len(expected)
    assert set(completed) == expected


@settings(max_examples=40)
@given(st.integers(min_value=1, max_value=3000), st.data())
def test_proofs_over_stored_nodes_match_the_definition_and_read_few_leaves(
    n: int, data: st.DataObject
) -> None:
    hashes = leaves(n)
    stored = {(lv, i): h for lv, i, h in completed_nodes(hashes) if lv >= NODE_LEVEL}
    # Some nodes may be missing (a ledger written before they were kept): still correct.
    dropped = data.draw(st.sets(st.sampled_from(sorted(stored))) if stored else st.just(set()))
    for key in dropped:
        del stored[key]
    read: list[int] = []

    def fetch(start: int, end: int) -> list[bytes]:
        read.append(min(end, n) - start)
        return hashes[start:end]

    builder = ProofBuilder(fetch, node=lambda level, index: stored.get((level, index)))
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    path = builder.inclusion_path(index, n)
    assert path == merkle.inclusion_proof(index, n, lambda s, e: hashes[s:e])
    assert merkle.verify_inclusion(hashes[index], index, n, path, merkle.root(hashes))
    if not dropped:
        # The leaf's own block and the right edge's tail: never the whole log.
        assert sum(read) <= 2 * 256


def fill(ledger: HazardLedger, clock: FakeClock, events: int) -> None:
    """Report cases until the log holds ``events``, many per save (one transaction)."""
    register_restaurant(ledger, clock.now)
    at = Context(actor=INSPECTOR, occurred_at=clock.now, recorded_at=clock.now)
    cases = [
        HazardCase.report(
            at,
            enterprise_code=RESTAURANT_CODE,
            enterprise_name="餐馆",
            region_code="620826",
            sector="city_gas",
            location="后厨",
            description="燃气软管穿墙敷设",
            source="grid_patrol",
        )
        for _ in range(events - ledger.integrity.tree_head()[0])
    ]
    for i in range(0, len(cases), 100):  # several writes, so nodes close across saves
        ledger.save(*cases[i : i + 100])


@pytest.fixture
def filled(ledger: HazardLedger, clock: FakeClock) -> HazardLedger:
    fill(ledger, clock, 3 * 256 + 10)
    return ledger


def stored_nodes(ledger: HazardLedger) -> list[tuple[int, int, bytes]]:
    rows = raw(ledger, f"SELECT level, idx, hash FROM {ledger.integrity.tables.nodes}")
    return sorted((int(lv), int(i), bytes(h)) for lv, i, h in rows)


def test_writes_store_each_completed_subtree_of_256_leaves_or_more(
    filled: HazardLedger,
) -> None:
    size = filled.integrity.tree_head()[0]
    hashes = filled.integrity.leaf_hashes(0, size)
    expected = sorted(node for node in completed_nodes(hashes) if node[0] >= NODE_LEVEL)
    assert [(lv, i) for lv, i, _ in expected] == [(8, 0), (8, 1), (8, 2), (9, 0)]
    assert stored_nodes(filled) == expected
    assert filled.integrity.verify().ok


def test_proofs_and_bundles_verify_with_stored_nodes(filled: HazardLedger) -> None:
    log = filled.integrity
    size, root = log.tree_head()
    for seq in (0, 255, 256, 700, size - 1):
        row = raw(
            filled,
            f"SELECT originator_id, originator_version FROM {log.tables.log} WHERE seq = {seq}",
        )[0]
        proof = log.inclusion_proof(UUID(str(row[0])), int(row[1]))
        assert proof.root == root and proof.verify()
    consistency = log.consistency_proof(300, size)
    assert merkle.verify_consistency(300, size, consistency.old_root, root, consistency.path)
    assert consistency.old_root == merkle.root(log.leaf_hashes(0, 300))


def test_missing_nodes_are_refilled_identically(filled: HazardLedger) -> None:
    before = stored_nodes(filled)
    raw(filled, f"DELETE FROM {filled.integrity.tables.nodes}")
    assert filled.integrity.verify().ok  # a missing node is not a failure
    size = filled.integrity.tree_head()[0]
    assert filled.integrity.store_missing_nodes(size) == len(before)
    assert stored_nodes(filled) == before
    assert filled.integrity.store_missing_nodes(size) == 0


def test_verify_names_a_changed_or_invented_node(filled: HazardLedger) -> None:
    table = filled.integrity.tables.nodes
    raw(filled, f"UPDATE {table} SET hash = ? WHERE level = 8 AND idx = 1", (bytes(32),))
    raw(filled, f"INSERT INTO {table} (level, idx, hash) VALUES (8, 40, ?)", (bytes(32),))
    report = filled.integrity.verify()
    codes = [(f.code, f.detail) for f in report.failures]
    assert ("NODE_MISMATCH", "node for seq 256..511") in codes
    assert ("NODE_BEYOND_LOG", "node for seq 10240..10495") in codes
    assert not report.ok
