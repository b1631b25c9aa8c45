"""Proof status, bundles and checkpoints over HTTP."""

from __future__ import annotations

import base64
from pathlib import Path

import orjson

from ledger.integrity.signing import create_keys

from .conftest import Api, report


def test_proofs_before_and_after_a_checkpoint(api: Api, tmp_path: Path) -> None:
    case_id = report(api)
    api.post(
        "inspector", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    before = api.get("auditor", f"/hazards/{case_id}/proofs").json()["events"]
    assert [e["version"] for e in before] == [1, 2]
    assert {e["status"] for e in before} == {"verified_unsigned"}
    assert api.get("auditor", "/checkpoints/latest").status_code == 404

    create_keys(tmp_path / "keys")
    api.ledger.integrity.use_key_directory(tmp_path / "keys")
    api.ledger.integrity.issue_checkpoint()
    after = api.get("auditor", f"/hazards/{case_id}/proofs").json()["events"]
    assert {e["status"] for e in after} == {"verified"}
    latest = api.get("auditor", "/checkpoints/latest").json()
    assert latest["tree_size"] == api.ledger.integrity.tree_head()[0]


def test_bundle_download_and_check(api: Api, tmp_path: Path) -> None:
    case_id = report(api)
    assert api.get("auditor", f"/hazards/{case_id}/bundle").status_code == 503  # no key yet
    create_keys(tmp_path / "keys")
    api.ledger.integrity.use_key_directory(tmp_path / "keys")
    r = api.get("auditor", f"/hazards/{case_id}/bundle")
    assert r.status_code == 200
    assert "attachment" in r.headers["content-disposition"]
    checked = api.client.post(
        "/bundles/verify",
        content=r.content,
        headers=api.headers("auditor", **{"Accept-Language": "en"}),
    ).json()
    assert checked["ok"] is True and checked["events"] == 1
    assert checked["summary"][0].startswith("Bundle verified")

    tampered = orjson.loads(r.content)
    payload = base64.b64decode(tampered["events"][0]["payload"])
    assert "后厨".encode() in payload
    tampered["events"][0]["payload"] = base64.b64encode(
        payload.replace("后厨".encode(), "前厅".encode())
    ).decode()
    bad = api.client.post(
        "/bundles/verify", content=orjson.dumps(tampered), headers=api.headers("auditor")
    )
    assert bad.json()["ok"] is False and bad.json()["problems_zh"]


def test_out_of_scope_proofs_are_not_found(api: Api) -> None:
    case_id = report(api)
    assert api.get("far_inspector", f"/hazards/{case_id}/proofs").status_code == 404
    assert api.get("other_enterprise", f"/hazards/{case_id}/bundle").status_code == 404
