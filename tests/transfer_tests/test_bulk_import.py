"""The bulk import writes what the write path writes, and all or nothing.

``import-ledger`` writes the integrity log's rows itself (``ledger.transfer_load``)
instead of event by event through the recorder: the copy's log, subtree nodes and tree
state must be the original's, row for row, on both stores; and whatever stops an
import — a refusal at any check, an exception, the process killed — leaves the target
as empty as it was, with its indexes.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ledger.transfer as transfer
import ledger.transfer_load as transfer_load
from ledger.application import HazardLedger
from ledger.integrity.signing import create_keys
from ledger.transfer import TransferError, export_ledger, import_ledger
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, ENTERPRISE_USER, INSPECTOR, assigned_case, report_case

ROOT = Path(__file__).resolve().parents[2]


def _source(tmp_path: Path, clock: FakeClock, *, cases: int = 12) -> Path:
    """A signed SQLite ledger of one case's life, ``cases`` more reported and one
    redaction, exported."""
    keys = tmp_path / "keys"
    create_keys(keys)
    source = HazardLedger(str(tmp_path / "source.db"), clock=clock)
    try:
        source.integrity.use_key_directory(keys)
        first = assigned_case(source, clock.now)
        clock.advance(days=1)
        source.report_rectification(
            ENTERPRISE_USER, clock.now, first, measures="已改管", completed_at=clock.now
        )
        clock.advance(days=1)
        source.verify_rectification(DEPARTMENT, clock.now, first, accepted=True, opinion="合格")
        for _ in range(cases):
            clock.advance(hours=1)
            report_case(source, clock.now)
        source.redact(first, 3, fields=["requirements"], legal_basis="依法删除", actor=INSPECTOR)
        clock.advance(hours=1)
        report_case(source, clock.now)  # an event after the redaction too
        source.integrity.issue_checkpoint()
        path = tmp_path / "ledger.jsonl"
        export_ledger(source, path)
        return path
    finally:
        source.close()


def _integrity_rows(ledger: HazardLedger) -> dict[str, list[tuple[Any, ...]]]:
    t = ledger.integrity.tables
    oid = "originator_id::text" if t.postgres else "originator_id"
    return {
        "log": [
            (r[0], str(r[1]).replace("-", ""), *r[2:])
            for r in t.fetchall(
                f"SELECT seq, {oid}, originator_version, topic, recorded_at, actor_id, "
                f"payload_hash, leaf_hash FROM {t.log} ORDER BY seq"
            )
        ],
        "nodes": t.fetchall(f"SELECT level, idx, hash FROM {t.nodes} ORDER BY level, idx"),
        "tree": t.fetchall(f"SELECT tree_size, frontier, root FROM {t.tree}"),
        "redactions": t.fetchall(f"SELECT * FROM {t.redactions} ORDER BY seq"),
        "states": [
            (bytes(r[0]),)
            for r in t.fetchall(
                f"SELECT e.state FROM {t.log} l JOIN {t.events} e "
                f"ON e.{t.event_id} = l.notification_id ORDER BY l.seq"
            )
        ],
    }


def _as_bytes(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    return {
        name: [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in rows[name]]
        for name in rows
    }


def _empty(ledger: HazardLedger) -> bool:
    t = ledger.integrity.tables
    counts = [t.fetchall(f"SELECT COUNT(*) FROM {name}")[0][0] for name in (t.events, t.log)]
    return counts == [0, 0] and ledger.integrity.tree_head()[0] == 0


def _log_indexes(ledger: HazardLedger) -> set[str]:
    t = ledger.integrity.tables
    if t.postgres:
        rows = t.fetchall(
            "SELECT indexname FROM pg_indexes WHERE schemaname = ? AND tablename = ?",
            (t.store.schema, "integrity_log"),
        )
    else:
        rows = t.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'integrity_log'"
        )
    names = {str(r[0]) for r in rows}
    return {n for n in names if n.startswith("integrity_log_") and not n.endswith("_pkey")}


# Where the file is decoded (the chunks the importing process decodes before handing
# the rest over, and whether it asks for chunks back): all in the importing process;
# all in the decoding process; the first two chunks in the importing process and the
# rest in the decoding process (as while it starts); every other chunk in each; and
# handed over and shared as the two processes' pace decides.
WHERE: dict[str, tuple[int | None, bool | None]] = {
    "in-process": (None, False),
    "decoding-process": (0, False),
    "handed-over": (2, False),
    "shared": (0, True),
    "as-paced": (None, None),
}


def _decode(monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    own, ask = WHERE[where]
    apart = where != "in-process"
    monkeypatch.setattr(transfer, "DECODE_APART_FROM", 0 if apart else 1 << 40)
    monkeypatch.setattr(transfer_load, "OWN_CHUNKS", own)
    monkeypatch.setattr(transfer_load, "ASK", ask)


@pytest.mark.parametrize("where", list(WHERE))
def test_the_copy_holds_the_originals_log_nodes_tree_and_redactions(
    tmp_path: Path,
    store_url: str,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    monkeypatch.setattr(transfer_load, "CHUNK", 100)  # several chunks, nodes across them
    _decode(monkeypatch, where)  # handed over: the redacted event here, its redaction apart
    path = _source(tmp_path, clock, cases=300)  # a stored subtree node or more
    source = HazardLedger(str(tmp_path / "source.db"), clock=clock)
    target = HazardLedger(store_url, clock=clock)
    try:
        report = import_ledger(target, path)
        assert report.proven and report.events == source.integrity.tree_head()[0]
        copied, original = _as_bytes(_integrity_rows(target)), _as_bytes(_integrity_rows(source))
        assert copied["nodes"]
        assert copied == original
        assert len(copied["redactions"]) == 1
        assert target.integrity.verify().ok
        assert _log_indexes(target) == {
            "integrity_log_event",
            "integrity_log_notification",
            "integrity_log_leaf_key",
        }
    finally:
        source.close()
        target.close()


def _altered(path: Path, seq: int, tmp_path: Path) -> Path:
    lines = path.read_bytes().splitlines()
    event = orjson.loads(lines[seq + 1])
    state = base64.b64decode(event["state"]).replace("后厨".encode(), "前厅".encode())
    event["state"] = base64.b64encode(state).decode()
    lines[seq + 1] = orjson.dumps(event)
    altered = tmp_path / "altered.jsonl"
    altered.write_bytes(b"\n".join(lines) + b"\n")
    return altered


@pytest.mark.parametrize("where", list(WHERE))
def test_a_refused_import_leaves_the_store_empty_with_its_indexes(
    tmp_path: Path,
    store_url: str,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    monkeypatch.setattr(transfer_load, "CHUNK", 4)
    _decode(monkeypatch, where)
    path = _source(tmp_path, clock)
    size = len(path.read_bytes().splitlines()) - 2
    late = next(
        seq
        for seq in range(size - 1, 0, -1)
        if "后厨".encode()
        in base64.b64decode(orjson.loads(path.read_bytes().splitlines()[seq + 1])["state"])
    )
    assert late > 2 * transfer_load.CHUNK  # earlier chunks were already written
    target = HazardLedger(store_url, clock=clock)
    try:
        origin = target.integrity.origin
        with pytest.raises(TransferError, match=f"sequence {late} does not reproduce"):
            import_ledger(target, _altered(path, late, tmp_path))
        assert _empty(target) and target.integrity.origin == origin
        assert _log_indexes(target) == {
            "integrity_log_event",
            "integrity_log_notification",
            "integrity_log_leaf_key",
        }

        def interrupted(_: int) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            import_ledger(target, path, progress=interrupted)
        assert _empty(target)
        assert import_ledger(target, path).proven  # and the store still takes the file
    finally:
        target.close()


def test_a_wrong_checkpoint_signature_refuses_the_whole_import(
    tmp_path: Path, store_url: str, clock: FakeClock
) -> None:
    path = _source(tmp_path, clock, cases=1)
    lines = path.read_bytes().splitlines()
    header = orjson.loads(lines[0])
    # A key of the same name but another pair: the note's signature cannot verify.
    header["public_key"] = create_keys(tmp_path / "other-keys").verifier.to_text()
    lines[0] = orjson.dumps(header)
    forged = tmp_path / "forged.jsonl"
    forged.write_bytes(b"\n".join(lines) + b"\n")
    target = HazardLedger(store_url, clock=clock)
    try:
        with pytest.raises(TransferError, match="signature"):
            import_ledger(target, forged)
        assert _empty(target)
    finally:
        target.close()


KILLED_IMPORT = """
import os, signal, sys
from pathlib import Path
from ledger.application import HazardLedger
import ledger.transfer as transfer
import ledger.transfer_load as transfer_load
transfer_load.CHUNK = 4
transfer.DECODE_APART_FROM = 0
seen = []
def progress(n):
    seen.append(n)
    if len(seen) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
ledger = HazardLedger(sys.argv[1])
transfer.import_ledger(ledger, Path(sys.argv[2]), progress=progress)
"""


def test_an_import_killed_midway_leaves_the_store_empty(
    tmp_path: Path, store_url: str, clock: FakeClock
) -> None:
    path = _source(tmp_path, clock)
    HazardLedger(store_url, clock=clock).close()  # the tables exist before the import
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", KILLED_IMPORT, store_url, str(path)], env=env, timeout=120
    )
    assert done.returncode == -9  # killed after three chunks were written
    target = HazardLedger(store_url, clock=clock)
    try:
        assert _empty(target)
        assert target.integrity.verify().ok
        assert _log_indexes(target) == {
            "integrity_log_event",
            "integrity_log_notification",
            "integrity_log_leaf_key",
        }
        assert import_ledger(target, path).proven
    finally:
        target.close()


@pytest.mark.parametrize(
    "change",
    [
        {"originator_id": 12},
        {"originator_id": "not-a-uuid"},
        {"originator_version": "one"},
        {"state": 5},
        {"leaf_hash": "zz"},
        {"topic": None},
    ],
)
def test_a_malformed_event_line_is_refused_by_its_line_number(
    tmp_path: Path, clock: FakeClock, change: dict[str, Any]
) -> None:
    path = _source(tmp_path, clock, cases=1)
    lines = path.read_bytes().splitlines()
    lines[3] = orjson.dumps({**orjson.loads(lines[3]), **change})
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\n".join(lines) + b"\n")
    target = HazardLedger(str(tmp_path / "target.db"), clock=clock)
    try:
        with pytest.raises(TransferError, match="line 4 is not a well-formed event"):
            import_ledger(target, broken)
        assert _empty(target)
    finally:
        target.close()


@given(
    st.uuids(),
    st.sampled_from(
        [
            str,
            lambda u: str(u).upper(),
            lambda u: u.hex,
            lambda u: "{" + str(u) + "}",
            lambda u: u.urn,
        ]
    ),
)
def test_an_aggregate_id_reads_as_the_uuid_library_reads_it(
    aggregate: UUID, form: Callable[[UUID], str]
) -> None:
    assert transfer_load._aggregate_id(form(aggregate)) == (str(aggregate), aggregate.hex)


def test_a_failing_decoding_process_refuses_instead_of_raising(tmp_path: Path) -> None:
    with pytest.raises(transfer_load.LoadRefused, match="decoding the file failed"):
        process = transfer_load.DecodingProcess(tmp_path / "gone.jsonl", 4)
        try:
            with (tmp_path / "empty.jsonl").open("wb+") as f:
                list(process.decoded(f, 0, 2, 0))
        finally:
            process.close()


@pytest.mark.parametrize(
    "change",
    [{"origin": None}, {"tree_size": "many"}, {"checkpoint": "not a note"}, {"public_key": "x"}],
)
def test_an_unreadable_header_is_refused(
    tmp_path: Path, clock: FakeClock, change: dict[str, Any]
) -> None:
    path = _source(tmp_path, clock, cases=1)
    lines = path.read_bytes().splitlines()
    lines[0] = orjson.dumps({**orjson.loads(lines[0]), **change})
    broken = tmp_path / "broken.jsonl"
    broken.write_bytes(b"\n".join(lines) + b"\n")
    target = HazardLedger(str(tmp_path / "target.db"), clock=clock)
    try:
        with pytest.raises(TransferError, match=r"file|cannot be read"):
            import_ledger(target, broken)
        assert _empty(target)
    finally:
        target.close()
