"""The one path every command takes, and batches of commands committed together.

``UnitOfWork.execute`` judges one command, in this order:

0. **Bounds** — every value the command carries is within the ledger's limits
   (``ledger.bounds``: moments, text, numbers, lists, documents), whoever built it.
1. **Permission** — the actor's role may issue this command type, and the rules that
   depend on what the command says (``ledger.permissions``).
2. **Scope** — every record the command names is loaded and must be inside the caller's
   scope, and so must every record it creates. Out of scope raises exactly the
   ``NotFound`` an id nobody ever used raises, from the same place, so no answer tells
   one from the other. Every file the command cites must be one the actor may cite
   (``ledger.evidence``). Only then is ``expected_version`` compared (a stale version on
   a record the caller may not see would otherwise reveal that it exists).
3. **Validation** — the sector rules (``SectorRules.validate``) receive the command
   object itself, with its sector and the record it acts on.
4. **Apply** — the command's handler (``ledger.handlers``) calls the aggregates.

The changed records stay in the unit of work, so a later command of the same batch is
judged against the state the earlier ones left; ``commit`` saves all of them in one
transaction. A refused command changes nothing (see ``ledger.handlers``), and nothing
of a batch is recorded unless it commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError

from . import bounds, evidence, permissions
from .commands import Command, Place, Ref
from .enterprise import Enterprise, enterprise_id
from .errors import ConcurrentChange, NotFound, RuleViolated, Violation
from .events import Context, LedgerAggregate
from .handlers import HANDLERS, enterprise_exists
from .identity import Actor
from .measure import Measure
from .public_report import reporter_vault
from .scope import Scope
from .sealed import Vault

if TYPE_CHECKING:
    from .application import HazardLedger

A = TypeVar("A", bound=LedgerAggregate)

#: No limit: the local operator at the terminal, a system job (the default scope).
EVERYTHING = Scope.everything()


@dataclass(frozen=True, slots=True)
class Recorded:
    """What a command recorded: its record's id and that record's new version."""

    id: UUID
    version: int


def visible(scope: Scope, record: LedgerAggregate) -> bool:
    """Whether ``record`` is inside ``scope`` (the one rule for records commands name)."""
    if scope.unlimited:
        return True
    if isinstance(record, Enterprise):
        return any(
            scope.sees(region_code=record.region_code, sector=s, enterprise_code=record.credit_code)
            for s in record.sectors
        )
    if isinstance(record, Measure):
        return scope.sees_enterprise(region_code=record.region_code, enterprise_code="")
    return scope.sees(
        region_code=getattr(record, "region_code", ""),
        sector=getattr(record, "sector", ""),
        enterprise_code=getattr(record, "enterprise_code", ""),
    )


def place_visible(scope: Scope, place: Place) -> bool:
    """Whether a record created at ``place`` would be inside ``scope``."""
    if place.sector is None:
        return scope.sees_enterprise(
            region_code=place.region_code, enterprise_code=place.enterprise_code
        )
    return scope.sees(
        region_code=place.region_code, sector=place.sector, enterprise_code=place.enterprise_code
    )


def replay(
    record: LedgerAggregate | None, events: Iterable[DomainEventProtocol[UUID]]
) -> LedgerAggregate | None:
    """The record its events make, applied in order: the library's ``project_aggregate``
    without its per-event ``isinstance`` against a runtime ``Protocol`` (about 3 us an
    event on Python 3.11 with ``ledger.protocol_checks``, 20 without; the ledger's
    events all have ``mutate``, and one that had not would fail here as it fails there,
    with an error)."""
    for event in events:
        record = event.mutate(record)  # type: ignore[attr-defined]
    return record


def _not_found(ref: Ref) -> NotFound:
    return NotFound(ref.kind.__name__, ref.key)


class UnitOfWork:
    """Commands judged one by one against the state so far, committed together."""

    def __init__(self, ledger: HazardLedger) -> None:
        self._ledger = ledger
        self._records: dict[UUID, LedgerAggregate | None] = {}
        self._changed: dict[UUID, LedgerAggregate] = {}
        self.named: Mapping[Ref, LedgerAggregate] = {}
        self.spoiled = False
        """A refused command left a change behind (see ``execute``): nothing commits."""

    # ---- reading the state so far ------------------------------------------------------

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        """The record as it stands in this unit of work (None if there is none)."""
        if aggregate_id not in self._records:
            try:
                self._records[aggregate_id] = self._ledger.repository.get(
                    aggregate_id, projector_func=replay
                )
            except AggregateNotFoundError:
                self._records[aggregate_id] = None
        record = self._records[aggregate_id]
        return record if isinstance(record, cls) else None

    def find_each(self, cls: type[A], aggregate_ids: Sequence[UUID]) -> list[A | None]:
        """``find`` for each id, the records this unit does not hold yet read together:
        one statement (one round trip on PostgreSQL) where the recorder can, each
        record then made from its events as ``find`` makes it."""
        missing = [i for i in dict.fromkeys(aggregate_ids) if i not in self._records]
        select_streams = getattr(self._ledger.recorder, "select_streams", None)
        if len(missing) > 1 and select_streams is not None:
            streams = select_streams(missing)
            to_event = self._ledger.mapper.to_domain_event
            for aggregate_id in missing:
                events = streams.get(aggregate_id, ())
                self._records[aggregate_id] = replay(None, map(to_event, events))
        return [self.find(cls, aggregate_id) for aggregate_id in aggregate_ids]

    def edition_for(self, sector: str, criteria: tuple[str, ...], on: datetime) -> str | None:
        return self._ledger.edition_for(sector, criteria, on)

    def sealer(self) -> Vault:
        """The vault that seals reporters' identities on this ledger's store."""
        return reporter_vault(self._ledger)

    def absent(self, aggregate_ids: Iterable[UUID]) -> None:
        """Take these records as not existing without asking the store for each: the
        caller learnt in one query that it holds no event of theirs (a bulk import of
        many new records). A writer who creates one meanwhile still wins: the store
        refuses the second version 1 at commit, as for any two writers."""
        for aggregate_id in aggregate_ids:
            self._records.setdefault(aggregate_id, None)

    def forget(self, aggregate_id: UUID) -> None:
        """Drop a record this unit holds, with its unsaved changes (a dry run over a
        long stream keeps its memory bounded this way)."""
        self._records.pop(aggregate_id, None)
        self._changed.pop(aggregate_id, None)

    @property
    def pending_events(self) -> int:
        return sum(len(r.pending_events) for r in self._changed.values())

    # ---- the command path --------------------------------------------------------------

    def execute(
        self,
        command: Command,
        actor: Actor,
        scope: Scope = EVERYTHING,
        *,
        check_permission: bool = True,
    ) -> Recorded:
        """Judge ``command`` and apply it to this unit's state (see the module docstring).

        ``check_permission=False`` is for in-process callers that script a history and
        vouch for its actors themselves (``HazardLedger``'s named methods, used by tests
        and the demo generator); every entry point a person reaches checks it.
        """
        recorded_at = self._ledger.clock()
        bounds.check(command, now=recorded_at)
        if check_permission:
            permissions.check(actor, command)
        named = self._in_scope(command, scope)
        if check_permission:
            cited = getattr(command, "evidence", ())
            evidence.check_citations(cited, actor, scope, self._ledger.evidence_check)
        subject_ref = command.subject
        subject = named[subject_ref] if subject_ref is not None else None
        expected = getattr(command, "expected_version", None)
        if subject is not None and expected is not None and subject.version != expected:
            assert subject_ref is not None
            raise ConcurrentChange(
                subject_ref.kind.__name__,
                subject.id,
                f"expected version {expected}, current {subject.version}",
            )
        if check_permission:
            permissions.check_on_record(actor, command, subject)
        self._validate(command, subject)
        ctx = Context(
            actor=actor,
            occurred_at=command.occurred_at,
            recorded_at=recorded_at,
            justification=command.justification,
        )
        self.named = named
        try:
            changed = HANDLERS[type(command)](command, self, ctx)
        finally:
            self.named = {}
        for record in changed:
            held = self._records.get(record.id)
            if held is not None and held is not record:
                # A new record under an id this unit already holds (a caller-chosen id
                # used twice in one batch): alone, its save would fail on the store's
                # uniqueness; here it would silently replace the other record. If the
                # handler also changed a record it found, that change cannot be taken
                # back: the unit is spoiled and will not commit.
                self.spoiled = any(self._records.get(r.id) is r for r in changed)
                raise ConcurrentChange(type(record).__name__, record.id, "id already taken")
        for record in changed:
            self._records[record.id] = record
            self._changed[record.id] = record
        return Recorded(changed[0].id, changed[0].version)

    def _in_scope(self, command: Command, scope: Scope) -> dict[Ref, LedgerAggregate]:
        named: dict[Ref, LedgerAggregate] = {}
        for ref in command.names():
            key = enterprise_id(str(ref.key)) if ref.kind is Enterprise else ref.key
            assert isinstance(key, UUID)
            record = self.find(ref.kind, key)
            if record is None or not visible(scope, record):
                raise _not_found(ref)
            named[ref] = record
        for place in command.creates(named):
            if not place_visible(scope, place):
                raise NotFound("Enterprise", place.enterprise_code or place.region_code)
        return named

    def _validate(self, command: Command, subject: LedgerAggregate | None) -> None:
        validators = self._ledger.validators
        violations: list[Violation] = [
            v
            for sector in command.judging_sectors(subject)
            for validate in validators
            for v in validate(command, sector=sector, subject=subject)
        ]
        if violations:
            raise RuleViolated(violations)

    # ---- committing --------------------------------------------------------------------

    def commit(self, **kwargs: Any) -> int:
        """Save every changed record in one transaction; the number of events saved.

        Afterwards the unit holds nothing in memory: later commands read the store again.
        """
        if self.spoiled:
            raise RuntimeError("a refused command left a change in this unit of work")
        changed = list(self._changed.values())
        count = self.pending_events
        self._changed.clear()
        self._records.clear()
        if not changed:
            return 0
        registered = [
            r for r in changed if isinstance(r, Enterprise) and r.version == len(r.pending_events)
        ]
        try:
            self._ledger.save(*changed, **kwargs)
        except IntegrityError as e:
            for record in registered:
                if self._exists(record.id):
                    raise enterprise_exists(record.credit_code) from None
            first = changed[0]
            raise ConcurrentChange(type(first).__name__, first.id, str(e)) from None
        return count

    def _exists(self, aggregate_id: UUID) -> bool:
        try:
            self._ledger.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return False
        return True
