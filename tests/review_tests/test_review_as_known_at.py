"""The review as known at T proves against the integrity log as it stood at T.

A review asked with ``known_at=T`` must be the review a copy of the ledger holding only
what existed at T writes now: the events recorded up to T (copied in order, so the copy
recomputes the same leaves) and the signed checkpoints issued by T. Its inclusion
proofs are to the tree of that size, its integrity section names that tree and the
latest checkpoint issued by then, and none of it moves as the ledger grows.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.enterprise import Person
from ledger.errors import NotFound
from ledger.integrity.reports import InclusionProof
from ledger.integrity.signing import create_keys
from ledger.review.report import build_review
from ledger.scope import Scope
from ledger.transfer import export_ledger, import_ledger

from ..conftest import FakeClock, drop_schema, new_store_url, postgres_dsn
from . import scenario
from .scenario import FACTORY_CODE, INCIDENT_AT, at

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
INCIDENTS = (INCIDENT_AT, at(3, 15))
CHECKPOINT_EVERY = 3  # a signed checkpoint every few events, issued as the history goes


def review(ledger: HazardLedger, incident: datetime, known_at: datetime | None = None) -> Any:
    """The review without the moment it was generated; None when nothing to review."""
    try:
        report = build_review(
            ledger, FACTORY_CODE, incident, scope=Scope.everything(), known_at=known_at
        )
    except NotFound:
        return None
    report.pop("generated_at")
    return report


def proofs(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every proof the report carries (event rows, findings, late entries)."""
    found: list[dict[str, Any]] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("proof"), dict) and "status" in value["proof"]:
                found.append(value["proof"])
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report)
    return found


def recorded_times(ledger: HazardLedger) -> list[datetime]:
    """The recording time of every stored event, in the order they were stored."""
    notes = ledger.recorder.select_notifications(start=1, limit=10_000)
    events: list[Any] = [ledger.mapper.to_domain_event(n) for n in notes]
    return [e.timestamp for e in events]


@dataclass
class Recorded:
    """Scenario 4 recorded with periodic checkpoints, and copies of it cut at moments."""

    kind: str
    directory: Path
    ledger: HazardLedger
    schemas: list[str] = field(default_factory=list)
    cut_reviews: dict[tuple[datetime, datetime], Any] = field(default_factory=dict)

    def recorded_times(self) -> list[datetime]:
        return recorded_times(self.ledger)

    def moments(self) -> list[datetime]:
        """Every recording and signing moment, a microsecond either side, and beyond."""
        stamps = self.recorded_times()
        stamps += [datetime.fromisoformat(c.issued_at) for c in self.ledger.integrity.checkpoints()]
        tick = timedelta(microseconds=1)
        near = {s + d for s in stamps for d in (-tick, timedelta(0), tick)}
        return sorted(near | {min(stamps) - timedelta(days=1), max(stamps) + timedelta(days=1)})

    def review_of_copy(self, moment: datetime, incident: datetime) -> Any:
        """The review (asked without ``known_at``) of a copy cut at ``moment``; each copy
        is closed and dropped once read, to hold no connections of the shared server."""
        key = (moment, incident)
        if key not in self.cut_reviews:
            url, schema = new_store_url(self.kind, self.directory)
            copy = HazardLedger(url, clock=FakeClock(moment))
            try:
                self.fill_as_of(copy, moment)
                self.cut_reviews[key] = review(copy, incident)
            finally:
                copy.close()
                dsn = postgres_dsn()
                if schema is not None and dsn is not None:
                    drop_schema(dsn, schema)
        return self.cut_reviews[key]

    def fill_as_of(self, copy: HazardLedger, moment: datetime) -> None:
        """Put into the empty ``copy`` the events recorded up to ``moment`` (the same bytes
        in the same order) and the checkpoints issued by then."""
        times = self.recorded_times()
        count = sum(1 for t in times if t <= moment)
        assert all(t <= moment for t in times[:count]), "recording order is the event order"
        if count:
            notes = self.ledger.recorder.select_notifications(start=1, limit=count)
            copy.recorder.insert_events(
                [
                    StoredEvent(
                        originator_id=n.originator_id,
                        originator_version=n.originator_version,
                        topic=n.topic,
                        state=n.state,
                    )
                    for n in notes
                ]
            )
        source, target = self.ledger.integrity.tables, copy.integrity.tables
        columns = "tree_size, key_id, key_name, origin, root, signature, note, issued_at"
        issued = [
            row
            for row in source.fetchall(f"SELECT {columns} FROM {source.checkpoints}")
            if datetime.fromisoformat(str(row[7])) <= moment
        ]
        if issued:
            with target.write() as cur:
                cur.executemany(
                    target.sql(
                        f"INSERT INTO {target.checkpoints} ({columns}) VALUES (?,?,?,?,?,?,?,?)"
                    ),
                    issued,
                )

    def close(self) -> None:
        self.ledger.close()
        dsn = postgres_dsn()
        for schema in self.schemas:
            if dsn is not None:
                drop_schema(dsn, schema)


@pytest.fixture(scope="module", params=STORES)
def recorded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Recorded]:
    kind = str(request.param)
    directory = tmp_path_factory.mktemp("as-known")
    url, schema = new_store_url(kind, directory)
    clock = FakeClock(scenario.at(1, 1))
    ledger = HazardLedger(url, clock=clock)
    state = Recorded(kind, directory, ledger, schemas=[schema] if schema else [])
    log = ledger.integrity
    create_keys(directory / "keys")
    log.use_key_directory(directory / "keys")
    log.clock = clock  # checkpoints are stamped by the clock events are recorded by
    log.checkpoint_every = CHECKPOINT_EVERY
    try:
        scenario.build(ledger, clock)
        # The last tree signed again two days after its last event: the same size, a
        # later moment (a review known in between must not name it).
        clock.now += timedelta(days=2)
        late = log.issue_checkpoint()
        assert log.checkpoints()[-1].issued_at == late.issued_at, "the last tree was not signed"
        assert len(log.checkpoints()) > 2
        yield state
    finally:
        state.close()


@settings(
    max_examples=30,
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate, Phase.shrink),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(pick=st.integers(0, 10_000), incident=st.sampled_from(INCIDENTS))
def test_review_known_at_equals_the_review_of_a_copy_cut_then(
    recorded: Recorded, pick: int, incident: datetime
) -> None:
    moments = recorded.moments()
    moment = moments[pick % len(moments)]
    full = review(recorded.ledger, incident, known_at=moment)
    cut = recorded.review_of_copy(moment, incident)
    assert full == cut, f"review known at {moment.isoformat()} differs from the copy cut then"
    if full is not None:
        assert {p["status"] for p in proofs(full)} == {"verified"}
        size = full["integrity"]["tree_size"]
        assert all(p["proof"]["tree_size"] == size for p in proofs(full))


def test_at_each_signing_the_review_names_the_checkpoint_just_issued(
    recorded: Recorded,
) -> None:
    """At the moment each checkpoint is issued, and a microsecond before: the review
    names the latest one issued by then, as the copy does (the boundaries the drawn
    moments may miss)."""
    tick = timedelta(microseconds=1)
    issued = recorded.ledger.integrity.checkpoints()
    for checkpoint in issued:
        signed_at = datetime.fromisoformat(checkpoint.issued_at)
        for moment in (signed_at - tick, signed_at):
            full = review(recorded.ledger, INCIDENT_AT, known_at=moment)
            assert full == recorded.review_of_copy(moment, INCIDENT_AT), moment
            if full is None:
                continue
            named = full["integrity"]["checkpoint"]
            latest = [c for c in issued if datetime.fromisoformat(c.issued_at) <= moment]
            if not latest:
                assert named is None
                continue
            assert named is not None and named["signed_note"] == latest[-1].signed_note()
            if moment == signed_at:
                assert named["tree_size"] == checkpoint.tree_size


def test_every_moment_is_drawn_from_a_history_with_checkpoints_between(
    recorded: Recorded,
) -> None:
    """The history the property runs on has checkpoints issued along the way, so some
    moments see an earlier checkpoint than the latest, and some see none."""
    sizes = [c.tree_size for c in recorded.ledger.integrity.checkpoints()]
    total = recorded.ledger.integrity.tree_head()[0]
    assert sizes[0] < total and sizes[-1] == total


def test_review_known_at_does_not_move_as_the_ledger_grows(
    ledger: HazardLedger, clock: FakeClock, key_directory: Path
) -> None:
    """Events and checkpoints added later change nothing in the review as known at T;
    its proofs still check, against the root it names."""
    create_keys(key_directory)
    ledger.integrity.clock = clock
    scenario.build(ledger, clock)
    ledger.integrity.issue_checkpoint()
    moment = at(5, 4)
    before = review(ledger, INCIDENT_AT, known_at=moment)
    clock.now = at(6, 1)
    ledger.change_principal(
        scenario.SAFETY_OFFICE,
        at(6, 1),
        credit_code=FACTORY_CODE,
        principal=Person("p-ff-03", "孙建国"),
    )
    ledger.integrity.issue_checkpoint()
    after = review(ledger, INCIDENT_AT, known_at=moment)
    assert before == after
    now = review(ledger, INCIDENT_AT)
    assert now["integrity"]["tree_size"] == ledger.integrity.tree_head()[0]
    assert after["integrity"]["tree_size"] < now["integrity"]["tree_size"]
    # The checkpoint signed on 12 May (after the last event known by 4 May) is not named.
    assert after["integrity"]["checkpoint"] is None
    proof = InclusionProof.from_dict(after["enterprise"]["events"][0]["proof"]["proof"])
    assert proof.verify() and proof.root.hex() == after["integrity"]["root"]


def test_size_at_is_the_smallest_tree_holding_every_event_recorded_by_then(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    """Writers read the clock before they take the write lock, so a leaf may follow one
    recorded a moment later; the tree as known at T still holds every event recorded
    by T (and so every event a review at T shows has its proof)."""
    log = ledger.integrity
    first = at(1, 10)
    clock.now = first
    ledger.register_enterprise(
        scenario.SAFETY_OFFICE,
        first,
        credit_code=FACTORY_CODE,
        name="静宁县某某家具制造有限公司",
        region_code="620826",
        sectors=["fire"],
        principal=scenario.FIRST_PRINCIPAL,
    )
    a = log.tree_head()[0]
    clock.now = first - timedelta(hours=1)  # the slower writer's earlier clock reading
    ledger.assign_responsibility(
        scenario.SAFETY_OFFICE,
        first - timedelta(hours=2),
        duty="government_leader",
        region_code="620826",
        organisation="静宁县城关镇人民政府",
        title="分管安全生产副镇长",
        holder=scenario.TOWNSHIP_LEADER,
    )
    b = log.tree_head()[0]
    assert 0 < a < b
    assert log.size_at(first - timedelta(hours=2)) == 0
    assert log.size_at(first - timedelta(hours=1)) == b
    assert log.size_at(first) == b
    assert log.as_of(first).root == log.tree_head()[1]


def test_an_imported_ledger_reviews_as_known_at_like_its_original(
    ledger: HazardLedger, clock: FakeClock, key_directory: Path, store_kind: str, tmp_path: Path
) -> None:
    """Checkpoints read from an export carry no issue stamp; one of a tree smaller than
    the log at T was signed before the log grew past it, so the import names it too."""
    create_keys(key_directory)
    log = ledger.integrity
    log.clock = clock
    log.checkpoint_every = CHECKPOINT_EVERY
    scenario.build(ledger, clock)
    export_ledger(ledger, tmp_path / "ledger.jsonl")
    sizes = {c.tree_size for c in log.checkpoints()}
    # A moment past the first checkpoint when no checkpoint signs the log's size.
    moment = next(
        t
        for t in recorded_times(ledger)
        if min(sizes) < log.size_at(t) and log.size_at(t) not in sizes
    )
    url, schema = new_store_url(store_kind, tmp_path)
    copy = HazardLedger(url, clock=clock)
    try:
        import_ledger(copy, tmp_path / "ledger.jsonl")
        assert {c.issued_at for c in copy.integrity.checkpoints()} == {""}
        original = review(ledger, INCIDENT_AT, known_at=moment)
        assert original["integrity"]["checkpoint"] is not None
        assert review(copy, INCIDENT_AT, known_at=moment) == original
    finally:
        copy.close()
        dsn = postgres_dsn()
        if schema is not None and dsn is not None:
            drop_schema(dsn, schema)
