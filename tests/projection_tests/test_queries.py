"""Register filters and cursor pagination, checked against plain Python over all rows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.scope import Scope
from projections.queries import ReadModels, RegisterFilter, decode_cursor
from tests.conftest import FakeClock

from .helpers import HistoryWriter, follower, random_ops

EVERYTHING = Scope.everything()


def all_pages(
    models: ReadModels, f: RegisterFilter, at: datetime, limit: int
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = models.register(f, valid_at=at, limit=limit, cursor=cursor, scope=EVERYTHING)
        out += page.items
        if page.next_cursor is None:
            return out
        cursor = page.next_cursor


def matches(row: dict[str, Any], f: RegisterFilter, at: datetime) -> bool:
    overdue = (
        row["status"] in ("assigned", "reopened")
        and row["deadline"] is not None
        and at > datetime.fromisoformat(row["deadline"])
    )
    listed = row["listing_level"] is not None and row["delisted_at"] is None
    return all(
        (
            f.sector is None or row["sector"] == f.sector,
            f.region is None or row["region_code"].startswith(f.region),
            f.enterprise is None or row["enterprise_code"] == f.enterprise,
            not f.status or row["status"] in f.status,
            f.grade is None or row["grade"] == f.grade,
            f.found_from is None or datetime.fromisoformat(row["found_at"]) >= f.found_from,
            f.found_to is None or datetime.fromisoformat(row["found_at"]) < f.found_to,
            f.overdue is None or overdue == f.overdue,
            f.listed is None or listed == f.listed,
        )
    )


@pytest.fixture
def history(ledger: HazardLedger, clock: FakeClock) -> HistoryWriter:
    writer = HistoryWriter(ledger, clock, enterprises=4)
    for op in random_ops(3, 260):
        writer.play(op)
    # Several cases found at one moment: ordering must break ties by case id.
    for _ in range(4):
        writer.play(("report", 1, 2))
        clock.now -= timedelta(hours=2)
    f = follower(ledger, batch_size=50)
    f.catch_up()
    f.close()
    return writer


def test_filters_and_cursor_pages_match_a_plain_scan(
    ledger: HazardLedger, clock: FakeClock, history: HistoryWriter
) -> None:
    models = ReadModels(ledger.store)
    at = clock.now + timedelta(days=3)
    everything = all_pages(models, RegisterFilter(), at, 1000)
    assert len(everything) == len(history.cases) > 20
    keys = [(r["found_at"], r["case_id"]) for r in everything]
    assert keys == sorted(keys, reverse=True), "newest first, ties by case id"
    middle = datetime.fromisoformat(everything[len(everything) // 2]["found_at"])
    filters = [
        RegisterFilter(),
        RegisterFilter(sector="city_gas"),
        RegisterFilter(region="6208"),
        RegisterFilter(region="620826"),
        RegisterFilter(enterprise=history.codes[1]),
        RegisterFilter(status=("assigned", "reopened")),
        RegisterFilter(grade="major"),
        RegisterFilter(found_from=middle),
        RegisterFilter(found_to=middle, sector="fire"),
        RegisterFilter(overdue=True),
        RegisterFilter(overdue=False, region="6208"),
        RegisterFilter(listed=True),
    ]
    seen_overdue = False
    for f in filters:
        expected = [r for r in everything if matches(r, f, at)]
        for limit in (1, 3, 7):
            got = all_pages(models, f, at, limit)
            assert [r["case_id"] for r in got] == [r["case_id"] for r in expected], f
        assert models.count(f, valid_at=at, scope=EVERYTHING) == len(expected)
        if f.overdue:
            seen_overdue = bool(expected)
            assert all(r["overdue_days"] >= 0 and r["overdue"] for r in expected)
    assert seen_overdue, "the history must contain overdue hazards for the filter to mean much"
    models.close()


def test_pages_neither_skip_nor_repeat_while_hazards_arrive(
    ledger: HazardLedger, clock: FakeClock, history: HistoryWriter
) -> None:
    models = ReadModels(ledger.store)
    first = models.register(limit=5, scope=EVERYTHING)
    assert first.next_cursor is not None
    history.play(("report", 0, 0))  # newer than everything: must not shift later pages
    f = follower(ledger)
    f.catch_up()
    f.close()
    rest = all_pages_from(models, first.next_cursor)
    ids = [r["case_id"] for r in first.items + rest]
    assert len(ids) == len(set(ids)) == len(history.cases) - 1
    models.close()


def all_pages_from(models: ReadModels, cursor: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    next_cursor: str | None = cursor
    while next_cursor is not None:
        page = models.register(limit=4, cursor=next_cursor, scope=EVERYTHING)
        out += page.items
        next_cursor = page.next_cursor
    return out


def test_bad_query_input_names_the_field(ledger: HazardLedger) -> None:
    f = follower(ledger)
    f.catch_up()
    f.close()
    models = ReadModels(ledger.store)
    with pytest.raises(ValueError, match="region"):
        models.register(RegisterFilter(region="62-08"), scope=EVERYTHING)
    with pytest.raises(ValueError, match="limit"):
        models.register(limit=0, scope=EVERYTHING)
    with pytest.raises(ValueError, match="cursor"):
        models.register(cursor="not-a-cursor", scope=EVERYTHING)
    with pytest.raises(ValueError, match="cursor"):
        decode_cursor("???")
    with pytest.raises(ValueError, match="month"):
        models.monthly_report("620826", "2026-13", scope=EVERYTHING)
    models.close()
