"""Evidence files in case bundles: carried by hash, re-hashed offline, refused when wrong.

A photo cited by the hazard report and a second cited (with the first again) by the
rectification report travel in the bundle once each; the bundle verifies with no store.
One changed byte, a removed file, a file no event cites, or a file swapped for another
with its own hash refuses the bundle, naming the file and the event that cites it.
"""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from typer.testing import CliRunner

from api.cli import app as cli
from api.evidence import accept, evidence_store
from ledger.application import HazardLedger
from ledger.integrity import bundle as bundles
from ledger.integrity.bundle import EvidenceUnavailable, export_bundle, verify_bundle
from tests.conftest import FakeClock
from tests.support import ENTERPRISE_USER, INSPECTOR, register_restaurant

from .test_bundles import offline_verify, rewrite

runner = CliRunner()
NOTE = "现场照片另见纸质卷宗第3页"  # evidence that names no file


def photo(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (seed * 37 % 256, seed * 71 % 256, 40)).save(out, "JPEG")
    return out.getvalue()


def stored(app: HazardLedger, data: bytes) -> str:
    """Put ``data`` in the ledger's evidence store as ``POST /evidence`` does; its citation."""
    accepted = accept(data)
    evidence_store(app).put(data, accepted)
    return accepted.citation


def case_citing(app: HazardLedger, clock: FakeClock, first: str, second: str) -> UUID:
    """Reported citing ``first``; rectification reported citing ``second`` and ``first``."""
    at = clock.now
    register_restaurant(app, at)
    case_id = app.report_hazard(
        INSPECTOR,
        at,
        enterprise_code=ENTERPRISE_USER.organisation,
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙敷设",
        source="grid_patrol",
        evidence=[first, NOTE],
        details={"leak_alarm_installed": False},
    )
    app.grade_hazard(INSPECTOR, at, case_id, grade="general")
    app.assign_rectification(
        INSPECTOR,
        at,
        case_id,
        department="静宁县住房和城乡建设局",
        deadline=at + timedelta(days=15),
        requirements="穿墙软管改为金属管道",
    )
    app.report_rectification(
        ENTERPRISE_USER,
        at,
        case_id,
        measures="已改为金属管道",
        completed_at=at,
        evidence=[second, first],
    )
    return case_id


@pytest.fixture
def photos() -> tuple[bytes, bytes]:
    return photo(1), photo(2)


@pytest.fixture
def cited_case(
    keyed_ledger: HazardLedger, clock: FakeClock, photos: tuple[bytes, bytes]
) -> tuple[UUID, dict[str, Any]]:
    first, second = (stored(keyed_ledger, p) for p in photos)
    case_id = case_citing(keyed_ledger, clock, first, second)
    files = evidence_store(keyed_ledger).get
    return case_id, export_bundle(keyed_ledger.integrity, case_id, files=files)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def carried(bundle: dict[str, Any]) -> dict[str, bytes]:
    return {f["sha256"]: base64.b64decode(f["content"]) for f in bundle["evidence_files"]}


def test_the_cited_photos_travel_in_the_bundle_and_verify_offline(
    keyed_ledger: HazardLedger,
    store_url: str,
    clock: FakeClock,
    photos: tuple[bytes, bytes],
    tmp_path: Path,
) -> None:
    first, second = (stored(keyed_ledger, p) for p in photos)
    case_id = case_citing(keyed_ledger, clock, first, second)
    target = tmp_path / "case.json"
    base = ["--store", store_url, "--lang", "en"]
    result = runner.invoke(cli, [*base, "export-bundle", str(case_id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert "4 events, 2 evidence files" in result.output
    bundle = orjson.loads(target.read_bytes())
    assert carried(bundle) == {digest(p): p for p in photos}  # each once, byte for byte
    checked = offline_verify(target, tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "The 2 evidence files (photos, scans) the events cite are in the bundle" in (
        checked.stdout
    )
    assert "1 other evidence entries are not file hashes" in checked.stdout


def flip_byte(name: str, at: int = 100) -> Any:
    def change(b: dict[str, Any]) -> None:
        for f in b["evidence_files"]:
            if f["sha256"] == name:
                data = bytearray(base64.b64decode(f["content"]))
                data[at % len(data)] ^= 1
                f["content"] = base64.b64encode(bytes(data)).decode()

    return change


def test_one_changed_byte_refuses_the_bundle_naming_the_file(
    cited_case: tuple[UUID, dict[str, Any]], photos: tuple[bytes, bytes], tmp_path: Path
) -> None:
    _, bundle = cited_case
    name = digest(photos[1])
    outcome = verify_bundle(rewrite(bundle, flip_byte(name)))
    assert not outcome.ok
    assert outcome.problems_en == [
        f"evidence file sha256:{name}, cited by event v4 (ledger seq 4), was altered: the "
        "SHA-256 of its content differs from the one the event records"
    ]
    assert outcome.problems_zh == [
        f"第4版事件（账本序号 4）引用的证据文件 sha256:{name} 被改动：其内容的 SHA-256 与事件中"
        "记录的不符"
    ]
    path = tmp_path / "altered.json"
    path.write_bytes(rewrite(bundle, flip_byte(name)))
    result = offline_verify(path, tmp_path)
    assert result.returncode == 1
    assert "Bundle REJECTED" in result.stdout and f"sha256:{name}" in result.stdout


def test_a_removed_file_refuses_the_bundle(
    cited_case: tuple[UUID, dict[str, Any]], photos: tuple[bytes, bytes]
) -> None:
    _, bundle = cited_case
    name = digest(photos[0])

    def remove(b: dict[str, Any]) -> None:
        b["evidence_files"] = [f for f in b["evidence_files"] if f["sha256"] != name]

    outcome = verify_bundle(rewrite(bundle, remove))
    assert not outcome.ok
    assert outcome.problems_en == [
        f"evidence file sha256:{name}, cited by event v1 (ledger seq 1), is missing from the bundle"
    ]
    assert outcome.problems_zh == [
        f"第1版事件（账本序号 1）引用的证据文件 sha256:{name} 不在证据包中"
    ]

    def remove_all(b: dict[str, Any]) -> None:
        del b["evidence_files"]  # as a bundle exported before files were carried

    assert len(verify_bundle(rewrite(bundle, remove_all)).problems_en) == 2


def test_a_file_no_event_cites_refuses_the_bundle(
    cited_case: tuple[UUID, dict[str, Any]],
) -> None:
    _, bundle = cited_case
    stranger = photo(3)

    def add(b: dict[str, Any]) -> None:
        content = base64.b64encode(stranger).decode()
        b["evidence_files"].append({"sha256": digest(stranger), "content": content})

    outcome = verify_bundle(rewrite(bundle, add))
    assert not outcome.ok
    assert outcome.problems_en == [
        f"evidence file sha256:{digest(stranger)} is cited by no event in the bundle: it is "
        "not this case's evidence"
    ]


def test_a_file_swapped_for_another_with_its_own_hash_is_refused(
    cited_case: tuple[UUID, dict[str, Any]], photos: tuple[bytes, bytes]
) -> None:
    _, bundle = cited_case
    other = photo(4)

    def swap(b: dict[str, Any]) -> None:
        for f in b["evidence_files"]:
            if f["sha256"] == digest(photos[0]):
                f["sha256"], f["content"] = digest(other), base64.b64encode(other).decode()

    problems = verify_bundle(rewrite(bundle, swap)).problems_en
    assert len(problems) == 2
    assert "cited by no event" in problems[0] and digest(other) in problems[0]
    assert "missing from the bundle" in problems[1] and digest(photos[0]) in problems[1]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(which=st.integers(0, 1), at=st.integers(0, 10**6), bit=st.integers(0, 7))
def test_any_changed_bit_of_any_file_is_found(
    cited_case: tuple[UUID, dict[str, Any]], which: int, at: int, bit: int
) -> None:
    _, bundle = cited_case
    name = bundle["evidence_files"][which]["sha256"]

    def change(b: dict[str, Any]) -> None:
        f = b["evidence_files"][which]
        data = bytearray(base64.b64decode(f["content"]))
        data[at % len(data)] ^= 1 << bit
        f["content"] = base64.b64encode(bytes(data)).decode()

    outcome = verify_bundle(rewrite(bundle, change))
    assert not outcome.ok
    assert all(name in p for p in outcome.problems_en) and len(outcome.problems_en) == 1


def test_a_case_citing_a_file_the_store_lacks_is_not_bundled(
    keyed_ledger: HazardLedger, store_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    lost = photo(5)
    first = stored(keyed_ledger, photo(6))
    case_id = case_citing(keyed_ledger, clock, first, f"sha256:{digest(lost)}")
    with pytest.raises(EvidenceUnavailable):
        export_bundle(keyed_ledger.integrity, case_id)  # no evidence store given
    target = tmp_path / "case.json"
    for lang, words in (("en", "is not in the evidence store"), ("zh", "不在证据文件存储中")):
        result = runner.invoke(
            cli,
            [
                "--store",
                store_url,
                "--lang",
                lang,
                "export-bundle",
                str(case_id),
                "-o",
                str(target),
            ],
        )
        assert result.exit_code == 1
        assert words in result.output and f"sha256:{digest(lost)}" in result.output
    assert not target.exists()


def test_the_files_a_bundle_carries_are_bounded(
    cited_case: tuple[UUID, dict[str, Any]],
    keyed_ledger: HazardLedger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    case_id, bundle = cited_case
    total = sum(len(data) for data in carried(bundle).values())
    monkeypatch.setattr(bundles, "MAX_EVIDENCE_BYTES", total - 1)
    files = evidence_store(keyed_ledger).get
    with pytest.raises(EvidenceUnavailable, match="the most one bundle carries"):
        export_bundle(keyed_ledger.integrity, case_id, files=files)
    data = orjson.dumps(bundle)
    monkeypatch.setattr(bundles, "MAX_BUNDLE_BYTES", len(data) - 1)
    outcome = verify_bundle(data)
    assert not outcome.ok and "more than this system ever exports" in outcome.problems_en[0]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(max_size=80),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=8,
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    field=st.sampled_from(["sha256", "content", None]),
    value=JSON_VALUES,
    where=st.integers(0, 1),
)
def test_a_malformed_file_list_is_refused_never_crashes(
    cited_case: tuple[UUID, dict[str, Any]], field: str | None, value: Any, where: int
) -> None:
    _, bundle = cited_case

    def change(b: dict[str, Any]) -> None:
        if field is None:
            b["evidence_files"][where] = value  # the whole entry replaced
        else:
            b["evidence_files"][where][field] = value

    outcome = verify_bundle(rewrite(bundle, change))
    assert not outcome.ok and outcome.problems_zh and outcome.problems_en
