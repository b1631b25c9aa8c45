"""What an official reads in the terminal: Chinese by default, English with ``--lang en``,
people and places by name, no internal code (role, sector, event type, login id) and no
English scaffolding (``seq``, ``leaf``, ``size``, ``rebuilt from``) in the Chinese."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import UUID

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, ENTERPRISE_USER, INSPECTOR, assigned_case

runner = CliRunner()
AT = datetime(2025, 3, 1, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, UUID, Path]]:
    """A case reported, assigned, rectified, verified and closed, and a signing key."""
    directory = tmp_path_factory.mktemp("officials")
    keys = directory / "keys"
    trusted = directory / "ledger.vkey"
    trusted.write_text(create_keys(keys).verifier.to_text())
    path = directory / "ledger.db"
    app = HazardLedger(str(path), clock=FakeClock(AT + timedelta(days=3)))
    app.integrity.use_key_directory(keys)
    case_id = assigned_case(app, AT)
    app.report_rectification(ENTERPRISE_USER, AT, case_id, measures="更换金属管道", completed_at=AT)
    app.verify_rectification(DEPARTMENT, AT, case_id, accepted=True, opinion="整改合格")
    app.close_hazard(DEPARTMENT, AT, case_id)
    app.integrity.issue_checkpoint()
    app.close()
    yield path, case_id, trusted


def run(path: Path, *args: str, code: int = 0) -> str:
    result = runner.invoke(cli, ["--store", str(path), *args], env={"LEDGER_KEY_DIR": ""})
    assert result.exit_code == code, result.output
    return result.output


def test_case_show_names_the_people_not_their_login_ids(store: tuple[Path, UUID, Path]) -> None:
    path, case_id, _ = store
    output = run(path, "case", "show", str(case_id))
    for login in (ENTERPRISE_USER.id, DEPARTMENT.id, INSPECTOR.id):
        assert login not in output, login
    assert f"整改报告人：{ENTERPRISE_USER.name}" in output
    assert f"复查人：{DEPARTMENT.name}" in output and f"销号人：{DEPARTMENT.name}" in output


def test_case_history_says_what_each_proof_is_against_in_chinese(
    store: tuple[Path, UUID, Path],
) -> None:
    path, case_id, _ = store
    output = run(path, "case", "history", str(case_id))
    assert "checkpoint" not in output and "key id" not in output
    assert "已签名检查点" in output
    assert "signed checkpoint" in run(path, "--lang", "en", "case", "history", str(case_id))


def test_rebuild_project_users_and_plugins_speak_chinese(
    store: tuple[Path, UUID, Path],
) -> None:
    path, _, _ = store
    rebuilt = run(path, "rebuild")
    assert rebuilt.startswith("已从") and "rebuilt" not in rebuilt
    assert "rebuilt from" in run(path, "--lang", "en", "rebuild")
    projected = run(path, "project")
    assert "events read" not in projected and "已读取事件" in projected
    run(
        path,
        "users",
        "add",
        "insp-9",
        "--name",
        "赵丽",
        "--role",
        "inspector",
        "--region",
        "620826100",
        "--sector",
        "city_gas",
    )
    users = run(path, "users", "list")
    assert "执法检查人员" in users and "城关镇" in users and "城镇燃气" in users
    assert not re.search(r"\binspector\b|\bcity_gas\b|expires", users), users
    plugins = run(path, "plugins")
    assert "hooks:" not in plugins and not re.search(r"\d+ criteria", plugins)
    assert "扩展点" in plugins and "判定标准" in plugins


def test_verify_print_speaks_chinese_and_english(
    store: tuple[Path, UUID, Path], tmp_path: Path
) -> None:
    path, case_id, trusted = store
    out = tmp_path / "re.pdf"
    run(path, "print", "re-inspection", str(case_id), "-o", str(out))
    zh = run(path, "verify-print", str(out), "--trusted-key", str(trusted))
    for english in ("seq", "leaf", "size", "known at", "HazardCase"):
        assert english not in zh, english
    assert "复查" in zh and "已签名检查点" in zh
    en = run(path, "--lang", "en", "verify-print", str(out), "--trusted-key", str(trusted))
    assert "log entry" in en and "signed checkpoint" in en


def test_printing_an_order_from_a_case_id_says_which_id_it_needs(
    store: tuple[Path, UUID, Path], tmp_path: Path
) -> None:
    path, case_id, _ = store
    out = str(tmp_path / "order.pdf")
    zh = run(path, "print", "rectification-order", str(case_id), "-o", out, code=3)
    assert "执法措施编号" in zh and "re-inspection" in zh
    en = run(path, "--lang", "en", "print", "rectification-order", str(case_id), "-o", out, code=3)
    assert "enforcement action id" in en
