"""The ammonia sector, as its maintainer tests it: conformance in one line, then its rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import hazard_ledger_ammonia
import pytest

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.identity import Actor, Role
from plugins import Sectors
from plugins.testing import SectorPluginConformance


class TestAmmoniaConformance(SectorPluginConformance):
    plugin = hazard_ledger_ammonia
    name = "ammonia_refrigeration"


OFFICIAL = Actor("em-1", "应急局检查员", Role.ADMIN, "620826")
COLD_STORE = make_credit_code("91620826MA7AMMXN0")


@pytest.fixture
def ledger(tmp_path: Path) -> HazardLedger:
    sectors = Sectors.load(
        only=["ammonia_refrigeration"],
        load_entry_points=False,
        extra=[("ammonia_refrigeration", hazard_ledger_ammonia)],
    )
    now = [datetime.now(tz=UTC) - timedelta(hours=1)]
    app = HazardLedger(str(tmp_path / "l.db"), clock=lambda: now[0], sectors=sectors)
    app.register_enterprise(
        OFFICIAL,
        now[0],
        credit_code=COLD_STORE,
        name="某冷库",
        region_code="620826",
        sectors=["ammonia_refrigeration"],
        principal=Person("p", "王五"),
    )
    return app


def report(app: HazardLedger, system: str) -> object:
    return app.report_hazard(
        OFFICIAL,
        app.clock(),
        enterprise_code=COLD_STORE,
        sector="ammonia_refrigeration",
        location="分割间",
        description="空调系统采用氨直接蒸发制冷",
        source="routine_inspection",
        details={"ammonia_charge_kg": 4500, "system": system},
    )


def test_direct_evaporation_item_needs_a_direct_system(ledger: HazardLedger) -> None:
    indirect = report(ledger, "indirect")
    with pytest.raises(RuleViolated) as caught:
        ledger.grade_hazard(OFFICIAL, ledger.clock(), indirect, grade="major", criteria=["AMM-01"])
    assert caught.value.violations[0].rule == "CRITERION_CONTRADICTS_RECORD"
    direct = report(ledger, "direct_evaporation")
    ledger.grade_hazard(OFFICIAL, ledger.clock(), direct, grade="major", criteria=["AMM-01"])
    assert ledger.case(direct).catalogue_edition == "应急管理部令第10号"
    ledger.close()


def test_a_grade_in_2020_is_judged_by_the_2017_edition() -> None:
    from ledger.application import Command

    sectors = Sectors.load(
        only=["ammonia_refrigeration"],
        load_entry_points=False,
        extra=[("ammonia_refrigeration", hazard_ledger_ammonia)],
    )
    on = datetime(2020, 6, 1, tzinfo=UTC)
    assert sectors.edition_for("ammonia_refrigeration", ["AMM-02"], on) == "安监总管四〔2017〕129号"
    command = Command(
        "grade_hazard",
        "ammonia_refrigeration",
        {"grade": "major", "criteria": ("AMM-02",), "catalogue_edition": "2023"},
        None,
        on,
    )
    assert [v.rule for v in sectors.validate(command)] == ["CATALOGUE_NOT_IN_FORCE"]
