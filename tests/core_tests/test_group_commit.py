"""Group commit answers every command exactly as executing it alone would (both stores).

``execute_together`` judges a group of commands in one unit of work and commits the
accepted ones in one transaction. For any group — valid commands, refused ones (bounds,
permission, scope, stale versions, a duplicate registration, an id used twice), keyed
ones — each command must get what ``HazardLedger.execute`` gives it run alone in the same
order, and the store must end up holding exactly what the serial run recorded: the same
events, the same integrity log size, the same idempotent answers. When the shared commit
fails, the group falls back to running alone; nothing is ever acknowledged that the store
does not hold.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import ConcurrentChange, NotFound, RuleViolated
from ledger.group_commit import (
    GroupCommitter,
    Outcome,
    Submission,
    execute_alone,
    execute_together,
)
from ledger.idempotency import DDL, IdempotencyRecord, KeyAlreadyAnswered
from ledger.identity import Actor, Role
from ledger.scope import Scope
from ledger.sqlstore import SqlStore
from ledger.unit_of_work import EVERYTHING, Recorded
from plugins import Sectors
from tests.conftest import FakeClock, drop_schema, new_store_url, postgres_dsn

SECTORS = Sectors.load(load_entry_points=False)
HERE, THERE = "620826", "620825"
SEEDED = make_credit_code("92620826MA71GA2H0")
FAR = make_credit_code("91620825MA73GA3T0")
NEW = [make_credit_code("91620826MA7" + f"{n}NEWC0") for n in range(2)]
UNUSED = make_credit_code("91620826MA79N0NE0")
START = datetime.fromisoformat("2026-03-03T09:00:00+08:00")
CLERK = Actor("clerk", "录入员", Role.INSPECTOR, "县局")
AUDITOR = Actor("aud", "孙审", Role.AUDITOR, "市纪委监委")
#: Cases seeded at SEEDED (version 1 and version 2) and case ids commands may create.
CASES = [UUID(int=1), UUID(int=2)]
NEW_CASES = [UUID(int=100 + n) for n in range(3)]
INSPECTION = UUID(int=50)
SCOPES = {"here": Scope(region_prefix=HERE), "there": Scope(region_prefix=THERE)}


def new_ledger(stack: ExitStack, kind: str, tmp: Path) -> HazardLedger:
    """A ledger on a fresh store of ``kind`` holding the same seeded history as every
    other one (fixed ids, fixed clock), closed and dropped with ``stack``."""
    url, schema = new_store_url(kind, tmp)
    if schema is not None:
        dsn = postgres_dsn()
        assert dsn is not None
        stack.callback(drop_schema, dsn, schema)
    ledger = HazardLedger(url, clock=FakeClock(START), sectors=SECTORS)
    stack.callback(ledger.close)
    SqlStore(ledger.recorder.datastore).script([DDL])  # type: ignore[attr-defined]
    for code, region in ((SEEDED, HERE), (FAR, THERE)):
        ledger.register_enterprise(
            CLERK,
            START,
            credit_code=code,
            name=f"单位{code[-4:]}",
            region_code=region,
            sectors=["city_gas"],
            principal=Person(f"p-{code[-4:]}", "负责人"),
        )
    ledger.record_inspection(
        CLERK,
        START,
        enterprise_code=SEEDED,
        sector="city_gas",
        inspection_type="routine",
        team=["甲"],
        inspection_id=INSPECTION,
    )
    for case_id in CASES:
        ledger.execute(report(SEEDED, case_id), CLERK)
    ledger.execute(grade(CASES[1], None), CLERK)
    return ledger


def report(
    code: str, case_id: UUID | None, *, description: str = "隐患", linked: bool = False
) -> c.ReportHazard:
    return c.ReportHazard(
        occurred_at=START,
        enterprise_code=code,
        sector="city_gas",
        location="现场",
        description=description,
        source="routine_inspection",
        details={"premises": "restaurant", "leak_alarm_installed": True},
        case_id=case_id,
        inspection_id=INSPECTION if linked else None,
    )


def grade(case_id: UUID, expected: int | None) -> c.GradeHazard:
    return c.GradeHazard(
        occurred_at=START, case_id=case_id, grade="general", expected_version=expected
    )


def register(code: str) -> c.RegisterEnterprise:
    return c.RegisterEnterprise(
        occurred_at=START,
        credit_code=code,
        name=f"新单位{code[-4:]}",
        region_code=HERE,
        sectors=("city_gas",),
        principal=Person(f"p-{code[-4:]}", "负责人"),
    )


KEYS = [f"key-{n}" for n in range(3)]

#: One command of a group: what it is, and the key it carries (if any).
commands = st.one_of(
    st.tuples(st.just("register"), st.sampled_from([SEEDED, *NEW])),
    st.tuples(
        st.just("report"),
        st.sampled_from([SEEDED, FAR, UNUSED, *NEW]),
        st.sampled_from(["here", "there"]),
        st.sampled_from([None, *NEW_CASES]),
        st.booleans(),
    ),
    st.tuples(
        st.just("grade"),
        st.sampled_from([*CASES, *NEW_CASES]),
        st.sampled_from([None, 1, 2, 3]),
    ),
    st.tuples(st.just("too long"), st.sampled_from(NEW_CASES)),
    st.tuples(st.just("not permitted"), st.sampled_from(NEW_CASES)),
)
groups = st.lists(st.tuples(commands, st.sampled_from([None, *KEYS])), min_size=2, max_size=8)


def submission(spec: tuple[Any, ...], key: str | None) -> Submission:
    kind = spec[0]
    scope = EVERYTHING
    actor = CLERK
    if kind == "register":
        command: c.Command = register(spec[1])
    elif kind == "report":
        _, code, where, case_id, linked = spec
        # Without a chosen id every run would create a different one: these keep theirs.
        command = report(code, case_id or UUID(int=999), linked=linked)
        scope = SCOPES[where]
    elif kind == "grade":
        command = grade(spec[1], spec[2])
        scope = SCOPES["here"]
    elif kind == "too long":
        command = report(SEEDED, spec[1], description="长" * 100_000)
    else:
        command = report(SEEDED, spec[1])
        actor = AUDITOR
    record = IdempotencyRecord(actor.id, key, key * 8, 201) if key else None
    return Submission(command, actor, scope, record)


def outcome(o: Outcome) -> tuple[Any, ...]:
    """What a caller can tell of an outcome: the record and version, or the refusal."""
    if isinstance(o, Recorded):
        return ("recorded", o.id, o.version)
    if isinstance(o, RuleViolated):
        return (type(o).__name__, sorted(v.rule for v in o.violations))
    if isinstance(o, NotFound | ConcurrentChange):  # the store's own words may differ
        return (type(o).__name__, o.kind, str(o.key))
    return (type(o).__name__, str(o))


@dataclass(frozen=True)
class Held:
    """What a store holds: events, the integrity log's size, the idempotent answers."""

    events: list[tuple[str, int, str]]
    tree_size: int
    answers: list[tuple[str, int | None, str | None]]


def held(ledger: HazardLedger) -> Held:
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    table = getattr(ledger.recorder, "events_table_name", "stored_events")
    events = sql.fetchall(
        f"SELECT originator_id, originator_version, topic FROM {{schema}}.{table}"
        " ORDER BY originator_id, originator_version"
    )
    answers = sql.fetchall("SELECT key, status, body FROM {schema}.api_idempotency ORDER BY key")
    report_ = ledger.integrity.verify()
    assert not report_.failures
    assert report_.events_checked == report_.tree_size
    return Held(
        [(str(e["originator_id"]), int(e["originator_version"]), str(e["topic"])) for e in events],
        ledger.integrity.tree_head()[0],
        [(str(a["key"]), a["status"], a["body"]) for a in answers],
    )


@contextmanager
def two_ledgers(kind: str, tmp: Path) -> Iterator[tuple[HazardLedger, HazardLedger]]:
    with ExitStack() as stack:
        yield new_ledger(stack, kind, tmp), new_ledger(stack, kind, tmp)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(group=groups)
def test_a_group_answers_each_command_as_running_it_alone_would(
    store_kind: str, tmp_path: Path, group: list[tuple[tuple[Any, ...], str | None]]
) -> None:
    subs = [submission(spec, key) for spec, key in group]
    with two_ledgers(store_kind, tmp_path) as (alone, together):
        serial = [outcome(execute_alone(alone, s)) for s in subs]
        grouped = [outcome(o) for o in execute_together(together, subs)]
        assert grouped == serial
        assert held(together) == held(alone)


class RaceBeforeCommit:
    """A validator that, judging the report of ``NEW_CASES[1]``, has another ledger on
    the same store grade ``CASES[0]`` (once): the group has judged that case by then
    and has not committed yet."""

    def __init__(self) -> None:
        self.other: HazardLedger | None = None

    def __call__(self, command: c.Command, *, sector: str, subject: Any) -> list[Any]:
        if self.other is not None and getattr(command, "case_id", None) == NEW_CASES[1]:
            other, self.other = self.other, None
            other.execute(grade(CASES[0], None), CLERK)
        return []


def test_a_group_that_loses_a_race_falls_back_to_running_alone(
    store_kind: str, tmp_path: Path
) -> None:
    """The shared commit fails on the store's uniqueness (another writer changed a
    case the group changed too): every command is run again alone and gets exactly
    what it gets alone after that write."""
    subs = [
        Submission(report(SEEDED, NEW_CASES[0]), CLERK),
        Submission(grade(CASES[0], None), CLERK),
        Submission(report(SEEDED, NEW_CASES[1]), CLERK),
    ]
    with two_ledgers(store_kind, tmp_path) as (alone, seeded):
        race = RaceBeforeCommit()
        together = HazardLedger(seeded.store, clock=FakeClock(START), validators=[race])
        other = HazardLedger(seeded.store, clock=FakeClock(START))
        try:
            race.other = other
            grouped = [outcome(o) for o in execute_together(together, subs)]
            assert race.other is None  # the race did happen
        finally:
            together.close()
            other.close()
        alone.execute(grade(CASES[0], None), CLERK)  # the racing write, first
        serial = [outcome(execute_alone(alone, s)) for s in subs]
        assert serial[1] != ("recorded", CASES[0], 2)  # the group's own answer is void
        assert grouped == serial
        assert held(seeded) == held(alone)


def failing_once(failures: list[str]) -> Any:
    """An insert listener that fails the next ``len(failures)`` transactions."""

    def listener(cursor: Any, events: Sequence[StoredEvent], ids: Sequence[int], **kw: Any) -> None:
        if failures:
            raise RuntimeError(failures.pop())

    return listener


def test_a_failed_group_commit_acknowledges_nothing_it_did_not_record(
    store_kind: str, tmp_path: Path
) -> None:
    subs = [Submission(report(SEEDED, case_id), CLERK) for case_id in NEW_CASES]
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        before = held(ledger)
        failures = ["the disk said no"] * 10
        ledger.add_insert_listener(failing_once(failures))
        outcomes = execute_together(ledger, subs)
        assert [type(o) for o in outcomes] == [RuntimeError] * 3  # alone, each failed too
        assert held(ledger) == before
        failures[:] = ["once"]  # the group's commit fails, each alone succeeds
        outcomes = execute_together(ledger, subs)
        assert [outcome(o) for o in outcomes] == [("recorded", i, 1) for i in NEW_CASES]
        assert len(held(ledger).events) == len(before.events) + 3


def test_a_key_answered_meanwhile_refuses_only_its_own_command(
    store_kind: str, tmp_path: Path
) -> None:
    first = IdempotencyRecord("clerk", "key-0", "f" * 64, 201)
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        ledger.execute(report(SEEDED, None), CLERK, idempotency=first)
        subs = [
            Submission(report(SEEDED, NEW_CASES[0]), CLERK, idempotency=first),
            Submission(
                report(SEEDED, NEW_CASES[1]),
                CLERK,
                idempotency=IdempotencyRecord("clerk", "key-1", "e" * 64, 201),
            ),
        ]
        outcomes = execute_together(ledger, subs)
        assert isinstance(outcomes[0], KeyAlreadyAnswered)
        assert outcome(outcomes[1]) == ("recorded", NEW_CASES[1], 1)
        assert ledger.repository.get(NEW_CASES[1]).version == 1
        with pytest.raises(Exception):  # noqa: B017 - any "not found" of the library
            ledger.repository.get(NEW_CASES[0])


def test_concurrent_submitters_get_their_own_answers(store_kind: str, tmp_path: Path) -> None:
    """Many threads submit at once: whatever the grouping, each valid report is recorded
    under its id, each refused one gets its refusal, and the store holds exactly the
    recorded ones."""
    per_thread, threads = 12, 8
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        before = len(held(ledger).events)
        committer = GroupCommitter(ledger, max_batch=16)
        stack.callback(committer.close)
        answers: dict[tuple[int, int], Outcome] = {}

        def submit(t: int) -> None:
            for n in range(per_thread):
                case_id = UUID(int=10_000 + t * 100 + n)
                if n % 3 == 0:
                    sub = Submission(report(FAR, case_id), CLERK, SCOPES["here"])
                else:
                    sub = Submission(report(SEEDED, case_id), CLERK, SCOPES["here"])
                future = committer.submit(sub.command, sub.actor, sub.scope)
                try:
                    answers[t, n] = future.result()
                except Exception as error:
                    answers[t, n] = error

        workers = [threading.Thread(target=submit, args=(t,)) for t in range(threads)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        recorded = 0
        for (t, n), answer in answers.items():
            if n % 3 == 0:
                assert isinstance(answer, NotFound)
            else:
                assert outcome(answer) == ("recorded", UUID(int=10_000 + t * 100 + n), 1)
                assert ledger.repository.get(answer.id).version == 1  # type: ignore[union-attr]
                recorded += 1
        assert len(held(ledger).events) == before + recorded
        assert committer.commands == threads * per_thread


def test_closing_answers_what_is_queued(store_kind: str, tmp_path: Path) -> None:
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        committer = GroupCommitter(ledger)
        futures = [committer.submit(report(SEEDED, i), CLERK) for i in NEW_CASES[:2]]
        committer.close()
        done = [outcome(f.result(timeout=0)) for f in futures]
        assert done == [("recorded", i, 1) for i in NEW_CASES[:2]]
        # A service started again (a test client's second lifespan) writes again.
        assert committer.execute(report(SEEDED, NEW_CASES[2]), CLERK).id == NEW_CASES[2]
        committer.close()


def _idle(committer: GroupCommitter) -> None:
    """Wait until the committer's writer waits for work."""
    while not committer._writer_idle:
        time.sleep(0.001)


def test_coroutines_get_their_own_answers_and_share_a_commit(
    store_kind: str, tmp_path: Path
) -> None:
    """Submissions from an event loop are answered on it, each with what it would get
    alone; those the loop hands over in one go, to an idle writer, form one group."""
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        before = len(held(ledger).events)
        committer = GroupCommitter(ledger)
        stack.callback(committer.close)
        ids = [UUID(int=20_000 + n) for n in range(12)]

        async def submit_all() -> list[Recorded | BaseException]:
            await committer.submit_async(report(SEEDED, UUID(int=19_999)), CLERK)
            _idle(committer)
            groups = committer.groups
            futures = [
                committer.submit_async(
                    report(FAR if n % 4 == 0 else SEEDED, case_id), CLERK, SCOPES["here"]
                )
                for n, case_id in enumerate(ids)
            ]
            answers = await asyncio.gather(*futures, return_exceptions=True)
            assert committer.groups == groups + 1
            return list(answers)

        answers = asyncio.run(submit_all())
        for n, (case_id, answer) in enumerate(zip(ids, answers, strict=True)):
            if n % 4 == 0:
                assert isinstance(answer, NotFound)
            else:
                assert answer == Recorded(case_id, 1)
        assert len(held(ledger).events) == before + 1 + 9


def test_a_command_whose_loop_is_gone_is_still_recorded(store_kind: str, tmp_path: Path) -> None:
    """A command handed over is committed even if nobody awaits its answer any more (its
    loop closed, its future cancelled); the writer goes on answering the others."""
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        committer = GroupCommitter(ledger)
        stack.callback(committer.close)

        async def hand_over() -> None:
            committer.submit_async(report(SEEDED, NEW_CASES[0]), CLERK)
            committer.submit_async(report(SEEDED, NEW_CASES[1]), CLERK).cancel()

        asyncio.run(hand_over())  # closes its loop before the answers can reach it
        assert committer.execute(report(SEEDED, NEW_CASES[2]), CLERK).id == NEW_CASES[2]
        for case_id in NEW_CASES:
            assert ledger.repository.get(case_id).version == 1


def test_a_loop_that_stops_before_waking_the_writer_holds_up_no_other(
    store_kind: str, tmp_path: Path
) -> None:
    """The idle writer is woken by a callback on the submitting loop; if that loop stops
    before running it, the next loop's submissions still wake the writer."""
    with ExitStack() as stack:
        ledger = new_ledger(stack, store_kind, tmp_path)
        committer = GroupCommitter(ledger)
        stack.callback(committer.close)
        committer.execute(report(SEEDED, None), CLERK)  # the writer is running
        loop = asyncio.new_event_loop()

        async def hand_over_and_stop() -> None:
            _idle(committer)
            committer.submit_async(report(SEEDED, NEW_CASES[0]), CLERK)
            loop.stop()  # its wake-up callback never runs

        task = loop.create_task(hand_over_and_stop())
        loop.run_forever()
        assert task.done()
        loop.close()

        async def submit() -> Recorded:
            _idle(committer)
            return await asyncio.wait_for(
                committer.submit_async(report(SEEDED, NEW_CASES[1]), CLERK), timeout=60
            )

        assert asyncio.run(submit()).id == NEW_CASES[1]
        assert ledger.repository.get(NEW_CASES[0]).version == 1
