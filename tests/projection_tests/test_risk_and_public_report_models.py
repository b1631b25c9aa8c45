"""The risk-point and public-report read models through the read layer: levels, open
hazards, scope and known_at, on both stores."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from uuid import UUID

import pytest

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.errors import NotFound
from ledger.scope import Scope
from projections.follower import Follower
from projections.queries import NotForEnterprises
from projections.reads import Reads
from projections.registry import builtin_projections
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, RESTAURANT_CODE, register_restaurant, report_case

EVERYTHING = Scope()


@pytest.fixture
def app(ledger: HazardLedger, clock: FakeClock, tmp_path: Path) -> HazardLedger:
    ledger.integrity.use_key_directory(tmp_path / "keys")
    register_restaurant(ledger, clock.now - timedelta(days=3))
    return ledger


@pytest.fixture
def follower(app: HazardLedger) -> Iterator[Follower]:
    f = Follower(app, builtin_projections())
    yield f
    f.close()


def _point(app: HazardLedger, clock: FakeClock, name: str, level: str) -> UUID:
    return app.execute(
        c.RegisterRiskPoint(
            occurred_at=clock.now - timedelta(days=2),
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            name=name,
            location="后厨",
            level=level,
            controls=("每日检查", "泄漏报警"),
        ),
        DEPARTMENT,
    ).id


def test_risk_points_are_listed_by_level_with_their_open_hazards_only(
    app: HazardLedger, clock: FakeClock, follower: Follower
) -> None:
    low = _point(app, clock, "仓库", "low")
    major = _point(app, clock, "储气间", "major")
    open_case = report_case(app, clock.now - timedelta(days=1))
    closed_case = report_case(app, clock.now - timedelta(days=1))
    for case, control in ((open_case, "C2"), (closed_case, "C1")):
        app.execute(
            c.CiteFailedControl(
                occurred_at=clock.now - timedelta(hours=20),
                risk_point_id=major,
                control_id=control,
                case_id=case,
            ),
            DEPARTMENT,
        )
    app.grade_hazard(DEPARTMENT, clock.now - timedelta(hours=10), closed_case, grade="general")
    app.rectify_on_spot(DEPARTMENT, clock.now - timedelta(hours=9), closed_case, measures="更换")
    follower.catch_up()
    listed = Reads(app).risk_points(scope=EVERYTHING)
    assert [p["risk_point_id"] for p in listed] == [str(major), str(low)]
    top = listed[0]
    assert (top["level_zh"], top["colour"], top["colour_zh"]) == ("重大风险", "red", "红")
    assert [(h["case_id"], h["control_id"]) for h in top["open_hazards"]] == [
        (str(open_case), "C2")
    ]
    assert listed[1]["open_hazards"] == []
    assert [p["name"] for p in Reads(app).risk_points(scope=EVERYTHING, level="low")] == ["仓库"]


def test_risk_points_honour_scope_and_known_at(
    app: HazardLedger, clock: FakeClock, follower: Follower
) -> None:
    first = _point(app, clock, "储气间", "larger")
    cut = clock.now
    clock.advance(hours=1)
    app.execute(
        c.ReassessRiskPoint(
            occurred_at=clock.now, risk_point_id=first, level="major", reason="扩建"
        ),
        DEPARTMENT,
    )
    follower.catch_up()
    reads = Reads(app)
    assert reads.risk_points(scope=EVERYTHING)[0]["level"] == "major"
    assert reads.risk_points(scope=Scope(region_prefix="620802")) == []
    assert reads.risk_points(scope=Scope(sectors=frozenset({"fire"}))) == []
    own = Scope(region_prefix="620826", enterprise_code=RESTAURANT_CODE)
    assert len(reads.risk_points(scope=own)) == 1
    follower.rebuild(["risk_points", "hazard_register"], known_at=cut)
    assert reads.risk_points(scope=EVERYTHING, known_at=cut)[0]["level"] == "larger"
    assert reads.risk_point(first, scope=EVERYTHING, known_at=cut)["level"] == "larger"
    assert reads.risk_point(first, scope=EVERYTHING)["level"] == "major"
    with pytest.raises(NotFound):
        reads.risk_point(first, scope=Scope(region_prefix="620802"))
    with pytest.raises(NotFound):
        reads.risk_point(first, scope=EVERYTHING, known_at=cut - timedelta(days=3))


def test_public_reports_are_listed_for_officials_without_the_reporter(
    app: HazardLedger, clock: FakeClock, follower: Follower
) -> None:
    rid = app.execute(
        c.ReceivePublicReport(
            occurred_at=clock.now - timedelta(hours=5),
            enterprise_code=RESTAURANT_CODE,
            sector="city_gas",
            channel="online",
            content="夜间违规使用液化气",
            reporter_name="匿名不愿透露",
            reporter_phone="13800000000",
        ),
        DEPARTMENT,
    ).id
    app.execute(
        c.VerifyPublicReport(
            occurred_at=clock.now - timedelta(hours=4), report_id=rid, findings="查"
        ),
        DEPARTMENT,
    )
    app.execute(
        c.FindReportUnfounded(
            occurred_at=clock.now - timedelta(hours=3), report_id=rid, reasons="现场未发现"
        ),
        DEPARTMENT,
    )
    follower.catch_up()
    reads = Reads(app)
    (row,) = reads.public_reports(scope=EVERYTHING)
    assert row["status"] == "unfounded" and row["reasons"] == "现场未发现"
    assert row["anonymous"] is False
    assert "13800000000" not in str(row) and "匿名不愿透露" not in str(row)
    assert "13800000000" not in str(reads.public_report(rid, scope=EVERYTHING))
    assert reads.public_reports(scope=EVERYTHING, status="founded") == []
    enterprise = Scope(region_prefix="620826", enterprise_code=RESTAURANT_CODE)
    with pytest.raises(NotForEnterprises):
        reads.public_reports(scope=enterprise)
    with pytest.raises(NotFound):
        reads.public_report(rid, scope=enterprise)
