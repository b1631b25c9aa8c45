"""Write throughput of the ledger core: whole hazard lives, one command per transaction.

    python bench/write_cases.py [--cases 10000] [--store PATH_OR_DSN] [--bare | --compare]
    python bench/write_cases.py --ab [--rounds 3] [--old-tree DIR ...] [--cases N] [--store S]

Each case is reported, graded, assigned, reported rectified, verified and closed: six
commands, each loading the case and saving one event in its own transaction, as a real
client would. ``--store`` is a SQLite file (default: a new file in a temporary
directory) or a ``postgresql://`` DSN, in which case the run gets a fresh schema that is
dropped at the end.

``--bare`` does the same writes through a plain eventsourcing ``Application`` holding
the same aggregates with the library's defaults (its JSON transcoder, its recorders, no
validators, no integrity log); ``--compare`` runs the ledger in full, without its
integrity log, without its sector plugins, and the bare application on fresh stores and
prints the ratios (the plugins' cost is the full ledger against ``ledger-no-plugins``).

``--ab`` is the figure to quote: the ledger, each command as HTTP hands it over
(``ServedWriter``: permission table, the user's scope, If-Match's version, an
idempotency key answered in the command's transaction), and the bare application, each
on a fresh store in one process, take turns case by case; each of ``--rounds`` rounds
of ``--cases`` cases gives a time ratio and a CPU-time ratio, and the median time ratio
is printed. The time ratio depends on what an fsync costs at the moment (a busy disk
dilutes the ledger's extra CPU; a quiet one shows it), the CPU ratio much less. ``--old-tree
DIR`` runs the same in processes of their own for this checkout's code and for another
checkout's (``git archive <commit> | tar -x -C DIR``), alternating: before and after.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID, uuid4

ROOT = Path(os.environ.get("LEDGER_BENCH_TREE") or Path(__file__).resolve().parent.parent)
sys.path.insert(0, str(ROOT))

from eventsourcing.application import Application  # noqa: E402
from eventsourcing.persistence import JSONTranscoder, Transcoding  # noqa: E402

from api.composition import load_configured_sectors  # noqa: E402
from ledger import commands as c  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.enterprise import Enterprise, Person, enterprise_id  # noqa: E402
from ledger.events import Context  # noqa: E402
from ledger.hazard import HazardCase  # noqa: E402
from ledger.idempotency import IdempotencyRecord  # noqa: E402
from ledger.identity import Actor, Role  # noqa: E402
from ledger.scope import Scope  # noqa: E402
from ledger.sqlstore import SqlStore  # noqa: E402
from ledger.store import resolve_store, setup_lock  # noqa: E402

try:  # --old-tree: a tree from before the keys' table had a shape per dialect
    from ledger.idempotency import ddl as idempotency_ddl
except ImportError:
    from ledger.idempotency import DDL

    def idempotency_ddl(dialect: str) -> str:
        return DDL


CODE = make_credit_code("92620826MA71BNCH0")
INSPECTOR = Actor("insp-b", "检查员", Role.INSPECTOR, "静宁县应急管理局")
ENTERPRISE = Actor("ent-b", "安全员", Role.ENTERPRISE, CODE)
DEPARTMENT = Actor("dept-b", "复查员", Role.DEPARTMENT, "静宁县住建局")
EVENTS_PER_CASE = 6
WARM_CASES = 5
#: The city-gas plugin's facts about the premises, carried by every report (both sides).
DETAILS = {"premises": "restaurant", "leak_alarm_installed": False}


def now() -> datetime:
    return datetime.now(tz=UTC)


# ---- the two writers ----------------------------------------------------------------


class LedgerWriter:
    """Cases through ``HazardLedger``'s named methods (no permission table, no scope)."""

    def __init__(self, url: str, integrity: bool, plugins: bool = True, code: str = CODE) -> None:
        sectors = load_configured_sectors() if plugins else None
        self.app = HazardLedger(url, integrity=integrity, sectors=sectors)
        self.code = code
        self.enterprise = Actor("ent-b", "安全员", Role.ENTERPRISE, code)
        self.app.register_enterprise(
            INSPECTOR,
            now(),
            credit_code=code,
            name="基准餐馆",
            region_code="620826",
            sectors=["city_gas"],
            principal=Person("p-b", "负责人"),
        )

    def write_case(self) -> None:
        app = self.app
        cid = app.report_hazard(
            INSPECTOR,
            now(),
            enterprise_code=self.code,
            sector="city_gas",
            location="后厨",
            description="燃气软管穿墙敷设",
            source="grid_patrol",
            details=DETAILS,
        )
        app.grade_hazard(INSPECTOR, now(), cid, grade="general")
        t = now()
        app.assign_rectification(
            INSPECTOR,
            t,
            cid,
            department="静宁县住建局",
            deadline=t + timedelta(days=15),
            requirements="改为金属管道",
        )
        t = now()
        app.report_rectification(self.enterprise, t, cid, measures="已更换金属管道", completed_at=t)
        app.verify_rectification(DEPARTMENT, now(), cid, accepted=True, opinion="整改到位")
        app.close_hazard(DEPARTMENT, now(), cid)

    def close(self) -> None:
        self.app.close()


class ServedWriter(LedgerWriter):
    """Cases as an HTTP command reaches the ledger (``api.commanding.run_command`` through
    the group committer, a group of one): ``HazardLedger.execute`` with the permission
    table, each user's scope, the version the client acted on (``If-Match``) and an
    ``Idempotency-Key`` whose answer is written in the command's transaction, as the
    web page sends on every step. Only HTTP itself and the key's claim (the entry
    point's own statement) are left out."""

    SCOPES: ClassVar[dict[str, Scope]] = {
        INSPECTOR.id: Scope(region_prefix="620826"),
        ENTERPRISE.id: Scope(region_prefix="620826", enterprise_code=CODE),
        DEPARTMENT.id: Scope(region_prefix="620826"),
    }

    def __init__(self, url: str, integrity: bool = True, plugins: bool = True) -> None:
        super().__init__(url, integrity, plugins)
        # The keys' table, as the HTTP entry point makes it on its store.
        store = SqlStore(self.app.recorder.datastore)  # type: ignore[attr-defined]
        store.script([idempotency_ddl(store.dialect)])

    def _run(self, command: c.Command, actor: Actor) -> int:
        key = uuid4().hex
        answer = IdempotencyRecord(actor.id, key, key, 200)
        return self.app.execute(command, actor, self.SCOPES[actor.id], idempotency=answer).version

    def write_case(self) -> None:
        t = now()
        case = self.app.execute(
            c.ReportHazard(
                occurred_at=t,
                enterprise_code=self.code,
                sector="city_gas",
                location="后厨",
                description="燃气软管穿墙敷设",
                source="grid_patrol",
                details=DETAILS,
            ),
            INSPECTOR,
            self.SCOPES[INSPECTOR.id],
            idempotency=IdempotencyRecord(INSPECTOR.id, uuid4().hex, "report", 201),
        )
        cid, version = case.id, case.version
        version = self._run(
            c.GradeHazard(
                occurred_at=now(), case_id=cid, expected_version=version, grade="general"
            ),
            INSPECTOR,
        )
        t = now()
        version = self._run(
            c.AssignRectification(
                occurred_at=t,
                case_id=cid,
                expected_version=version,
                department="静宁县住建局",
                deadline=t + timedelta(days=15),
                requirements="改为金属管道",
            ),
            INSPECTOR,
        )
        t = now()
        version = self._run(
            c.ReportRectification(
                occurred_at=t,
                case_id=cid,
                expected_version=version,
                measures="已更换金属管道",
                completed_at=t,
            ),
            ENTERPRISE,
        )
        version = self._run(
            c.VerifyRectification(
                occurred_at=now(),
                case_id=cid,
                expected_version=version,
                accepted=True,
                opinion="整改到位",
            ),
            DEPARTMENT,
        )
        self._run(
            c.CloseHazard(occurred_at=now(), case_id=cid, expected_version=version), DEPARTMENT
        )


class ActorAsDict(Transcoding):
    """Actor and Person are the types the library's transcoder cannot write alone."""

    type = Actor
    name = "actor"

    def encode(self, obj: Actor) -> dict[str, str]:
        return {"id": obj.id, "name": obj.name, "role": obj.role.value, "org": obj.organisation}

    def decode(self, data: dict[str, str]) -> Actor:
        return Actor(data["id"], data["name"], Role(data["role"]), data["org"])


class PersonAsDict(Transcoding):
    type = Person
    name = "person"

    def encode(self, obj: Person) -> dict[str, str]:
        return {"id": obj.id, "name": obj.name, "phone": obj.phone}

    def decode(self, data: dict[str, str]) -> Person:
        return Person(data["id"], data["name"], data["phone"])


class BareLedger(Application[UUID]):
    """The same aggregates on eventsourcing's defaults."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(ActorAsDict())
        transcoder.register(PersonAsDict())


class BareWriter:
    """Cases through a plain ``Application``: load, call the aggregate, save."""

    def __init__(self, url: str, register: bool = True) -> None:
        store = resolve_store(url)
        with setup_lock(store):  # creates the schema, which the library expects to exist
            pass
        if store.is_postgres:
            env = {
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": store.dbname,
                "POSTGRES_HOST": store.host,
                "POSTGRES_PORT": str(store.port),
                "POSTGRES_USER": store.user,
                "POSTGRES_PASSWORD": store.password,
                "POSTGRES_SCHEMA": store.schema,
            }
        else:
            # The library as shipped; or (--bare-statement-cache) with the ledger's pool,
            # whose connections keep their compiled statements, and the library's recorder.
            cached = os.environ.get(BARE_CACHE_VAR) == "1"
            module = (
                "ledger.sqlite_persistence:LedgerSQLiteFactory"
                if cached
                else "eventsourcing.sqlite"
            )
            env = {"PERSISTENCE_MODULE": module, "SQLITE_DBNAME": store.path}
        self.app = BareLedger(env=env)
        if not register:
            return
        enterprise = Enterprise.register(
            self._ctx(INSPECTOR),
            credit_code=CODE,
            name="基准餐馆",
            region_code="620826",
            sectors=("city_gas",),
            address="",
            principal=Person("p-b", "负责人"),
        )
        self.app.save(enterprise)

    @staticmethod
    def _ctx(actor: Actor) -> Context:
        t = now()
        return Context(actor=actor, occurred_at=t, recorded_at=t)

    def _step(self, cid: UUID, act: Callable[[HazardCase], None]) -> None:
        case: HazardCase = self.app.repository.get(cid)
        act(case)
        self.app.save(case)

    def write_case(self) -> None:
        # As the ledger does: the report reads the enterprise's name and region.
        enterprise: Enterprise = self.app.repository.get(enterprise_id(CODE))
        case = HazardCase.report(
            self._ctx(INSPECTOR),
            enterprise_code=CODE,
            enterprise_name=enterprise.name,
            region_code=enterprise.region_code,
            sector="city_gas",
            location="后厨",
            description="燃气软管穿墙敷设",
            source="grid_patrol",
            details=dict(DETAILS),
        )
        self.app.save(case)
        cid = case.id
        self._step(cid, lambda c: c.grade_as(self._ctx(INSPECTOR), grade="general"))
        deadline = now() + timedelta(days=15)
        self._step(
            cid,
            lambda c: c.assign(
                self._ctx(INSPECTOR),
                department="静宁县住建局",
                deadline=deadline,
                requirements="改为金属管道",
            ),
        )
        done = now()
        self._step(
            cid,
            lambda c: c.report_rectification(
                self._ctx(ENTERPRISE), measures="已更换金属管道", completed_at=done
            ),
        )
        self._step(
            cid, lambda c: c.verify(self._ctx(DEPARTMENT), accepted=True, opinion="整改到位")
        )
        self._step(cid, lambda c: c.close(self._ctx(DEPARTMENT)))

    def close(self) -> None:
        self.app.close()


# ---- stores -------------------------------------------------------------------------


@contextmanager
def fresh_store(setting: str | None) -> Iterator[str]:
    """A new SQLite file, or a new schema in the PostgreSQL database, removed afterwards."""
    if setting and setting.startswith(("postgresql://", "postgres://")):
        import psycopg
        from psycopg import sql

        schema = f"bench_{uuid4().hex[:12]}"
        sep = "&" if "?" in setting else "?"
        try:
            yield f"{setting}{sep}schema={schema}"
        finally:
            with psycopg.connect(setting.split("?")[0], autocommit=True) as conn:
                drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
                conn.execute(drop.format(sql.Identifier(schema)))
        return
    with tempfile.TemporaryDirectory(prefix="ledger-bench-") as tmp:
        name = Path(setting).name if setting else "ledger.db"
        yield str(Path(tmp) / name)


# ---- running --------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    mode: str
    cases: int
    seconds: float

    @property
    def events(self) -> int:
        return self.cases * EVENTS_PER_CASE

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds

    def line(self) -> str:
        return (
            f"{self.mode:<22} {self.cases:>7} cases {self.events:>8} events "
            f"{self.seconds:>9.2f} s {self.events_per_second:>9.0f} events/s "
            f"{1000 * self.seconds / self.events:>7.2f} ms/event"
        )


def run(mode: str, cases: int, store: str | None) -> Result:
    with fresh_store(store) as url:
        writer: Any
        if mode == "bare":
            writer = BareWriter(url)
        else:
            writer = ServedWriter(
                url, integrity=mode != "ledger-no-integrity", plugins=mode != "ledger-no-plugins"
            )
        try:
            start = time.perf_counter()
            for _ in range(cases):
                writer.write_case()
            seconds = time.perf_counter() - start
        finally:
            writer.close()
    return Result(mode, cases, seconds)


@dataclass(frozen=True)
class Round:
    """One round of turns: each side's wall and CPU time per command, in microseconds."""

    ledger_us: float
    bare_us: float
    ledger_cpu_us: float
    bare_cpu_us: float

    @property
    def ratio(self) -> float:
        return self.ledger_us / self.bare_us

    @property
    def cpu_ratio(self) -> float:
        return self.ledger_cpu_us / self.bare_cpu_us


def ab_rounds(cases: int, store: str | None, rounds: int) -> list[Round]:
    """The ledger (as an HTTP command reaches it, ``ServedWriter``) against the bare
    application, interleaved case by case in one process, each on a fresh store: per
    round, both sides' wall time (the ratio) and CPU time (``time.process_time``, which
    the fsync's wait does not count) per command. Prints one line per round."""
    done = []
    with fresh_store(store) as ledger_url, fresh_store(store) as bare_url:
        writers: list[Any] = [ServedWriter(ledger_url), BareWriter(bare_url)]
        try:
            for writer in writers:
                for _ in range(WARM_CASES):  # first reads, prepared statements, caches
                    writer.write_case()
            for _ in range(rounds):
                wall = [0.0, 0.0]
                cpu = [0.0, 0.0]
                for case in range(cases):
                    for i in (0, 1) if case % 2 else (1, 0):
                        start, start_cpu = time.perf_counter(), time.process_time()
                        writers[i].write_case()
                        cpu[i] += time.process_time() - start_cpu
                        wall[i] += time.perf_counter() - start
                per = 1e6 / (cases * EVENTS_PER_CASE)
                done.append(Round(wall[0] * per, wall[1] * per, cpu[0] * per, cpu[1] * per))
                r = done[-1]
                print(
                    f"round: ledger {r.ledger_us:.0f} us/command ({r.ledger_cpu_us:.0f} CPU), "
                    f"bare {r.bare_us:.0f} ({r.bare_cpu_us:.0f} CPU), ratio {r.ratio:.2f}, "
                    f"CPU ratio {r.cpu_ratio:.2f}",
                    flush=True,
                )
        finally:
            for writer in writers:
                writer.close()
    return done


def ab(cases: int, store: str | None, rounds: int) -> list[float]:
    """``ab_rounds``' time ratios; prints their median (the figure to quote)."""
    ratios = [r.ratio for r in ab_rounds(cases, store, rounds)]
    print(f"ledger / bare time per command: median {statistics.median(ratios):.2f}")
    return ratios


ROUND_LINE = re.compile(
    r"ledger (\d+) us/command \((\d+) CPU\), bare (\d+) \((\d+) CPU\), "
    r"ratio ([\d.]+), CPU ratio ([\d.]+)"
)


def ab_trees(cases: int, store: str | None, rounds: int, trees: list[str]) -> None:
    """``ab`` with this checkout's ledger and with each of ``trees``' (each the bench of
    this checkout run against that tree's code), alternating trees round by round: per
    tree, the median ledger / bare time and CPU ratios and each side's CPU per command."""
    script = str(Path(__file__).resolve())
    sides = [str(ROOT), *trees]
    found: dict[str, list[tuple[float, ...]]] = {tree: [] for tree in sides}
    for _ in range(rounds):
        for tree in sides:
            args = [sys.executable, script, "--ab", "--cases", str(cases), "--rounds", "1"]
            args += ["--store", store] if store else []
            env = {**os.environ, "PYTHONPATH": tree, "LEDGER_BENCH_TREE": tree}
            out = subprocess.run(
                args, cwd=tree, env=env, capture_output=True, text=True, check=True
            ).stdout
            match = ROUND_LINE.search(out)
            assert match is not None, out
            found[tree].append(tuple(float(x) for x in match.groups()))
    for tree, rows in found.items():
        median = [statistics.median(row[i] for row in rows) for i in range(6)]
        print(
            f"{tree:<30} ledger / bare: median {median[4]:.2f} "
            f"({' '.join(f'{row[4]:.2f}' for row in rows)}), CPU {median[5]:.2f} "
            f"({' '.join(f'{row[5]:.2f}' for row in rows)}); CPU us/command ledger "
            f"{median[1]:.0f}, bare {median[3]:.0f}",
            flush=True,
        )


BARE_CACHE_VAR = "LEDGER_BENCH_BARE_STATEMENT_CACHE"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--store", default=None, help="SQLite file name or postgresql:// DSN")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--bare", action="store_true", help="plain eventsourcing Application")
    group.add_argument(
        "--compare", action="store_true", help="ledger, no-plugins, no-integrity and bare"
    )
    group.add_argument("--ab", action="store_true", help="ledger and bare interleaved")
    parser.add_argument("--rounds", type=int, default=3, help="--ab: rounds")
    parser.add_argument(
        "--old-tree", action="append", default=[], help="--ab: also this checkout's ledger"
    )
    parser.add_argument(
        "--bare-statement-cache",
        action="store_true",
        help="SQLite: give the bare library the ledger's statement cache (default: as shipped)",
    )
    args = parser.parse_args()
    if args.bare_statement_cache:
        os.environ[BARE_CACHE_VAR] = "1"  # inherited by the rounds' processes
    # Never sign checkpoints with whatever key the user keeps: the run is throw-away.
    os.environ.setdefault("LEDGER_KEY_DIR", tempfile.mkdtemp(prefix="ledger-bench-keys-"))

    if args.ab and args.old_tree:
        ab_trees(args.cases, args.store, args.rounds, args.old_tree)
        return
    if args.ab:
        ab(args.cases, args.store, args.rounds)
        return
    kind = "postgresql" if args.store and args.store.startswith("postgres") else "sqlite"
    print(
        f"store: {kind}, {args.cases} cases x {EVENTS_PER_CASE} commands, one per transaction",
        flush=True,
    )
    modes = (
        ["ledger", "ledger-no-plugins", "ledger-no-integrity", "bare"]
        if args.compare
        else (["bare"] if args.bare else ["ledger"])
    )
    results = []
    for mode in modes:
        results.append(run(mode, args.cases, args.store))
        print(results[-1].line(), flush=True)
    if args.compare:
        bare = results[-1].seconds
        for result in results[:-1]:
            print(f"{result.mode} / bare time ratio: {result.seconds / bare:.2f}")
        full, unplugged = results[0], results[1]
        print(
            f"sector plugins: {full.events_per_second:.0f} events/s with, "
            f"{unplugged.events_per_second:.0f} without "
            f"(time ratio {full.seconds / unplugged.seconds:.2f})"
        )


if __name__ == "__main__":
    main()
