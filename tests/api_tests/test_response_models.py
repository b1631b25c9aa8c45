"""The OpenAPI document says what every read sends, and what is sent fits it.

Every GET route documents a 200 body with a real schema (not an empty or free-form
object); the answers the generated history cannot give (risk points, public reports,
signed checkpoints, short links) are validated here against the documented model, on
both stores. tests/property_tests/test_response_models.py validates the rest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from ledger.integrity.signing import create_keys
from projections.follower import Follower
from projections.registry import builtin_projections

from .conftest import RESTAURANT, Api
from .documented import check_answer, documented_models

#: A GET route whose 200 body is a file in its own versioned format, checked by
#: ``ledger verify-bundle`` (ledger/integrity/bundle.py), not described field by field.
UNMODELLED = {"/hazards/{case_id}/bundle"}


def _free_form(schema: dict[str, Any]) -> bool:
    if not schema:
        return True
    if "$ref" in schema or "items" in schema or "anyOf" in schema:
        return False
    return schema.get("type") == "object" and not schema.get("properties")


def test_every_get_route_documents_a_real_200_schema(api: Api) -> None:
    document = api.client.get("/openapi.json").json()
    loose = []
    for path, operations in document["paths"].items():
        get = operations.get("get")
        if get is None or path in UNMODELLED:
            continue
        content = get["responses"].get("200", {}).get("content", {})
        if not content or any(_free_form(c.get("schema", {})) for c in content.values()):
            loose.append(f"GET {path}: {content}")
    assert loose == []


def test_the_unmodelled_list_names_only_existing_routes(api: Api) -> None:
    assert set(api.client.get("/openapi.json").json()["paths"]) >= UNMODELLED


def _post(api: Api, who: str, path: str, body: dict[str, Any]) -> Any:
    r = api.post(who, path, {"occurred_at": api.now(), **body})
    assert r.is_success, r.text
    return r.json()


def test_record_and_integrity_answers_fit_their_models(api: Api, tmp_path: Path) -> None:
    create_keys(tmp_path / "keys")
    api.ledger.integrity.use_key_directory(tmp_path / "keys")
    person = {"id": "p1", "name": "王五"}
    point = _post(
        api,
        "department",
        "/risk-points",
        {
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "name": "后厨燃气灶区",
            "location": "后厨",
            "level": "major",
            "controls": ["泄漏报警"],
            "hazard_source_level": 3,
            "responsible_principal": person,
            "responsible_technical": person,
            "responsible_operational": person,
        },
    )["id"]
    report = _post(
        api,
        "department",
        "/public-reports",
        {
            "enterprise_code": RESTAURANT,
            "sector": "city_gas",
            "channel": "hotline",
            "content": "餐馆燃气泄漏",
            "reporter_name": "钱举报",
            "reporter_phone": "13700000000",
        },
    )["id"]
    _post(api, "inspector", f"/public-reports/{report}/verify", {"findings": "查实"})
    _post(
        api,
        "department",
        f"/public-reports/{report}/founded",
        {"reasons": "属实", "location": "后厨", "description": "泄漏"},
    )
    follower = Follower(api.ledger, builtin_projections())
    try:
        follower.catch_up()
    finally:
        follower.close()
    case = api.get("department", f"/public-reports/{report}").json()["case_id"]
    api.ledger.integrity.issue_checkpoint()
    leaf = api.ledger.integrity.entries(UUID(case))[0][2].hex()[:32]

    models = documented_models(api.client.app)  # type: ignore[arg-type]
    asked = {
        "/risk-points": "/risk-points",
        "/risk-points/{risk_point_id}": f"/risk-points/{point}",
        "/public-reports": "/public-reports",
        "/public-reports/{report_id}": f"/public-reports/{report}",
        "/hazards/{case_id}/proofs": f"/hazards/{case}/proofs",
        "/hazards/{case_id}/suggestions": f"/hazards/{case}/suggestions",
        "/checkpoints": "/checkpoints",
        "/checkpoints/latest": "/checkpoints/latest",
        "/p/{leaf_hash}": f"/p/{leaf}",
        "/review": f"/review?enterprise={RESTAURANT}&incident_at={api.now(days=1)}",
        "/users": "/users",
    }
    for route, path in asked.items():
        who = "admin" if route == "/users" else "department"
        response = api.get(who, path.replace("+", "%2B"))
        assert response.status_code == 200, (path, response.text)
        body = response.json()
        assert body, f"GET {path} answered nothing to check"
        check_answer(models, route, body)


@pytest.mark.parametrize("model_route", ["/risk-points/{risk_point_id}"])
def test_a_field_the_model_does_not_declare_fails(api: Api, model_route: str) -> None:
    """The models forbid undeclared fields: a read that starts sending one fails above."""
    models = documented_models(api.client.app)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        check_answer(models, model_route, {"surprise": 1})
