"""The ammonia sector, as its maintainer tests it: conformance in one line, then its rules.

Everything comes from ``plugins.authoring``: the conformance kit checks the plugin and
also hands its own tests a ledger that knows only this sector.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import hazard_ledger_ammonia
import pytest

from plugins.authoring import RuleViolated, SectorPluginConformance

SECTOR = "ammonia_refrigeration"


class TestAmmonia(SectorPluginConformance):
    plugin = hazard_ledger_ammonia
    name = SECTOR

    def test_direct_evaporation_item_needs_a_direct_system(self, ledger: Any) -> None:
        cold_store = self.sample_enterprise(ledger, SECTOR)

        def report(system: str) -> Any:
            return self.report(
                ledger,
                cold_store,
                SECTOR,
                {"ammonia_charge_kg": 4500, "system": system},
                location="分割间",
                description="空调系统采用氨直接蒸发制冷",
            )

        indirect = report("indirect")
        with pytest.raises(RuleViolated) as caught:
            self.grade(ledger, indirect, "major", ["AMM-01"])
        assert caught.value.violations[0].rule == "CRITERION_CONTRADICTS_RECORD"
        direct = report("direct_evaporation")
        self.grade(ledger, direct, "major", ["AMM-01"])
        assert ledger.case(direct).catalogue_edition == "应急管理部令第10号"

    def test_a_grade_in_2020_is_judged_by_the_2017_edition(self, sectors: Any) -> None:
        on = datetime(2020, 6, 1, tzinfo=UTC)
        edition = sectors.edition_for(SECTOR, ["AMM-02"], on)
        assert edition == "安监总管四〔2017〕129号"
        (spec,) = self.own_sectors(sectors)
        command = self.grade_command(spec, ["AMM-02"], edition="2023", on=on)
        violations = self.judge(sectors, command, SECTOR)
        assert [v.rule for v in violations] == ["CATALOGUE_NOT_IN_FORCE"]
