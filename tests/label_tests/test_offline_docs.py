"""``/docs`` and ``/redoc`` load only what the service itself serves."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import Settings, create_app
from ledger.application import HazardLedger
from plugins import Sectors

REFERENCE = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\s*:\s*["']([^"']+)["']""")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    store = str(tmp_path / "ledger.db")
    ledger = HazardLedger(store, sectors=Sectors.load(load_entry_points=False))
    with TestClient(create_app(Settings(store=store, follow=False), ledger=ledger)) as client:
        yield client
    ledger.close()


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_api_docs_reference_only_local_urls_and_those_are_served(
    client: TestClient, page: str
) -> None:
    html = client.get(page)
    assert html.status_code == 200
    text = html.text
    assert "://" not in text.replace("http://www.w3.org", ""), text
    assert "googleapis" not in text and "cdn" not in text.lower()
    references = {a or b for a, b in REFERENCE.findall(text)}
    scripts = [r for r in references if r.endswith((".js", ".css"))]
    assert scripts, text
    for reference in references:
        assert reference.startswith("/"), reference
        answer = client.get(reference)
        assert answer.status_code == 200, reference
        assert answer.content, reference


def test_vendored_assets_keep_their_licences() -> None:
    vendor = Path(__file__).parents[2] / "api" / "web" / "static" / "vendor"
    assert "Apache License" in (vendor / "swagger-ui.LICENSE").read_text()
    assert "MIT License" in (vendor / "redoc.LICENSE").read_text()


def test_swagger_ui_asks_no_outside_validator(client: TestClient) -> None:
    assert '"validatorUrl": null' in client.get("/docs").text
