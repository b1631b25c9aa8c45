"""Fire safety (消防): GB 35181 重大火灾隐患判定, regulated by the fire and rescue service.

Two editions: GB 35181-2017 for business times before 2025-11-01, GB 35181-2025 from
then on (the core picks the edition in force; decision 0024). What the core cannot know
about fire, this plugin judges for grades under the 2025 edition, from the catalogue's
own data and the hazard's declared details:

- 4.1 a): the kind of premises comes first — a direct element of 5.2-5.5 applies only to
  the kinds its clause names;
- 4.2: a hazard in an excluded situation is not judged major (the clause text is in the
  refusal);
- Annex A: findings cited for "不能正常运行" go with a criterion that refers to Annex A,
  and must meet A.4 for the number of systems the premises must have.

Composite elements are not major hazards alone; the catalogue's composite rule (4.1 c:
6 or more at once) is judged by the core like any sector's count rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ledger.audit.rules import ListingRule
from ledger.commands import Command, GradeHazard, ReportHazard
from ledger.errors import Violation
from ledger.events import LedgerAggregate
from plugins.catalogue import Catalogue, Criterion
from plugins.spec import (
    DetailField,
    Facts,
    GeneralCategory,
    SectorSpec,
    Suggestion,
    hookimpl,
)

from .catalogues.fire import (
    ANNEX_A_CRITERIA,
    FIRE_2017,
    FIRE_2025,
    PREMISES_KINDS,
    annex_a_met,
)
from .keywords import match_keywords

#: English names of the kinds of premises (GB 35181 names them in Chinese, and those
#: Chinese names are what is recorded).
PREMISES_KINDS_EN = {
    "公共娱乐场所": "public entertainment venue",
    "宾馆": "hotel",
    "商店、集贸市场": "shop or market",
    "儿童活动场所": "children's activity venue",
    "老年人照料设施": "elderly care facility",
    "医院门诊楼、病房楼": "hospital outpatient or ward building",
    "劳动密集型企业厂房、仓库": "labour-intensive factory or warehouse",
    "易燃易爆危险品场所": "premises with flammable or explosive dangerous goods",
    "多业态混合生产经营场所": "mixed-use production and business premises",
    "人员密集场所": "densely occupied premises",
    "重要场所": "important premises",
    "其他场所": "other premises",
}

#: The detail that says how many of the three systems (hydrants, automatic
#: extinguishing, fire alarm) the premises must have: the A.4 rule depends on it.
REQUIRED_SYSTEMS = "required_fire_systems"

#: The general fire hazards officials record most (消防监督检查 findings that do not reach
#: GB 35181), so a recurring general fire hazard is found by its category.
GENERAL_CATEGORIES: tuple[GeneralCategory, ...] = (
    GeneralCategory("FIRE-G01", "消防安全管理与责任制", "Fire safety management and duties"),
    GeneralCategory("FIRE-G02", "安全出口与疏散通道", "Exits and escape routes"),
    GeneralCategory("FIRE-G03", "消防设施与器材", "Fire protection systems and equipment"),
    GeneralCategory("FIRE-G04", "防火分隔与建筑防火", "Fire separation and building protection"),
    GeneralCategory("FIRE-G05", "电气线路与用电", "Electrical wiring and use of electricity"),
    GeneralCategory("FIRE-G06", "用火与动火作业", "Use of fire and hot work"),
    GeneralCategory("FIRE-G07", "易燃易爆物品", "Flammable and explosive goods"),
    GeneralCategory("FIRE-G08", "消防车通道与救援场地", "Fire lanes and rescue sites"),
    GeneralCategory("FIRE-G09", "装修装饰材料", "Interior finishing materials"),
    GeneralCategory("FIRE-G10", "应急预案与演练、培训", "Emergency plans, drills and training"),
)

#: 重大火灾隐患 are reported by the fire and rescue service to the people's government of
#: the same level for supervision (挂牌督办); the time limit is local policy.
LISTING = ListingRule(
    required=True,
    grace_days=15,
    basis_zh="重大火灾隐患由消防救援机构报请本级人民政府挂牌督办（地方规定的期限，默认15日）",
    basis_en="major fire hazards are reported by the fire and rescue service to the government "
    "of the same level for listed supervision (local time limit, 15 days by default)",
)

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
            choices=PREMISES_KINDS,
            choice_labels={kind: (kind, PREMISES_KINDS_EN[kind]) for kind in PREMISES_KINDS},
            example="人员密集场所",
        ),
        DetailField(
            REQUIRED_SYSTEMS,
            "按标准应设置的消火栓系统、自动灭火系统、火灾自动报警系统种数",
            "how many of hydrants, automatic extinguishing and fire alarm the premises must have",
            kind="number",
            required=False,
            example=2,
        ),
        DetailField(
            "standard_revision_only",
            "仅因消防技术标准修订引起",
            "arises only from a revision of the fire technical standards",
            kind="bool",
            required=False,
            example=False,
        ),
        DetailField(
            "required_by_law",
            "法律法规对此有明确规定",
            "the law explicitly requires it",
            kind="bool",
            required=False,
            example=False,
        ),
        DetailField(
            "stopped_no_fire_risk",
            "已停产停业或停止使用且经现场检查确认无现实火灾风险",
            "premises stopped or out of use, no real fire risk confirmed on site",
            kind="bool",
            required=False,
            example=False,
        ),
        DetailField(
            "rectified_on_the_spot",
            "能立即整改消除且已当场整改完毕",
            "rectifiable at once and rectified on the spot",
            kind="bool",
            required=False,
            example=False,
        ),
    ),
    general_deadline_days=30,
    major_deadline_days=90,
    major_grade_zh="重大火灾隐患",
    major_grade_en="major fire hazard",
    general_categories=GENERAL_CATEGORIES,
    listing=LISTING,
)

#: (keywords, criterion): a hazard description naming one of these matches the criterion.
#: Both editions are listed; the core keeps only the citable codes in force on the business
#: day, and ``ledger_suggest_criteria`` drops 2025 items of other kinds of premises.
KEYWORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    # GB 35181-2017
    (("安全出口",), "FIRE-D05"),
    (("自动喷水", "火灾自动报警", "喷淋"), "FIRE-D06"),
    (("储罐", "可燃气体浓度报警"), "FIRE-D07"),
    (("易燃易爆",), "FIRE-D08"),
    (("幼儿园", "托儿所", "老年人"), "FIRE-D09"),
    (("彩钢", "夹芯板"), "FIRE-D10"),
    (("地下室", "半地下"), "FIRE-D04"),
    # GB 35181-2025
    (("地下室", "半地下"), "FIRE-5.1-a"),
    (("栅栏", "卷帘门"), "FIRE-5.1-c"),
    (("夹芯板", "彩钢"), "FIRE-5.1-f"),
    (("冷库",), "FIRE-5.1-h"),
    (("储能电站", "电池"), "FIRE-5.1-j"),
    (("安全出口",), "FIRE-5.2-c"),
    (("安全出口",), "FIRE-5.3-b"),
    (("自动喷水", "火灾自动报警", "喷淋", "固定灭火"), "FIRE-5.2-d"),
    (("自动喷水", "火灾自动报警", "喷淋", "固定灭火"), "FIRE-5.3-e"),
    (("自动喷水", "火灾自动报警", "喷淋", "固定灭火"), "FIRE-5.4-d"),
    (("消防救援口",), "FIRE-5.2-e"),
    (("消防救援口",), "FIRE-5.3-f"),
    (("幼儿园", "托儿所", "老年人", "儿童"), "FIRE-5.3-a"),
    (("避难间",), "FIRE-5.3-c"),
    (("员工宿舍", "宿舍"), "FIRE-5.4-a"),
    (("易燃易爆",), "FIRE-5.5-d"),
)


@hookimpl
def ledger_sectors() -> Sequence[SectorSpec]:
    return (SECTOR,)


@hookimpl
def ledger_catalogues() -> Sequence[Catalogue]:
    return (FIRE_2017, FIRE_2025)


@hookimpl
def ledger_validate(command: Command, subject: LedgerAggregate | None) -> Sequence[Violation]:
    if isinstance(command, ReportHazard):
        return _check_required_systems(command.details)
    if not isinstance(command, GradeHazard) or subject is None:
        return ()
    codes = tuple(c.strip() for c in command.criteria if c.strip())
    if not any(FIRE_2025.get(c) is not None for c in codes):
        return ()  # not judged by the 2025 edition
    details: Mapping[str, Any] = getattr(subject, "details", {}) or {}
    found = [*_check_premises(codes, details), *_check_annex_a(codes, details)]
    if command.grade == "major":
        found += _check_exclusions(details)
    return found


def _check_required_systems(details: Mapping[str, Any]) -> list[Violation]:
    value = details.get(REQUIRED_SYSTEMS)
    if value is None or (type(value) is int and 0 <= value <= 3):
        return []
    return [
        Violation(
            "DETAIL_RANGE",
            f"details.{REQUIRED_SYSTEMS}",
            "应设置的系统种数只能是 0、1、2 或 3（消火栓系统、自动灭火系统、火灾自动报警系统）",
            "the number of required systems must be 0, 1, 2 or 3 (hydrants, automatic "
            "extinguishing, fire alarm)",
        )
    ]


def _check_premises(codes: Sequence[str], details: Mapping[str, Any]) -> list[Violation]:
    """4.1 a): a 5.2-5.5 element applies only to the kinds of premises its clause names."""
    kind = details.get("premises_kind")
    if not kind:
        return []
    found = []
    for code in codes:
        item = FIRE_2025.get(code)
        if not isinstance(item, Criterion) or not item.premises or kind in item.premises:
            continue
        premises = item.premises
        found.append(
            Violation(
                "CRITERION_PREMISES_MISMATCH",
                "criteria",
                f"判定依据 {code}（GB 35181-2025 {item.clause}）适用于"
                f"{'、'.join(premises)}，本隐患的场所类别为“{kind}”。条文：{item.group}",
                f"criterion {code} (GB 35181-2025 {item.clause}) applies to "
                f"{', '.join(premises)}; this hazard's premises are {kind!r}",
            )
        )
    return found


def _check_annex_a(codes: Sequence[str], details: Mapping[str, Any]) -> list[Violation]:
    """Annex A findings support a criterion's "不能正常运行" branch and must meet A.4."""
    findings = [c for c in codes if any(c == f.code for f in FIRE_2025.findings)]
    if not findings:
        return []
    if not any(c in ANNEX_A_CRITERIA for c in codes):
        return [
            Violation(
                "ANNEX_A_NEEDS_CRITERION",
                "criteria",
                f"附录A 情形 {', '.join(findings)} 用于判定火灾自动报警系统和固定灭火设施"
                f"不能正常运行，须与其对应的判定要素（{'、'.join(ANNEX_A_CRITERIA)}）一并引用",
                f"Annex A findings {', '.join(findings)} decide whether the systems are out "
                f"of operation; cite them with the element they support "
                f"({', '.join(ANNEX_A_CRITERIA)})",
            )
        ]
    required = details.get(REQUIRED_SYSTEMS)
    if type(required) is not int or not 1 <= required <= 3:
        return []  # the report did not say how many systems are required: A.4 a) at least
    if annex_a_met(findings, required):
        return []
    rule = next(p for p in FIRE_2025.provisions if p.clause == f"A.4 {'abc'[required - 1]})")
    return [
        Violation(
            "ANNEX_A_NOT_MET",
            "criteria",
            f"引用的附录A 情形不足以判定为不能正常运行"
            f"（GB 35181-2025 {rule.clause}）：{rule.text_zh}",
            f"the Annex A findings cited do not make the systems out of operation "
            f"(GB 35181-2025 {rule.clause}: {rule.gist_en})",
        )
    ]


def _check_exclusions(details: Mapping[str, Any]) -> list[Violation]:
    """4.2: situations that must not be judged a major fire hazard."""
    exclusion = FIRE_2025.excluded_by(details)
    if exclusion is None:
        return []
    return [
        Violation(
            "EXCLUDED_FROM_MAJOR",
            "grade",
            f"依据 GB 35181-2025 {exclusion.clause}，下列情形不应判定为重大火灾隐患："
            f"{exclusion.text_zh}",
            f"GB 35181-2025 {exclusion.clause}: not to be judged a major fire hazard — "
            f"{exclusion.gist_en}",
        )
    ]


@hookimpl
def ledger_suggest_criteria(facts: Facts) -> Sequence[Suggestion]:
    kind = facts.details.get("premises_kind")
    found = []
    for suggestion in match_keywords(KEYWORDS, facts):
        premises = getattr(FIRE_2025.get(suggestion.code), "premises", ())
        if kind and premises and kind not in premises:
            continue
        found.append(suggestion)
    return found
