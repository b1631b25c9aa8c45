"""The benchmark scripts still run (at toy sizes): a refactor must not leave them broken.

Their figures are printed, never asserted; this only checks each script completes and
prints the figure lines it promises.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(tmp_path: Path, script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env={"LEDGER_KEY_DIR": str(tmp_path / "keys"), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_write_cases(tmp_path: Path) -> None:
    out = run(tmp_path, "write_cases.py", "--cases", "3", "--compare")
    assert "sector plugins:" in out and "ledger / bare time ratio" in out


def test_rebuild(tmp_path: Path) -> None:
    out = run(
        tmp_path, "rebuild.py", "--events", "3000", "--store", str(tmp_path / "b.db"),
        "--queries", "5", "--workers", "2",
    )  # fmt: skip
    assert "ratio rebuild / read-and-decode time" in out and "2 processes" in out


def test_workbook_import(tmp_path: Path) -> None:
    out = run(tmp_path, "workbook_import.py", "--rows", "50")
    assert "workbook: 50 rows" in out and "peak RSS" in out
