"""Every read command works on a read-only copy of a ledger, and the copy is never
written: not one byte of the file, and (on read-only media) no file appears beside it.

A reviewer takes a copy of the store (scenario 4's ledger, with its read models and
evidence files) and runs each command that only reads, by path (the CLI opens it
read-only) and as ``file:PATH?mode=ro``. A command that needs a signed checkpoint
(review bundles, the ledger export, a bundle, a printed document) signs one with the
reviewer's key and publishes it beside the key, but stores nothing in the copy; the
copy is then proven against that published checkpoint.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from api.cli import app as cli
from api.cli.store_access import READS
from ledger.application import HazardLedger
from ledger.integrity.bundle import verify_bundle
from ledger.integrity.signing import create_keys, load_verifier_key, parse_note
from tests.conftest import FakeClock
from tests.review_tests import scenario
from tests.unwritable import unwritable

runner = CliRunner()
PLUGINS = ["--plugins", "city_gas,fire"]  # the built-in sectors: no installed extras


def invoke(*args: str) -> Result:
    return runner.invoke(cli, [*PLUGINS, "--lang", "en", *args])


@dataclass
class Source:
    path: Path
    factory: scenario.FactoryFire
    keys: Path


@pytest.fixture
def source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Source:
    """Scenario 4's ledger with its read models built and no checkpoint stored."""
    keys = tmp_path / "keys"
    monkeypatch.setenv("LEDGER_KEY_DIR", str(keys))
    monkeypatch.setenv("LEDGER_CHECKPOINT_EVERY", "0")
    for name in ("STORE", "TRUSTED_KEYS", "WITNESSES", "WITNESS_QUORUM", "CHECKPOINT_DIR"):
        monkeypatch.delenv(f"LEDGER_{name}", raising=False)
    create_keys(keys)
    path = tmp_path / "source" / "ledger.db"
    path.parent.mkdir()
    clock = FakeClock(datetime(2026, 1, 1, tzinfo=UTC))
    app = HazardLedger(str(path), clock=clock)
    try:
        factory = scenario.build(app, clock)
    finally:
        app.close()
    built = invoke("--store", str(path), "project", "--once")
    assert built.exit_code == 0, built.output
    return Source(path, factory, keys)


def copied(source: Source, directory: Path) -> Path:
    """The store with every file beside it that belongs to it (evidence, WAL)."""
    directory.mkdir()
    for item in source.path.parent.iterdir():
        if item.name.startswith(source.path.name) and not item.name.endswith(".lock"):
            copy = shutil.copytree if item.is_dir() else shutil.copy2
            copy(item, directory / item.name)
    return directory / source.path.name


def snapshot(directory: Path) -> dict[str, str]:
    """Every file under ``directory`` by relative path, with the SHA-256 of its bytes."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def read_commands(source: Source, out: Path) -> list[list[str]]:
    """One or more invocations of every command that only reads."""
    f, code = source.factory, scenario.FACTORY_CODE
    month = ["--region", "620826", "--month", "2026-04"]
    review = ["review", "--enterprise", code, "--incident-at", "2026-05-01T14:00+00:00"]
    return [
        ["proof", str(f.case_id), "1"],
        ["case", "show", str(f.case_id)],
        ["case", "history", str(f.case_id)],
        ["enterprise", "show", code],
        ["register"],
        ["report", "monthly", *month],
        ["report", "ranking", *month],
        ["report", "sources", "2026-04"],
        ["export", "register", str(out / "register.xlsx")],
        ["export", "monthly", *month, str(out / "monthly.csv")],
        ["export", "statistics", "--region", "620826", "--year", "2026", str(out / "s.xlsx")],
        ["export", "measures", str(out / "measures.csv")],
        ["export-ledger", str(out / "ledger.jsonl")],
        review,
        [*review, "--format", "json", "--bundle-dir", str(out / "review")],
    ]


def signing_commands(source: Source, out: Path) -> list[list[str]]:
    """Commands that sign a checkpoint and read nothing else: on a read-only store
    (``mode=ro``) they sign without storing it."""
    f = source.factory
    return [
        ["export-bundle", str(f.case_id), "-o", str(out / "case.bundle.json")],
        ["print", "inspection-record", str(f.first_inspection_id), "-o", str(out / "i.pdf")],
    ]


def top_level_commands() -> set[str]:
    group = typer.main.get_command(cli)
    assert isinstance(group, typer.core.TyperGroup)
    return set(group.commands)


def test_the_list_covers_every_read_command(source: Source, tmp_path: Path) -> None:
    """A read command added to the CLI must be added here too."""
    covered = {c[0] for c in read_commands(source, tmp_path)} | {"verify"}
    assert covered == READS & top_level_commands()


@pytest.fixture(params=[False, True], ids=["read-only-file", "read-only-media"])
def media(request: pytest.FixtureRequest) -> bool:
    """False: the store file is unwritable; True: its directory and evidence too."""
    return bool(request.param)


@pytest.fixture
def copy(source: Source, tmp_path: Path, media: bool) -> Iterator[Path]:
    """A copy of the source that the kernel refuses to write while the test runs."""
    path = copied(source, tmp_path / "copy")
    paths = [path]
    if media:
        paths += [path.parent, *path.parent.rglob("*")]
    paths = [p for p in paths if p.is_file() or p.is_dir()]
    with unwritable(*paths) as refused:
        if media and not refused:
            pytest.skip("the kernel does not refuse writes here (root without chattr +i)")
        yield path


def assert_ran(result: Result, command: list[str], code: int = 0) -> None:
    assert result.exit_code == code, (command, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command,
        repr(result.exception),
    )
    assert "Traceback" not in result.output


def test_every_read_command_works_and_leaves_the_copy_as_it_was(
    source: Source, copy: Path, media: bool, tmp_path: Path
) -> None:
    before = snapshot(copy.parent)
    assert {name for name in before if name.endswith(("-wal", "-shm"))} == set()
    vkey = tmp_path / "auditor.vkey"
    key = load_verifier_key(source.keys)
    assert key is not None
    vkey.write_text(key.to_text() + "\n")
    published = source.keys / "checkpoints"

    # Nothing is signed yet: the copy is consistent, but not proven.
    unproven = invoke("--store", str(copy), "verify", "--trusted-key", str(vkey))
    assert_ran(unproven, ["verify"], 3)
    for n, store in enumerate((str(copy), f"file:{copy}?mode=ro")):
        out = tmp_path / f"out-{n}"
        out.mkdir()
        for command in read_commands(source, out):
            assert_ran(invoke("--store", store, *command), command)
        for command in signing_commands(source, out):
            if store.startswith("file:"):  # by path these open the store to write
                assert_ran(invoke("--store", store, *command), command)
        # The checkpoint the reads signed was published beside the key, not stored: the
        # copy is proven against it (and verify finds it there by default).
        result = invoke("--store", store, "verify", "--trusted-key", str(vkey))
        assert_ran(result, ["verify"])
        assert "0 stored checkpoints" in result.output
        assert_bundles_verify(out / "review", published)

    after = snapshot(copy.parent)
    if media:
        assert after == before  # not a byte changed, no file appeared
    else:
        # The file is as it was. In a writable directory a read-only open of a WAL
        # database makes SQLite's shared-memory index beside it, and an empty log.
        assert after[copy.name] == before[copy.name]
        assert {k: v for k, v in after.items() if k in before} == before
        assert set(after) - set(before) <= {f"{copy.name}-shm", f"{copy.name}-wal"}
        wal = copy.parent / f"{copy.name}-wal"
        assert not wal.exists() or wal.stat().st_size == 0


def assert_bundles_verify(directory: Path, published: Path) -> None:
    """The review's bundles verify offline, all under the one checkpoint published."""
    bundles = sorted(directory.glob("*.bundle.json"))
    assert {p.name.split("-", 1)[0] for p in bundles} >= {"enterprise", "case", "inspection"}
    notes = set()
    for path in bundles:
        outcome = verify_bundle(path.read_bytes())
        assert outcome.ok, (path.name, outcome.problems_en)
        notes.add(json.loads(path.read_bytes())["checkpoint"])
    [note] = notes  # one checkpoint signed for the whole export
    signed = parse_note(note)
    kept = published / f"{signed.tree_size:012d}.checkpoint"
    assert parse_note(kept.read_text(encoding="utf-8")).root == signed.root


def test_a_read_only_copy_is_opened_read_only_by_every_connection(
    source: Source, tmp_path: Path
) -> None:
    """On a copy whose file the kernel would let this process write, the ledger's own
    connections still refuse: the integrity tables' and the shared reader's."""
    from ledger.integrity.tables import Tables
    from ledger.store import read_only, resolve_store

    path = copied(source, tmp_path / "copy")
    before = hashlib.sha256(path.read_bytes()).digest()
    tables = Tables(read_only(resolve_store(str(path))))
    with tables.connect() as conn, pytest.raises(Exception, match="readonly"):
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(Exception, match="readonly"):
        tables.fetchall("INSERT INTO integrity_nodes (level, idx, hash) VALUES (99, 0, x'00')")
    tables.close()
    assert os.access(path, os.W_OK)
    assert hashlib.sha256(path.read_bytes()).digest() == before


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_checkpoint_on_a_read_only_copy_says_it_was_not_stored(
    source: Source, copy: Path, media: bool, lang: str
) -> None:
    """``ledger checkpoint`` signs and publishes on a read-only copy, exits 0, and says,
    in the person's language, that the checkpoint was not stored."""
    before = snapshot(copy.parent)
    result = CliRunner().invoke(
        cli, [*PLUGINS, "--lang", lang, "--store", f"file:{copy}?mode=ro", "checkpoint"]
    )
    assert_ran(result, ["checkpoint"])
    said = "未存入存储" if lang == "zh" else "not stored"
    assert said in result.output
    after = snapshot(copy.parent)
    assert after[copy.name] == before[copy.name]
    if media:
        assert after == before
