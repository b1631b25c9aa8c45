"""The ledger application: one command path, and the queries auditors need.

Every command is an object of ``ledger.commands`` and takes one path,
``HazardLedger.execute(command, actor, scope)``: permission, scope on every record it
names, the sector rules, the aggregates' own rules, and one save (see
``ledger.unit_of_work``). Anything refused raises before the save: nothing is
half-applied. A concurrent writer that saved first makes our save fail on the store's
uniqueness of (aggregate, version); that becomes ``ConcurrentChange``, never a lost
update. ``batch()`` runs many commands as one unit: each judged against the state the
earlier ones left, all saved together. Concurrent entry points hand their commands to
``ledger.group_commit.GroupCommitter``: the same path for each, one durable commit for
the commands that arrived together, each still accepted or refused on its own. The
named methods (``report_hazard`` and the rest) are thin wrappers that build the command
and take the same path for in-process callers that script a history (tests, the demo
generator); they vouch for their actors' roles, so the permission table is not consulted
there, and their scope is unlimited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from itertools import takewhile
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, Mapper

from . import commands as c
from .accident import Accident
from .enforcement import ActionKind, EnforcementAction
from .enterprise import Enterprise, Person, enterprise_id
from .errors import ConcurrentChange, NotFound, Violation
from .events import Context, LedgerAggregate
from .evidence import EvidenceCheck
from .hazard import Grade, HazardCase, ListingLevel, RectificationPlan, Source
from .idempotency import ANSWER_KWARG, IdempotencyRecord, IdempotentAnswers
from .identity import Actor
from .inspection import Inspection, InspectionType
from .integrity import IntegrityLog
from .mapper import OrjsonMapper
from .measure import MeasureCategory
from .pg_statistics import analyse
from .recorders import InsertListener, ListenerMixin
from .responsibility import Duty, ResponsibilityPost, post_id
from .scope import Scope
from .store import Store, eventsourcing_env, resolve_store, setup_lock
from .unit_of_work import EVERYTHING, Recorded, UnitOfWork

A = TypeVar("A", bound=LedgerAggregate)
Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(tz=UTC)


class Validator(Protocol):
    """A check of commands (pure: no I/O, no clock; it judges only what it is given)."""

    def __call__(
        self, command: c.Command, *, sector: str, subject: LedgerAggregate | None
    ) -> Iterable[Violation]: ...


class SectorRules(Protocol):
    """What the ledger needs of its sectors (``plugins.Sectors`` provides it)."""

    def validate(
        self, command: c.Command, *, sector: str, subject: LedgerAggregate | None
    ) -> Iterable[Violation]:
        """Violations of ``sector``'s rules by ``command`` (on ``subject``, if it acts on
        an existing record)."""

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
        self.evidence_check: EvidenceCheck | None = None
        """Who may cite which file; set by the composition root (None: accept all)."""
        self._integrity: IntegrityLog | None = None
        with setup_lock(self.store) as setup:
            super().__init__(env={**eventsourcing_env(self.store), **(env or {})})
            if integrity:
                self._integrity = IntegrityLog(
                    self.store,
                    events_table=getattr(self.recorder, "events_table_name", "stored_events"),
                    clock=clock,
                )
            # Under the setup lock, on its connection: one process analyses, the others
            # then find statistics and skip it.
            analyse(self.store, self.own_tables(), only_if_never=True, conn=setup)
        self._answers = IdempotentAnswers(self.store)
        self.add_insert_listener(self._answers)
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

    # ---- the command path ---------------------------------------------------------------

    def execute(
        self,
        command: c.Command,
        actor: Actor,
        scope: Scope = EVERYTHING,
        *,
        idempotency: IdempotencyRecord | None = None,
    ) -> Recorded:
        """Judge ``command`` for ``actor`` acting in ``scope`` and record it, or refuse it
        and record nothing (``ledger.unit_of_work`` describes the path).

        With ``idempotency``, the answer (id and new version) is stored under its key in
        the transaction that records the command, so a crash can never leave the command
        recorded and its key unanswered (``ledger.idempotency``); ``KeyAlreadyAnswered``
        if another attempt answered the key first, and then nothing is recorded.
        """
        work = UnitOfWork(self)
        recorded = work.execute(command, actor, scope)
        if idempotency is None:
            work.commit()
        else:
            answer = idempotency.answer(recorded.id, recorded.version)
            work.commit(**{ANSWER_KWARG: [(idempotency, answer)]})
        return recorded

    def _scripted(self, command: c.Command, actor: Actor) -> Recorded:
        """The named methods' path: ``execute`` with no scope limit, and with the actor's
        role vouched for by the in-process caller (a test's or the demo's scripted
        history) instead of the permission table."""
        with self.batch() as work:
            return work.execute(command, actor, EVERYTHING, check_permission=False)

    @contextmanager
    def batch(self, *, dry_run: bool = False) -> Iterator[UnitOfWork]:
        """Many commands as one unit: each judged against the state the earlier ones left,
        all saved in one transaction when the block ends (nothing if it raises, nothing
        at all for a ``dry_run``)."""
        work = UnitOfWork(self)
        yield work
        if not dry_run:
            work.commit()

    def edition_for(self, sector: str, criteria: Sequence[str], on: datetime) -> str | None:
        """The catalogue edition a grade citing ``criteria`` on ``on`` is recorded under."""
        if self.sectors is None or not criteria:
            return None
        return self.sectors.edition_for(sector, tuple(criteria), on)

    def _ctx(self, actor: Actor, occurred_at: datetime, justification: str | None) -> Context:
        return Context(
            actor=actor,
            occurred_at=occurred_at,
            recorded_at=self.clock(),
            justification=justification,
        )

    def _commit(self, *aggregates: LedgerAggregate) -> None:
        """Save records outside the command path (a redaction); a racing writer's save
        becomes ``ConcurrentChange``."""
        try:
            self.save(*aggregates)
        except IntegrityError as e:
            first = aggregates[0]
            raise ConcurrentChange(type(first).__name__, first.id, str(e)) from None

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
        command = c.RegisterEnterprise(
            occurred_at=occurred_at,
            justification=justification,
            credit_code=credit_code,
            name=name,
            region_code=region_code,
            sectors=tuple(sectors),
            principal=principal,
            address=address,
        )
        return self._scripted(command, actor).id

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
        command = c.ChangePrincipal(
            occurred_at=occurred_at,
            justification=justification,
            credit_code=credit_code,
            principal=principal,
            expected_version=expected_version,
        )
        return self._step(command, actor)

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
        command = c.AssignResponsibility(
            occurred_at=occurred_at,
            justification=justification,
            duty=duty,
            region_code=region_code,
            sector=sector,
            organisation=organisation,
            title=title,
            holder=holder,
        )
        return self._scripted(command, actor).id

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
        command = c.RecordInspection(
            occurred_at=occurred_at,
            justification=justification,
            enterprise_code=enterprise_code,
            sector=sector,
            inspection_type=inspection_type,
            team=tuple(team),
            location=location,
            devices_checked=devices_checked,
            summary=summary,
            inspection_id=inspection_id,
        )
        return self._scripted(command, actor).id

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
        command = c.ReportHazard(
            occurred_at=occurred_at,
            justification=justification,
            enterprise_code=enterprise_code,
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
        return self._scripted(command, actor).id

    def _step(self, command: c.OnRecord | c.ChangePrincipal, actor: Actor) -> int:
        return self._scripted(command, actor).version

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
        category: str | None = None,
    ) -> int:
        return self._step(
            c.GradeHazard(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                grade=grade,
                criteria=tuple(criteria),
                catalogue_edition=catalogue_edition,
                category=category,
            ),
            actor,
        )

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
        return self._step(
            c.RectifyOnSpot(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                measures=measures,
                evidence=tuple(evidence),
            ),
            actor,
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
        return self._step(
            c.AssignRectification(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                department=department,
                deadline=deadline,
                requirements=requirements,
            ),
            actor,
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
        return self._step(
            c.FilePlan(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                plan=plan,
            ),
            actor,
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
        return self._step(
            c.RecordInterimControls(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                controls=controls,
            ),
            actor,
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
        return self._step(
            c.ExtendDeadline(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                new_deadline=new_deadline,
                reason=reason,
                approver=approver,
            ),
            actor,
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
        return self._step(
            c.ListForSupervision(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                level=level,
                authority=authority,
            ),
            actor,
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
        return self._step(
            c.Delist(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
            ),
            actor,
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
        return self._step(
            c.Escalate(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                level=level,
                reason=reason,
            ),
            actor,
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
        return self._step(
            c.ReportRectification(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                measures=measures,
                completed_at=completed_at,
                evidence=tuple(evidence),
            ),
            actor,
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
        return self._step(
            c.FileAssessment(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                summary=summary,
            ),
            actor,
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
        return self._step(
            c.VerifyRectification(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                accepted=accepted,
                opinion=opinion,
            ),
            actor,
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
        return self._step(
            c.CloseHazard(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
            ),
            actor,
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
        return self._step(
            c.ReopenHazard(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                reason=reason,
            ),
            actor,
        )

    def dismiss_false_alarm(
        self,
        actor: Actor,
        occurred_at: datetime,
        case_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        justification: str | None = None,
    ) -> int:
        return self._step(
            c.DismissFalseAlarm(
                occurred_at=occurred_at,
                justification=justification,
                case_id=case_id,
                expected_version=expected_version,
                reason=reason,
            ),
            actor,
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
        device_code: str = "",
        site_part: str = "",
    ) -> UUID:
        command = c.IssueAction(
            occurred_at=occurred_at,
            justification=justification,
            kind=kind,
            document_number=document_number,
            enterprise_code=enterprise_code,
            sector=sector,
            department=department,
            legal_basis=legal_basis,
            case_ids=tuple(case_ids),
            fine_amount=fine_amount,
            description=description,
            action_id=action_id,
            device_code=device_code,
            site_part=site_part,
        )
        return self._scripted(command, actor).id

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
        return self._step(
            c.ExecuteAction(
                occurred_at=occurred_at,
                justification=justification,
                action_id=action_id,
                expected_version=expected_version,
                amount_paid=amount_paid,
                note=note,
            ),
            actor,
        )

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
        return self._step(
            c.LiftAction(
                occurred_at=occurred_at,
                justification=justification,
                action_id=action_id,
                expected_version=expected_version,
                reason=reason,
            ),
            actor,
        )

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
        return self._step(
            c.RevokeAction(
                occurred_at=occurred_at,
                justification=justification,
                action_id=action_id,
                expected_version=expected_version,
                reason=reason,
            ),
            actor,
        )

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
        command = c.AddMeasure(
            occurred_at=occurred_at,
            justification=justification,
            title=title,
            category=category,
            owner_department=owner_department,
            region_code=region_code,
            due=due,
            timetable=timetable,
            measure_id=measure_id,
        )
        return self._scripted(command, actor).id

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
        return self._step(
            c.ReportMeasureProgress(
                occurred_at=occurred_at,
                justification=justification,
                measure_id=measure_id,
                expected_version=expected_version,
                note=note,
            ),
            actor,
        )

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
        return self._step(
            c.CompleteMeasure(
                occurred_at=occurred_at,
                justification=justification,
                measure_id=measure_id,
                expected_version=expected_version,
                summary=summary,
            ),
            actor,
        )

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

    def accident(self, accident_id: UUID) -> Accident:
        return self._load(Accident, accident_id)

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
