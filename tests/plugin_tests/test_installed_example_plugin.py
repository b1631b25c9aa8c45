"""The ammonia example, installed as a package, is found by its entry point: the ledger
validates with it, rebuilds its read model, runs its audit rule and exports its columns.

CI installs ``examples/ammonia_refrigeration`` and sets LEDGER_REQUIRE_EXAMPLE_PLUGIN=1,
so there this must run; elsewhere it is skipped when the example is not installed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib.metadata import entry_points
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from api.cli import app as cli
from api.composition import read_models_for
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.review.report import build_review
from ledger.scope import Scope
from plugins import load_sectors
from plugins.spec import ENTRY_POINT_GROUP
from projections.follower import Follower
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, INSPECTOR

INSTALLED = any(ep.name == "ammonia_refrigeration" for ep in entry_points(group=ENTRY_POINT_GROUP))
if not INSTALLED:
    if os.environ.get("LEDGER_REQUIRE_EXAMPLE_PLUGIN") == "1":
        raise RuntimeError(
            "LEDGER_REQUIRE_EXAMPLE_PLUGIN=1 but the ammonia example is not installed"
        )
    pytest.skip(
        "the ammonia example is not installed (pip install ./examples/ammonia_refrigeration)",
        allow_module_level=True,
    )

COLD_STORE = make_credit_code("91620826MA7AMMXN0")


@pytest.fixture
def app(store_url: str, clock: FakeClock) -> Iterator[HazardLedger]:
    ledger = HazardLedger(store_url, clock=clock, sectors=load_sectors())
    ledger.register_enterprise(
        INSPECTOR,
        clock.advance(minutes=1),
        credit_code=COLD_STORE,
        name="静宁县某冷库",
        region_code="620826",
        sectors=["ammonia_refrigeration"],
        principal=Person("p-9", "赵六"),
    )
    yield ledger
    ledger.close()


def test_ledger_plugins_lists_the_installed_sector() -> None:
    result = CliRunner().invoke(cli, ["--json", "plugins"])
    assert result.exit_code == 0, result.output
    plugins = {p["name"]: p for p in orjson.loads(result.stdout)["plugins"]}
    assert plugins["ammonia_refrigeration"]["origin"] == "hazard-ledger-ammonia"
    assert plugins["ammonia_refrigeration"]["version"] == "1.0.0"
    assert "ledger_audit_rules" in plugins["ammonia_refrigeration"]["hooks"]
    only = CliRunner().invoke(cli, ["--json", "--plugins", "fire", "plugins"])
    assert [p["name"] for p in orjson.loads(only.stdout)["plugins"]] == ["fire"]


def test_validates_rebuilds_reviews_and_exports(
    app: HazardLedger, clock: FakeClock, store_url: str, tmp_path: Path
) -> None:
    def report(system: str) -> object:
        return app.report_hazard(
            INSPECTOR,
            clock.advance(minutes=1),
            enterprise_code=COLD_STORE,
            sector="ammonia_refrigeration",
            location="分割间",
            description="空调系统采用氨直接蒸发制冷",
            source="routine_inspection",
            details={"ammonia_charge_kg": 4500, "system": system},
        )

    head = app.recorder.max_notification_id()
    with pytest.raises(RuleViolated):
        app.report_hazard(
            INSPECTOR,
            clock.advance(minutes=1),
            enterprise_code=COLD_STORE,
            sector="ammonia_refrigeration",
            location="机房",
            description="氨泄漏报警失效",
            source="routine_inspection",
        )
    assert app.recorder.max_notification_id() == head
    case = report("direct_evaporation")
    app.grade_hazard(DEPARTMENT, clock.advance(minutes=1), case, grade="major", criteria=["AMM-01"])
    report("indirect")

    projections = read_models_for(None)
    assert "ammonia_charge_at_risk" in [p.name for p in projections]
    follower = Follower(app, projections, batch_size=2)
    try:
        follower.catch_up()
        query = "SELECT charge_kg, system, grade, open FROM plugin_ammonia_charge_at_risk"
        followed = sorted(tuple(r) for r in follower.conn.execute(query).fetchall())
        assert followed == [(4500, "direct_evaporation", "major", 1), (4500, "indirect", "", 1)]
        follower.rebuild(["ammonia_charge_at_risk"])
        assert sorted(tuple(r) for r in follower.conn.execute(query).fetchall()) == followed
    finally:
        follower.close()

    review = build_review(app, COLD_STORE, clock.advance(days=1), scope=Scope.everything())
    rules = {f["rule"] for f in review["findings"]}
    assert "AUD-AMMONIA-MAJOR-OPEN" in rules

    if "postgresql" in store_url:
        return  # the CLI export below reads the SQLite file
    out = tmp_path / "register.csv"
    result = CliRunner().invoke(
        cli,
        ["--store", store_url, "export", "register", str(out), "--sector", "ammonia_refrigeration"],
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert "液氨充装量（千克）" in text.splitlines()[0]
    assert "4500" in text and "direct_evaporation" in text
