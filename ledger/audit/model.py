"""What an audit rule is, what it looks at, and what it reports.

An accountability review replays the record of one enterprise around one moment and
asks a fixed set of questions of it. Each question is an *audit rule*: a named,
documented, pure check. Rules never read the store and never look at the clock; they
are given a ``Dossier`` (every event of the enterprise's cases, enforcement actions,
inspections and its own record, as known now, plus the incident moment) and return
``Finding``s, each pointing at the exact events (aggregate id and version, with both
clocks) that support it. Sector plugins add rules by returning objects that satisfy
``AuditRule``; docs/audit-rules.md documents every built-in rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable
from uuid import UUID

from ledger.events import LedgerAggregate

Event = LedgerAggregate.Event
History = Sequence[Event]


class Severity(StrEnum):
    """How much a finding weighs in an accountability review."""

    HIGH = "high"  # a duty was plainly not done, or the record itself is doubtful
    MEDIUM = "medium"  # a duty was done late or incompletely
    LOW = "low"  # worth a question, not by itself a failure


SEVERITY_ZH = {Severity.HIGH: "严重", Severity.MEDIUM: "较重", Severity.LOW: "一般"}


@dataclass(frozen=True, slots=True)
class EventRef:
    """One event a finding rests on: which aggregate, which version, both clocks."""

    aggregate_id: UUID
    version: int
    event_type: str
    occurred_at: datetime
    recorded_at: datetime

    @classmethod
    def of(cls, event: Event) -> EventRef:
        return cls(
            aggregate_id=event.originator_id,
            version=event.originator_version,
            event_type=type(event).__name__,
            occurred_at=event.occurred_at,
            recorded_at=event.timestamp,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "aggregate_id": str(self.aggregate_id),
            "version": self.version,
            "event": self.event_type,
            "occurred_at": self.occurred_at.isoformat(),
            "recorded_at": self.recorded_at.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing an audit rule found, in both languages, with its evidence."""

    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    refs: tuple[EventRef, ...]
    subject_id: UUID | None = None  # the case (or action, inspection) it concerns

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity.value,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
            "subject_id": str(self.subject_id) if self.subject_id else None,
            "events": [r.as_dict() for r in self.refs],
        }


@dataclass(frozen=True, slots=True)
class Parameter:
    """A rule's tunable value, with its default and why it has that default."""

    name: str
    default: Any
    description: str


@dataclass(frozen=True, slots=True)
class Dossier:
    """Everything a rule may look at: one enterprise's record, as known now.

    Histories are complete (every event recorded so far, including entries recorded
    after the incident); rules that care about what was known *at* the incident compare
    ``event.timestamp`` with ``incident_at`` themselves.
    """

    enterprise_code: str
    incident_at: datetime
    cases: Mapping[UUID, History] = field(default_factory=dict)
    actions: Mapping[UUID, History] = field(default_factory=dict)
    inspections: Mapping[UUID, History] = field(default_factory=dict)
    enterprise: History = ()

    def all_histories(self) -> Iterable[History]:
        yield from self.cases.values()
        yield from self.actions.values()
        yield from self.inspections.values()
        if self.enterprise:
            yield self.enterprise


@runtime_checkable
class AuditRule(Protocol):
    """The contract every audit rule satisfies (built-in or from a sector plugin).

    ``check`` must be pure: same dossier and parameters, same findings.
    """

    @property
    def code(self) -> str:
        """Unique code such as ``AUD-SELF-VERIFY``, documented in docs/audit-rules.md."""

    @property
    def title_zh(self) -> str: ...

    @property
    def title_en(self) -> str: ...

    @property
    def description(self) -> str:
        """What it checks, why it matters, and its legal anchor where there is one."""

    @property
    def parameters(self) -> Sequence[Parameter]: ...

    def check(self, dossier: Dossier) -> Iterable[Finding]: ...


#: Chinese names of the ledger's event types, for messages and documents. The label
#: catalogue's ``event`` group is this table and ``EVENT_EN``, so a finding and the page
#: name an event alike.
EVENT_ZH = {
    "Reported": "上报",
    "Graded": "定级",
    "RectifiedOnSpot": "当场整改",
    "Assigned": "交办",
    "PlanFiled": "提交治理方案",
    "InterimControlsRecorded": "临时管控措施",
    "DeadlineExtended": "延期",
    "Listed": "挂牌督办",
    "Delisted": "摘牌",
    "Escalated": "升级督办",
    "RectificationReported": "报告整改完成",
    "AssessmentFiled": "提交评估",
    "Verified": "复查/验收",
    "Closed": "销号",
    "Reopened": "重新打开",
    "Dismissed": "误报核销",
    "Issued": "下达",
    "Executed": "执行",
    "Lifted": "解除",
    "Revoked": "撤销",
    "Recorded": "检查",
    "HazardFound": "检查发现隐患",
    "Registered": "登记",
    "PrincipalChanged": "主要负责人变更",
    "DetailsChanged": "信息变更",
    "Established": "设立责任岗位",
    "HolderChanged": "责任人变更",
    "Added": "新增措施",
    "ProgressReported": "报告进展",
    "Completed": "完成",
    "Redacted": "依法遮蔽",
    "ActivityObserved": "停工期间发现生产经营活动",
    "Reassessed": "重新评定风险等级",
    "ControlAdded": "新增管控措施",
    "ControlRetired": "停用管控措施",
    "FailedControlCited": "隐患涉及管控措施失效",
    "Received": "受理举报",
    "FoundFounded": "举报查证属实",
    "FoundUnfounded": "举报查证不属实",
    "Rewarded": "举报奖励",
    "IdentityRevealed": "查阅举报人身份",
    "IdentityErased": "删除举报人身份",
}

#: English names of the ledger's event types; one not named here reads as its name in
#: words (``PlanFiled`` → ``plan filed``), never as the type's name itself.
EVENT_EN = {
    "Reported": "reported",
    "Graded": "graded",
    "RectifiedOnSpot": "rectified on the spot",
    "Assigned": "assigned for deadline rectification",
    "PlanFiled": "rectification plan filed",
    "InterimControlsRecorded": "interim controls recorded",
    "DeadlineExtended": "deadline extended",
    "Listed": "listed for supervision",
    "Delisted": "de-listed",
    "Escalated": "escalated",
    "RectificationReported": "rectification reported",
    "AssessmentFiled": "assessment filed",
    "Verified": "verified / accepted",
    "Closed": "closed",
    "Reopened": "reopened",
    "Dismissed": "dismissed as a false alarm",
    "Issued": "issued",
    "Executed": "executed",
    "Lifted": "lifted",
    "Revoked": "revoked",
    "Recorded": "inspection recorded",
    "HazardFound": "hazard found in inspection",
    "Registered": "registered",
    "PrincipalChanged": "principal changed",
    "DetailsChanged": "details changed",
    "Established": "responsibility post established",
    "HolderChanged": "post holder changed",
    "Added": "measure added",
    "ProgressReported": "progress reported",
    "Completed": "completed",
    "Redacted": "redacted",
    "ActivityObserved": "activity observed during a stop-work order",
    "Reassessed": "risk level reassessed",
    "FailedControlCited": "failed control cited by a hazard",
    "Received": "public report received",
    "FoundFounded": "report found true",
    "FoundUnfounded": "report found untrue",
    "Rewarded": "reporter rewarded",
    "IdentityRevealed": "reporter identity opened",
    "IdentityErased": "reporter identity erased",
}


def words(name: str) -> str:
    """``PlanFiled`` → ``plan filed``: English for an event named nowhere else."""
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()


def event_name_en_of(name: str) -> str:
    """The English name of the event type called ``name``."""
    return EVENT_EN.get(name) or words(name)


def event_name(event: Event) -> str:
    return type(event).__name__


def event_name_zh(event: Event) -> str:
    return EVENT_ZH.get(event_name(event), event_name(event))


def event_name_en(event: Event) -> str:
    return event_name_en_of(event_name(event))
