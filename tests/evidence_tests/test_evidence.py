"""Evidence files: limits, content addressing, and sight only through a citing case."""

from __future__ import annotations

import hashlib
import io
import os

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from api.evidence import LIMIT_BYTES, accept
from ledger.errors import RuleViolated
from tests.api_tests.conftest import FAR_AWAY, Api, hazard_body


def photo(width: int = 3000, height: int = 2000, seed: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (seed % 256, 90, 40)).save(out, "JPEG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload(api: Api, who: str, data: bytes, name: str = "p.jpg") -> object:
    return api.client.post(
        "/evidence",
        files={"file": (name, data, "application/octet-stream")},
        headers=api.headers(who),
    )


def test_an_upload_answers_its_hash_and_a_citing_case_shows_it(api: Api) -> None:
    data = photo()
    r = upload(api, "inspector", data)
    assert r.status_code == 201, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["evidence"] == f"sha256:{body['sha256']}"
    assert body["media_type"] == "image/jpeg"
    # not cited yet: nobody sees it, exactly like a hash nobody uploaded
    assert api.get("inspector", f"/evidence/{body['sha256']}").status_code == 404
    case = api.post("inspector", "/hazards", hazard_body(api) | {"evidence": [body["evidence"]]})
    assert case.status_code == 201, case.text
    got = api.get("department", f"/evidence/{body['sha256']}")
    assert got.status_code == 200
    assert got.content == data
    assert got.headers["content-type"] == "image/jpeg"
    page = api.get("department", f"/evidence/{body['evidence']}/page")
    assert page.status_code == 200
    with Image.open(io.BytesIO(page.content)) as small:
        assert max(small.size) == 1280
    assert len(page.content) < len(data)


def test_a_file_cited_only_outside_the_viewers_scope_is_not_found(api: Api) -> None:
    data = photo(seed=7)
    cited = upload(api, "far_inspector", data).json()["evidence"]  # type: ignore[attr-defined]
    r = api.post("far_inspector", "/hazards", hazard_body(api, FAR_AWAY) | {"evidence": [cited]})
    assert r.status_code == 201, r.text
    assert api.get("far_inspector", f"/evidence/{cited}").status_code == 200
    unknown = "sha256:" + hashlib.sha256(b"never uploaded").hexdigest()
    for who in ("inspector", "department", "enterprise"):
        outside = api.get(who, f"/evidence/{cited}")
        nobody = api.get(who, f"/evidence/{unknown}")
        assert outside.status_code == nobody.status_code == 404
        assert outside.json()["title"] == nobody.json()["title"]
    # the city's auditor (6208) sees both counties
    assert api.get("auditor", f"/evidence/{cited}").status_code == 200


def test_uploading_the_same_file_twice_stores_it_once(api: Api) -> None:
    data = photo(seed=3)
    first = upload(api, "inspector", data).json()  # type: ignore[attr-defined]
    second = upload(api, "enterprise", data).json()  # type: ignore[attr-defined]
    assert first == second


def test_a_pdf_scan_is_accepted_and_shown_as_it_is(api: Api) -> None:
    cited = upload(api, "inspector", PDF, "scan.pdf").json()["evidence"]  # type: ignore[attr-defined]
    api.post("inspector", "/hazards", hazard_body(api) | {"evidence": [cited]})
    page = api.get("inspector", f"/evidence/{cited}/page")
    assert page.status_code == 200
    assert page.content == PDF
    assert page.headers["content-type"] == "application/pdf"


def test_wrong_kinds_and_too_large_files_are_refused_in_both_languages(api: Api) -> None:
    cases = {
        "EVIDENCE_TYPE": b"GIF89a" + b"\x00" * 100,
        "EVIDENCE_EMPTY": b"",
        "EVIDENCE_TOO_LARGE": b"\xff\xd8\xff" + os.urandom(16) * (LIMIT_BYTES // 16 + 1),
    }
    for rule, data in cases.items():
        for lang in ("zh", "en"):
            r = api.client.post(
                "/evidence",
                files={"file": ("x.jpg", data, "image/jpeg")},
                headers=api.headers("inspector", **{"Accept-Language": lang}),
            )
            assert 400 <= r.status_code < 500, r.text
            problem = r.json()
            assert problem["violations"][0]["rule"] == rule, problem
            text = str(problem)
            assert ("证据文件" in text) if lang == "zh" else ("evidence file" in text)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=64))
def test_only_jpeg_png_and_pdf_bytes_are_accepted(data: bytes) -> None:
    kinds = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-")
    try:
        accepted = accept(data)
    except RuleViolated:
        assert not data or not data.startswith(kinds)
    else:
        assert data.startswith(kinds)
        assert accepted.sha256 == hashlib.sha256(data).hexdigest()
