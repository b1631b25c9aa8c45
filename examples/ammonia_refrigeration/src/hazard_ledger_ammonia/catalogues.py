"""The ammonia items of the industry-and-trade major-hazard standard, both editions.

2017: 工贸行业重大生产安全事故隐患判定标准（2017版）, 安监总管四〔2017〕129号, special
items (专项类) for sectors using liquid ammonia refrigeration; item texts agree across
several independent public copies. Its issue date (2017-11-30) is from the notice and
was not checked against an official copy.

2023: 工贸企业重大事故隐患判定标准, 应急管理部令第10号, in force 2023-05-15, which
replaced the 2017 edition. Its two ammonia items are encoded from a secondary reading
and marked unverified until checked against the official text.
"""

from __future__ import annotations

from datetime import date

from plugins.authoring import Catalogue, Criterion

EDITION_2017 = Catalogue(
    sector="ammonia_refrigeration",
    standard="安监总管四〔2017〕129号",
    document="工贸行业重大生产安全事故隐患判定标准",
    edition="2017",
    effective_from=date(2017, 11, 30),
    effective_to=date(2023, 5, 14),
    source="Public copies of the 2017 list (special items, liquid ammonia refrigeration).",
    criteria=(
        Criterion(
            "AMM-01",
            "包装间、分割间、产品整理间等人员较多生产场所的空调系统采用氨直接蒸发制冷系统。",
            "Air conditioning of crowded packing, cutting or finishing rooms uses direct "
            "ammonia evaporation",
            "专项类（二）1",
            "使用液氨制冷的行业领域",
        ),
        Criterion(
            "AMM-02",
            "快速冻结装置未设置在单独的作业间内，且作业间内作业人员数量超过9人。",
            "Quick freezers not in a separate room, with more than 9 workers in the room",
            "专项类（二）2",
            "使用液氨制冷的行业领域",
        ),
    ),
)

EDITION_2023 = Catalogue(
    sector="ammonia_refrigeration",
    standard="应急管理部令第10号",
    document="工贸企业重大事故隐患判定标准",
    edition="2023",
    effective_from=date(2023, 5, 15),
    effective_to=None,
    source="Secondary reading; article numbers and wording to be checked against the "
    "official text.",
    criteria=(
        Criterion(
            "AMM-01",
            "包装、分割、产品整理场所的空调系统采用氨直接蒸发制冷的",
            "Air conditioning of packing, cutting or finishing areas uses direct ammonia "
            "evaporation",
            "涉氨制冷（一）",
            "使用液氨制冷的工贸企业",
            verified=False,
        ),
        Criterion(
            "AMM-02",
            "快速冻结装置未设置在单独的作业间内，且作业间内作业人员数量超过9人的",
            "Quick freezers not in a separate room, with more than 9 workers in the room",
            "涉氨制冷（二）",
            "使用液氨制冷的工贸企业",
            verified=False,
        ),
    ),
)
