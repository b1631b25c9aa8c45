"""The integrity commands as people run them: keys, checkpoint, verify, history."""

from __future__ import annotations

from pathlib import Path

import orjson
from typer.testing import CliRunner

from api.cli import app as cli
from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import assigned_case

from .conftest import events_table, raw

runner = CliRunner()


def run(store_url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["--store", store_url, *args])
    return result.exit_code, result.output


def test_keys_checkpoint_verify_and_history(
    ledger: HazardLedger, store_url: str, clock: FakeClock, key_directory: Path
) -> None:
    case_id = assigned_case(ledger, clock.now)
    code, out = run(store_url, "--lang", "en", "checkpoint")
    assert code == 1 and "ledger keys" in out
    code, out = run(store_url, "--lang", "en", "keys")
    assert code == 0 and "hazard-ledger+" in out
    trusted = key_directory.parent / "trusted.vkey"  # the auditor keeps the public key
    trusted.write_text(next(line for line in out.splitlines() if line.startswith("hazard-ledger+")))
    assert (key_directory / "ledger-signing.key").exists()
    code, out = run(store_url, "--lang", "en", "keys")
    assert code == 1 and "already exists" in out
    code, out = run(store_url, "checkpoint")
    assert code == 0 and out.splitlines()[1] == "4"
    code, out = run(store_url, "--lang", "en", "verify")
    assert code == 3 and "NOT PROVEN" in out  # no trust root given
    code, out = run(store_url, "--lang", "en", "verify", "--trusted-key", str(trusted))
    assert code == 0 and "Recomputed and consistent: 4 events" in out and "PROVEN" in out
    code, out = run(store_url, "--json", "case", "history", str(case_id))
    assert code == 0
    timeline = orjson.loads(out)["timeline"]
    assert [row["version"] for row in timeline] == [1, 2, 3]
    assert [row["seq"] for row in timeline] == [1, 2, 3]
    assert {row["proof"]["status"] for row in timeline} == {"verified"}
    assert timeline[1]["changes"]["grade"] == "general"
    assert timeline[0]["recorded_at"] and timeline[0]["occurred_at"]
    code, out = run(store_url, "--lang", "en", "case", "history", str(case_id))
    assert code == 0 and "proven (signed checkpoint)" in out and "recorded" in out


def test_verify_exits_non_zero_and_names_the_position(
    ledger: HazardLedger, store_url: str, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    table, id_column = events_table(ledger)
    t = ledger.integrity.tables
    nid = raw(ledger, f"SELECT notification_id FROM {t.log} WHERE seq = 3")[0][0]
    state = bytes(raw(ledger, f"SELECT state FROM {table} WHERE {id_column} = ?", (nid,))[0][0])
    raw(
        ledger,
        f"UPDATE {table} SET state = ? WHERE {id_column} = ?",
        (state.replace("金属管道".encode(), "塑料管道".encode()), nid),
    )
    code, out = run(store_url, "--lang", "en", "verify")
    assert code == 1
    assert f"seq 3 ({case_id} v3): the event's content was changed" in out
    code, out = run(store_url, "--json", "case", "history", str(case_id))
    statuses = [row["proof"]["status"] for row in orjson.loads(out)["timeline"]]
    assert statuses == ["verified_unsigned", "verified_unsigned", "tampered"]


def test_export_bundle_writes_one_file(
    ledger: HazardLedger, store_url: str, clock: FakeClock, tmp_path: Path
) -> None:
    case_id = assigned_case(ledger, clock.now)
    assert run(store_url, "keys")[0] == 0
    target = tmp_path / "b.json"
    code, out = run(store_url, "--json", "export-bundle", str(case_id), "-o", str(target))
    assert code == 0 and orjson.loads(out)["events"] == 3
    code, out = run(store_url, "--lang", "en", "verify-bundle", str(target))
    assert code == 0 and "Bundle verified" in out
