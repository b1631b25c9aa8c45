"""Public reports (群众举报) and the protection of the person who made them.

A report from the public is received (受理) by a department, checked on site (核查),
found founded (属实, which opens a hazard case with source ``public_report``) or
unfounded (不属实, with the reasons: the report is then dismissed and no case exists),
and a founded report may earn the reporter a reward (奖励)::

    received ─verify─▶ verified ─found_founded─▶ founded ─reward─▶ rewarded
                                 └found_unfounded─▶ unfounded

The reporter's identity (name, phone, ID number, contact) is never stored in clear: the
event carries it sealed (``ledger.sealed``), it is opened only for the roles
``ledger.permissions`` names, every opening is itself an event (who, when, for what
purpose), and on request it is erased by destroying its key (安全生产法 Art. 73-74:
举报人保密). An anonymous report carries no identity at all.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import UUID

import orjson
from eventsourcing.utils import get_topic

from .codes import region_code_violations
from .errors import RuleViolated, Violation, refuse
from .events import Context, LedgerAggregate
from .sealed import Sealed, Vault, vault_for

if TYPE_CHECKING:
    from .application import HazardLedger
    from .commands import RevealReporterIdentity
    from .identity import Actor
    from .scope import Scope


class Channel(StrEnum):
    """How the report came in (举报渠道)."""

    HOTLINE = "hotline"  # 12350 举报电话
    ONLINE = "online"  # 网络平台
    LETTER = "letter"  # 信件
    VISIT = "visit"  # 来访
    REFERRED = "referred"  # 上级转办


class ReportStatus(StrEnum):
    RECEIVED = "received"  # 已受理
    VERIFIED = "verified"  # 已核查
    FOUNDED = "founded"  # 属实
    UNFOUNDED = "unfounded"  # 不属实
    REWARDED = "rewarded"  # 已奖励


REPORT_STATUS_ZH = {
    ReportStatus.RECEIVED: "已受理",
    ReportStatus.VERIFIED: "已核查",
    ReportStatus.FOUNDED: "属实",
    ReportStatus.UNFOUNDED: "不属实",
    ReportStatus.REWARDED: "已奖励",
}

#: What people reading English call each status; the label catalogue's ``report_status``
#: group is this table and ``REPORT_STATUS_ZH``, so a refusal and the page agree.
REPORT_STATUS_EN = {
    ReportStatus.RECEIVED: "accepted for handling",
    ReportStatus.VERIFIED: "checked",
    ReportStatus.FOUNDED: "found true",
    ReportStatus.UNFOUNDED: "found untrue",
    ReportStatus.REWARDED: "reporter rewarded",
}


@dataclass(frozen=True, slots=True)
class ReporterIdentity:
    """Who reported: what the receiving department may need to contact them."""

    name: str = ""
    phone: str = ""
    id_number: str = ""
    contact: str = ""

    @property
    def anonymous(self) -> bool:
        return not any(v.strip() for v in (self.name, self.phone, self.id_number, self.contact))

    def to_bytes(self) -> bytes:
        return orjson.dumps(asdict(self), option=orjson.OPT_SORT_KEYS)

    @classmethod
    def from_bytes(cls, data: bytes) -> ReporterIdentity:
        return cls(**orjson.loads(data))


def _required(name: str, zh: str, en: str) -> Violation:
    """``name`` was left empty: named as the form names it, “{zh}” / '{en}'."""
    return Violation("FIELD_REQUIRED", name, f"“{zh}”为必填项", f"'{en}' is required")


def _status_refusal(action_zh: str, action_en: str, status: ReportStatus) -> RuleViolated:
    return refuse(
        f"REPORT_ILLEGAL_TRANSITION_{action_en.upper().replace(' ', '_')}",
        "status",
        f"举报当前状态为“{REPORT_STATUS_ZH[status]}”，不能{action_zh}",
        f"cannot {action_en} a public report whose status is '{REPORT_STATUS_EN[status]}'",
    )


class PublicReport(LedgerAggregate):
    """One report from the public, from receipt to conclusion and reward."""

    class Received(LedgerAggregate.Created):
        enterprise_code: str
        region_code: str
        sector: str
        channel: Channel
        content: str
        receiving_organisation: str
        identity: Sealed | None

        def apply(self, r: PublicReport) -> None:
            r.enterprise_code = self.enterprise_code
            r.region_code = self.region_code
            r.sector = self.sector
            r.channel = self.channel
            r.content = self.content
            r.receiving_organisation = self.receiving_organisation
            r.identity = self.identity
            r.received_at = self.occurred_at
            r.status = ReportStatus.RECEIVED
            r.findings = None
            r.reasons = None
            r.case_id = None
            r.concluded_at = None
            r.reward_amount = None
            r.identity_erased = False
            r.identity_reads = 0

    class Verified(LedgerAggregate.Event):
        findings: str

        def apply(self, r: PublicReport) -> None:
            r.findings = self.findings
            r.status = ReportStatus.VERIFIED

    class FoundFounded(LedgerAggregate.Event):
        """属实: the case it opened is ``case_id`` (which names this report back)."""

        reasons: str
        case_id: UUID

        def apply(self, r: PublicReport) -> None:
            r.reasons = self.reasons
            r.case_id = self.case_id
            r.concluded_at = self.occurred_at
            r.status = ReportStatus.FOUNDED

    class FoundUnfounded(LedgerAggregate.Event):
        """不属实: the report is dismissed with its reasons; no case is opened."""

        reasons: str

        def apply(self, r: PublicReport) -> None:
            r.reasons = self.reasons
            r.concluded_at = self.occurred_at
            r.status = ReportStatus.UNFOUNDED

    class Rewarded(LedgerAggregate.Event):
        amount: Decimal

        def apply(self, r: PublicReport) -> None:
            r.reward_amount = self.amount
            r.status = ReportStatus.REWARDED

    class IdentityRevealed(LedgerAggregate.Event):
        """Somebody opened the reporter's identity (the access log of Art. 73)."""

        purpose: str

        def apply(self, r: PublicReport) -> None:
            r.identity_reads += 1

    class IdentityErased(LedgerAggregate.Event):
        """The identity's key was destroyed at the reporter's request."""

        reason: str

        def apply(self, r: PublicReport) -> None:
            r.identity_erased = True

    if TYPE_CHECKING:
        enterprise_code: str
        region_code: str
        sector: str
        channel: Channel
        content: str
        receiving_organisation: str
        identity: Sealed | None
        received_at: datetime
        status: ReportStatus
        findings: str | None
        reasons: str | None
        case_id: UUID | None
        concluded_at: datetime | None
        reward_amount: Decimal | None
        identity_erased: bool
        identity_reads: int

    @property
    def anonymous(self) -> bool:
        return self.identity is None

    @classmethod
    def receive(
        cls,
        ctx: Context,
        *,
        report_id: UUID,
        enterprise_code: str,
        region_code: str,
        sector: str,
        channel: Channel | str,
        content: str,
        identity: Sealed | None,
    ) -> PublicReport:
        violations: list[Violation] = list(region_code_violations(region_code))
        if not content.strip():
            violations.append(_required("content", "举报内容", "report content"))
        try:
            Channel(channel)
        except ValueError:
            violations.append(
                Violation(
                    "REPORT_CHANNEL_UNKNOWN",
                    "channel",
                    "举报渠道只能是hotline（电话）、online（网络）、letter（信件）、visit（来访）"
                    "或referred（转办）",
                    "channel must be hotline, online, letter, visit or referred",
                )
            )
        if violations:
            raise RuleViolated(violations)
        report: PublicReport = cls._create_with(
            cls.Received,
            ctx,
            id=report_id,
            enterprise_code=enterprise_code,
            region_code=region_code,
            sector=sector,
            channel=Channel(channel),
            content=content.strip(),
            receiving_organisation=ctx.actor.organisation,
            identity=identity,
        )
        return report

    def verify(self, ctx: Context, *, findings: str) -> None:
        if self.status is not ReportStatus.RECEIVED:
            raise _status_refusal("登记核查情况", "verify", self.status)
        if not findings.strip():
            raise RuleViolated([_required("findings", "核查情况", "what the check found")])
        self._emit(self.Verified, ctx, findings=findings.strip())

    def check_concludable(self, reasons: str) -> None:
        """Refuse a conclusion before anything is created for it."""
        if self.status is not ReportStatus.VERIFIED:
            raise _status_refusal("作出核查结论", "conclude", self.status)
        if not reasons.strip():
            raise RuleViolated([_required("reasons", "认定理由", "reasons for the conclusion")])

    def find_founded(self, ctx: Context, *, reasons: str, case_id: UUID) -> None:
        self.check_concludable(reasons)
        self._emit(self.FoundFounded, ctx, reasons=reasons.strip(), case_id=case_id)

    def find_unfounded(self, ctx: Context, *, reasons: str) -> None:
        self.check_concludable(reasons)
        self._emit(self.FoundUnfounded, ctx, reasons=reasons.strip())

    def reward(self, ctx: Context, *, amount: Decimal) -> None:
        if self.status is not ReportStatus.FOUNDED:
            raise _status_refusal("奖励", "reward", self.status)
        if not amount.is_finite() or amount <= 0:
            raise refuse(
                "REWARD_AMOUNT",
                "amount",
                "奖励金额必须大于零",
                "the reward amount must be greater than zero",
            )
        self._emit(self.Rewarded, ctx, amount=amount)

    def _check_identity_present(self) -> None:
        if self.identity is None:
            raise refuse(
                "REPORT_ANONYMOUS",
                "identity",
                "该举报为匿名举报，没有举报人信息",
                "the report is anonymous: there is no identity",
            )
        if self.identity_erased:
            raise refuse(
                "IDENTITY_ERASED",
                "identity",
                "举报人身份信息已按申请删除",
                "the reporter's identity was erased on request",
            )

    def reveal_identity(self, ctx: Context, *, purpose: str) -> None:
        self._check_identity_present()
        if not purpose.strip():
            raise RuleViolated([_required("purpose", "查阅事由", "purpose of reading it")])
        self._emit(self.IdentityRevealed, ctx, purpose=purpose.strip())

    def erase_identity(self, ctx: Context, *, reason: str) -> None:
        self._check_identity_present()
        if not reason.strip():
            raise RuleViolated([_required("reason", "删除依据", "grounds for erasing it")])
        self._emit(self.IdentityErased, ctx, reason=reason.strip())


def reporter_vault(ledger: HazardLedger) -> Vault:
    """The vault that seals reporters' identities on ``ledger``'s store."""
    return vault_for(
        ledger,
        sealing_topic=get_topic(PublicReport.Received),
        erasing_topic=get_topic(PublicReport.IdentityErased),
    )


def open_identity(ledger: HazardLedger, report: PublicReport) -> ReporterIdentity:
    """The identity sealed in ``report`` (``SealedUnavailable`` once erased)."""
    assert report.identity is not None
    return ReporterIdentity.from_bytes(reporter_vault(ledger).open(report.identity))


def reveal_identity(
    ledger: HazardLedger, command: RevealReporterIdentity, actor: Actor, scope: Scope
) -> ReporterIdentity:
    """The one way to read a reporter's identity: the command is judged like any other
    (permission, scope, the report's state) and the opening is recorded, in the same
    unit of work that decrypts; if the identity cannot be opened, nothing is recorded."""
    with ledger.batch() as work:
        work.execute(command, actor, scope)
        report = work.find(PublicReport, command.report_id)
        assert report is not None
        return open_identity(ledger, report)
