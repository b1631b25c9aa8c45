"""The integrity log on both stores: one gapless leaf per event, written atomically."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ledger import merkle
from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.integrity.leaf import LeafHeader, encode_leaf, payload_hash
from tests.conftest import FakeClock
from tests.support import INSPECTOR, assigned_case, report_case

from .conftest import events_table, raw


def logged(app: HazardLedger) -> list[tuple[int, int, bytes]]:
    t = app.integrity.tables
    return [
        (int(r[0]), int(r[1]), bytes(r[2]))
        for r in t.fetchall(f"SELECT seq, notification_id, leaf_hash FROM {t.log} ORDER BY seq")
    ]


def test_every_event_gets_the_next_seq_in_notification_order(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    assigned_case(ledger, clock.now)
    report_case(ledger, clock.now)
    rows = logged(ledger)
    table, _ = events_table(ledger)
    stored = int(raw(ledger, f"SELECT COUNT(*) FROM {table}")[0][0])
    assert [seq for seq, _, _ in rows] == list(range(len(rows)))
    assert len(rows) == stored == 5  # enterprise, then report/grade/assign, then report
    notification_ids = [nid for _, nid, _ in rows]
    assert notification_ids == sorted(notification_ids)
    size, root = ledger.integrity.tree_head()
    assert size == len(rows)
    assert root == merkle.root([leaf for _, _, leaf in rows])


def test_leaf_recomputes_from_the_stored_event(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    table, id_column = events_table(ledger)
    (header, p_hash, l_hash) = ledger.integrity.entries(case_id)[1]
    state = raw(
        ledger,
        f"SELECT e.state FROM {table} e JOIN {ledger.integrity.tables.log} l "
        f"ON e.{id_column} = l.notification_id WHERE l.seq = ?",
        (header.seq,),
    )[0][0]
    assert payload_hash(bytes(state)) == p_hash
    expected = LeafHeader(
        header.seq,
        case_id,
        2,
        "ledger.hazard:HazardCase.Graded",
        clock.now.isoformat(),
        INSPECTOR.id,
    )
    assert header == expected
    assert merkle.leaf_hash(encode_leaf(expected, p_hash)) == l_hash


def test_a_refused_command_records_no_leaf(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    before = logged(ledger)
    with pytest.raises(RuleViolated):
        ledger.grade_hazard(INSPECTOR, clock.now + timedelta(days=1), case_id, grade="general")
    assert logged(ledger) == before


def test_every_event_has_a_verifying_inclusion_proof(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    size, root = ledger.integrity.tree_head()
    for version in (1, 2, 3):
        proof = ledger.integrity.inclusion_proof(case_id, version)
        assert proof.tree_size == size and proof.root == root
        assert proof.verify()
        assert proof.aggregate_id == case_id and proof.version == version
    early = ledger.integrity.inclusion_proof(case_id, 1, tree_size=2)
    assert early.verify() and early.tree_size == 2
    with pytest.raises(LookupError):
        ledger.integrity.inclusion_proof(case_id, 3, tree_size=2)


def test_a_forged_proof_does_not_verify(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    proof = ledger.integrity.inclusion_proof(case_id, 2)
    data = proof.as_dict()
    data["header"]["actor_id"] = "someone-else"
    assert not type(proof).from_dict(data).verify()
    data = proof.as_dict()
    data["payload_hash"] = "00" * 32
    assert not type(proof).from_dict(data).verify()


def test_consistency_between_two_checkpoints(keyed_ledger: HazardLedger, clock: FakeClock) -> None:
    app = keyed_ledger
    assigned_case(app, clock.now)
    first = app.integrity.issue_checkpoint()
    report_case(app, clock.now)
    report_case(app, clock.now)
    second = app.integrity.issue_checkpoint()
    proof = app.integrity.consistency_proof(first.tree_size, second.tree_size)
    assert (proof.old_root, proof.new_root) == (first.root, second.root)
    assert proof.verify()
    assert not merkle.verify_consistency(
        first.tree_size, second.tree_size, bytes(32), second.root, proof.path
    )
