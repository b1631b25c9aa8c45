"""Fire safety (消防): GB 35181 重大火灾隐患判定, regulated by the fire and rescue service.

Fire's composite elements (综合判定要素) are not major hazards alone; the catalogue's
composite rules say how many must coincide at which kind of premises, and the ledger
refuses a major grade that cites elements without a rule they meet.
"""

from __future__ import annotations

from collections.abc import Sequence

from plugins.catalogue import Catalogue
from plugins.spec import DetailField, Facts, SectorSpec, Suggestion, hookimpl

from .catalogues.fire import FIRE_2017
from .keywords import match_keywords

SECTOR = SectorSpec(
    code="fire",
    name_zh="消防",
    name_en="Fire safety",
    department_zh="消防救援机构",
    department_en="Fire and rescue service",
    details=(
        DetailField(
            "premises_kind",
            "场所类别",
            "kind of premises",
            kind="choice",
            required=False,
            choices=("人员密集场所", "易燃易爆危险品场所", "重要场所", "其他场所"),
            example="人员密集场所",
        ),
    ),
    general_deadline_days=30,
    major_deadline_days=90,
)

#: (keywords, criterion): a hazard description naming one of these matches the criterion.
KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("安全出口",), "FIRE-D05"),
    (("自动喷水", "火灾自动报警", "喷淋"), "FIRE-D06"),
    (("储罐", "可燃气体浓度报警"), "FIRE-D07"),
    (("易燃易爆",), "FIRE-D08"),
    (("幼儿园", "托儿所", "老年人"), "FIRE-D09"),
    (("彩钢", "夹芯板"), "FIRE-D10"),
    (("地下室", "半地下"), "FIRE-D04"),
)


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (FIRE_2017,)


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    return match_keywords(KEYWORDS, facts)
