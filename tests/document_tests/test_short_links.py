"""Short links for documents too long for one QR code (decision 0030).

The paper carries a linked seal: every proof, no payloads. Offline it proves the
checkpoint and the events' inclusion and says plainly that the text was not checked;
``verify-print --online URL`` fetches each payload from ``GET /p/{leaf-hash-prefix}`` of
a running service, checks it against the sealed hash, and compares the paper's text.
``POST /verify-print`` judges an uploaded paper with the same verifier.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import pypdfium2 as pdfium
import pytest
import uvicorn
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import Settings, create_app
from api.cli import app as cli
from api.documents.render import write_document
from api.documents.scan import scan
from api.documents.seal import LINK_MAGIC, Seal
from ledger import merkle
from ledger.application import HazardLedger
from ledger.integrity.leaf import LeafHeader, leaf_hash_of
from ledger.integrity.signing import create_keys, parse_signed_note
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, RESTAURANT_CODE, register_restaurant
from tests.web_tests.conftest import _free_port

runner = CliRunner()

#: Free text that does not compress away: its seal outgrows the largest QR code.
UNCOMPRESSIBLE = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(3000))


@dataclass
class Served:
    url: str
    client: TestClient
    trusted: Path
    verifier: str
    paper: Path
    store_url: str


@pytest.fixture
def served(
    ledger: HazardLedger,
    store_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Served]:
    monkeypatch.setenv("LEDGER_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("LEDGER_TRUSTED_KEYS", raising=False)
    monkeypatch.delenv("LEDGER_PUBLIC_URL", raising=False)
    verifier = create_keys(tmp_path / "keys").verifier.to_text()
    trusted = tmp_path / "trusted.vkey"
    trusted.write_text(verifier)
    register_restaurant(ledger, clock.now)
    action = ledger.issue_action(
        DEPARTMENT,
        clock.now,
        kind="penalty",
        document_number="静应急罚〔2024〕13号",
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        department="静宁县应急管理局",
        legal_basis="《中华人民共和国安全生产法》第一百零二条",
        fine_amount=Decimal("5000"),
        description=UNCOMPRESSIBLE,
    )
    app = create_app(Settings(store=store_url, clock=clock, follow=False), ledger=ledger)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        time.sleep(0.05)
    url = f"http://127.0.0.1:{port}"
    paper = tmp_path / "long.pdf"
    result = runner.invoke(
        cli,
        ["--store", store_url, "print", "penalty-decision", str(action), "-o", str(paper)],
        env={"LEDGER_PUBLIC_URL": url},
    )
    assert result.exit_code == 0, result.output
    assert "短链接" in result.output
    with TestClient(app) as client:
        yield Served(url, client, trusted, verifier, paper, store_url)
    server.should_exit = True
    thread.join(timeout=10)


def _verify(paper: Path, trusted: Path, *extra: str) -> Any:
    return runner.invoke(
        cli, ["--lang", "en", "verify-print", str(paper), "--trusted-key", str(trusted), *extra]
    )


def test_the_long_paper_carries_a_link_and_runs_over_pages(served: Served) -> None:
    (code,) = scan(served.paper).codes
    assert code.startswith(LINK_MAGIC)
    seal = Seal.from_bytes(code)
    assert seal.link == served.url
    assert all(e.payload == b"" for e in seal.events)  # the payloads travel by the link
    pdf = pdfium.PdfDocument(str(served.paper))
    assert len(pdf) >= 2
    pdf.close()
    text = "".join(scan(served.paper).text.split())
    assert UNCOMPRESSIBLE[-40:] in text  # the end of the text is printed, not cut off
    assert f"{served.url}/p/{seal.events[0].leaf_hash.hex()[:32]}" in text


def test_offline_proves_the_checkpoint_and_says_what_it_could_not_check(
    served: Served,
) -> None:
    result = _verify(served.paper, served.trusted)
    assert result.exit_code == 4, result.output
    assert "could not be checked offline" in result.output
    assert "verify with --online" in result.output
    result = runner.invoke(
        cli, ["verify-print", str(served.paper), "--trusted-key", str(served.trusted)]
    )
    assert "离线无法核对纸面文字" in result.output


def test_online_fetches_the_content_and_verifies(served: Served) -> None:
    result = _verify(served.paper, served.trusted, "--online", served.url)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("verified")


def test_online_still_catches_one_changed_character(served: Served, tmp_path: Path) -> None:
    seal = Seal.from_bytes(scan(served.paper).codes[0])
    fetched = _fetched_seal(served, seal)
    content = fetched.content()
    fields = tuple((k, v.replace("5,000.00", "500.00")) for k, v in content.fields)
    forged = tmp_path / "forged.pdf"
    write_document(forged, replace(content, fields=fields), seal)  # same linked QR code
    result = _verify(forged, served.trusted, "--online", served.url)
    assert result.exit_code == 1, result.output
    assert "罚款金额：5,000.00 元" in result.output


def test_an_unreachable_link_says_so(served: Served) -> None:
    result = _verify(served.paper, served.trusted, "--online", f"http://127.0.0.1:{_free_port()}")
    assert result.exit_code == 3, result.output
    assert "short link did not answer" in result.output


def _fetched_seal(served: Served, seal: Seal) -> Seal:
    events = []
    for event in seal.events:
        body = served.client.get(f"/p/{event.leaf_hash.hex()[:32]}").json()
        events.append(replace(event, payload=body["payload"].encode("utf-8"), sealed_hash=None))
    return replace(seal, events=tuple(events), link=None)


def test_the_short_link_answers_a_proof_that_holds(served: Served) -> None:
    seal = Seal.from_bytes(scan(served.paper).codes[0])
    event = seal.events[0]
    response = served.client.get(f"/p/{event.leaf_hash.hex()[:32]}")  # no token: public
    assert response.status_code == 200, response.text
    body = response.json()
    header = LeafHeader.from_dict(body["header"])
    leaf = leaf_hash_of(
        header.seq,
        str(header.aggregate_id),
        header.version,
        header.event_type,
        header.recorded_at,
        header.actor_id,
        bytes.fromhex(body["payload_hash"]),
    )
    assert leaf == event.leaf_hash and body["leaf_hash"] == leaf.hex()
    checkpoint = parse_signed_note(body["checkpoint"])
    path = [bytes.fromhex(n) for n in body["path"]]
    assert merkle.verify_inclusion(leaf, header.seq, checkpoint.tree_size, path, checkpoint.root)
    assert orjson.loads(body["payload"])["fine_amount"] == "5000"
    # a short prefix could be guessed: refused; an unknown one is not found
    assert served.client.get(f"/p/{event.leaf_hash.hex()[:16]}").status_code == 422
    assert served.client.get(f"/p/{'0' * 32}").status_code == 404


def test_post_verify_print_judges_a_pdf_with_the_servers_trusted_key(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    paper = served.paper.read_bytes()
    assert served.client.post("/verify-print", content=paper).status_code == 503  # no key
    monkeypatch.setenv("LEDGER_TRUSTED_KEYS", served.verifier)
    response = served.client.post("/verify-print", content=paper)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "verified"  # the linked content read locally
    assert response.json()["message_zh"].startswith("核验通过")


def test_post_verify_print_reads_a_photo_and_lists_what_to_compare(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_TRUSTED_KEYS", served.verifier)
    pdf = pdfium.PdfDocument(str(served.paper))
    image = pdf[len(pdf) - 1].render(scale=200 / 72).to_pil()
    pdf.close()
    photo = io.BytesIO()
    image.convert("RGB").save(photo, format="JPEG", quality=90)
    response = served.client.post("/verify-print", content=photo.getvalue())
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "compare_by_eye", body
    assert any(line.startswith("罚款金额：5,000.00") for line in body["compare"])


def test_post_verify_print_bounds_size_and_type(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEDGER_TRUSTED_KEYS", served.verifier)
    assert served.client.post("/verify-print", content=b"GIF89a....").status_code == 415
    too_big = b"%PDF-" + b"0" * (10 * 1024 * 1024)
    response = served.client.post("/verify-print", content=too_big)
    assert response.status_code == 413
    assert "10 MB" in response.json()["detail"]
    assert served.client.post("/verify-print", content=b"%PDF-garbage").status_code == 415
