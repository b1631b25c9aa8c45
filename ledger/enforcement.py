"""Enforcement actions (执法): penalties, orders, stop-work notices and the rest.

Each action is a document with its number (文书编号), linked to an enterprise and,
where it concerns them, to hazard cases. It is issued, then executed (a fine paid, a
seal applied), lifted (work resumed after a stop-work notice or a seal-up) or revoked.
Stop-work periods matter to the accountability review: activity recorded at the
enterprise while an order stood is a finding.

An order may stop the whole enterprise, one device (its registration code: 停止使用,
特种设备安全监察指令) or a part of the site (a workshop, a storey); an inspection that
finds what was stopped still operating records it against the order
(``observe_activity``), without reporting a new hazard.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from uuid import UUID

from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate


class ActionKind(StrEnum):
    PENALTY = "penalty"  # 行政处罚（罚款）
    RECTIFICATION_ORDER = "rectification_order"  # 责令限期整改指令书
    STOP_WORK = "stop_work"  # 停工通知单、责令停产停业
    DIRECTIVE = "directive"  # 监察指令
    WARNING_LETTER = "warning_letter"  # 警示函
    SUMMONS = "summons"  # 约谈
    CIRCULAR = "circular"  # 通报
    EXPOSURE = "exposure"  # 曝光
    JOINT_PUNISHMENT = "joint_punishment"  # 联合惩戒
    CONFISCATION = "confiscation"  # 没收销毁
    BAN = "ban"  # 取缔
    SEAL_UP = "seal_up"  # 查封扣押、停电停水
    POLICE_TRANSFER = "police_transfer"  # 移送公安机关（行刑衔接）
    INSPECTION_NOTICE = "inspection_notice"  # 现场检查通知（书）


KIND_ZH = {
    ActionKind.PENALTY: "行政处罚",
    ActionKind.RECTIFICATION_ORDER: "责令限期整改",
    ActionKind.STOP_WORK: "停工停产",
    ActionKind.DIRECTIVE: "监察指令",
    ActionKind.WARNING_LETTER: "警示函",
    ActionKind.SUMMONS: "约谈",
    ActionKind.CIRCULAR: "通报",
    ActionKind.EXPOSURE: "曝光",
    ActionKind.JOINT_PUNISHMENT: "联合惩戒",
    ActionKind.CONFISCATION: "没收销毁",
    ActionKind.BAN: "取缔",
    ActionKind.SEAL_UP: "查封扣押/停电停水",
    ActionKind.POLICE_TRANSFER: "移送公安机关",
    ActionKind.INSPECTION_NOTICE: "现场检查通知",
}

#: What people reading English call each kind; the label catalogue's ``kind`` group is
#: this table and ``KIND_ZH``, so an audit finding and the page name an order alike.
KIND_EN = {
    ActionKind.PENALTY: "administrative penalty",
    ActionKind.RECTIFICATION_ORDER: "order to rectify within a time limit",
    ActionKind.STOP_WORK: "stop-work order",
    ActionKind.DIRECTIVE: "inspection directive",
    ActionKind.WARNING_LETTER: "warning letter",
    ActionKind.SUMMONS: "summons talk",
    ActionKind.CIRCULAR: "circulated notice",
    ActionKind.EXPOSURE: "public exposure",
    ActionKind.JOINT_PUNISHMENT: "joint disciplinary punishment",
    ActionKind.CONFISCATION: "confiscation and destruction",
    ActionKind.BAN: "ban of illegal operation",
    ActionKind.SEAL_UP: "seal-up or power/water cut-off",
    ActionKind.POLICE_TRANSFER: "transfer to the police",
    ActionKind.INSPECTION_NOTICE: "on-site inspection notice",
}

#: Actions that take goods: the document states how much (158 箱, 2.5 吨).
QUANTITY_KINDS = frozenset({ActionKind.CONFISCATION, ActionKind.SEAL_UP})
#: Bounds of a stated quantity and its unit (the unit is a measure word, not a sentence).
MAX_QUANTITY = Decimal("1000000000")
MAX_UNIT_LENGTH = 10

#: Actions whose effect lasts until lifted: work must not go on meanwhile.
SUSPENDING_KINDS = frozenset({ActionKind.STOP_WORK, ActionKind.SEAL_UP, ActionKind.BAN})


class ActionStatus(StrEnum):
    ISSUED = "issued"
    EXECUTED = "executed"
    LIFTED = "lifted"
    REVOKED = "revoked"


#: What people call each status of an action, (Chinese, English); the label catalogue's
#: ``action_status`` group is this table, so a refusal and the page name a status alike.
ACTION_STATUS_NAMES: dict[ActionStatus, tuple[str, str]] = {
    ActionStatus.ISSUED: ("已下达", "issued"),
    ActionStatus.EXECUTED: ("已执行", "executed"),
    ActionStatus.LIFTED: ("已解除", "lifted"),
    ActionStatus.REVOKED: ("已撤销", "revoked"),
}


class EnforcementAction(LedgerAggregate):
    class Issued(LedgerAggregate.Created):
        """Version 2 added ``device_code`` and ``site_part`` (what the order covers;
        both empty: the whole enterprise); version 1 events are upcast as enterprise-wide.
        Version 3 added ``quantity`` and ``unit`` (what a confiscation or seizure took);
        earlier events stated none."""

        class_version = 3

        kind: ActionKind
        document_number: str
        enterprise_code: str
        region_code: str
        sector: str
        department: str
        case_ids: tuple[UUID, ...]
        legal_basis: str
        fine_amount: Decimal | None
        description: str
        device_code: str = ""
        site_part: str = ""
        quantity: Decimal | None = None
        unit: str = ""

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["device_code"] = ""
            state["site_part"] = ""

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state["quantity"] = None
            state["unit"] = ""

        def apply(self, a: EnforcementAction) -> None:
            a.device_code = self.device_code
            a.site_part = self.site_part
            a.observed = ()
            a.kind = self.kind
            a.document_number = self.document_number
            a.enterprise_code = self.enterprise_code
            a.region_code = self.region_code
            a.sector = self.sector
            a.department = self.department
            a.case_ids = self.case_ids
            a.legal_basis = self.legal_basis
            a.fine_amount = self.fine_amount
            a.quantity = self.quantity
            a.unit = self.unit
            a.description = self.description
            a.issued_at = self.occurred_at
            a.status = ActionStatus.ISSUED
            a.executed_at = None
            a.amount_paid = None
            a.ended_at = None

    class Executed(LedgerAggregate.Event):
        amount_paid: Decimal | None
        note: str

        def apply(self, a: EnforcementAction) -> None:
            a.status = ActionStatus.EXECUTED
            a.executed_at = self.occurred_at
            a.amount_paid = self.amount_paid

    class Lifted(LedgerAggregate.Event):
        reason: str

        def apply(self, a: EnforcementAction) -> None:
            a.status = ActionStatus.LIFTED
            a.ended_at = self.occurred_at

    class Revoked(LedgerAggregate.Event):
        reason: str

        def apply(self, a: EnforcementAction) -> None:
            a.status = ActionStatus.REVOKED
            a.ended_at = self.occurred_at

    class ActivityObserved(LedgerAggregate.Event):
        """What the order stopped was seen operating (evidence of a breach)."""

        description: str
        inspection_id: UUID | None
        evidence: tuple[str, ...]

        def apply(self, a: EnforcementAction) -> None:
            a.observed = (*a.observed, self.occurred_at)

    if TYPE_CHECKING:
        kind: ActionKind
        document_number: str
        enterprise_code: str
        region_code: str
        sector: str
        department: str
        case_ids: tuple[UUID, ...]
        legal_basis: str
        fine_amount: Decimal | None
        quantity: Decimal | None
        unit: str
        description: str
        issued_at: datetime
        status: ActionStatus
        executed_at: datetime | None
        amount_paid: Decimal | None
        ended_at: datetime | None
        device_code: str
        site_part: str
        observed: tuple[datetime, ...]

    @classmethod
    def issue(
        cls,
        ctx: Context,
        *,
        kind: ActionKind | str,
        document_number: str,
        enterprise_code: str,
        region_code: str,
        sector: str,
        department: str,
        legal_basis: str,
        case_ids: tuple[UUID, ...] = (),
        fine_amount: Decimal | None = None,
        description: str = "",
        action_id: UUID | None = None,
        device_code: str = "",
        site_part: str = "",
        quantity: Decimal | None = None,
        unit: str = "",
    ) -> EnforcementAction:
        violations: list[Violation] = []
        try:
            kind = ActionKind(kind)
        except ValueError:
            violations.append(
                Violation(
                    "ACTION_KIND_UNKNOWN",
                    "kind",
                    f"未知的执法措施“{kind}”",
                    f"unknown kind {kind!r}",
                )
            )
        for name, zh, en, value in (
            ("document_number", "文书编号", "document number", document_number),
            ("department", "执法部门", "enforcing department", department),
            ("legal_basis", "法律依据", "legal basis", legal_basis),
        ):
            if not value.strip():
                violations.append(
                    Violation("FIELD_REQUIRED", name, f"“{zh}”为必填项", f"'{en}' is required")
                )
        if kind == ActionKind.PENALTY:
            if fine_amount is None or not fine_amount.is_finite() or fine_amount <= 0:
                violations.append(
                    Violation(
                        "PENALTY_NEEDS_AMOUNT",
                        "fine_amount",
                        "行政处罚（罚款）须写明罚款金额且大于零",
                        "a penalty must state a fine amount greater than zero",
                    )
                )
        elif fine_amount is not None:
            violations.append(
                Violation(
                    "AMOUNT_ONLY_FOR_PENALTY",
                    "fine_amount",
                    "只有行政处罚可以填写罚款金额",
                    "only a penalty carries a fine amount",
                )
            )
        device_code, site_part = device_code.strip(), site_part.strip()
        if (device_code or site_part) and kind not in SUSPENDING_KINDS | {ActionKind.DIRECTIVE}:
            violations.append(
                Violation(
                    "COVERAGE_ONLY_FOR_ORDERS",
                    "device_code" if device_code else "site_part",
                    "只有停工（停止使用）、查封、取缔和监察指令可以指定设备或场所部位",
                    "only a stop-work (stop-use) order, seal-up, ban or directive names a "
                    "device or a part of the site",
                )
            )
        if device_code and site_part:
            violations.append(
                Violation(
                    "COVERAGE_ONE_ONLY",
                    "site_part",
                    "一份文书指定一台设备或一个场所部位，不能同时指定",
                    "an order names a device or a part of the site, not both",
                )
            )
        unit = unit.strip()
        violations += _quantity_violations(kind, quantity, unit)
        if violations:
            raise RuleViolated(violations)
        action: EnforcementAction = cls._create_with(
            cls.Issued,
            ctx,
            id=action_id,
            kind=ActionKind(kind),
            document_number=document_number.strip(),
            enterprise_code=enterprise_code,
            region_code=region_code,
            sector=sector,
            department=department.strip(),
            case_ids=tuple(case_ids),
            legal_basis=legal_basis.strip(),
            fine_amount=fine_amount,
            description=description.strip(),
            device_code=device_code,
            site_part=site_part,
            quantity=quantity,
            unit=unit,
        )
        return action

    def execute(self, ctx: Context, *, amount_paid: Decimal | None = None, note: str = "") -> None:
        if self.status is not ActionStatus.ISSUED:
            raise refuse(
                "ACTION_NOT_PENDING",
                "status",
                f"该执法文书当前状态为“{ACTION_STATUS_NAMES[self.status][0]}”，不处于待执行状态",
                f"cannot execute an action that is already '{ACTION_STATUS_NAMES[self.status][1]}'",
            )
        if self.kind is ActionKind.PENALTY and (
            amount_paid is None or not amount_paid.is_finite() or amount_paid <= 0
        ):
            raise refuse(
                "PAYMENT_NEEDS_AMOUNT",
                "amount_paid",
                "罚款执行须写明缴纳金额",
                "executing a penalty records the amount paid",
            )
        self._emit(self.Executed, ctx, amount_paid=amount_paid, note=note.strip())

    def lift(self, ctx: Context, *, reason: str) -> None:
        if self.kind not in SUSPENDING_KINDS or self.status not in (
            ActionStatus.ISSUED,
            ActionStatus.EXECUTED,
        ):
            raise refuse(
                "ACTION_NOT_LIFTABLE",
                "kind",
                "只有生效中的停工、查封、取缔类措施可以解除",
                "only a standing stop-work, seal-up or ban can be lifted",
            )
        if not reason.strip():
            raise refuse(
                "FIELD_REQUIRED", "reason", "“解除理由”为必填项", "'reason for lifting' is required"
            )
        self._emit(self.Lifted, ctx, reason=reason.strip())

    def revoke(self, ctx: Context, *, reason: str) -> None:
        if self.status in (ActionStatus.REVOKED, ActionStatus.LIFTED):
            raise refuse(
                "ACTION_ALREADY_ENDED",
                "status",
                "该执法文书已撤销或解除",
                "the action already ended",
            )
        if not reason.strip():
            raise refuse(
                "FIELD_REQUIRED",
                "reason",
                "“撤销理由”为必填项",
                "'reason for revoking' is required",
            )
        self._emit(self.Revoked, ctx, reason=reason.strip())

    def observe_activity(
        self,
        ctx: Context,
        *,
        description: str,
        inspection_id: UUID | None = None,
        evidence: tuple[str, ...] = (),
    ) -> None:
        """Record that what this order stopped was seen operating at ``ctx.occurred_at``."""
        if not self.suspends_work_at(ctx.occurred_at):
            raise refuse(
                "ORDER_NOT_STANDING",
                "occurred_at",
                "该时间该文书并未责令停工、停止使用或查封（未下达、已解除或已撤销）",
                "the order did not stop anything at that time (not yet issued, lifted or "
                "revoked, or not a stop-work, seal-up or ban)",
            )
        if not description.strip():
            raise refuse(
                "FIELD_REQUIRED",
                "description",
                "“发现的运行情况”为必填项",
                "'what was seen operating' is required",
            )
        self._emit(
            self.ActivityObserved,
            ctx,
            description=description.strip(),
            inspection_id=inspection_id,
            evidence=tuple(evidence),
        )

    def suspends_work_at(self, at: datetime) -> bool:
        """Whether this action forbade work at business time ``at``."""
        return (
            self.kind in SUSPENDING_KINDS
            and self.issued_at <= at
            and (self.ended_at is None or at < self.ended_at)
        )


def _quantity_violations(kind: object, quantity: Decimal | None, unit: str) -> list[Violation]:
    """A quantity only for kinds that take goods, positive, bounded, with a short unit;
    a unit only beside a quantity (so "158箱" is counted as 158 of 箱, never as text)."""
    if quantity is None:
        if unit:
            return [
                Violation(
                    "UNIT_NEEDS_QUANTITY",
                    "unit",
                    "填写了计量单位但没有数量",
                    "a unit is given without a quantity",
                )
            ]
        return []
    found: list[Violation] = []
    if kind not in QUANTITY_KINDS:
        found.append(
            Violation(
                "QUANTITY_NOT_FOR_KIND",
                "quantity",
                "只有没收销毁和查封扣押可以填写数量",
                "only a confiscation or a seizure states a quantity",
            )
        )
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        found.append(
            Violation(
                "QUANTITY_OUT_OF_BOUNDS",
                "quantity",
                f"数量须大于零且不超过 {MAX_QUANTITY:,}",
                f"the quantity must be greater than zero and at most {MAX_QUANTITY:,}",
            )
        )
    elif quantity.as_tuple().exponent < -3:  # type: ignore[operator]
        found.append(
            Violation(
                "QUANTITY_TOO_PRECISE",
                "quantity",
                "数量最多保留三位小数",
                "the quantity has at most three decimal places",
            )
        )
    if not unit or len(unit) > MAX_UNIT_LENGTH:
        found.append(
            Violation(
                "QUANTITY_NEEDS_UNIT",
                "unit",
                f"数量须写明计量单位（如“箱”“吨”，不超过 {MAX_UNIT_LENGTH} 个字）",
                f"a quantity needs its unit (such as 箱 or 吨, at most {MAX_UNIT_LENGTH} "
                "characters)",
            )
        )
    return found
