"""The ledger application: one method per command, and the queries auditors need.

Every command follows the same path: build a ``Context`` (actor from the caller's
authenticated identity, business time from the caller, recording time from the
ledger's clock), load the aggregate, refuse a stale ``expected_version``, run the
sector validators, call the aggregate's command method (which enforces the state
machine), and save. Anything refused raises before ``save``: nothing is half-applied.
A concurrent writer that saved first makes our save fail on the store's uniqueness of
(aggregate, version); that becomes ``ConcurrentChange``, never a lost update.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from itertools import takewhile
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Mapper

from .enforcement import ActionKind, EnforcementAction
from .enterprise import Enterprise, Person, enterprise_id
from .errors import ConcurrentChange, NotFound, RuleViolated, Violation
from .events import Context, LedgerAggregate
from .hazard import Grade, HazardCase, ListingLevel, RectificationPlan, Source
from .identity import Actor
from .inspection import Inspection, InspectionType
from .integrity import IntegrityLog
from .mapper import OrjsonMapper
from .measure import Measure, MeasureCategory
from .pg_statistics import analyse
from .recorders import InsertListener, ListenerMixin
from .responsibility import Duty, ResponsibilityPost, post_id
from .store import Store, eventsourcing_env, resolve_store, setup_lock

A = TypeVar("A", bound=LedgerAggregate)
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


@dataclass(frozen=True, slots=True)
class Command:
    """What a validator sees: the command's name, its fields and the current subject.

    Validators are pure (no I/O, no clock): they judge only what is given here.
    """

    name: str
    sector: str
    fields: Mapping[str, Any]
    subject: LedgerAggregate | None = None
    occurred_at: datetime | None = None
    """The command's business time: criteria are judged by the catalogue in force then."""


Validator = Callable[[Command], Iterable[Violation]]


class SectorRules(Protocol):
    """What the ledger needs of its sectors (``plugins.Sectors`` provides it)."""

    def validate(self, command: Command) -> Iterable[Violation]:
        """Violations of the sector's rules by ``command``."""

    def edition_for(self, sector: str, criteria: Sequence[str], on: datetime) -> str | None:
        """The catalogue edition in force on ``on`` that holds ``criteria``."""

    @property
    def audit_rules(self) -> Sequence[Any]:
        """The sectors' own audit rules (``ledger.audit.AuditRule``), run after the built-ins."""

    def names_zh(self) -> Mapping[str, str]:
        """Each registered sector's Chinese name, by code (what officials write in a workbook)."""


class HazardLedger(Application[UUID]):
    """The hazard ledger (隐患排查治理台账) on one store."""

    name = "HazardLedger"

    def __init__(
        self,
        store: Store | str | None = None,
        *,
        clock: Clock = system_clock,
        validators: Sequence[Validator] = (),
        sectors: SectorRules | None = None,
        env: Mapping[str, str] | None = None,
        integrity: bool = True,
    ) -> None:
        """``sectors`` judges commands by the loaded sector plugins (``plugins.Sectors``);
        ``validators`` adds further checks. ``integrity=False`` exists only so the
        benchmark can measure the log's cost.
        """
        self.store = store if isinstance(store, Store) else resolve_store(store)
        self.clock = clock
        self.sectors = sectors
        self.validators: list[Validator] = ([sectors.validate] if sectors else []) + list(
            validators
        )
        self._integrity: IntegrityLog | None = None
        with setup_lock(self.store) as setup:
            super().__init__(env={**eventsourcing_env(self.store), **(env or {})})
            if integrity:
                self._integrity = IntegrityLog(
                    self.store,
                    events_table=getattr(self.recorder, "events_table_name", "stored_events"),
                )
            # Under the setup lock, on its connection: one process analyses, the others
            # then find statistics and skip it.
            analyse(self.store, self.own_tables(), only_if_never=True, conn=setup)
        if self._integrity is not None:
            self.add_insert_listener(self._integrity.record)

    def own_tables(self) -> list[str]:
        """The tables the ledger writes events and their leaves to (unqualified names)."""
        events = getattr(self.recorder, "events_table_name", "stored_events")
        return [events, "integrity_log", "integrity_nodes"] if self._integrity else [events]

    @property
    def integrity(self) -> IntegrityLog:
        """The Merkle log every event of this ledger is written to (see ledger.integrity)."""
        if self._integrity is None:
            raise RuntimeError("this ledger was opened without its integrity log")
        return self._integrity

    def close(self) -> None:
        if self._integrity is not None:
            self._integrity.close()
        super().close()

    def _notify(self, recordings: list[Any]) -> None:
        # After commit: the periodic signed checkpoint, never inside the transaction.
        super()._notify(recordings)
        if self._integrity is not None:
            self._integrity.after_commit()

    def construct_mapper(self) -> Mapper[UUID]:
        return OrjsonMapper()

    def add_insert_listener(self, listener: InsertListener) -> None:
        """Run ``listener`` inside every write transaction (see ``ledger.recorders``)."""
        assert isinstance(self.recorder, ListenerMixin)
        self.recorder.listeners.append(listener)

    # ---- plumbing ---------------------------------------------------------------------

    def _ctx(self, actor: Actor, occurred_at: datetime, justification: str | None) -> Context:
        ctx = Context(
            actor=actor,
            occurred_at=occurred_at,
            recorded_at=self.clock(),
            justification=justification,
        )
        if occurred_at.tzinfo is None:
            # Refuse by rule now: the command's own checks compare occurred_at with
            # aware datetimes, which would fail with a bare TypeError.
            ctx.check_clocks()
        return ctx

    def _validate(
        self,
        name: str,
        sector: str,
        fields: Mapping[str, Any],
        subject: LedgerAggregate | None,
        occurred_at: datetime | None = None,
    ) -> None:
        command = Command(
            name=name, sector=sector, fields=fields, subject=subject, occurred_at=occurred_at
        )
        violations = [v for validate in self.validators for v in validate(command)]
        if violations:
            raise RuleViolated(violations)

    def validate_command(
        self,
        name: str,
        sector: str,
        fields: Mapping[str, Any],
        subject: LedgerAggregate | None,
        occurred_at: datetime | None = None,
    ) -> None:
        """Run the sector validators on a command without recording anything.

        For callers that drive aggregates themselves, such as the workbook importer's
        check pass; raises ``RuleViolated`` like any command would.
        """
        self._validate(name, sector, fields, subject, occurred_at)

    def _load(self, cls: type[A], aggregate_id: UUID, expected_version: int | None = None) -> A:
        try:
            aggregate: object = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFound(cls.__name__, aggregate_id) from None
        if not isinstance(aggregate, cls):
            raise NotFound(cls.__name__, aggregate_id)
        if expected_version is not None and aggregate.version != expected_version:
            raise ConcurrentChange(
                cls.__name__,
                aggregate_id,
                f"expected version {expected_version}, current {aggregate.version}",
            )
        return aggregate

    def _commit(self, *aggregates: LedgerAggregate, **kwargs: Any) -> None:
        try:
            self.save(*aggregates, **kwargs)
        except IntegrityError as e:
            first = aggregates[0]
            raise ConcurrentChange(type(first).__name__, first.id, str(e)) from None

    def _case_command(
        self,
        name: str,
        case_id: UUID,
        actor: Actor,
        occurred_at: datetime,
        expected_version: int | None,
        justification: str | None,
        fields: Mapping[str, Any],
        act: Callable[[HazardCase, Context], None],
    ) -> int:
        case = self._load(HazardCase, case_id, expected_version)
        self._validate(name, case.sector, fields, case, occurred_at)
        act(case, self._ctx(actor, occurred_at, justification))
        self._commit(case)
        return case.version

    # ---- enterprises and responsibility ------------------------------------------------

    def register_enterprise(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        credit_code: str,
        name: str,
        region_code: str,
        sectors: Sequence[str],
        principal: Person,
        address: str = "",
        justification: str | None = None,
    ) -> UUID:
        fields = {
            "credit_code": credit_code,
            "name": name,
            "region_code": region_code,
            "sectors": tuple(sectors),
            "address": address,
            "principal": principal,
        }
        for sector in sectors:
            self._validate("register_enterprise", sector, fields, None, occurred_at)
        enterprise = Enterprise.register(
            self._ctx(actor, occurred_at, justification),
            credit_code=credit_code,
            name=name,
            region_code=region_code,
            sectors=tuple(sectors),
            address=address,
            principal=principal,
        )
        try:
            self.save(enterprise)
        except IntegrityError:
            raise RuleViolated(
                [
                    Violation(
                        "ENTERPRISE_EXISTS",
                        "credit_code",
                        f"统一社会信用代码{credit_code}已登记",
                        f"an enterprise with credit code {credit_code} is already registered",
                    )
                ]
            ) from None
        return enterprise.id

    def change_principal(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        credit_code: str,
        principal: Person,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        enterprise = self.enterprise(credit_code, expected_version=expected_version)
        enterprise.change_principal(
            self._ctx(actor, occurred_at, justification), principal=principal
        )
        self._commit(enterprise)
        return enterprise.version

    def assign_responsibility(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        duty: Duty | str,
        region_code: str,
        sector: str = "",
        organisation: str,
        title: str,
        holder: Person,
        justification: str | None = None,
    ) -> UUID:
        """Put ``holder`` in the post for this duty and scope (establishing it if new)."""
        ctx = self._ctx(actor, occurred_at, justification)
        pid = post_id(duty, region_code, sector)
        try:
            post = self._load(ResponsibilityPost, pid)
        except NotFound:
            post = ResponsibilityPost.establish(
                ctx,
                duty=duty,
                region_code=region_code,
                sector=sector,
                organisation=organisation,
                title=title,
                holder=holder,
            )
        else:
            post.hand_over(ctx, holder=holder)
        self._commit(post)
        return post.id

    # ---- inspections and hazards ---------------------------------------------------------

    def record_inspection(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        enterprise_code: str,
        sector: str,
        inspection_type: InspectionType | str,
        team: Sequence[str],
        location: str = "",
        devices_checked: int = 0,
        summary: str = "",
        inspection_id: UUID | None = None,
        justification: str | None = None,
    ) -> UUID:
        enterprise = self.enterprise(enterprise_code)
        fields = {
            "enterprise_code": enterprise_code,
            "inspection_type": inspection_type,
            "team": tuple(team),
            "location": location,
            "devices_checked": devices_checked,
        }
        self._validate("record_inspection", sector, fields, None, occurred_at)
        inspection = Inspection.record(
            self._ctx(actor, occurred_at, justification),
            enterprise_code=enterprise_code,
            region_code=enterprise.region_code,
            sector=sector,
            inspection_type=inspection_type,
            team=tuple(team),
            location=location,
            devices_checked=devices_checked,
            summary=summary,
            inspection_id=inspection_id,
        )
        self._commit(inspection)
        return inspection.id

    def report_hazard(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        enterprise_code: str,
        sector: str,
        location: str,
        description: str,
        source: Source | str,
        found_by: str = "",
        inspection_id: UUID | None = None,
        evidence: Sequence[str] = (),
        details: Mapping[str, Any] | None = None,
        case_id: UUID | None = None,
        justification: str | None = None,
    ) -> UUID:
        """Record a hazard as found (排查发现); link it to its inspection atomically."""
        enterprise = self.enterprise(enterprise_code)
        fields = {
            "enterprise_code": enterprise_code,
            "location": location,
            "description": description,
            "source": source,
            "details": dict(details or {}),
            "evidence": tuple(evidence),
        }
        self._validate("report_hazard", sector, fields, None, occurred_at)
        ctx = self._ctx(actor, occurred_at, justification)
        case = HazardCase.report(
            ctx,
            enterprise_code=enterprise_code,
            enterprise_name=enterprise.name,
            region_code=enterprise.region_code,
            sector=sector,
            location=location,
            description=description,
            source=source,
            found_by=found_by,
            inspection_id=inspection_id,
            evidence=tuple(evidence),
            details=dict(details or {}),
            case_id=case_id,
        )
        to_save: list[LedgerAggregate] = [case]
        if inspection_id is not None:
            inspection = self._load(Inspection, inspection_id)
            inspection.record_hazard(ctx, case_id=case.id)
            to_save.append(inspection)
        self._commit(*to_save)
        return case.id

    def grade_hazard(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        grade: Grade | str,
        criteria: Sequence[str] = (),
        catalogue_edition: str | None = None,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "grade_hazard",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"grade": grade, "criteria": tuple(criteria), "catalogue_edition": catalogue_edition},
            lambda case, ctx: case.grade_as(
                ctx,
                grade=grade,
                criteria=tuple(criteria),
                catalogue_edition=catalogue_edition
                or self.edition_for(case.sector, criteria, occurred_at),
            ),
        )

    def edition_for(self, sector: str, criteria: Sequence[str], on: datetime) -> str | None:
        """The catalogue edition a grade citing ``criteria`` on ``on`` is recorded under."""
        if self.sectors is None or not criteria:
            return None
        return self.sectors.edition_for(sector, tuple(criteria), on)

    def rectify_on_spot(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        measures: str,
        evidence: Sequence[str] = (),
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "rectify_on_spot",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"measures": measures, "evidence": tuple(evidence)},
            lambda case, ctx: case.rectify_on_spot(
                ctx, measures=measures, evidence=tuple(evidence)
            ),
        )

    def assign_rectification(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        department: str,
        deadline: datetime,
        requirements: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "assign_rectification",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"department": department, "deadline": deadline, "requirements": requirements},
            lambda case, ctx: case.assign(
                ctx, department=department, deadline=deadline, requirements=requirements
            ),
        )

    def file_plan(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        plan: RectificationPlan,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "file_plan",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"plan": plan},
            lambda case, ctx: case.file_plan(ctx, plan=plan),
        )

    def record_interim_controls(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        controls: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "record_interim_controls",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"controls": controls},
            lambda case, ctx: case.record_interim_controls(ctx, controls=controls),
        )

    def extend_deadline(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        new_deadline: datetime,
        reason: str,
        approver: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "extend_deadline",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"new_deadline": new_deadline, "reason": reason, "approver": approver},
            lambda case, ctx: case.extend_deadline(
                ctx, new_deadline=new_deadline, reason=reason, approver=approver
            ),
        )

    def list_for_supervision(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        level: ListingLevel | str,
        authority: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "list_for_supervision",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"level": level, "authority": authority},
            lambda case, ctx: case.list_for_supervision(ctx, level=level, authority=authority),
        )

    def delist(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "delist",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {},
            lambda case, ctx: case.delist(ctx),
        )

    def escalate(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        level: str,
        reason: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "escalate",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"level": level, "reason": reason},
            lambda case, ctx: case.escalate(ctx, level=level, reason=reason),
        )

    def report_rectification(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        measures: str | None,
        completed_at: datetime | None,
        evidence: Sequence[str] = (),
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "report_rectification",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"measures": measures, "completed_at": completed_at, "evidence": tuple(evidence)},
            lambda case, ctx: case.report_rectification(
                ctx, measures=measures, completed_at=completed_at, evidence=tuple(evidence)
            ),
        )

    def file_assessment(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        summary: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "file_assessment",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"summary": summary},
            lambda case, ctx: case.file_assessment(ctx, summary=summary),
        )

    def verify_rectification(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        accepted: bool,
        opinion: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "verify_rectification",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"accepted": accepted, "opinion": opinion},
            lambda case, ctx: case.verify(ctx, accepted=accepted, opinion=opinion),
        )

    def close_hazard(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "close_hazard",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {},
            lambda case, ctx: case.close(ctx),
        )

    def reopen_hazard(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._case_command(
            "reopen_hazard",
            case_id,
            actor,
            occurred_at,
            expected_version,
            justification,
            {"reason": reason},
            lambda case, ctx: case.reopen(ctx, reason=reason),
        )

    # ---- enforcement -------------------------------------------------------------------

    def issue_action(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        kind: ActionKind | str,
        document_number: str,
        enterprise_code: str,
        sector: str,
        department: str,
        legal_basis: str,
        case_ids: Sequence[UUID] = (),
        fine_amount: Decimal | None = None,
        description: str = "",
        action_id: UUID | None = None,
        justification: str | None = None,
    ) -> UUID:
        enterprise = self.enterprise(enterprise_code)
        for case_id in case_ids:
            self._load(HazardCase, case_id)
        fields = {
            "kind": kind,
            "document_number": document_number,
            "legal_basis": legal_basis,
            "fine_amount": fine_amount,
            "case_ids": tuple(case_ids),
        }
        self._validate("issue_action", sector, fields, None, occurred_at)
        action = EnforcementAction.issue(
            self._ctx(actor, occurred_at, justification),
            kind=kind,
            document_number=document_number,
            enterprise_code=enterprise_code,
            region_code=enterprise.region_code,
            sector=sector,
            department=department,
            legal_basis=legal_basis,
            case_ids=tuple(case_ids),
            fine_amount=fine_amount,
            description=description,
            action_id=action_id,
        )
        self._commit(action)
        return action.id

    def execute_action(
        self,
        actor: Actor,
        occurred_at: datetime,
        action_id: UUID,
        *,
        amount_paid: Decimal | None = None,
        note: str = "",
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        action = self._load(EnforcementAction, action_id, expected_version)
        action.execute(
            self._ctx(actor, occurred_at, justification), amount_paid=amount_paid, note=note
        )
        self._commit(action)
        return action.version

    def lift_action(
        self,
        actor: Actor,
        occurred_at: datetime,
        action_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        action = self._load(EnforcementAction, action_id, expected_version)
        action.lift(self._ctx(actor, occurred_at, justification), reason=reason)
        self._commit(action)
        return action.version

    def revoke_action(
        self,
        actor: Actor,
        occurred_at: datetime,
        action_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        action = self._load(EnforcementAction, action_id, expected_version)
        action.revoke(self._ctx(actor, occurred_at, justification), reason=reason)
        self._commit(action)
        return action.version

    # ---- institutional measures (制度措施清单) ------------------------------------------

    def add_measure(
        self,
        actor: Actor,
        occurred_at: datetime,
        *,
        title: str,
        category: MeasureCategory | str,
        owner_department: str,
        region_code: str,
        due: datetime,
        timetable: str,
        measure_id: UUID | None = None,
        justification: str | None = None,
    ) -> UUID:
        measure = Measure.add(
            self._ctx(actor, occurred_at, justification),
            title=title,
            category=category,
            owner_department=owner_department,
            region_code=region_code,
            due=due,
            timetable=timetable,
            measure_id=measure_id,
        )
        self._commit(measure)
        return measure.id

    def report_measure_progress(
        self,
        actor: Actor,
        occurred_at: datetime,
        measure_id: UUID,
        *,
        note: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        measure = self._load(Measure, measure_id, expected_version)
        measure.report_progress(self._ctx(actor, occurred_at, justification), note=note)
        self._commit(measure)
        return measure.version

    def complete_measure(
        self,
        actor: Actor,
        occurred_at: datetime,
        measure_id: UUID,
        *,
        summary: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        measure = self._load(Measure, measure_id, expected_version)
        measure.complete(self._ctx(actor, occurred_at, justification), summary=summary)
        self._commit(measure)
        return measure.version

    # ---- queries -----------------------------------------------------------------------

    def redact(
        self,
        aggregate_id: UUID,
        version: int,
        *,
        fields: Sequence[str],
        legal_basis: str,
        actor: Actor,
    ) -> int:
        """Blank free-text fields of one recorded event by a logged, signed redaction
        event (see ``ledger.integrity.redaction``); returns the event's sequence number."""
        record = self.integrity.prepare_redaction(
            aggregate_id,
            version,
            fields=fields,
            legal_basis=legal_basis,
            ctx=self._ctx(actor, self.clock(), None),
        )
        self._commit(record)
        return record.target_seq

    def case(self, case_id: UUID) -> HazardCase:
        """The current state of a hazard case."""
        return self._load(HazardCase, case_id)

    def enterprise(self, credit_code: str, *, expected_version: int | None = None) -> Enterprise:
        try:
            return self._load(Enterprise, enterprise_id(credit_code), expected_version)
        except NotFound:
            raise NotFound("Enterprise", credit_code) from None

    def inspection(self, inspection_id: UUID) -> Inspection:
        return self._load(Inspection, inspection_id)

    def action(self, action_id: UUID) -> EnforcementAction:
        return self._load(EnforcementAction, action_id)

    def post(self, duty: Duty | str, region_code: str, sector: str = "") -> ResponsibilityPost:
        return self._load(ResponsibilityPost, post_id(duty, region_code, sector))

    def history(self, aggregate_id: UUID) -> list[LedgerAggregate.Event]:
        """Every event of one aggregate, in order."""
        events = [e for e in self.events.get(aggregate_id) if isinstance(e, LedgerAggregate.Event)]
        if not events:
            raise NotFound("Aggregate", aggregate_id)
        return events

    def state_at(
        self,
        aggregate_id: UUID,
        *,
        version: int | None = None,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> LedgerAggregate | None:
        """The aggregate as it stood: up to ``version``, as known (recorded) by
        ``known_at``, and as it was in the world (business time) at ``valid_at``.

        Business time never runs backwards within an aggregate and versions follow
        recording order, so each cut is a prefix of the event sequence. Returns None
        when nothing of the aggregate was known or had happened by then.
        """
        events: Iterator[LedgerAggregate.Event] = iter(self.history(aggregate_id))
        if version is not None:
            events = (e for e in events if e.originator_version <= version)
        if known_at is not None:
            cut_known = known_at
            events = takewhile(lambda e: e.timestamp <= cut_known, events)
        if valid_at is not None:
            cut_valid = valid_at
            events = takewhile(lambda e: e.occurred_at <= cut_valid, events)
        aggregate: Any = None
        for event in events:
            aggregate = event.mutate(aggregate)
        return aggregate  # type: ignore[no-any-return]

    def case_at(
        self,
        case_id: UUID,
        *,
        version: int | None = None,
        known_at: datetime | None = None,
        valid_at: datetime | None = None,
    ) -> HazardCase | None:
        state = self.state_at(case_id, version=version, known_at=known_at, valid_at=valid_at)
        if state is not None and not isinstance(state, HazardCase):
            raise NotFound("HazardCase", case_id)
        return state
