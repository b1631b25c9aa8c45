"""Rebuilds go to new tables and swap in whole; a changed projection rebuilds itself."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from ledger.application import HazardLedger
from ledger.scope import Scope
from projections.base import Rows
from projections.queries import ReadModels
from projections.register import HazardRegister
from projections.registry import builtin_projections
from tests.conftest import FakeClock
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant, report_case

from .helpers import follower

EVERYTHING = Scope.everything()


def test_reader_sees_the_old_complete_model_until_the_swap(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    for _ in range(3):
        report_case(ledger, clock.now)
    f = follower(ledger, batch_size=2)
    f.catch_up()
    reader = ReadModels(ledger.store)
    assert reader.count(scope=EVERYTHING) == 3
    for _ in range(4):
        report_case(ledger, clock.now)
    f.rebuild(["hazard_register"], max_batches=2)  # half-built: 4 of 11 events
    assert f.tracking("hazard_register__build") is not None
    assert reader.count(scope=EVERYTHING) == 3  # still the old, complete table
    [(partial,)] = f.db.execute(f.conn, "SELECT COUNT(*) FROM hazard_register__build").fetchall()
    assert 0 < partial < 7
    f.rebuild(["hazard_register"], resume=True)
    assert f.tracking("hazard_register__build") is None
    assert reader.count(scope=EVERYTHING) == 7
    reader.close()
    f.close()


class RegisterV2(HazardRegister):
    """The register with a changed fold: locations are kept upper-cased."""

    version = HazardRegister.version + 1

    def fold(self, event: Any, rows: Rows) -> None:
        super().fold(event, rows)
        for row in rows.cache["hazard_register"].values():
            if row is not None:
                row["location"] = row["location"].upper()


def test_a_version_bump_rebuilds_the_projection(ledger: HazardLedger, clock: FakeClock) -> None:
    register_restaurant(ledger, clock.now)
    case_id = ledger.report_hazard(
        INSPECTOR,
        clock.now,
        enterprise_code=RESTAURANT_CODE,
        sector="city_gas",
        location="kitchen",
        description="软管穿墙",
        source="grid_patrol",
    )
    f = follower(ledger)
    f.catch_up()
    assert f.tracking("hazard_register") is not None
    f.close()
    others = [p for p in builtin_projections() if p.name != "hazard_register"]
    g = follower(ledger, projections=[RegisterV2(), *others])
    g.catch_up()
    live = g.tracking("hazard_register")
    assert live is not None and live[1] == RegisterV2.version
    reader = ReadModels(ledger.store)
    [row] = reader.register(scope=EVERYTHING).items
    assert row["case_id"] == str(case_id) and row["location"] == "KITCHEN"
    reader.close()
    g.close()


def test_known_at_rebuild_leaves_the_live_model_alone(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    register_restaurant(ledger, clock.now)
    report_case(ledger, clock.now)
    cut = clock.advance(days=1)
    clock.advance(days=1)
    report_case(ledger, clock.now)
    f = follower(ledger)
    f.catch_up()
    f.rebuild(["hazard_register"], known_at=cut)
    live = ReadModels(ledger.store)
    past = ReadModels(ledger.store, known_at=cut)
    assert live.count(scope=EVERYTHING) == 2
    assert past.count(scope=EVERYTHING) == 1
    assert past.register(scope=EVERYTHING).at == cut.isoformat()
    later = ReadModels(ledger.store, known_at=cut + timedelta(hours=1))
    try:
        later.count(scope=EVERYTHING)
        raise AssertionError("a snapshot for another moment must not be used")
    except LookupError as e:
        assert "rebuild --known-at" in str(e)
    for r in (live, past, later):
        r.close()
    f.close()
