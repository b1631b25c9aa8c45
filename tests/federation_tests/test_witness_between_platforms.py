"""The nation witnesses its provinces: a province that rewrites its own history (cuts
events, recomputes its tree, signs the new head with its real key) gets no cosignature
for its next checkpoint, ``ledger verify`` with the witness policy fails, and the
national store still holds what was cut.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.composition import Ledger
from api.federation import NationalFeed, NationalStore
from ledger.integrity.cosignature import WitnessPolicy
from ledger.integrity.signing import create_keys
from ledger.scope import Scope
from tests.conftest import FakeClock
from tests.integrity_tests.conftest import truncate
from tests.integrity_tests.test_witnesses import RunningWitness, start_witness
from tests.support import register_restaurant

from .test_national_register import national_case_ids, report_case

pytestmark = pytest.mark.postgres

runner = CliRunner()


@pytest.fixture
def trusted_key_file(own_keys: Path, tmp_path: Path) -> Path:
    """The province's log key, created in its key directory; the public half kept apart."""
    key = create_keys(own_keys)
    path = tmp_path / "auditor" / "province.vkey"
    path.parent.mkdir()
    path.write_text(key.verifier.to_text() + "\n")
    return path


@pytest.fixture
def national_witness(tmp_path: Path, trusted_key_file: Path) -> Iterator[RunningWitness]:
    witness = start_witness(tmp_path, trusted_key_file, "national")
    yield witness
    witness.stop()


def verify(store_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--store", store_url, "--lang", "en", "verify", *args])
    return result.exit_code, result.output


def test_the_national_witness_catches_a_province_rewriting_its_history(
    provinces: dict[str, Ledger],
    province_urls: dict[str, str],
    feed: NationalFeed,
    national: NationalStore,
    national_witness: RunningWitness,
    trusted_key_file: Path,
    clock: FakeClock,
    tmp_path: Path,
    own_keys: Path,
) -> None:
    gansu = provinces["62"].ledger
    log = gansu.integrity
    log.use_witnesses(WitnessPolicy.parse(national_witness.entry()))
    register_restaurant(gansu, clock.now)
    kept = report_case(gansu, clock.now)
    cut = report_case(gansu, clock.now)
    honest = log.issue_checkpoint()
    assert len(log.cosignatures(honest.tree_size)) == 1
    feed.feed_once()
    witnesses = tmp_path / "auditor" / "witnesses"
    witnesses.write_text(national_witness.key.to_text() + "\n")
    policy = ["--trusted-key", str(trusted_key_file), "--witnesses", str(witnesses)]
    url = province_urls["62"]
    code, out = verify(url, *policy)
    assert code == 0, out

    # The province cuts the last hazard's event, recomputes its tree, removes the
    # checkpoints it published on its own disk, and records on.
    truncate(gansu, honest.tree_size - 1)
    shutil.rmtree(own_keys / "checkpoints", ignore_errors=True)
    clock.advance(hours=1)
    report_case(gansu, clock.now)
    report_case(gansu, clock.now)
    forged = log.issue_checkpoint()  # signed with the province's own key

    assert forged.tree_size > honest.tree_size
    assert log.cosignatures(forged.tree_size) == []  # the national witness refused it
    code, out = verify(url, "--trusted-key", str(trusted_key_file))
    assert code == 0, out  # its own key cannot see its holder's rewrite...
    code, out = verify(url, *policy)
    assert code == 3 and "the witness policy (1 of 1) is not met" in out, out  # ...a witness does
    # What the nation was fed before the cut is still there to compare against.
    feed.feed_once()
    assert {str(kept), str(cut)} <= national_case_ids(national, Scope(region_prefix="62"))
