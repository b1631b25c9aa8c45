"""The read models' own process: it catches up with what is recorded, and ends with the
worker that started it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from api import follow_process
from api.composition import Config, open_ledger
from projections.follower import Follower
from tests.support import INSPECTOR, register_restaurant


def _position(store: str) -> int:
    composed = open_ledger(Config(store=store))
    follower = composed.follower()
    try:
        rows = [follower.tracking(p.name) for p in follower.projections.values()]
        return min(row[0] if row else 0 for row in rows)
    finally:
        follower.close()
        composed.close()


def test_it_follows_and_ends_with_its_parent(tmp_path: Path) -> None:
    store = str(tmp_path / "ledger.db")
    composed = open_ledger(Config(store=store))
    at = datetime.now(tz=UTC)
    composed.ledger.report_hazard(
        INSPECTOR,
        at,
        enterprise_code=register_restaurant(composed.ledger, at),
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙敷设",
        source="grid_patrol",
        details={"premises": "restaurant", "leak_alarm_installed": False},
    )
    composed.close()
    settings = json.dumps({"store": store, "plugins": None, "key_dir": None})
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import subprocess, sys, time
                child = subprocess.Popen(
                    [sys.executable, "-m", "api.follow_process", {settings!r}]
                )
                print(child.pid, flush=True)
                time.sleep(120)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    try:
        deadline = time.monotonic() + 60
        while _position(store) == 0:
            assert time.monotonic() < deadline, "the read models never caught up"
            time.sleep(0.2)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.communicate()
    deadline = time.monotonic() + 30
    while _alive(child):
        assert time.monotonic() < deadline, "the follower outlived the worker that started it"
        time.sleep(0.1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A child that ended but was not reaped by its (dead) parent is reaped by init.
    status = Path(f"/proc/{pid}/stat")
    return status.exists() and status.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_catch_up_reaches_the_head_in_transactions_of_at_most_a_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The process writes the read models in transactions of ``BATCH`` events, so the
    store's write turn is held briefly; one catch-up still applies everything."""
    monkeypatch.setattr(follow_process, "BATCH", 3)
    store = str(tmp_path / "ledger.db")
    composed = open_ledger(Config(store=store))
    at = datetime.now(tz=UTC)
    code = register_restaurant(composed.ledger, at)
    for n in range(7):
        composed.ledger.report_hazard(
            INSPECTOR,
            at,
            enterprise_code=code,
            sector="city_gas",
            location=f"后厨 {n}",
            description="燃气软管穿墙敷设",
            source="grid_patrol",
            details={"premises": "restaurant", "leak_alarm_installed": False},
        )
    last = composed.ledger.recorder.max_notification_id()
    assert last is not None and last > 2 * 3
    written: list[int] = []
    step = Follower._step

    def counted(self: Follower, targets: list[Any]) -> tuple[int, bool]:
        read, done = step(self, targets)
        written.append(read)
        return read, done

    monkeypatch.setattr(Follower, "_step", counted)
    folds = follow_process.follower(composed)
    try:
        assert folds.catch_up() == last
    finally:
        folds.close()
        composed.close()
    assert max(written) <= 3 and sum(written) == last
    assert _position(store) == last
