"""SCENARIOS.md scenario 4, "After the fire", end to end on both stores.

The review of the furniture factory at 1 May 2026 14:00 must list the blocked-exits
hazard (FIRE-4.1-c)
with its whole story, find exactly the self-verification and the inspection typed in
after the fire, name the responsibility chain of that day, list the March warning
letter, and carry a verified inclusion proof for every event it shows.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.review.render import to_html, to_markdown
from ledger.application import HazardLedger
from ledger.integrity.reports import InclusionProof
from ledger.integrity.signing import create_keys
from ledger.review.report import build_review
from ledger.scope import Scope

from ..conftest import FakeClock
from . import scenario
from .scenario import FACTORY_CODE, FACTORY_FIRE_CRITERIA, INCIDENT_AT, FactoryFire

runner = CliRunner()


def all_event_rows(report: dict) -> list[dict]:
    rows = list(report["enterprise"]["events"])
    for section in ("hazards", "enforcement", "inspections", "responsibility_chain"):
        for item in report[section]:
            rows.extend(item["events"])
    return rows


def test_review_answers_every_question(ledger: HazardLedger, factory: FactoryFire) -> None:
    report = build_review(ledger, FACTORY_CODE, INCIDENT_AT, scope=Scope.everything())

    # Which hazards were known before the fire, by whom, since when, graded how.
    [hazard] = report["hazards"]
    assert hazard["id"] == str(factory.case_id)
    assert hazard["found_at"].startswith("2026-02-20")
    assert hazard["found_by"] == scenario.FIRE_INSPECTOR.name
    assert hazard["known_before_incident"] is True
    assert (hazard["grade"], hazard["criteria"]) == ("major", list(FACTORY_FIRE_CRITERIA))

    # Its state on the day, the assignment, the one extension, the listing.
    state = hazard["state_at_incident"]
    assert state["status"] == "closed" and state["extensions"] == 1
    assert state["listing_level"] == "county"
    assert hazard["differences"] == []
    [assignment] = hazard["assignments"]
    assert assignment["deadline"].startswith("2026-03-22")
    [extension] = hazard["extensions"]
    assert extension["new_deadline"].startswith("2026-04-30")
    assert "孙志远" in extension["approver"]
    [rectification] = hazard["rectifications"]
    [closure] = hazard["closures"]
    assert rectification["by_id"] == closure["by_id"] == scenario.FIRE_OFFICIAL.id
    assert rectification["at"].startswith("2026-04-25") and closure["at"].startswith("2026-04-27")
    [verification] = hazard["verifications"]
    assert verification["by_id"] == scenario.FIRE_CHIEF.id

    # Enforcement: the March warning letter.
    [letter] = report["enforcement"]
    assert letter["kind"] == "warning_letter" and letter["issued_at"].startswith("2026-03-10")
    assert letter["suspending"] is False and letter["held"] is None

    # The chain on 1 May: the principal after the March change, and the fire
    # department's holder before the 10 May handover.
    chain = {link["link"]: link for link in report["responsibility_chain"]}
    assert chain["enterprise_principal"]["holder"]["name"] == scenario.PRINCIPAL_ON_THE_DAY.name
    assert chain["department_official"]["holder"]["name"] == scenario.FIRE_POST_HOLDER.name
    assert chain["department_official"]["organisation"] == "静宁县消防救援大队"
    assert chain["government_leader"]["holder"]["name"] == scenario.TOWNSHIP_LEADER.name

    # Exactly the two irregularities of the story, each pointing at its events.
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert set(by_rule) == {"AUD-SELF-VERIFY", "AUD-RECORDED-AFTER-INCIDENT"}
    self_verify = by_rule["AUD-SELF-VERIFY"]
    assert [(e["aggregate_id"], e["event"]) for e in self_verify["events"]] == [
        (str(factory.case_id), "RectificationReported"),
        (str(factory.case_id), "Closed"),
    ]
    late = by_rule["AUD-RECORDED-AFTER-INCIDENT"]
    assert late["subject_id"] == str(factory.late_inspection_id)
    [late_event] = late["events"]
    assert late_event["occurred_at"].startswith("2026-04-28")
    assert late_event["recorded_at"].startswith("2026-05-03")

    # The inspection shows as typed in after the fire; the first one does not.
    inspections = {i["id"]: i for i in report["inspections"]}
    assert inspections[str(factory.late_inspection_id)]["events"][0]["recorded_after_incident"]
    assert not inspections[str(factory.first_inspection_id)]["events"][0]["recorded_after_incident"]
    assert [r["aggregate_id"] for r in report["late_entries"]] == [str(factory.late_inspection_id)]


def test_every_event_shown_carries_a_proof_that_verifies(
    ledger: HazardLedger, factory: FactoryFire, key_directory: Path
) -> None:
    create_keys(key_directory)
    ledger.integrity.issue_checkpoint()
    report = build_review(ledger, FACTORY_CODE, INCIDENT_AT, scope=Scope.everything())
    rows = all_event_rows(report) + [e for f in report["findings"] for e in f["events"]]
    assert rows and all(r["proof"]["status"] == "verified" for r in rows)
    # A reader re-checks a proof from the JSON alone, and a changed payload fails.
    proof = InclusionProof.from_dict(report["findings"][0]["events"][1]["proof"]["proof"])
    assert proof.verify()
    tampered = dict(report["findings"][0]["events"][1]["proof"]["proof"])
    tampered["payload_hash"] = "00" * 32
    assert not InclusionProof.from_dict(tampered).verify()
    integrity = report["integrity"]
    assert integrity["available"] and integrity["checkpoint"] is not None
    assert integrity["consistency"]["verified"] is True
    assert integrity["root"] == proof.root.hex()


def test_without_the_integrity_log_the_report_says_proofs_are_unavailable(
    store_url: str, clock: FakeClock
) -> None:
    app = HazardLedger(store_url, clock=clock, integrity=False)
    try:
        scenario.build(app, clock)
        report = build_review(app, FACTORY_CODE, INCIDENT_AT, scope=Scope.everything())
    finally:
        app.close()
    assert report["integrity"]["available"] is False
    assert {r["proof"]["status"] for r in all_event_rows(report)} == {"unavailable"}
    assert {f["rule"] for f in report["findings"]} == {
        "AUD-SELF-VERIFY",
        "AUD-RECORDED-AFTER-INCIDENT",
    }
    assert "包含证明不可用" in to_markdown(report)
    assert "proofs unavailable" in to_markdown(report, "en")


def test_chinese_and_english_documents_carry_the_key_facts(
    ledger: HazardLedger, factory: FactoryFire
) -> None:
    report = build_review(ledger, FACTORY_CODE, INCIDENT_AT, scope=Scope.everything())
    zh = to_markdown(report)
    for fact in (
        "事故责任倒查报告",
        "安全出口被成品家具堵塞",
        "FIRE-4.1-c",
        "重大",
        "警示函",
        "静消警字〔2026〕第012号",
        "钱国富",
        "孙志远",
        "刘海燕",
        "AUD-SELF-VERIFY",
        "亲自销号",
        "事故后录入",
        "已验证",
    ):
        assert fact in zh, fact
    en = to_markdown(report, "en")
    for fact in (
        "Accountability review",
        "FIRE-4.1-c",
        "major",
        "warning letter",
        "reported the rectification on 2026-04-25 and closed it on 2026-04-27",
        "recorded after incident",
        "verified",
        "钱国富",
    ):
        assert fact in en, fact
    assert "事故责任倒查报告" not in en
    page = to_html(report)
    assert page.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in page
    assert "亲自销号" in page and "<table>" in page
    for external in ("http://", "https://", "<script", "<link"):
        assert external not in page


def test_the_review_from_the_command_line(
    store_url: str, factory: FactoryFire, tmp_path: Path
) -> None:
    base = [
        "--store",
        store_url,
        "review",
        "--enterprise",
        FACTORY_CODE,
        "--incident-at",
        "2026-05-01T22:00:00+08:00",
    ]
    result = runner.invoke(cli, [*base, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {f["rule"] for f in data["findings"]} == {
        "AUD-SELF-VERIFY",
        "AUD-RECORDED-AFTER-INCIDENT",
    }
    assert data["incident_at"] == "2026-05-01T22:00:00+08:00"

    md = runner.invoke(cli, base)
    assert md.exit_code == 0 and "## 八、审计规则发现的问题" in md.stdout

    out = tmp_path / "review.html"
    result = runner.invoke(cli, [*base, "--format", "html", "--lang", "en", "--output", str(out)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'lang="en"' in page
    assert "closed it on 2026-04-27" in page


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--incident-at", "yesterday"], "--incident-at"),
        (["--incident-at", "2026-05-01T14:00", "--format", "pdf"], "--format"),
    ],
)
def test_bad_review_input_names_the_option(
    store_url: str, factory: FactoryFire, args: list[str], needle: str
) -> None:
    result = runner.invoke(
        cli, ["--store", store_url, "review", "--enterprise", FACTORY_CODE, *args]
    )
    assert result.exit_code == 2
    assert needle in result.output


def test_unknown_enterprise_is_not_found(store_url: str, factory: FactoryFire) -> None:
    from ledger.codes import make_credit_code

    other = make_credit_code("91620826MA71XXXX0")
    result = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "review",
            "--enterprise",
            other,
            "--incident-at",
            "2026-05-01T14:00+08:00",
        ],
    )
    assert result.exit_code == 3
    assert other in result.output


class ClosedByPrincipalRule:
    """A rule a sector plugin might add: flags every closure (to prove it is run)."""

    code = "FIRE-TEST-CLOSURE"
    title_zh = "测试规则"
    title_en = "Test rule"
    description = "Flags every closure."
    parameters = ()

    def check(self, dossier):  # type: ignore[no-untyped-def]
        from ledger.audit import EventRef, Finding, Severity

        for case_id, history in dossier.cases.items():
            for event in history:
                if type(event).__name__ == "Closed":
                    yield Finding(
                        self.code, Severity.LOW, "销号", "closed", (EventRef.of(event),), case_id
                    )


def test_extra_rules_join_the_review(ledger: HazardLedger, factory: FactoryFire) -> None:
    from ledger.audit import builtin_rules

    report = build_review(
        ledger,
        FACTORY_CODE,
        INCIDENT_AT,
        scope=Scope.everything(),
        rules=[*builtin_rules(), ClosedByPrincipalRule()],
    )
    extra = [f for f in report["findings"] if f["rule"] == "FIRE-TEST-CLOSURE"]
    assert [e["version"] for e in extra[0]["events"]] == [10]
    assert report["findings"][-1]["rule"] == "FIRE-TEST-CLOSURE"  # low severity last
    assert "FIRE-TEST-CLOSURE" in [r["code"] for r in report["rules"]]


def store_files(store_url: str) -> dict[str, bytes]:
    """A SQLite store's file and write-ahead log, as they are now (PostgreSQL: none)."""
    if store_url.startswith("postgresql://"):
        return {}
    paths = (Path(store_url), Path(f"{store_url}-wal"))
    return {p.name: p.read_bytes() for p in paths if p.exists()}


def test_the_team_exports_the_review_and_checks_it_offline(
    store_url: str,
    ledger: HazardLedger,
    factory: FactoryFire,
    tmp_path: Path,
    key_directory: Path,
) -> None:
    from ledger.integrity.bundle import verify_bundle
    from ledger.integrity.signing import parse_note

    create_keys(key_directory)
    before = store_files(store_url)
    out = tmp_path / "review-bundle"
    result = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "review",
            "--enterprise",
            FACTORY_CODE,
            "--incident-at",
            "2026-05-01T14:00+00:00",
            "--format",
            "json",
            "--bundle-dir",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    review = json.loads((out / "review.json").read_text(encoding="utf-8"))
    bundles = sorted(out.glob("*.bundle.json"))
    names = {p.name.split("-", 1)[0] for p in bundles}
    assert names == {"enterprise", "case", "action", "inspection", "post"}
    cited = {r["aggregate_id"] for f in review["findings"] for r in f["events"]}
    bundled = {p.name.split("-", 1)[1].removesuffix(".bundle.json") for p in bundles}
    assert cited <= bundled and str(factory.case_id) in bundled
    # Offline: only the files, no store.
    for path in bundles:
        outcome = verify_bundle(path.read_bytes())
        assert outcome.ok, (path.name, outcome.problems_en)
    # One checkpoint signed for them all, published beside the key. A read command opens
    # a SQLite store read-only, so there it is not stored: the file is as it was.
    [note] = {json.loads(p.read_bytes())["checkpoint"] for p in bundles}
    signed = parse_note(note)
    published = key_directory / "checkpoints" / f"{signed.tree_size:012d}.checkpoint"
    assert parse_note(published.read_text(encoding="utf-8")).root == signed.root
    stored = [c.root for c in ledger.integrity.checkpoints()]
    assert stored == ([] if before else [signed.root])
    assert store_files(store_url) == before
    case_bundle = out / f"case-{factory.case_id}.bundle.json"
    data = json.loads(case_bundle.read_text(encoding="utf-8"))
    data["events"][9]["payload"] = data["events"][8]["payload"]  # swap the closure's content
    assert not verify_bundle(json.dumps(data).encode()).ok


def test_export_without_a_signing_key_is_refused_plainly(
    store_url: str, factory: FactoryFire, tmp_path: Path
) -> None:
    out = tmp_path / "review-bundle"
    result = runner.invoke(
        cli,
        [
            "--store",
            store_url,
            "review",
            "--enterprise",
            FACTORY_CODE,
            "--incident-at",
            "2026-05-01T14:00+00:00",
            "--bundle-dir",
            str(out),
        ],
    )
    assert result.exit_code == 1
    assert "cannot export the bundles" in result.output
    assert not out.exists()
