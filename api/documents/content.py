"""What a printed document says, derived from the sealed events' payloads alone.

A printed enforcement document is a view of one or more recorded events: the action as
issued (责令限期整改指令书, 行政处罚决定书), the inspection as recorded (现场检查记录),
the case as reported, assigned and re-inspected (整改复查意见书). Every line the paper
prints as content is computed here from those events' stored payloads — nothing from a
read model, nothing from the present — so a verifier holding the payloads (they travel in
the QR code) computes the very same lines offline and compares them with the paper.
Decision record 0027 explains why the payload is re-derived rather than a content hash
added to the events.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from api.workbook.columns import SECTORS_ZH, WORKBOOK_TZ

Payload = Mapping[str, Any]

_SECTOR = {v: k for k, v in SECTORS_ZH.items()}
_SOURCE = {
    "self_inspection": "企业自查",
    "grid_patrol": "网格排查",
    "county_verification": "县级核查",
    "expert_diagnosis": "专家会诊",
    "unannounced_inspection": "明查暗访",
    "routine_inspection": "日常检查",
    "sensor": "科技手段",
    "public_report": "群众举报",
}
_INSPECTION_TYPE = {
    "routine": "日常检查",
    "special": "专项检查",
    "unannounced": "明查暗访（四不两直）",
    "joint": "联合检查",
    "expert_diagnosis": "专家会诊",
    "self_inspection": "企业自查",
    "grid_patrol": "网格巡查",
    "county_verification": "县级核查",
    "re_inspection": "复查",
}


@dataclass(frozen=True, slots=True)
class DocumentContent:
    """The sealed content of a printed document: title, number, labelled lines, and who
    issued it when. ``lines()`` is what the paper must show, line for line."""

    title: str
    number: str
    fields: tuple[tuple[str, str], ...]
    issuer: str
    issued_on: str

    def lines(self) -> list[str]:
        """The canonical text, one line per printed item (compared with the paper)."""
        head = [self.title] + ([f"文书编号：{self.number}"] if self.number else [])
        body = [f"{label}：{value}" for label, value in self.fields]
        return [*head, *body, f"签发单位：{self.issuer}", f"日期：{self.issued_on}"]


def _day(moment: Any) -> str:
    """An ISO moment as the Chinese date officials write (Beijing time)."""
    try:
        parsed = datetime.fromisoformat(str(moment))
    except ValueError:
        return str(moment or "")
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(WORKBOOK_TZ)
    return f"{parsed.year}年{parsed.month}月{parsed.day}日"


def _yuan(amount: Any) -> str:
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        return str(amount or "")
    return f"{value:,.2f} 元"


def _actor(payload: Payload) -> str:
    actor = payload.get("actor") or {}
    return f"{actor.get('name', '')}（{actor.get('organisation', '')}）"


def _named(names: Mapping[str, str], code: Any) -> str:
    return names.get(str(code), str(code or ""))


def _enterprise(sealed: Mapping[str, Payload], fallback: Payload) -> str:
    registered = sealed.get("enterprise")
    name = (registered or {}).get("name") or fallback.get("enterprise_name") or ""
    return f"{name}（统一社会信用代码：{fallback.get('enterprise_code', '')}）"


def rectification_order(sealed: Mapping[str, Payload]) -> DocumentContent:
    """责令限期整改指令书, from the action as issued (and the enterprise as registered)."""
    issued = sealed["action"]
    return DocumentContent(
        title="责令限期整改指令书",
        number=str(issued.get("document_number", "")),
        fields=(
            ("被检查单位", _enterprise(sealed, issued)),
            ("行业领域", _named(_SECTOR, issued.get("sector"))),
            ("行政区划", str(issued.get("region_code", ""))),
            ("存在问题", str(issued.get("description", ""))),
            ("依据", str(issued.get("legal_basis", ""))),
            ("涉及隐患案卷", "、".join(str(c) for c in issued.get("case_ids") or ()) or "无"),
            ("执法人员", _actor(issued)),
        ),
        issuer=str(issued.get("department", "")),
        issued_on=_day(issued.get("occurred_at")),
    )


def penalty_decision(sealed: Mapping[str, Payload]) -> DocumentContent:
    """行政处罚决定书, from the penalty as issued (and the enterprise as registered)."""
    issued = sealed["action"]
    return DocumentContent(
        title="行政处罚决定书",
        number=str(issued.get("document_number", "")),
        fields=(
            ("被处罚单位", _enterprise(sealed, issued)),
            ("行业领域", _named(_SECTOR, issued.get("sector"))),
            ("违法事实", str(issued.get("description", ""))),
            ("处罚依据", str(issued.get("legal_basis", ""))),
            ("罚款金额", _yuan(issued.get("fine_amount"))),
            ("涉及隐患案卷", "、".join(str(c) for c in issued.get("case_ids") or ()) or "无"),
            ("执法人员", _actor(issued)),
        ),
        issuer=str(issued.get("department", "")),
        issued_on=_day(issued.get("occurred_at")),
    )


#: Role prefix of the hazards an inspection found (``found1``, ``found2`` …), each the
#: case's report, which names the inspection.
FOUND = "found"


def _found(sealed: Mapping[str, Payload]) -> list[Payload]:
    """The reports of the hazards found, in the order they were found."""
    numbered = [
        (int(role[len(FOUND) :]), payload)
        for role, payload in sealed.items()
        if role.startswith(FOUND) and role[len(FOUND) :].isdigit()
    ]
    return [payload for _, payload in sorted(numbered, key=lambda item: item[0])]


def inspection_record(sealed: Mapping[str, Payload]) -> DocumentContent:
    """现场检查记录, from the inspection as recorded (and the enterprise as registered)
    and the reports of the hazards it found.

    A line a paper printed before may be left out (the paper then carries more than the
    seal asks for, which still verifies) but never reworded: no devices counted prints
    no device line; without a written summary, the hazards found say what was found.
    """
    recorded = sealed["inspection"]
    kind = str(recorded.get("inspection_type", ""))
    found = _found(sealed)
    summary = str(recorded.get("summary", ""))
    if not summary and found:
        summary = f"发现隐患{len(found)}处，见下列各项"
    devices = recorded.get("devices_checked") or 0
    hazards = tuple(
        (
            f"发现隐患{n}",
            str(report.get("description", ""))
            + (f"（部位：{report['location']}）" if report.get("location") else ""),
        )
        for n, report in enumerate(found, start=1)
    )
    return DocumentContent(
        title="现场检查记录",
        number="",
        fields=(
            ("被检查单位", _enterprise(sealed, recorded)),
            ("行业领域", _named(_SECTOR, recorded.get("sector"))),
            ("检查类型", _INSPECTION_TYPE.get(kind, kind)),
            ("检查场所", str(recorded.get("location", "")) or "—"),
            ("检查人员", "、".join(str(t) for t in recorded.get("team") or ()) or "—"),
            *((("检查设备（台）", str(devices)),) if devices else ()),
            ("检查情况", summary or "—"),
            *hazards,
            ("记录人", _actor(recorded)),
        ),
        issuer=str((recorded.get("actor") or {}).get("organisation", "")),
        issued_on=_day(recorded.get("occurred_at")),
    )


def re_inspection_opinion(sealed: Mapping[str, Payload]) -> DocumentContent:
    """整改复查意见书, from the case as reported and assigned and the re-inspection."""
    reported, assigned, verified = sealed["reported"], sealed["assigned"], sealed["verified"]
    extended = sealed.get("extended")  # the last extension granted before the re-inspection
    deadline = _day(assigned.get("deadline"))
    if extended is not None:
        deadline = f"{_day(extended.get('new_deadline'))}（经批准延期，原期限{deadline}）"
    return DocumentContent(
        title="整改复查意见书",
        number="",
        fields=(
            ("被复查单位", _enterprise(sealed, reported)),
            ("隐患部位", str(reported.get("location", "")) or "—"),
            ("隐患描述", str(reported.get("description", ""))),
            ("隐患来源", _named(_SOURCE, reported.get("source"))),
            ("整改要求", str(assigned.get("requirements", "")) or "—"),
            ("整改期限", deadline),
            (
                "复查结论",
                "同意销号，整改合格" if verified.get("accepted") else "整改不合格，继续整改",
            ),
            ("复查意见", str(verified.get("opinion", ""))),
            ("复查人员", _actor(verified)),
        ),
        issuer=str((verified.get("actor") or {}).get("organisation", "")),
        issued_on=_day(verified.get("occurred_at")),
    )


#: Each kind's content function, by the name ``ledger print`` takes.
CONTENT: dict[str, Callable[[Mapping[str, Payload]], DocumentContent]] = {
    "rectification-order": rectification_order,
    "penalty-decision": penalty_decision,
    "inspection-record": inspection_record,
    "re-inspection": re_inspection_opinion,
}
