"""Verify's worker processes start without running the caller's main module.

A spawned process normally imports the main module of the process that started it;
for the ``ledger`` command that is every command's imports (about 1 s of CPU per
worker). The workers need none of it, so the main module is hidden while they start.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import INSPECTOR, register_restaurant, report_case

MAIN = textwrap.dedent(
    """
    import os
    import sys

    with open(sys.argv[2], "a") as marks:  # every process that runs this module
        marks.write(f"{os.getpid()}\\n")

    if __name__ == "__main__":
        from ledger.application import HazardLedger

        app = HazardLedger(sys.argv[1])
        report = app.integrity.verify(page_size=256, workers=2)
        app.close()
        print(report.ok, report.events_checked)
    """
)


def test_workers_do_not_run_the_callers_main_module(tmp_path: Path) -> None:
    path = tmp_path / "ledger.db"
    clock = FakeClock(datetime(2026, 3, 3, 9, 0, tzinfo=UTC))
    app = HazardLedger(str(path), clock=clock)
    register_restaurant(app, clock.now)
    for _ in range(300):  # 601 events: three pages of 256
        clock.advance(minutes=7)
        case = report_case(app, clock.now - timedelta(minutes=1))
        app.grade_hazard(INSPECTOR, clock.now, case, grade="general")
    app.close()
    script, marks = tmp_path / "main.py", tmp_path / "marks"
    script.write_text(MAIN)
    done = subprocess.run(
        [sys.executable, str(script), str(path), str(marks)],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert done.stdout.split() == ["True", "601"]
    assert len(marks.read_text().split()) == 1  # the caller alone
