"""The import judges each row once and writes the spooled events only if every row
passed: what it records is exactly what the command path's own commit records, and a
refusal anywhere in the file records nothing, however many chunks came before it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from api.workbook import importer as imp
from api.workbook.importer import EventSpool, Row, WorkbookImporter, read_rows
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.unit_of_work import UnitOfWork
from tests.conftest import FakeClock, drop_schema, new_store_url, postgres_dsn
from tests.workbook_tests.test_import import FULL_CYCLE, OPERATOR, base_row, events_in, workbook

CODES = [make_credit_code(f"9162082{i}MA7CP{i:04d}"[:17]) for i in range(3)]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.fromisoformat("2026-06-01T09:00:00+08:00"))


def rows(count: int) -> list[dict[str, Any]]:
    """Hazards of three enterprises: full cycles, on-the-spot rectifications, reports."""
    out = []
    for i in range(count):
        over: dict[str, Any] = {"统一社会信用代码": CODES[i % 3], "企业名称": f"企业{i % 3}"}
        if i % 3 == 1:
            over.update(FULL_CYCLE)
        elif i % 3 == 2:
            over.update(
                隐患等级="一般",
                整改方式="当场整改",
                整改措施="更换",
                整改完成时间="2026-03-03 09:30",
            )
        out.append(base_row(f"SP-{i:03d}", **over))
    return out


def stored(ledger: HazardLedger) -> list[tuple[Any, ...]]:
    notes = ledger.recorder.select_notifications(start=1, limit=10_000)
    return [(n.id, str(n.originator_id), n.originator_version, n.topic, n.state) for n in notes]


def reference_import(ledger: HazardLedger, path: Path) -> None:
    """The same rows through the command path's own commit: one unit of work per row,
    saved by ``UnitOfWork.commit`` (what the record pass did before)."""
    importer = WorkbookImporter(ledger, OPERATOR, path.name)
    for item in read_rows(path, importer.sector_sheets):
        assert isinstance(item, Row)
        work = UnitOfWork(ledger)
        importer._row(work, item, importer._case_id(item))
        work.commit()


def test_records_exactly_what_the_command_path_commits(
    ledger: HazardLedger, store_kind: str, clock: FakeClock, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imp, "CHUNK_EVENTS", 7)  # several chunks, rows never split
    path = workbook(tmp_path / "many.xlsx", rows(30))
    report = WorkbookImporter(ledger, OPERATOR, path.name).run(path)
    assert report.ok and report.recorded and report.events_recorded == events_in(ledger)
    (tmp_path / "ref").mkdir()
    url, schema = new_store_url(store_kind, tmp_path / "ref")
    other = HazardLedger(url, clock=clock)
    try:
        reference_import(other, path)
        assert stored(ledger) == stored(other)
        assert ledger.integrity.tree_head() == other.integrity.tree_head()
        assert ledger.integrity.verify().ok
    finally:
        other.close()
        if schema is not None:
            dsn = postgres_dsn()
            assert dsn is not None
            drop_schema(dsn, schema)


def test_a_refusal_after_many_chunks_records_nothing_and_all_problems_are_reported(
    ledger: HazardLedger, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setattr(imp, "CHUNK_EVENTS", 5)
    good = rows(24)
    bad_early = {**good[1], "复查人": "王五"}  # self-verification
    path = workbook(
        tmp_path / "late.xlsx", [good[0], bad_early, *good[2:], base_row("SP-LAST", 隐患部位=None)]
    )
    report = WorkbookImporter(ledger, OPERATOR, path.name).run(path)
    assert not report.ok and not report.recorded
    assert [(p.row, p.rule) for p in report.problems] == [
        (3, "SELF_VERIFICATION"),
        (26, "CELL_REQUIRED"),
    ]
    assert report.events_recorded == 0 and events_in(ledger) == 0
    fixed = workbook(tmp_path / "fixed.xlsx", good)
    again = WorkbookImporter(ledger, OPERATOR, fixed.name).run(fixed)
    assert again.ok and again.events_recorded == events_in(ledger) > 0


EVENT = st.builds(
    lambda shared, version, topic, state: (shared, version, topic, state),
    st.sampled_from([uuid4() for _ in range(3)]),  # one id object on many events
    st.integers(1, 50),
    st.sampled_from(["ledger.hazard:HazardCase.Reported", "ledger.hazard:HazardCase.Graded"]),
    st.binary(max_size=40),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(EVENT, min_size=1, max_size=6), max_size=30), st.integers(1, 12))
def test_spool_gives_back_every_row_in_order_never_split(
    spooled: list[list[tuple[UUID, int, str, bytes]]], size: int
) -> None:
    from eventsourcing.persistence import StoredEvent

    with EventSpool.opened() as spool:
        for row in spooled:
            spool.add([StoredEvent(*fields) for fields in row])
        chunks = list(spool.chunks(size))
    flat = [(s.originator_id, s.originator_version, s.topic, s.state) for c in chunks for s in c]
    assert flat == [fields for row in spooled for fields in row]
    assert all(len(c) >= size for c in chunks[:-1])
    bounds = {sum(len(r) for r in spooled[:k]) for k in range(len(spooled) + 1)}
    ends = [sum(len(c) for c in chunks[: k + 1]) for k in range(len(chunks))]
    assert all(end in bounds for end in ends)
