"""Redaction is a logged, signed event: proofs still verify, a forged redaction does not."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity import recompute
from ledger.integrity.bundle import export_bundle, verify_bundle
from ledger.integrity.redaction import REDACTED_TEXT, REDACTED_TOPIC, RedactionRefused
from tests.conftest import FakeClock
from tests.support import INSPECTOR, assigned_case

from .conftest import events_table, raw


def test_redacted_payload_is_reported_as_redacted_not_tampered(
    keyed_ledger: HazardLedger, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = keyed_ledger
    case_id = assigned_case(app, clock.now)
    app.integrity.issue_checkpoint()
    seq = app.redact(
        case_id,
        1,
        fields=["description", "location"],
        legal_basis="court order 2026-17",
        actor=INSPECTOR,
    )
    case = app.case(case_id)  # the case still replays
    assert case.description == REDACTED_TEXT and case.location == REDACTED_TEXT
    report = app.integrity.verify()
    assert report.ok, report.failures
    assert report.redacted == [seq]
    # Worker processes take on pages before the redactions are read: the redacted
    # event's page is judged again, here, once they are.
    judged_here: list[int] = []
    original = recompute.recompute_page

    def counting(*args: Any, **kwargs: Any) -> recompute.PageResult:
        judged_here.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(recompute, "recompute_page", counting)
    page = -(-app.integrity.tree_head()[0] // 4)  # four pages: all handed out at once
    in_workers = app.integrity.verify(page_size=page, workers=2)
    assert in_workers.ok, in_workers.failures
    assert in_workers.redacted == [seq]
    assert judged_here == [seq // page * page]
    assert app.integrity.inclusion_proof(case_id, 1).verify()
    outcome = verify_bundle(orjson.dumps(export_bundle(app.integrity, case_id)))
    assert outcome.ok
    assert any("redacted" in s for s in outcome.statements_en)


def test_the_redaction_is_itself_a_logged_event_with_who_when_and_why(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    size_before = ledger.integrity.tree_head()[0]
    seq = ledger.redact(
        case_id, 3, fields=["requirements"], legal_basis="个人信息保护法 第47条", actor=INSPECTOR
    )
    t = ledger.integrity.tables
    logged = raw(ledger, f"SELECT seq, topic, actor_id FROM {t.log} WHERE seq >= ?", (size_before,))
    assert [(int(r[0]), r[1], r[2]) for r in logged] == [
        (size_before, REDACTED_TOPIC, INSPECTOR.id)
    ]
    record = ledger.integrity.redactions_for([seq])[seq]
    assert record["fields"] == ["requirements"]
    assert record["reason"] == "个人信息保护法 第47条"
    assert record["actor_id"] == INSPECTOR.id and record["redacted_at"]
    assert record["redaction_seq"] == size_before


def test_a_second_redaction_of_the_same_event_adds_its_fields(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    ledger.redact(case_id, 1, fields=["description"], legal_basis="a", actor=INSPECTOR)
    seq = ledger.redact(case_id, 1, fields=["location"], legal_basis="b", actor=INSPECTOR)
    assert ledger.integrity.redactions_for([seq])[seq]["fields"] == ["description", "location"]
    report = ledger.integrity.verify()
    assert report.ok, report.failures
    case = ledger.case(case_id)
    assert (case.description, case.location) == (REDACTED_TEXT, REDACTED_TEXT)


@pytest.mark.parametrize(
    ("version", "fields", "word"),
    [
        (1, ["timestamp"], "header"),
        (1, ["occurred_at"], "header"),
        (3, ["deadline"], "free-text"),  # a date: the case would no longer decode
        (2, ["grade"], "free-text"),  # an enumeration
        (1, ["region_code"], "free-text"),  # a code the read models key on
        (1, ["details"], "free-text"),
        (1, ["no_such_field"], "free-text"),
        (1, [], "at least"),
    ],
)
def test_redaction_refuses_all_but_free_text(
    ledger: HazardLedger, clock: FakeClock, version: int, fields: list[str], word: str
) -> None:
    case_id = assigned_case(ledger, clock.now)
    size = ledger.integrity.tree_head()[0]
    with pytest.raises(RedactionRefused, match=word):
        ledger.redact(case_id, version, fields=fields, legal_basis="r", actor=INSPECTOR)
    assert ledger.integrity.tree_head()[0] == size
    assert ledger.integrity.redacted_seqs() == set()


def test_redaction_needs_a_legal_basis(ledger: HazardLedger, clock: FakeClock) -> None:
    case_id = assigned_case(ledger, clock.now)
    with pytest.raises(RedactionRefused, match="legal basis"):
        ledger.redact(case_id, 1, fields=["location"], legal_basis=" ", actor=INSPECTOR)


def test_a_redacted_case_still_decodes_and_rebuilds(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    ledger.redact(case_id, 3, fields=["requirements"], legal_basis="r", actor=INSPECTOR)
    assert ledger.case(case_id).requirements == REDACTED_TEXT
    result = CliRunner().invoke(cli, ["--store", store_url, "rebuild"])
    assert result.exit_code == 0, result.output


def test_a_forged_redaction_row_fails_verification(ledger: HazardLedger, clock: FakeClock) -> None:
    # Rewrite an event and insert one row into integrity_redactions, as someone with
    # database access would to pass the edit off as a lawful redaction.
    case_id = assigned_case(ledger, clock.now)
    table, id_column = events_table(ledger)
    t = ledger.integrity.tables
    nid = raw(ledger, f"SELECT notification_id FROM {t.log} WHERE seq = 3")[0][0]
    state = bytes(raw(ledger, f"SELECT state FROM {table} WHERE {id_column} = ?", (nid,))[0][0])
    forged = state.replace("金属管道".encode(), "塑料管道".encode())
    raw(ledger, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (forged, nid))
    raw(
        ledger,
        f"INSERT INTO {t.redactions} (seq, reason, fields, actor_id, redacted_at) "
        "VALUES (?,?,?,?,?)",
        (3, "court order", "requirements", "admin", clock.now.isoformat()),
    )
    report = ledger.integrity.verify()
    codes = {(f.seq, f.code) for f in report.failures}
    assert (3, "REDACTION_UNRECORDED") in codes and (3, "PAYLOAD_CHANGED") in codes
    assert report.redacted == []
    assert str(case_id)  # the case is the one rewritten


def test_an_edit_of_a_redacted_event_is_still_tampering(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    seq = ledger.redact(case_id, 3, fields=["requirements"], legal_basis="r", actor=INSPECTOR)
    table, id_column = events_table(ledger)
    t = ledger.integrity.tables
    nid = raw(ledger, f"SELECT notification_id FROM {t.log} WHERE seq = ?", (seq,))[0][0]
    state = bytes(raw(ledger, f"SELECT state FROM {table} WHERE {id_column} = ?", (nid,))[0][0])
    edited = state.replace("静宁县住房和城乡建设局".encode(), "静宁县应急管理局".encode())
    assert hashlib.sha256(edited).digest() != hashlib.sha256(state).digest()
    raw(ledger, f"UPDATE {table} SET state = ? WHERE {id_column} = ?", (edited, nid))
    for page, workers in ((None, None), (2, 2)):
        first = ledger.integrity.verify(page_size=page, workers=workers).first_failure
        assert first is not None and (first.seq, first.code) == (seq, "PAYLOAD_CHANGED")


def test_a_deleted_or_altered_redaction_row_is_reported(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    seq = ledger.redact(case_id, 1, fields=["description"], legal_basis="r", actor=INSPECTOR)
    t = ledger.integrity.tables
    raw(ledger, f"UPDATE {t.redactions} SET reason = 'other' WHERE seq = ?", (seq,))
    assert [f.code for f in ledger.integrity.verify().failures] == ["REDACTION_ROW_CHANGED"]
    raw(ledger, f"DELETE FROM {t.redactions} WHERE seq = ?", (seq,))
    assert [f.code for f in ledger.integrity.verify().failures] == ["REDACTION_ROW_MISSING"]


def test_the_redact_command_records_the_event(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    runner = CliRunner()
    args = ["--store", store_url, "--lang", "en", "redact", str(case_id), "3"]
    result = runner.invoke(cli, [*args, "--reason", "court order", "--field", "deadline"])
    assert result.exit_code == 2 and "free-text" in result.output
    result = runner.invoke(cli, [*args, "--reason", "court order", "--field", "requirements"])
    assert result.exit_code == 0, result.output
    assert ledger.case(case_id).requirements == REDACTED_TEXT
    assert ledger.integrity.verify().ok
