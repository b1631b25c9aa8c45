"""Witnesses (C2SP tlog-witness) in separate processes over HTTP on 127.0.0.1.

A witness cosigns a checkpoint only when it extends the last one it cosigned, so a
rewritten history is refused even when it is signed with the log's own key, and
``verify`` with a ``K of N`` policy fails where the key alone cannot tell.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.cosignature import CosignerKey, WitnessPolicy
from ledger.integrity.publish import add_checkpoint_body, post
from ledger.integrity.signing import SigningKey, create_keys, sign_checkpoint
from tests.conftest import FakeClock
from tests.support import assigned_case, report_case

from .conftest import raw, rewrite_payload

runner = CliRunner()


@dataclass
class RunningWitness:
    url: str
    key: CosignerKey
    process: subprocess.Popen[str]

    def entry(self) -> str:
        return f"{self.url} {self.key.to_text()}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.communicate(timeout=10)  # also closes its pipes


def start_witness(tmp_path: Path, trusted_key_file: Path, name: str) -> RunningWitness:
    home = tmp_path / name
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEDGER_")}
    env["LEDGER_STORE"] = str(home / "unused.db")
    command = [sys.executable, "-c", "from api.cli import main; main()", "--lang", "en"]
    command += ["witness", "--port", "0", "--state", str(home / "state")]
    command += ["--key", str(home / "key"), "--name", f"{name}.example/w"]
    command += ["--trusted-key", str(trusted_key_file)]
    process = subprocess.Popen(
        command, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        lines.append(line.strip())
        if line.startswith("listening on "):
            break
    else:
        _, errors = process.communicate(timeout=10)
        raise AssertionError(f"witness did not start: {lines} {errors}")
    key = CosignerKey.from_text(lines[lines.index("witness key:") + 1])
    return RunningWitness(lines[-1].removeprefix("listening on "), key, process)


@pytest.fixture
def witnesses(tmp_path: Path, trusted_key_file: Path) -> Iterator[list[RunningWitness]]:
    started = [start_witness(tmp_path, trusted_key_file, n) for n in ("city", "province")]
    yield started
    for w in started:
        w.stop()


@pytest.fixture
def witnessed(
    keyed_ledger: HazardLedger, witnesses: list[RunningWitness], clock: FakeClock, tmp_path: Path
) -> Path:
    """Checkpoints at 4 and 7, each cosigned by both witnesses; returns the witness file."""
    config = "\n".join(w.entry() for w in witnesses)
    keyed_ledger.integrity.use_witnesses(WitnessPolicy.parse(config))
    assigned_case(keyed_ledger, clock.now)
    keyed_ledger.integrity.issue_checkpoint()
    for _ in range(3):
        report_case(keyed_ledger, clock.now)
    keyed_ledger.integrity.issue_checkpoint()
    path = tmp_path / "auditor" / "witnesses"
    path.write_text("\n".join(w.key.to_text() for w in witnesses) + "\n")  # keys only
    return path


def verify(store_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--store", store_url, "--lang", "en", "verify", *args])
    return result.exit_code, result.output


def test_checkpoints_are_cosigned_and_the_policy_holds(
    witnessed: Path, keyed_ledger: HazardLedger, store_url: str, trusted_key_file: Path
) -> None:
    for size in (4, 7):
        assert len(keyed_ledger.integrity.cosignatures(size)) == 2
    note = keyed_ledger.integrity.latest_note()
    assert note is not None and len(note.signatures) == 3
    key = ["--trusted-key", str(trusted_key_file), "--witnesses", str(witnessed)]
    code, out = verify(store_url, *key)
    assert code == 0, out
    assert "the witness policy (2 of 2) holds" in out
    assert "no events were cut off" not in out


def test_events_after_the_last_cosigned_checkpoint_fail_the_policy(
    witnessed: Path,
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    clock: FakeClock,
) -> None:
    keyed_ledger.integrity.use_witnesses(WitnessPolicy())  # the witnesses are not asked
    report_case(keyed_ledger, clock.now)
    keyed_ledger.integrity.issue_checkpoint()
    key = ["--trusted-key", str(trusted_key_file), "--witnesses", str(witnessed)]
    code, out = verify(store_url, *key, "--quorum", "1")
    assert code == 3 and "only the first 7 events are cosigned by enough witnesses" in out


def test_a_full_forgery_is_refused_by_the_witness_and_fails_verify(
    witnessed: Path,
    witnesses: list[RunningWitness],
    keyed_ledger: HazardLedger,
    store_url: str,
    trusted_key_file: Path,
    signing_key: SigningKey,
    tmp_path: Path,
) -> None:
    log = keyed_ledger.integrity
    # Rewrite history, recompute the tree, drop every checkpoint and cosignature, and
    # sign the new head -- even with the log's real key.
    rewrite_payload(keyed_ledger, 2, b'"general"', b'"major"')
    raw(keyed_ledger, f"DELETE FROM {log.tables.checkpoints}")
    raw(keyed_ledger, f"DELETE FROM {log.tables.cosignatures}")
    size, root = log.tree_head()
    forged = sign_checkpoint(signing_key, log.origin, size, root).signed_note()
    city = witnesses[0].url
    status, kind, text = post(city, add_checkpoint_body(7, [], forged))
    assert status == 409  # same size, another root
    status, kind, text = post(city, add_checkpoint_body(0, [], forged))
    assert (status, kind, text) == (409, "text/x.tlog.size", "7\n")  # it remembers 7
    stranger = create_keys(tmp_path / "stranger", name="hazard-ledger")
    other = sign_checkpoint(stranger, log.origin, size, root).signed_note()
    assert post(city, add_checkpoint_body(7, [], other))[0] == 403
    # The ledger submits the forged head as it would any other: no witness cosigns it.
    log.use_witnesses(WitnessPolicy.parse("\n".join(w.entry() for w in witnesses)))
    log.issue_checkpoint()
    assert log.cosignatures(size) == []
    # the key's holder removes what was published beside the key, too
    shutil.rmtree(log.key_directory / "checkpoints")
    code, out = verify(store_url, "--trusted-key", str(trusted_key_file))
    assert code == 0  # the key alone cannot see its own holder's rewrite...
    code, out = verify(
        store_url, "--trusted-key", str(trusted_key_file), "--witnesses", str(witnessed)
    )
    assert code == 3 and "the witness policy (2 of 2) is not met" in out  # ...the witnesses do


def test_a_witness_remembers_across_restarts(
    witnessed: Path, witnesses: list[RunningWitness], tmp_path: Path, trusted_key_file: Path
) -> None:
    city = witnesses[0]
    city.stop()
    again = start_witness(tmp_path, trusted_key_file, "city")
    try:
        assert again.key == city.key
        note = (tmp_path / "city" / "state").glob("*.checkpoint")
        text = next(note).read_text()
        status, _, body = post(again.url, add_checkpoint_body(0, [], text))
        assert (status, body) == (409, "7\n")
    finally:
        again.stop()
