"""Citing a file: only the uploader, or someone who already sees it, may cite it.

Otherwise citing a hash would open to whoever cites it a file uploaded for another
enterprise (``GET /evidence`` answers any viewer of a citing case), or tell whether a
file is in the store. Refused citations are refused exactly as a hash nobody uploaded.
"""

from __future__ import annotations

import hashlib
from typing import Any

from tests.api_tests.conftest import FACTORY, RESTAURANT, Api, hazard_body
from tests.evidence_tests.test_evidence import photo, upload


def events_recorded(api: Api) -> int:
    return int(api.ledger.recorder.max_notification_id() or 0)  # type: ignore[attr-defined]


def cite(api: Api, who: str, code: str, evidence: str) -> Any:
    body = hazard_body(api, code, source="self_inspection") | {"evidence": [evidence]}
    return api.post(who, "/hazards", body, **{"Accept-Language": "en"})


def refusal(response: Any) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    problem: dict[str, Any] = response.json()
    return {k: v for k, v in problem.items() if k not in ("instance", "reference")}


def test_a_hash_uploaded_by_another_enterprise_is_refused_like_one_never_uploaded(
    api: Api,
) -> None:
    mine = upload(api, "enterprise", photo(seed=11)).json()["evidence"]  # type: ignore[attr-defined]
    never = "sha256:" + hashlib.sha256(b"never uploaded").hexdigest()
    before = events_recorded(api)

    stolen = cite(api, "other_enterprise", FACTORY, mine)
    probe = cite(api, "other_enterprise", FACTORY, never)
    assert events_recorded(api) == before
    stolen_problem, probe_problem = refusal(stolen), refusal(probe)
    assert stolen_problem["violations"][0]["rule"] == "EVIDENCE_UNKNOWN"
    assert stolen_problem["violations"][0]["field"] == "evidence"
    # the two answers differ only in the hash each names
    assert str(stolen_problem).replace(mine[7:], "H") == str(probe_problem).replace(never[7:], "H")
    body = hazard_body(api, FACTORY, source="self_inspection") | {"evidence": [mine]}
    zh = refusal(api.post("other_enterprise", "/hazards", body))
    assert "证据文件" in str(zh)
    assert "no evidence file" in str(stolen_problem)
    assert api.get("other_enterprise", f"/evidence/{mine}").status_code == 404

    # the uploader cites it; then whoever sees that case may cite it too
    assert cite(api, "enterprise", RESTAURANT, mine).status_code == 201
    again = api.post("inspector", "/hazards", hazard_body(api) | {"evidence": [mine]})
    assert again.status_code == 201, again.text
    # still out of sight of the other enterprise
    assert refusal(cite(api, "other_enterprise", FACTORY, mine))["violations"][0]["rule"] == (
        "EVIDENCE_UNKNOWN"
    )
    assert api.get("other_enterprise", f"/evidence/{mine}").status_code == 404


def test_entries_that_name_no_file_are_notes_and_are_not_checked(api: Api) -> None:
    r = cite(api, "enterprise", RESTAURANT, "现场照片另见纸质卷宗第3页")
    assert r.status_code == 201, r.text


def test_the_python_api_without_a_checker_accepts_citations_as_written(api: Api) -> None:
    api.ledger.evidence_check = None
    never = "sha256:" + hashlib.sha256(b"a trusted caller's file").hexdigest()
    assert cite(api, "enterprise", RESTAURANT, never).status_code == 201
