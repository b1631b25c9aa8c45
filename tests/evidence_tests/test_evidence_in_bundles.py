"""Evidence files in the case bundle over HTTP: downloaded with the bundle, checked by
``POST /bundles/verify`` exactly as offline, refused at export when the store lost one."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

import orjson

from api.evidence import DirectoryEvidence, TableEvidence, evidence_store
from ledger.integrity.bundle import verify_bundle
from ledger.integrity.signing import create_keys
from tests.api_tests.conftest import Api, hazard_body

from .test_evidence import PDF, photo, upload


def cited(api: Api, who: str, data: bytes) -> str:
    r = upload(api, who, data)
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    return str(r.json()["evidence"])  # type: ignore[attr-defined]


def rectified_case(api: Api, reported: list[str], rectified: list[str]) -> str:
    """Reported by the inspector citing ``reported``; graded, assigned, and reported
    rectified by the enterprise citing ``rectified``."""
    r = api.post("inspector", "/hazards", hazard_body(api) | {"evidence": reported})
    assert r.status_code == 201, r.text
    case_id = str(r.json()["id"])
    t = api.now
    for who, step, body in (
        ("inspector", "grade", {"grade": "general"}),
        (
            "inspector",
            "assign",
            {"department": "县住建局", "deadline": t(days=10), "requirements": "改"},
        ),
        ("enterprise", "rectification", {"measures": "已改管", "completed_at": t()}),
    ):
        if step == "rectification":
            body = body | {"evidence": rectified}
        r = api.post(who, f"/hazards/{case_id}/{step}", {"occurred_at": t()} | body)
        assert r.status_code == 200, r.text
    return case_id


def checked(api: Api, data: bytes, lang: str = "en") -> dict[str, Any]:
    r = api.client.post(
        "/bundles/verify", content=data, headers=api.headers("auditor", **{"Accept-Language": lang})
    )
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def test_the_downloaded_bundle_carries_the_files_and_both_checks_agree(
    api: Api, tmp_path: Path
) -> None:
    first, second = photo(200, 150, seed=11), PDF
    a, b = cited(api, "inspector", first), cited(api, "enterprise", second)
    case_id = rectified_case(api, [a], [b, a])
    create_keys(tmp_path / "keys")
    api.ledger.integrity.use_key_directory(tmp_path / "keys")
    r = api.get("auditor", f"/hazards/{case_id}/bundle")
    assert r.status_code == 200, r.text
    bundle = orjson.loads(r.content)
    files = {f["sha256"]: base64.b64decode(f["content"]) for f in bundle["evidence_files"]}
    assert files == {hashlib.sha256(d).hexdigest(): d for d in (first, second)}
    body = checked(api, r.content)
    assert body["ok"] is True and body["events"] == 4 and body["files"] == 2
    offline = verify_bundle(r.content).as_dict()
    assert {k: v for k, v in body.items() if k != "summary"} == offline

    name = hashlib.sha256(second).hexdigest()
    for f in bundle["evidence_files"]:
        if f["sha256"] == name:
            data = bytearray(base64.b64decode(f["content"]))
            data[-3] ^= 0x20
            f["content"] = base64.b64encode(bytes(data)).decode()
    altered = orjson.dumps(bundle)
    for lang, words in (("en", "was altered"), ("zh", "被改动")):
        body = checked(api, altered, lang)
        assert body["ok"] is False
        assert any(name in line and words in line for line in body["summary"]), body["summary"]
    assert verify_bundle(altered).as_dict() == {
        k: v for k, v in checked(api, altered).items() if k != "summary"
    }

    bundle["evidence_files"] = [f for f in bundle["evidence_files"] if f["sha256"] != name]
    removed = checked(api, orjson.dumps(bundle))
    assert removed["ok"] is False
    [problem] = removed["problems_en"]
    assert problem.startswith(f"evidence file sha256:{name}, cited by event v4 (ledger seq ")
    assert problem.endswith("), is missing from the bundle")


def lose(api: Api, citation: str) -> None:
    """Take a stored file out of the evidence store, as a damaged backup would."""
    store = evidence_store(api.ledger)
    digest = citation.removeprefix("sha256:")
    if isinstance(store, DirectoryEvidence):
        store.path(digest).unlink()
    else:
        assert isinstance(store, TableEvidence)
        store.sql.execute(f"DELETE FROM {store.TABLE} WHERE sha256 = ?", [digest])


def test_a_bundle_whose_file_the_store_lost_is_refused_naming_it(api: Api, tmp_path: Path) -> None:
    never = cited(api, "inspector", photo(seed=41))
    case_id = rectified_case(api, [never], [])
    lose(api, never)
    create_keys(tmp_path / "keys")
    api.ledger.integrity.use_key_directory(tmp_path / "keys")
    for lang, words in (("zh", "不在证据文件存储中"), ("en", "is not in the evidence store")):
        r = api.get("auditor", f"/hazards/{case_id}/bundle", **{"Accept-Language": lang})
        assert r.status_code == 409, r.text
        assert words in r.json()["detail"] and never in r.json()["detail"]
