"""Evidence bundles: exported from the store, checked offline in another process."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import pytest

from ledger.application import HazardLedger
from ledger.integrity.bundle import export_bundle, verify_bundle, write_bundle
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case


@pytest.fixture
def case_bundle(keyed_ledger: HazardLedger, clock: FakeClock) -> tuple[UUID, dict[str, Any]]:
    case_id = assigned_case(keyed_ledger, clock.now)
    report_case(keyed_ledger, clock.now)
    return case_id, export_bundle(keyed_ledger.integrity, case_id)


def offline_verify(path: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``ledger verify-bundle`` with no store anywhere: no LEDGER_STORE, an empty cwd."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEDGER_", "POSTGRES"))}
    env["LEDGER_STORE"] = str(tmp_path / "missing" / "nowhere.db")
    empty = tmp_path / "empty-cwd"
    empty.mkdir(exist_ok=True)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from api.cli import main; main()",
            "--lang",
            "en",
            "verify-bundle",
            str(path),
            *extra,
        ],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert not (tmp_path / "missing").exists()
    assert list(empty.iterdir()) == []
    return result


def test_bundle_round_trip_offline(
    case_bundle: tuple[UUID, dict[str, Any]], tmp_path: Path
) -> None:
    case_id, bundle = case_bundle
    path = tmp_path / "case.bundle.json"
    write_bundle(bundle, path)
    result = offline_verify(path, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Bundle verified" in result.stdout
    assert f"The 3 events of case {case_id} (versions 1–3)" in result.stdout
    assert "Not proven" in result.stdout


def rewrite(bundle: dict[str, Any], change: Any) -> bytes:
    copy = orjson.loads(orjson.dumps(bundle))
    change(copy)
    return orjson.dumps(copy)


def flip_payload_byte(b: dict[str, Any]) -> None:
    payload = bytearray(base64.b64decode(b["events"][1]["payload"]))
    payload[10] ^= 1
    b["events"][1]["payload"] = base64.b64encode(bytes(payload)).decode()


def change_actor(b: dict[str, Any]) -> None:
    b["events"][0]["header"]["actor_id"] = "someone-else"


def change_proof(b: dict[str, Any]) -> None:
    b["events"][2]["inclusion_proof"][0] = "00" * 32


def change_size(b: dict[str, Any]) -> None:
    origin, size, rest = b["checkpoint"].split("\n", 2)
    b["checkpoint"] = f"{origin}\n{int(size) + 1}\n{rest}"


def drop_event(b: dict[str, Any]) -> None:
    del b["events"][1]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (flip_payload_byte, "event v2 (ledger seq 2) content was changed"),
        (change_actor, "event v1 (ledger seq 1) content disagrees with its header"),
        (change_proof, "event v3 (ledger seq 3) inclusion proof fails"),
        (change_size, "the checkpoint signature does not verify"),
    ],
)
def test_a_tampered_bundle_is_rejected_in_plain_words(
    case_bundle: tuple[UUID, dict[str, Any]], change: Any, reason: str
) -> None:
    _, bundle = case_bundle
    outcome = verify_bundle(rewrite(bundle, change))
    assert not outcome.ok
    assert any(reason in p for p in outcome.problems_en), outcome.problems_en
    assert outcome.problems_zh


def test_a_bundle_missing_a_step_says_so(case_bundle: tuple[UUID, dict[str, Any]]) -> None:
    _, bundle = case_bundle
    outcome = verify_bundle(rewrite(bundle, drop_event))
    assert outcome.ok
    assert any("not contiguous" in s for s in outcome.statements_en)


def test_a_bundle_signed_by_another_key_fails_when_the_key_is_pinned(
    case_bundle: tuple[UUID, dict[str, Any]], tmp_path: Path
) -> None:
    _, bundle = case_bundle
    published = bundle["public_key"]
    assert verify_bundle(orjson.dumps(bundle), trusted_key=published).ok
    stranger = create_keys(tmp_path / "stranger").verifier.to_text()
    outcome = verify_bundle(orjson.dumps(bundle), trusted_key=stranger)
    assert not outcome.ok
    assert "not the key you said to trust" in outcome.problems_en[0]


def test_offline_cli_rejects_a_tampered_file(
    case_bundle: tuple[UUID, dict[str, Any]], tmp_path: Path
) -> None:
    _, bundle = case_bundle
    path = tmp_path / "tampered.json"
    path.write_bytes(rewrite(bundle, flip_payload_byte))
    result = offline_verify(path, tmp_path)
    assert result.returncode == 1
    assert "Bundle REJECTED" in result.stdout
    assert "content was changed" in result.stdout
    garbage = tmp_path / "garbage.json"
    garbage.write_bytes(b"not json")
    result = offline_verify(garbage, tmp_path)
    assert result.returncode == 1 and "cannot be read" in result.stdout
