"""``ledger export-ledger`` / ``import-ledger`` as a person reads them: every refusal
names what is wrong in Chinese by default and in English with ``--lang en`` (only the
chosen language), exits 2 and shows no traceback; the report and the note likewise."""

from __future__ import annotations

import base64
import pickle
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner, Result

import ledger.transfer as transfer
import ledger.transfer_load as transfer_load
from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from ledger.transfer import export_ledger
from ledger.transfer_load import LoadRefused
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case

runner = CliRunner()
PLUGINS = ["--plugins", "city_gas,fire"]  # the built-in sectors: no installed extras


def invoke(*args: str) -> Result:
    return runner.invoke(cli, [*PLUGINS, *args])


def _ledger(tmp_path: Path, name: str, clock: FakeClock, keys: Path | None) -> HazardLedger:
    ledger = HazardLedger(str(tmp_path / name), clock=clock)
    if keys is not None:
        ledger.integrity.use_key_directory(keys)
    return ledger


@pytest.fixture
def keys(tmp_path: Path) -> Path:
    create_keys(tmp_path / "keys")
    return tmp_path / "keys"


@pytest.fixture
def exported(tmp_path: Path, clock: FakeClock, keys: Path) -> Path:
    """A signed export of a few cases."""
    source = _ledger(tmp_path, "source.db", clock, keys)
    path = tmp_path / "ledger.jsonl"
    try:
        assigned_case(source, clock.now)
        for _ in range(3):
            clock.advance(hours=1)
            report_case(source, clock.now)
        assert export_ledger(source, path).checkpoint_size is not None
    finally:
        source.close()
    return path


def _rewritten(path: Path, change: Callable[[list[bytes]], None], name: str) -> Path:
    lines = path.read_bytes().splitlines()
    change(lines)
    out = path.with_name(name)
    out.write_bytes(b"\n".join(lines) + b"\n")
    return out


def _header(lines: list[bytes], **fields: object) -> None:
    lines[0] = orjson.dumps({**orjson.loads(lines[0]), **fields})


def _tampered(lines: list[bytes]) -> None:
    event = orjson.loads(lines[2])
    state = base64.b64decode(event["state"]).replace("后厨".encode(), "前厅".encode())
    event["state"] = base64.b64encode(state).decode()
    lines[2] = orjson.dumps(event)


def _malformed(lines: list[bytes]) -> None:
    lines[3] = orjson.dumps({**orjson.loads(lines[3]), "originator_id": 12})


def _state_not_json(lines: list[bytes]) -> None:
    lines[3] = orjson.dumps({**orjson.loads(lines[3]), "state": base64.b64encode(b"[1").decode()})


def _not_an_export(lines: list[bytes]) -> None:
    lines[:] = [b"hello"]


def _truncated(lines: list[bytes]) -> None:
    del lines[-2:]


def _bad_closing_checkpoints(lines: list[bytes]) -> None:
    lines[-1] = orjson.dumps({**orjson.loads(lines[-1]), "checkpoints": ["not a note"]})


def assert_refused(result: Result, shown: str, hidden: str) -> None:
    """Exit 2 on purpose, ``shown`` on screen, no traceback, and nothing of the other
    language (``hidden``)."""
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    assert shown in result.output, result.output
    assert hidden not in result.output, result.output


def _both_languages(store: str, path: Path, zh: str, en: str) -> None:
    refused = invoke("--store", store, "import-ledger", str(path))
    assert_refused(refused, zh, "refused")
    assert "导入被拒绝" in refused.output
    refused = invoke("--store", store, "--lang", "en", "import-ledger", str(path))
    assert_refused(refused, en, "导入被拒绝")
    assert "Import refused" in refused.output


CASES: list[tuple[str, Callable[[list[bytes]], None], str, str]] = [
    ("not-an-export", _not_an_export, "不是台账导出文件", "not a hazard-ledger"),
    (
        "checkpoint",
        lambda lines: _header(lines, checkpoint="not a note"),
        "签名检查点（checkpoint）无法读取",
        "(field checkpoint) cannot be read",
    ),
    (
        "key",
        lambda lines: _header(lines, public_key="x"),
        "公钥（public_key）无法读取",
        "(field public_key) cannot be read",
    ),
    ("tampered", _tampered, "序号 1 的事件无法重现其叶哈希", "sequence 1 does not reproduce"),
    ("malformed", _malformed, "第 4 行不是格式正确的事件：字段 originator_id", "line 4 is not"),
    ("state", _state_not_json, "第 4 行不是格式正确的事件：字段 state", "field state is"),
    ("truncated", _truncated, "文件不完整", "the file is truncated"),
    (
        "header-root",
        lambda lines: _header(lines, root="00" * 32),
        "与文件头所载的原台账",
        "differs from the original's",
    ),
    (
        "closing-checkpoints",
        _bad_closing_checkpoints,
        "文件末行所列的签名检查点",
        "(field checkpoints) cannot be read",
    ),
]


@pytest.mark.parametrize(("name", "change", "zh", "en"), CASES, ids=[case[0] for case in CASES])
def test_a_refused_file_is_named_in_the_chosen_language(
    exported: Path,
    store_url: str,
    name: str,
    change: Callable[[list[bytes]], None],
    zh: str,
    en: str,
) -> None:
    _both_languages(store_url, _rewritten(exported, change, f"{name}.jsonl"), zh, en)


@pytest.mark.parametrize("apart", [False, True], ids=["in-process", "decoding-process"])
def test_a_refusal_from_the_decoding_process_keeps_both_languages(
    exported: Path, store_url: str, monkeypatch: pytest.MonkeyPatch, apart: bool
) -> None:
    monkeypatch.setattr(transfer, "DECODE_APART_FROM", 0 if apart else 1 << 40)
    monkeypatch.setattr(transfer_load, "OWN_CHUNKS", 0)  # apart: all in the second process
    _both_languages(
        store_url,
        _rewritten(exported, _tampered, "tampered.jsonl"),
        "序号 1 的事件无法重现其叶哈希",
        "sequence 1 does not reproduce",
    )
    _both_languages(
        store_url,
        _rewritten(exported, _malformed, "malformed.jsonl"),
        "第 4 行不是格式正确的事件",
        "line 4 is not a well-formed event",
    )


def test_a_refusal_pickles_with_both_messages() -> None:
    got = pickle.loads(pickle.dumps(LoadRefused("中文", "English")))
    assert (got.message("zh"), got.message("en"), str(got)) == ("中文", "English", "English")


def test_a_signature_that_does_not_verify_is_refused(
    exported: Path, tmp_path: Path, store_url: str
) -> None:
    other = create_keys(tmp_path / "other-keys").verifier.to_text()
    forged = _rewritten(exported, lambda lines: _header(lines, public_key=other), "forged.jsonl")
    _both_languages(store_url, forged, "未能用其公钥", "signature does not verify")


def test_a_checkpoint_of_another_history_is_refused(
    exported: Path, tmp_path: Path, store_url: str, clock: FakeClock, keys: Path
) -> None:
    """Signed by the right key, but over other events: the copy cannot reproduce its root."""
    other = _ledger(tmp_path, "other.db", clock, keys)
    try:
        assigned_case(other, clock.now)
        note = other.integrity.issue_checkpoint().signed_note()
    finally:
        other.close()
    swapped = _rewritten(exported, lambda lines: _header(lines, checkpoint=note), "swapped.jsonl")
    _both_languages(store_url, swapped, "副本未能重现签名检查点所载的树根", "does not reproduce")


def test_a_target_that_is_not_empty_is_refused(exported: Path, store_url: str) -> None:
    done = invoke("--store", store_url, "import-ledger", str(exported))
    assert done.exit_code == 0, done.output
    assert "副本与原台账签名检查点一致" in done.output and "copy" not in done.output
    _both_languages(store_url, exported, "目标台账不是空的", "the target ledger is not empty")


def test_a_refusal_in_json_carries_both_messages(exported: Path, tmp_path: Path) -> None:
    truncated = _rewritten(exported, _truncated, "truncated.jsonl")
    done = invoke("--store", str(tmp_path / "t.db"), "--json", "import-ledger", str(truncated))
    assert done.exit_code == 2 and "Traceback" not in done.output
    answer = orjson.loads(done.stdout)
    assert answer["error"] == "import_refused"
    assert "文件不完整" in answer["message_zh"] and "truncated" in answer["message_en"]


def test_an_import_reports_in_the_chosen_language(
    exported: Path, tmp_path: Path, clock: FakeClock
) -> None:
    zh = invoke("--store", str(tmp_path / "zh.db"), "import-ledger", str(exported))
    assert zh.exit_code == 0, zh.output
    assert "默克尔树根与原台账一致" in zh.output and "copied" not in zh.output
    en = invoke("--store", str(tmp_path / "en.db"), "--lang", "en", "import-ledger", str(exported))
    assert en.exit_code == 0, en.output
    assert "Merkle tree root equals the original's" in en.output
    assert "signed checkpoint" in en.output and "副本" not in en.output
    # Without a key there is no signed checkpoint: the note says what was checked.
    unsigned = _ledger(tmp_path, "unsigned.db", clock, None)
    try:
        assigned_case(unsigned, clock.now)
    finally:
        unsigned.close()
    path = tmp_path / "unsigned.jsonl"
    done = invoke(
        "--store", str(tmp_path / "unsigned.db"), "--lang", "en", "export-ledger", str(path)
    )
    assert done.exit_code == 0 and "exported" in done.output and "已导出" not in done.output
    zh = invoke("--store", str(tmp_path / "u-zh.db"), "import-ledger", str(path))
    assert zh.exit_code == 0 and "注意：导出文件不含签名检查点" in zh.output
    assert "Note" not in zh.output
    en = invoke("--store", str(tmp_path / "u-en.db"), "--lang", "en", "import-ledger", str(path))
    assert en.exit_code == 0 and "Note: the export holds no signed checkpoint" in en.output
    assert "注意" not in en.output
