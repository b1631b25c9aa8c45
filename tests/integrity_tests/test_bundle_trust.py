"""Bundles carry the key that signed their checkpoint, and its witnesses' cosignatures."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from ledger.integrity.bundle import export_bundle, verify_bundle
from ledger.integrity.cosignature import CosignerKey, WitnessPolicy, cosign
from ledger.integrity.signing import SigningKey, create_keys, parse_note
from tests.conftest import FakeClock
from tests.support import assigned_case

runner = CliRunner()


def test_a_bundle_made_with_another_key_directory_still_verifies(
    keyed_ledger: HazardLedger,
    store_url: str,
    clock: FakeClock,
    tmp_path: Path,
    trusted_key_file: Path,
) -> None:
    # The README's case: the ledger's checkpoints were signed with the key in `keys/`,
    # and `ledger export-bundle` is run where another key directory is configured.
    case_id = assigned_case(keyed_ledger, clock.now)
    keyed_ledger.integrity.issue_checkpoint()
    other = tmp_path / "other-keys"
    create_keys(other)
    target = tmp_path / "case.json"
    base = ["--store", store_url, "--lang", "en"]
    result = runner.invoke(
        cli, [*base, "export-bundle", str(case_id), "-o", str(target), "--key-dir", str(other)]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, [*base, "verify-bundle", str(target)])
    assert result.exit_code == 0 and "Bundle verified" in result.output
    # Against the operator's published key, the bundle is refused for its key, not as tampered.
    result = runner.invoke(
        cli, [*base, "verify-bundle", str(target), "--trusted-key", str(trusted_key_file)]
    )
    assert result.exit_code == 1 and "not the key you said to trust" in result.output


def test_bundle_checks_the_witness_policy(
    keyed_ledger: HazardLedger, clock: FakeClock, signing_key: SigningKey, tmp_path: Path
) -> None:
    case_id = assigned_case(keyed_ledger, clock.now)
    checkpoint = keyed_ledger.integrity.issue_checkpoint()
    witness = create_keys(tmp_path / "witness", name="city.example/w")
    line = cosign(witness, checkpoint.body, 1_780_000_000).line()
    t = keyed_ledger.integrity.tables
    with t.write() as cur:
        cur.execute(
            t.sql(f"INSERT INTO {t.cosignatures} (tree_size, key_id, line) VALUES (?,?,?)"),
            (checkpoint.tree_size, CosignerKey.of(witness).key_id.hex(), line),
        )
    bundle = export_bundle(keyed_ledger.integrity, case_id)
    assert len(parse_note(bundle["checkpoint"]).signatures) == 2
    data = orjson.dumps(bundle)
    policy = WitnessPolicy.parse(CosignerKey.of(witness).to_text())
    outcome = verify_bundle(data, signing_key.verifier.to_text(), policy)
    assert outcome.ok and any("city.example/w" in s for s in outcome.statements_en)
    stranger = create_keys(tmp_path / "stranger", name="town.example/w")
    strict = WitnessPolicy.parse(
        f"{CosignerKey.of(witness).to_text()}\n{CosignerKey.of(stranger).to_text()}"
    )
    outcome = verify_bundle(data, signing_key.verifier.to_text(), strict)
    assert not outcome.ok and "policy (2 of 2) is not met" in outcome.problems_en[0]
