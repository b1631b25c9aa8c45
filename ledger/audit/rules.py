"""The built-in audit rules of the accountability review.

Each rule looks at the world *up to the incident* as the ledger knows it now (events
whose business time ``occurred_at`` is at or before the incident), except where it
says otherwise. Every rule is documented in docs/audit-rules.md; a test fails when a
rule here is missing there.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar
from uuid import UUID

from ledger.enforcement import KIND_EN, KIND_ZH, SUSPENDING_KINDS, ActionKind
from ledger.hazard import Grade

from .model import (
    AuditRule,
    Dossier,
    Event,
    EventRef,
    Finding,
    History,
    Parameter,
    Severity,
    event_name,
    event_name_en,
    event_name_zh,
)


@dataclass(frozen=True, slots=True)
class ListingRule:
    """When a sector's major hazards must be listed for supervision (挂牌督办).

    Declared by each sector plugin: listing is how local government takes a major
    hazard on, but which major hazards must be listed, and how soon, is set per sector
    and jurisdiction, not by one national rule.
    """

    required: bool = True
    """Whether an open major hazard must be listed at all (False: at the government's
    discretion, so an unlisted one is no finding)."""
    grace_days: int = 15
    """Days a major hazard may stay open and unlisted after grading."""
    basis_zh: str = ""
    basis_en: str = ""


@dataclass(frozen=True, slots=True)
class SectorPolicy:
    """What the audit rules need to know of a case's sector: the sector's own name for
    its major grade (重大火灾隐患 for fire, 重大事故隐患 for the others) and its listing
    rule."""

    major_grade_zh: str = "重大事故隐患"
    major_grade_en: str = "major accident hazard"
    listing: ListingRule = field(default_factory=ListingRule)


DEFAULT_POLICY = SectorPolicy()

PolicyOf = Callable[[str], SectorPolicy]


def default_policy(sector: str) -> SectorPolicy:
    """The policy of a sector no plugin describes (the national default)."""
    return DEFAULT_POLICY


def upto(history: History, at: datetime) -> list[Event]:
    """The events of ``history`` that had happened (business time) by ``at``."""
    return [e for e in history if e.occurred_at <= at]


def _day(t: datetime) -> str:
    return f"{t:%Y-%m-%d}"


def _days(delta: timedelta) -> int:
    return max(0, delta.days)


def case_sector(history: History) -> str:
    """The sector a case was reported under (its first event says)."""
    return str(getattr(history[0], "sector", "")) if history else ""


def self_managed(event: Event) -> bool:
    """Whether a closing event is the enterprise's own closure of its general hazard."""
    return bool(getattr(event, "self_managed", False))


class _Rule:
    """Shared plumbing: parameters described once, as class data."""

    code: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    description: ClassVar[str]
    parameter_docs: ClassVar[dict[str, str]] = {}

    @property
    def parameters(self) -> Sequence[Parameter]:
        return [
            Parameter(name, getattr(self, name), doc) for name, doc in self.parameter_docs.items()
        ]


# ---- closure without measures or completion time --------------------------------------

DEFAULT_PLACEHOLDERS: tuple[str, ...] = (
    "已整改",
    "已整改完毕",
    "整改完成",
    "整改完毕",
    "已完成",
    "已处理",
    "已落实",
    "已解决",
    "已消除",
    "无",
    "见附件",
    "详见附件",
    "同上",
    "略",
    "ok",
    "done",
    "na",
    "none",
)


def normalise_measures(text: str) -> str:
    """Measures without whitespace, punctuation or symbols, lower-cased."""
    return "".join(
        ch for ch in text.lower() if unicodedata.category(ch)[0] not in ("P", "Z", "S", "C")
    )


@dataclass(frozen=True)
class ClosureWithoutMeasures(_Rule):
    code: ClassVar[str] = "AUD-CLOSURE-NO-MEASURES"
    title_zh: ClassVar[str] = "销号时无实质整改措施或无完成时间"
    title_en: ClassVar[str] = "Closure without real measures or completion time"
    description: ClassVar[str] = (
        "A closure (销号, or an on-the-spot rectification) whose rectification report states "
        "only a placeholder instead of measures, or has no completion time, or that has no "
        "rectification report at all. The core refuses blank measures; this rule catches "
        "vacuous ones and old imported records. Seed 001 names approvals of major-hazard "
        "closures without measures or completion time; 安全生产法 Art. 41 requires true "
        "records of the elimination of hazards."
    )
    parameter_docs: ClassVar[dict[str, str]] = {
        "placeholders": "texts that count as no measures (after removing whitespace and "
        "punctuation, lower-cased)",
        "min_length": "measures shorter than this many characters (normalised) count as none",
    }
    placeholders: tuple[str, ...] = DEFAULT_PLACEHOLDERS
    min_length: int = 4

    def vacuous(self, measures: str | None) -> bool:
        if measures is None:
            return True
        text = normalise_measures(measures)
        normal = {normalise_measures(p) for p in self.placeholders}
        return text in normal or len(text) < self.min_length

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        for case_id, history in dossier.cases.items():
            report: Event | None = None
            for e in upto(history, dossier.incident_at):
                name = event_name(e)
                if name == "RectificationReported":
                    report = e
                elif name == "Reopened":
                    report = None
                elif name == "RectifiedOnSpot" and self.vacuous(getattr(e, "measures", None)):
                    yield self._finding(case_id, e, [e], getattr(e, "measures", None), True)
                elif name == "Closed":
                    if report is None:
                        yield Finding(
                            self.code,
                            Severity.HIGH,
                            f"{_day(e.occurred_at)}销号，但无任何整改完成报告",
                            f"closed on {_day(e.occurred_at)} with no rectification report",
                            (EventRef.of(e),),
                            case_id,
                        )
                        continue
                    measures = getattr(report, "measures", None)
                    no_time = getattr(report, "completed_at", None) is None
                    if self.vacuous(measures) or no_time:
                        yield self._finding(case_id, e, [report, e], measures, not no_time)

    def _finding(
        self, case_id: UUID, closing: Event, refs: list[Event], measures: str | None, has_time: bool
    ) -> Finding:
        shown = measures if measures is not None else "（空）"
        problems_zh = [f"整改措施仅为“{shown}”"] if self.vacuous(measures) else []
        problems_en = [f"measures are only {measures!r}"] if self.vacuous(measures) else []
        if not has_time:
            problems_zh.append("未写明整改完成时间")
            problems_en.append("no completion time")
        return Finding(
            self.code,
            Severity.HIGH,
            f"{_day(closing.occurred_at)}销号，但{'，'.join(problems_zh)}",
            f"closed on {_day(closing.occurred_at)} although {' and '.join(problems_en)}",
            tuple(EventRef.of(r) for r in refs),
            case_id,
        )


# ---- self-verification ------------------------------------------------------------------


@dataclass(frozen=True)
class SelfVerification(_Rule):
    code: ClassVar[str] = "AUD-SELF-VERIFY"
    title_zh: ClassVar[str] = "自己复查或销号自己报告的整改"
    title_en: ClassVar[str] = "Self-verification of a reported rectification"
    description: ClassVar[str] = (
        "The person who reported a rectification (often an official filling it in on the "
        "enterprise's behalf) also verified or closed it. The core refuses a verification "
        "by the reporter, but a closure by the reporter is recorded, and imported data may "
        "hold either. The re-inspection (整改复查) exists to have a second person look; "
        "without it the closure rests on one person's word. A closure the enterprise "
        "makes of its own general hazard (self-managed, 16号令 Art. 15: the enterprise "
        "organises and confirms the rectification of a general hazard itself) is not a "
        "finding here when another person verified it: the law asks no department "
        "sign-off there, and the core already refuses a verification by the reporter. "
        "AUD-SELF-MANAGED lists those closures instead."
    )

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        for case_id, history in dossier.cases.items():
            report: Event | None = None
            for e in upto(history, dossier.incident_at):
                name = event_name(e)
                if name == "RectificationReported":
                    report = e
                elif name == "Reopened":
                    report = None
                elif name in ("Verified", "Closed") and report is not None:
                    if e.actor.id != report.actor.id:
                        continue
                    if name == "Closed" and self_managed(e):
                        continue
                    act_zh = "复查" if name == "Verified" else "销号"
                    act_en = "verified" if name == "Verified" else "closed"
                    yield Finding(
                        self.code,
                        Severity.HIGH,
                        f"{e.actor.label()}于{_day(report.occurred_at)}报告整改完成，"
                        f"又于{_day(e.occurred_at)}亲自{act_zh}",
                        f"{e.actor.label()} reported the rectification on "
                        f"{_day(report.occurred_at)} and {act_en} it on {_day(e.occurred_at)}",
                        (EventRef.of(report), EventRef.of(e)),
                        case_id,
                    )


# ---- overdue without escalation or extension ----------------------------------------------


@dataclass(frozen=True)
class OverdueWithoutEscalation(_Rule):
    code: ClassVar[str] = "AUD-OVERDUE-UNESCALATED"
    title_zh: ClassVar[str] = "逾期未整改且未升级督办或延期"
    title_en: ClassVar[str] = "Overdue without escalation or extension"
    description: ClassVar[str] = (
        "A deadline rectification passed its deadline (by more than the grace period) "
        "while still being worked on, and nobody escalated it or extended the deadline "
        "before the next step or the incident. 安全生产法 Art. 102 and 112: an unrectified "
        "hazard after an order calls for penalties and daily continuous fines, so an "
        "overdue case that nobody acts on is a supervision failure."
    )
    parameter_docs: ClassVar[dict[str, str]] = {
        "grace_days": "days after the deadline before silence counts as a failure",
    }
    grace_days: int = 0

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        grace = timedelta(days=self.grace_days)
        for case_id, history in dossier.cases.items():
            deadline: datetime | None = None
            deadline_event: Event | None = None
            running = False
            settled = False  # escalated, extended or already reported for this deadline
            for e in upto(history, dossier.incident_at):
                name = event_name(e)
                late = deadline is not None and e.occurred_at > deadline + grace
                if running and late and not settled and deadline_event is not None:
                    settled = True
                    if name not in ("Escalated", "DeadlineExtended"):
                        assert deadline is not None
                        yield self._finding(case_id, deadline_event, deadline, e.occurred_at, e)
                if name == "Assigned":
                    deadline, deadline_event, running, settled = e.deadline, e, True, False  # type: ignore[attr-defined]
                elif name == "DeadlineExtended":
                    deadline, deadline_event, settled = e.new_deadline, e, False  # type: ignore[attr-defined]
                elif name == "Verified":
                    running = not getattr(e, "accepted", True)
                elif name in ("RectificationReported", "RectifiedOnSpot", "Closed"):
                    running = False
                elif name == "Reopened":
                    running, deadline, deadline_event = False, None, None
            at = dossier.incident_at
            open_late = deadline is not None and at > deadline + grace
            if running and not settled and open_late and deadline_event is not None:
                assert deadline is not None
                yield self._finding(case_id, deadline_event, deadline, at, None)

    def _finding(
        self, case_id: UUID, source: Event, deadline: datetime, at: datetime, step: Event | None
    ) -> Finding:
        days = _days(at - deadline)
        refs = (EventRef.of(source),) + ((EventRef.of(step),) if step is not None else ())
        return Finding(
            self.code,
            Severity.HIGH,
            f"整改期限{_day(deadline)}已过{days}天，期间既未升级督办也未批准延期",
            f"{days} days past the deadline of {_day(deadline)} with neither escalation "
            "nor extension",
            refs,
            case_id,
        )


# ---- extensions beyond a limit --------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionBeyondLimit(_Rule):
    code: ClassVar[str] = "AUD-EXTENSION-LIMIT"
    title_zh: ClassVar[str] = "延期次数或延期天数超限"
    title_en: ClassVar[str] = "Extensions beyond the limit"
    description: ClassVar[str] = (
        "A deadline extended more times, or further past the original deadline, than the "
        "local limit allows. Repeated extensions keep a hazard open while the record looks "
        "in order. No national limit exists; the defaults are a conservative local policy "
        "and should be set to the jurisdiction's own rule."
    )
    parameter_docs: ClassVar[dict[str, str]] = {
        "max_extensions": "extensions allowed per assignment",
        "max_total_days": "days the deadline may move beyond the original one",
    }
    max_extensions: int = 2
    max_total_days: int = 60

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        for case_id, history in dossier.cases.items():
            original: datetime | None = None
            assigned: Event | None = None
            extensions: list[Event] = []
            flagged_count = flagged_days = False
            for e in upto(history, dossier.incident_at):
                name = event_name(e)
                if name == "Assigned":
                    original, assigned, extensions = e.deadline, e, []  # type: ignore[attr-defined]
                    flagged_count = flagged_days = False
                elif name == "DeadlineExtended" and original is not None and assigned:
                    extensions.append(e)
                    refs = tuple(EventRef.of(x) for x in (assigned, *extensions))
                    if len(extensions) > self.max_extensions and not flagged_count:
                        flagged_count = True
                        yield Finding(
                            self.code,
                            Severity.MEDIUM,
                            f"整改期限已延期{len(extensions)}次，超过上限{self.max_extensions}次",
                            f"deadline extended {len(extensions)} times, more than the limit "
                            f"of {self.max_extensions}",
                            refs,
                            case_id,
                        )
                    moved = _days(e.new_deadline - original)  # type: ignore[attr-defined]
                    if moved > self.max_total_days and not flagged_days:
                        flagged_days = True
                        yield Finding(
                            self.code,
                            Severity.MEDIUM,
                            f"整改期限累计延长{moved}天，超过上限{self.max_total_days}天",
                            f"deadline moved {moved} days past the original, more than the "
                            f"limit of {self.max_total_days}",
                            refs,
                            case_id,
                        )


# ---- recorded after the incident, dated before it -----------------------------------------


@dataclass(frozen=True)
class RecordedAfterIncident(_Rule):
    code: ClassVar[str] = "AUD-RECORDED-AFTER-INCIDENT"
    title_zh: ClassVar[str] = "事故发生后补录、日期早于事故的记录"
    title_en: ClassVar[str] = "Entries recorded after the incident but dated before it"
    description: ClassVar[str] = (
        "Any event (hazard step, inspection, enforcement action, enterprise change) whose "
        "business date is at or before the incident but which was recorded after it. Such "
        "entries may be honest late typing or an attempt to make the record look as if a "
        "duty had been done; either way the review must see them. The ledger's two clocks "
        "exist for exactly this (DOMAIN.md, two clocks)."
    )

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        t = dossier.incident_at
        for kind_zh, kind_en, histories in (
            ("隐患", "hazard case", dossier.cases),
            ("执法文书", "enforcement action", dossier.actions),
            ("检查记录", "inspection", dossier.inspections),
            ("企业登记", "enterprise record", {None: dossier.enterprise}),
        ):
            for subject, history in histories.items():
                late = [e for e in history if e.occurred_at <= t < e.timestamp]
                if not late:
                    continue
                first = late[0]
                names = "、".join(event_name_zh(e) for e in late)
                # the record itself typed in late reads as such, not as its first event
                what = (
                    kind_zh
                    if len(late) == 1 and first.originator_version == 1
                    else f"{kind_zh}中“{names}”"
                )
                yield Finding(
                    self.code,
                    Severity.HIGH,
                    f"{what}的业务日期为{_day(first.occurred_at)}，早于事故，"
                    f"却在事故后{_day(first.timestamp)}才录入",
                    f"{kind_en} entries ({', '.join(event_name_en(e) for e in late)}) dated "
                    f"{_day(first.occurred_at)}, before the incident, were recorded after it, "
                    f"on {_day(first.timestamp)}",
                    tuple(EventRef.of(e) for e in late),
                    subject if isinstance(subject, UUID) else None,
                )


# ---- rectification dated before its assignment ----------------------------------------------


@dataclass(frozen=True)
class RectificationBeforeAssignment(_Rule):
    code: ClassVar[str] = "AUD-RECTIFIED-BEFORE-ASSIGNED"
    title_zh: ClassVar[str] = "整改完成时间早于交办时间"
    title_en: ClassVar[str] = "Rectification dated before its assignment"
    description: ClassVar[str] = (
        "A rectification report whose completion time lies before the assignment it "
        "answers. Business time cannot run backwards within a case, but the completion "
        "time is typed in, and a date before the assignment is a sign of a back-dated "
        "or copied report."
    )

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        for case_id, history in dossier.cases.items():
            assigned: Event | None = None
            for e in upto(history, dossier.incident_at):
                name = event_name(e)
                if name == "Assigned":
                    assigned = e
                elif name == "RectificationReported" and assigned is not None:
                    done = getattr(e, "completed_at", None)
                    if done is not None and done < assigned.occurred_at:
                        yield Finding(
                            self.code,
                            Severity.MEDIUM,
                            f"整改完成时间{_day(done)}早于交办时间{_day(assigned.occurred_at)}",
                            f"rectification completed on {_day(done)}, before it was assigned "
                            f"on {_day(assigned.occurred_at)}",
                            (EventRef.of(assigned), EventRef.of(e)),
                            case_id,
                        )


# ---- major hazard never listed -------------------------------------------------------------


@dataclass(frozen=True)
class MajorNeverListed(_Rule):
    code: ClassVar[str] = "AUD-MAJOR-NOT-LISTED"
    title_zh: ClassVar[str] = "重大隐患按规定应挂牌督办而未挂牌"
    title_en: ClassVar[str] = "Major hazard not listed for supervision as its sector requires"
    description: ClassVar[str] = (
        "A hazard graded major that stayed open and unlisted (挂牌督办) longer than its "
        "sector's listing rule allows. Each sector plugin declares the rule (whether "
        "listing is required and within how many days of grading); a sector that leaves "
        "listing to the government's discretion yields no finding. Only the time the "
        "hazard was open counts: a case closed (or re-graded general) within the grace "
        "period is no finding, and a case closed later is reported with the days it was "
        "open, never counted on to the incident. Major hazards are reported to the "
        "supervising authorities (安全生产法 Art. 41); officials who fail to act on a "
        "major hazard answer under Art. 90."
    )
    policy: PolicyOf = field(default=default_policy)
    """Each sector's listing rule and major-grade name (declared by its plugin)."""

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        t = dossier.incident_at
        for case_id, history in dossier.cases.items():
            policy = self.policy(case_sector(history))
            rule = policy.listing
            if not rule.required:
                continue
            graded: Event | None = None  # the grading to major still in force
            closed: Event | None = None
            listed = False
            for e in upto(history, t):
                name = event_name(e)
                if name == "Graded":
                    major = Grade(e.grade) is Grade.MAJOR  # type: ignore[attr-defined]
                    graded = (graded or e) if major else None
                elif name == "Listed":
                    listed = True
                elif name in ("Closed", "RectifiedOnSpot"):
                    closed = e
                elif name == "Reopened":
                    closed = None
            if graded is None or listed:
                continue
            end = closed.occurred_at if closed is not None else t
            open_days = end - graded.occurred_at
            if open_days <= timedelta(days=rule.grace_days):
                continue
            days = _days(open_days)
            major_zh, major_en = policy.major_grade_zh, policy.major_grade_en
            if closed is not None:
                zh = (
                    f"{_day(graded.occurred_at)}判定为{major_zh}，至{_day(end)}销号的{days}天里"
                    f"始终未挂牌督办（应在{rule.grace_days}天内挂牌）"
                )
                en = (
                    f"graded {major_en} on {_day(graded.occurred_at)} and open {days} days "
                    f"until closed on {_day(end)} without being listed for supervision "
                    f"(due within {rule.grace_days} days)"
                )
                refs: tuple[EventRef, ...] = (EventRef.of(graded), EventRef.of(closed))
            else:
                zh = (
                    f"{_day(graded.occurred_at)}判定为{major_zh}，至事故发生时"
                    f"（{days}天）仍未挂牌督办（应在{rule.grace_days}天内挂牌）"
                )
                en = (
                    f"graded {major_en} on {_day(graded.occurred_at)} and still open and "
                    f"not listed for supervision {days} days later, at the incident "
                    f"(due within {rule.grace_days} days)"
                )
                refs = (EventRef.of(graded),)
            yield Finding(self.code, Severity.MEDIUM, zh, en, refs, case_id)


# ---- recurring hazard ----------------------------------------------------------------------


def _kinds(grade: Event) -> set[str]:
    """What a grade says the hazard is: its cited criteria, and for a general hazard its
    category (一般隐患类别)."""
    kinds = set(getattr(grade, "criteria", ()))
    category = getattr(grade, "category", None)
    if category:
        kinds.add(str(category))
    return kinds


@dataclass(frozen=True)
class RecurringHazard(_Rule):
    code: ClassVar[str] = "AUD-RECURRING"
    title_zh: ClassVar[str] = "同一企业同一判定条款或同类一般隐患反复出现"
    title_en: ClassVar[str] = "Recurring hazard"
    description: ClassVar[str] = (
        "A hazard at the enterprise citing the same criterion as an earlier one, or a "
        "general hazard of the same category (一般隐患类别, declared by the sector), found "
        "within the window. A recurrence means the earlier rectification did not remove "
        "the cause; 安全生产法 Art. 113 escalates repeated violations. A general hazard "
        "graded without a category is not compared. Activity observed during a stop-work "
        "order is recorded on the order, not as a new hazard, so it never counts here."
    )
    parameter_docs: ClassVar[dict[str, str]] = {
        "window_days": "days between two findings that count as a recurrence",
    }
    window_days: int = 365

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        t = dossier.incident_at
        found: list[tuple[datetime, UUID, Event, Event]] = []  # (found_at, case, report, grade)
        for case_id, history in dossier.cases.items():
            events = upto(history, t)
            if not events:
                continue
            grades = [e for e in events if event_name(e) == "Graded"]
            if grades:
                found.append((events[0].occurred_at, case_id, events[0], grades[-1]))
        found.sort(key=lambda f: f[0])
        window = timedelta(days=self.window_days)
        for i, (at, case_id, report, grade) in enumerate(found):
            kinds = _kinds(grade)
            for prev_at, _prev, prev_report, prev_grade in found[:i]:
                shared = kinds & _kinds(prev_grade)
                if shared and at - prev_at <= window:
                    codes = ", ".join(sorted(shared))
                    yield Finding(
                        self.code,
                        Severity.MEDIUM,
                        f"{_day(at)}再次发现{codes}类隐患（前次发现于{_day(prev_at)}）",
                        f"{codes} found again on {_day(at)} (previously on {_day(prev_at)})",
                        tuple(EventRef.of(x) for x in (prev_report, prev_grade, report, grade)),
                        case_id,
                    )
                    break


# ---- activity during a stop-work order -----------------------------------------------------


@dataclass(frozen=True)
class _Order:
    """A suspending order as it stood: what it covers and when."""

    issued: Event
    start: datetime
    end: datetime | None
    device_code: str
    site_part: str

    def stands_at(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)

    def covers(self, report: Event) -> bool:
        """Whether a hazard report concerns what the order stopped.

        A device order covers hazards of that device (its registration code), a site
        order hazards whose location names that part; an enterprise-wide order covers
        every hazard found by someone other than the enterprise itself (a self-inspection
        during the order is the rectification it asks for, not evidence of work).
        """
        details: Mapping[str, Any] = getattr(report, "details", {}) or {}
        if self.device_code:
            codes = {str(v).strip() for k, v in details.items() if "registration" in k}
            return self.device_code in codes
        if self.site_part:
            return self.site_part in str(getattr(report, "location", ""))
        return str(getattr(report, "source", "")) != "self_inspection"

    def label(self) -> tuple[str, str]:
        kind = ActionKind(self.issued.kind)  # type: ignore[attr-defined]
        number = getattr(self.issued, "document_number", "")
        if self.device_code:
            return (
                f"停止使用设备{self.device_code}的{KIND_ZH[kind]}（{number}）",
                f"{KIND_EN[kind]} {number} for device {self.device_code}",
            )
        if self.site_part:
            return (
                f"针对“{self.site_part}”的{KIND_ZH[kind]}（{number}）",
                f"{KIND_EN[kind]} {number} for {self.site_part}",
            )
        return f"{KIND_ZH[kind]}（{number}）", f"{KIND_EN[kind]} {number}"


@dataclass(frozen=True)
class ActivityDuringStopWork(_Rule):
    code: ClassVar[str] = "AUD-STOP-WORK-BREACH"
    title_zh: ClassVar[str] = "停工、停止使用期间被停对象仍在运行"
    title_en: ClassVar[str] = "Activity of what a stop-work order stopped"
    description: ClassVar[str] = (
        "Evidence that what a stop-work notice, seal-up or ban stopped went on while the "
        "order stood (issued and neither lifted nor revoked): activity observed and "
        "recorded against the order by an inspection (RecordObservedActivity), or a "
        "hazard found in what the order covers. An order may name a device (its "
        "registration code: 停止使用, 特种设备安全监察指令) or a part of the site; then only "
        "hazards of that device or part count, so a hazard elsewhere in the plant is no "
        "breach of an elevator's order. An enterprise-wide order counts every hazard "
        "found by others than the enterprise itself. 安全生产法 Art. 102 and 113: "
        "refusing to stop leads to suspension and closure."
    )

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        t = dossier.incident_at
        orders: list[_Order] = []
        for action_id, history in dossier.actions.items():
            events = upto(history, t)
            if not events or ActionKind(events[0].kind) not in SUSPENDING_KINDS:  # type: ignore[attr-defined]
                continue
            ends = [e.occurred_at for e in events if event_name(e) in ("Lifted", "Revoked")]
            order = _Order(
                events[0],
                events[0].occurred_at,
                ends[0] if ends else None,
                str(getattr(events[0], "device_code", "") or ""),
                str(getattr(events[0], "site_part", "") or ""),
            )
            orders.append(order)
            for e in events:
                if event_name(e) == "ActivityObserved" and order.stands_at(e.occurred_at):
                    zh, en = order.label()
                    note = str(getattr(e, "description", ""))
                    yield Finding(
                        self.code,
                        Severity.HIGH,
                        f"{_day(e.occurred_at)}检查发现{zh}生效期间仍在运行：{note}",
                        f"observed operating on {_day(e.occurred_at)} while {en} stood: {note}",
                        (EventRef.of(order.issued), EventRef.of(e)),
                        action_id,
                    )
        for case_id, history in dossier.cases.items():
            events = upto(history, t)
            if not events:
                continue
            report = events[0]
            for order in orders:
                if order.stands_at(report.occurred_at) and order.covers(report):
                    zh, en = order.label()
                    yield Finding(
                        self.code,
                        Severity.HIGH,
                        f"{_day(report.occurred_at)}在{zh}生效期间发现被停对象的隐患",
                        f"hazard in what {en} stopped found on {_day(report.occurred_at)} "
                        "while the order stood",
                        (EventRef.of(order.issued), EventRef.of(report)),
                        case_id,
                    )


# ---- the enterprise's own closures -----------------------------------------------------------


@dataclass(frozen=True)
class SelfManagedClosure(_Rule):
    code: ClassVar[str] = "AUD-SELF-MANAGED"
    title_zh: ClassVar[str] = "企业自行整改销号的一般隐患"
    title_en: ClassVar[str] = "General hazards the enterprise closed itself"
    description: ClassVar[str] = (
        "Lists each general hazard the enterprise graded, rectified and closed itself "
        "(self-managed under 16号令 Art. 15), so the review shows which closures were "
        "the enterprise's own and which a department signed off. Lawful in itself, hence "
        "low severity: the reviewer checks the measures, and whether the department, "
        "informed of the closure, re-opened or re-graded it (said in the finding)."
    )

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        for case_id, history in dossier.cases.items():
            events = upto(history, dossier.incident_at)
            for i, e in enumerate(events):
                if event_name(e) not in ("Closed", "RectifiedOnSpot") or not self_managed(e):
                    continue
                later = [x for x in events[i + 1 :] if event_name(x) in ("Reopened", "Graded")]
                grade = next((x for x in reversed(events[:i]) if event_name(x) == "Graded"), None)
                category = getattr(grade, "category", None) if grade is not None else None
                kind_zh = f"（类别{category}）" if category else ""
                kind_en = f" (category {category})" if category else ""
                if later:
                    after_zh = f"，监管部门其后于{_day(later[0].occurred_at)}重新打开或重新定级"
                    after_en = (
                        f"; a department re-opened or re-graded it on {_day(later[0].occurred_at)}"
                    )
                else:
                    after_zh, after_en = "", ""
                yield Finding(
                    self.code,
                    Severity.LOW,
                    f"{e.actor.label()}于{_day(e.occurred_at)}自行整改销号一般隐患{kind_zh}"
                    f"{after_zh}",
                    f"{e.actor.label()} closed its own general hazard{kind_en} on "
                    f"{_day(e.occurred_at)}{after_en}",
                    tuple(EventRef.of(x) for x in (e, *later[:1])),
                    case_id,
                )


# ---- hazard reports never graded ---------------------------------------------------------


@dataclass(frozen=True)
class NeverGraded(_Rule):
    code: ClassVar[str] = "AUD-NEVER-GRADED"
    title_zh: ClassVar[str] = "隐患上报后未定级"
    title_en: ClassVar[str] = "Hazard report never graded"
    description: ClassVar[str] = (
        "A reported hazard that had not been graded general or major by the incident, "
        "although the grace period had passed. Until it is graded nobody is assigned and "
        "no deadline runs; seed 001 names departments that could not apply the "
        "determination standards and so missed major hazards. A false sensor alarm "
        "dismissed (误报核销) by the incident is no ungraded hazard."
    )
    parameter_docs: ClassVar[dict[str, str]] = {
        "grace_days": "days after the report within which grading is still timely",
    }
    grace_days: int = 7

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        t = dossier.incident_at
        for case_id, history in dossier.cases.items():
            events = upto(history, t)
            if not events or any(event_name(e) in ("Graded", "Dismissed") for e in events):
                continue
            report = events[0]
            if t - report.occurred_at > timedelta(days=self.grace_days):
                yield Finding(
                    self.code,
                    Severity.MEDIUM,
                    f"{_day(report.occurred_at)}上报的隐患至事故发生时"
                    f"（{_days(t - report.occurred_at)}天）仍未定级",
                    f"reported on {_day(report.occurred_at)} and still ungraded "
                    f"{_days(t - report.occurred_at)} days later, at the incident",
                    (EventRef.of(report),),
                    case_id,
                )


def builtin_rules(sectors: object | None = None) -> list[AuditRule]:
    """One instance of every built-in rule, with default parameters.

    ``sectors`` (the loaded sector plugins, ``plugins.Sectors``) gives each sector's
    policy (``policy(sector) -> SectorPolicy``): its listing rule and the name of its
    major grade. Without it every sector has the national default.
    """
    policy: PolicyOf = getattr(sectors, "policy", None) or default_policy
    return [
        ClosureWithoutMeasures(),
        SelfVerification(),
        OverdueWithoutEscalation(),
        ExtensionBeyondLimit(),
        RecordedAfterIncident(),
        RectificationBeforeAssignment(),
        MajorNeverListed(policy=policy),
        RecurringHazard(),
        ActivityDuringStopWork(),
        NeverGraded(),
        SelfManagedClosure(),
    ]
