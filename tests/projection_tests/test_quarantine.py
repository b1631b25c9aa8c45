"""An event a read model cannot apply is set aside; the model goes on; a fix takes it back.

The poison is either a test fold that raises for one event (any fold bug), a row the
table cannot hold (an integer beyond 64 bits; a NUL in PostgreSQL text), an event that
no longer decodes, or a real recorded far date the register's fold cannot convert.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

import pytest

from ledger.application import HazardLedger
from ledger.hazard import HazardCase
from ledger.sqlstore import SqlStore
from projections import quarantine
from projections.base import Projection, Rows, Table
from projections.follower import Follower
from projections.register import HazardRegister
from tests.conftest import FakeClock
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant, report_case

POISON = "毒"

COUNTS = Table("probe_counts", (("k", "TEXT"), ("n", "INTEGER"), ("note", "TEXT")), ("k",))


class Probe(Projection):
    """Counts reported hazards; ``poison`` decides what the fold does with the marked one."""

    name = "probe"
    version = 1
    tables = (COUNTS,)
    handles: ClassVar[frozenset[type] | None] = frozenset({HazardCase.Reported})
    poison: ClassVar[str] = "raise"

    def fold(self, event: Any, rows: Rows) -> None:
        row = rows.get("probe_counts", ("all",)) or COUNTS.empty_row(k="all", n=0)
        row["n"] += 1  # changed in place before the failure: must not survive it
        rows.put("probe_counts", row)
        if event.location != POISON:
            return
        if self.poison == "raise":
            raise OverflowError("date value out of range")
        if self.poison == "huge":
            rows.put("probe_counts", COUNTS.empty_row(k=str(event.originator_id), n=2**70))
        if self.poison == "nul":
            rows.put("probe_counts", COUNTS.empty_row(k=str(event.originator_id), n=1, note="a\0b"))


class HugeProbe(Probe):
    poison = "huge"


class NulProbe(Probe):
    poison = "nul"


class FixedProbe(Probe):
    version = 2
    poison = "none"


def poisoned_case(app: HazardLedger, at: datetime) -> UUID:
    return app.report_hazard(
        INSPECTOR,
        at,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        location=POISON,
        description="一条让读模型出错的记录",
        source="grid_patrol",
    )


def count(follower: Follower) -> int | None:
    row = follower.db.execute(
        follower.conn, "SELECT n FROM probe_counts WHERE k = 'all'"
    ).fetchone()
    return None if row is None else int(row[0])


def history(app: HazardLedger, clock: FakeClock) -> int:
    """Two good reports, the poisoned one, two more good; returns its position."""
    register_restaurant(app, clock.now)
    report_case(app, clock.now)
    report_case(app, clock.now)
    poisoned_case(app, clock.now)
    position = int(app.recorder.max_notification_id() or 0)
    report_case(app, clock.now)
    report_case(app, clock.now)
    return position


@pytest.mark.parametrize("batch_size", [2000, 2])
def test_a_fold_that_raises_sets_its_event_aside_and_the_model_goes_on(
    ledger: HazardLedger, clock: FakeClock, batch_size: int
) -> None:
    position = history(ledger, clock)
    follower = Follower(ledger, [Probe()], batch_size=batch_size)
    follower.catch_up()
    assert count(follower) == 4  # the poisoned event's half-done change is gone
    [entry] = follower.quarantined()
    assert entry["name"] == "probe"
    assert entry["position"] == position
    assert entry["event_type"] == "HazardCase.Reported"
    assert entry["error"] == "OverflowError: date value out of range"
    assert entry["version"] == 1
    report_case(ledger, clock.now)  # and it keeps following
    follower.catch_up()
    assert count(follower) == 5
    assert len(follower.quarantined()) == 1
    follower.close()


@pytest.mark.parametrize("probe", [HugeProbe, NulProbe])
def test_a_row_the_table_cannot_hold_is_set_aside(
    ledger: HazardLedger, clock: FakeClock, probe: type[Probe]
) -> None:
    position = history(ledger, clock)
    follower = Follower(ledger, [probe()])
    follower.catch_up()
    refused = ledger.store.is_postgres or probe is HugeProbe  # SQLite text holds a NUL
    aside = follower.quarantined()
    if refused:
        assert [e["position"] for e in aside] == [position]
        assert count(follower) == 4
    else:
        assert aside == []
        assert count(follower) == 5
    report_case(ledger, clock.now)
    follower.catch_up()
    assert count(follower) == (5 if refused else 6)
    follower.close()


def test_a_fixed_fold_takes_the_event_back(ledger: HazardLedger, clock: FakeClock) -> None:
    history(ledger, clock)
    follower = Follower(ledger, [Probe()])
    follower.catch_up()
    assert len(follower.quarantined()) == 1
    follower.close()
    fixed = Follower(ledger, [FixedProbe()])  # the version bump rebuilds it
    fixed.catch_up()
    assert count(fixed) == 5
    assert fixed.quarantined() == []
    fixed.close()


def test_a_rebuild_retries_what_was_set_aside(ledger: HazardLedger, clock: FakeClock) -> None:
    history(ledger, clock)
    follower = Follower(ledger, [Probe()])
    follower.catch_up()
    follower.rebuild()  # the same fold: the same event is set aside again, once
    assert [e["name"] for e in follower.quarantined()] == ["probe"]
    assert count(follower) == 4
    follower.close()


def test_health_counts_come_from_the_store(ledger: HazardLedger, clock: FakeClock) -> None:
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    assert quarantine.counts(sql) == {}
    history(ledger, clock)
    follower = Follower(ledger, [Probe()])
    follower.catch_up()
    assert quarantine.counts(sql) == {"probe": 1}
    follower.close()


def test_an_event_that_no_longer_decodes_is_set_aside(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    history(ledger, clock)
    case_id = poisoned_case(ledger, clock.now)
    position = int(ledger.recorder.max_notification_id() or 0)
    report_case(ledger, clock.now)
    store = ledger.store
    table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    if store.is_postgres:
        with store.connect_postgres() as conn:
            conn.execute(
                f'UPDATE "{store.schema}".{table} SET state = %s '
                "WHERE originator_id = %s AND originator_version = 1",
                (b"not json", case_id),
            )
    else:
        import sqlite3

        with sqlite3.connect(store.path) as conn:
            conn.execute(
                f"UPDATE {table} SET state = ? WHERE originator_id = ? AND originator_version = 1",
                (b"not json", case_id.hex),
            )
    follower = Follower(ledger, [FixedProbe(), HazardRegister()])
    follower.catch_up()
    aside = follower.quarantined()
    assert {(e["name"], e["position"]) for e in aside} == {
        ("probe", position),
        ("hazard_register", position),
    }
    assert all(e["event_id"] == f"{case_id}@1" for e in aside)
    assert count(follower) == 6
    follower.close()


def test_a_recorded_far_deadline_does_not_stop_the_register(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    case_id = report_case(ledger, clock.now)
    ledger.grade_hazard(INSPECTOR, clock.now, case_id, grade="general")
    try:
        ledger.assign_rectification(
            INSPECTOR,
            clock.now,
            case_id,
            department="静宁县住房和城乡建设局",
            deadline=datetime.fromisoformat("9999-12-31T23:59:59-14:00"),
            requirements="整改",
        )
    except Exception as refused:  # the command boundary may refuse it: nothing to set aside
        pytest.skip(f"far deadline refused at the command boundary: {refused}")
    position = int(ledger.recorder.max_notification_id() or 0)
    later = report_case(ledger, clock.now)
    follower = Follower(ledger, [HazardRegister()])
    follower.catch_up()
    [entry] = follower.quarantined()
    assert entry["position"] == position
    assert entry["error"].startswith("OverflowError")
    found = follower.db.execute(
        follower.conn, "SELECT COUNT(*) FROM hazard_register WHERE case_id = ?", (str(later),)
    ).fetchone()
    assert found[0] == 1
    follower.close()


def test_health_says_degraded_with_the_counts(ledger: HazardLedger, clock: FakeClock) -> None:
    from fastapi.testclient import TestClient

    from api.app import Settings, create_app

    app = create_app(Settings(store=ledger.store.url, clock=clock, follow=False), ledger=ledger)
    with TestClient(app) as client:
        assert client.get("/health").json()["status"] == "ok"
        history(ledger, clock)
        follower = Follower(ledger, [Probe()])
        follower.catch_up()
        follower.close()
        health = client.get("/health").json()
    assert health["status"] == "degraded"
    assert health["quarantined"] == {"probe": 1}
