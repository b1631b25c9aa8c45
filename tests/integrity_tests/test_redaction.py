"""Redaction blanks text but keeps the committed hash: proofs verify, verify says so."""

from __future__ import annotations

import pytest

from ledger.application import HazardLedger
from ledger.integrity.bundle import export_bundle, verify_bundle
from ledger.integrity.log import REDACTED_TEXT
from tests.conftest import FakeClock
from tests.support import assigned_case

from .conftest import events_table, raw


def test_redacted_payload_is_reported_as_redacted_not_tampered(
    keyed_ledger: HazardLedger, clock: FakeClock
) -> None:
    app = keyed_ledger
    case_id = assigned_case(app, clock.now)
    app.integrity.issue_checkpoint()
    seq = app.integrity.redact(
        case_id,
        1,
        fields=["description", "location"],
        reason="court order 2026-17",
        actor_id="admin-1",
        at=clock.now,
    )
    case = app.case(case_id)  # the case still replays
    assert case.description == REDACTED_TEXT and case.location == REDACTED_TEXT
    report = app.integrity.verify()
    assert report.ok, report.failures
    assert report.redacted == [seq]
    assert app.integrity.inclusion_proof(case_id, 1).verify()
    outcome = verify_bundle(__import__("orjson").dumps(export_bundle(app.integrity, case_id)))
    assert outcome.ok
    assert any("redacted" in s for s in outcome.statements_en)


def test_redaction_refuses_header_fields_and_non_text(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    for fields, word in ((["timestamp"], "header"), (["details"], "text"), ([], "at least")):
        with pytest.raises(ValueError, match=word):
            ledger.integrity.redact(
                case_id, 1, fields=fields, reason="r", actor_id="a", at=clock.now
            )
    with pytest.raises(ValueError, match="reason"):
        ledger.integrity.redact(
            case_id, 1, fields=["location"], reason=" ", actor_id="a", at=clock.now
        )
    assert ledger.integrity.redacted_seqs() == set()


def test_an_edit_after_redaction_is_still_tampering(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    seq = ledger.integrity.redact(
        case_id, 2, fields=["grade"], reason="r", actor_id="a", at=clock.now
    )
    # Another event's payload is edited directly: not covered by any redaction record.
    table, id_column = events_table(ledger)
    t = ledger.integrity.tables
    nid = raw(ledger, f"SELECT notification_id FROM {t.log} WHERE seq = ?", (seq + 1,))[0][0]
    raw(ledger, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (b"{}", nid))
    report = ledger.integrity.verify()
    first = report.first_failure
    assert first is not None and (first.seq, first.code) == (seq + 1, "PAYLOAD_CHANGED")
    assert report.redacted == [seq]
