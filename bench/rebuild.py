"""Rebuild throughput of all read models against merely reading and decoding the events.

    python bench/rebuild.py --events 1000000                       # SQLite (temp file)
    python bench/rebuild.py --events 1000000 --store postgresql://postgres@127.0.0.1:5432/test?schema=bench

The events are real ledger events made by the aggregates' own command methods (report,
grade, assign, rectify, verify, close; inspections; enforcement actions), saved many
aggregates per ``save()`` so that generating a million takes a minute, not an hour.
Prints: events/s to read and decode, events/s to rebuild every read model, the ratio,
and the latency of filtered register queries (p50/p99 over 200 queries).

Memory needs a process per measurement (peak RSS only grows). ``--rounds N`` runs N
rounds of: decode, rebuild, each in a process of its own (``bench/scale.py decode`` and
``rebuild``), and prints each one's time and peak resident memory with the median
ratio; ``--json`` ends with them as a line of JSON (how ``bench/suite.py`` measures the
rebuild at each size). ``--baseline TREE`` adds, in every round, the rebuild of another
checkout of the project (``git archive REV | tar -x -C TREE``), the order alternating
between rounds, so that before and after are measured side by side on a busy machine;
after every rebuild a digest of every read-model table is taken, and the run says
whether both trees' tables came out byte for byte the same::

    python bench/rebuild.py --store /tmp/rb.db --events 1000000 --reuse --rounds 3 \
        --baseline /tmp/old-tree
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from eventsourcing.application import AggregateNotFoundError

from api.composition import projection_factory, read_models_for
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enforcement import EnforcementAction
from ledger.enterprise import Enterprise, Person, enterprise_id
from ledger.events import Context, LedgerAggregate
from ledger.hazard import HazardCase
from ledger.identity import Actor, Role
from ledger.inspection import Inspection
from ledger.scope import Scope
from ledger.store import resolve_store
from projections.follower import Follower
from projections.parallel import rebuild_in_parallel
from projections.queries import ReadModels, RegisterFilter

INSPECTOR = Actor("insp-1", "检查员", Role.INSPECTOR, "静宁县")
DEPARTMENT = Actor("dept-1", "复查员", Role.DEPARTMENT, "县住建局")
ENTERPRISE = Actor("ent-1", "企业", Role.ENTERPRISE, "")
TOWNS = [f"6208{i:02d}" for i in range(21, 41)]
SECTORS = ["city_gas", "fire", "special_equipment", "construction", "hazardous_chemicals"]


def ctx(actor: Actor, at: datetime) -> Context:
    return Context(actor=actor, occurred_at=at, recorded_at=at)


def generate(app: HazardLedger, target: int, seed: int = 1) -> int:
    """Write about ``target`` events; returns the number written."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    enterprises: list[Enterprise] = []
    pending: list[LedgerAggregate] = []
    written = 0
    for i in range(500):
        code = make_credit_code(f"9162{i:04d}MA71RK{i % 1000:03d}"[:17])
        try:  # a ledger grown in steps keeps its county's enterprises
            enterprises.append(app.repository.get(enterprise_id(code)))
            continue
        except AggregateNotFoundError:
            pass
        e = Enterprise.register(
            ctx(INSPECTOR, start),
            credit_code=code,
            name=f"企业{i}",
            region_code=TOWNS[i % len(TOWNS)],
            sectors=tuple(SECTORS),
            address="",
            principal=Person(f"p{i}", f"负责人{i}"),
        )
        enterprises.append(e)
        pending.append(e)
    n_case = 0
    while written < target:
        e = enterprises[rng.randrange(len(enterprises))]
        at = start + timedelta(minutes=rng.randrange(60 * 24 * 280))
        sector = rng.choice(SECTORS)
        insp = Inspection.record(
            ctx(INSPECTOR, at),
            enterprise_code=e.credit_code,
            region_code=e.region_code,
            sector=sector,
            inspection_type="routine",
            team=("检查员",),
            devices_checked=rng.randrange(4) if sector == "special_equipment" else 0,
        )
        pending.append(insp)
        for _ in range(rng.randrange(1, 4)):
            n_case += 1
            case = HazardCase.report(
                ctx(INSPECTOR, at),
                enterprise_code=e.credit_code,
                enterprise_name=e.name,
                region_code=e.region_code,
                sector=sector,
                location=f"部位{rng.randrange(9)}",
                description="隐患",
                source="routine_inspection",
                inspection_id=insp.id,
            )
            insp.record_hazard(ctx(INSPECTOR, at), case_id=case.id)
            major = rng.random() < 0.03
            case.grade_as(
                ctx(INSPECTOR, at),
                grade="major" if major else "general",
                criteria=("X-1",) if major else (),
            )
            if not major and rng.random() < 0.4:
                case.rectify_on_spot(ctx(INSPECTOR, at), measures="当场整改")
            else:
                t = at + timedelta(hours=1)
                case.assign(
                    ctx(INSPECTOR, t),
                    department="县住建局",
                    deadline=t + timedelta(days=rng.choice((7, 15, 30))),
                    requirements="限期整改",
                )
                if not major and rng.random() < 0.8:
                    t += timedelta(days=rng.randrange(1, 25))
                    case.report_rectification(ctx(ENTERPRISE, t), measures="已整改", completed_at=t)
                    t += timedelta(days=2)
                    case.verify(ctx(DEPARTMENT, t), accepted=True, opinion="合格")
                    case.close(ctx(DEPARTMENT, t))
            pending.append(case)
            if rng.random() < 0.05:
                kind = rng.choice(("penalty", "stop_work", "directive"))
                pending.append(
                    EnforcementAction.issue(
                        ctx(DEPARTMENT, at + timedelta(hours=2)),
                        kind=kind,
                        document_number=f"D{n_case}",
                        enterprise_code=e.credit_code,
                        region_code=e.region_code,
                        sector=sector,
                        department="县住建局",
                        legal_basis="安全生产法第一百零二条",
                        case_ids=(case.id,),
                        fine_amount=Decimal(5000) if kind == "penalty" else None,
                        description="",
                    )
                )
        if len(pending) >= 400:
            written += sum(len(a.pending_events) for a in pending)
            app.save(*pending)
            pending = []
    if pending:
        written += sum(len(a.pending_events) for a in pending)
        app.save(*pending)
    return written


def read_and_decode(app: HazardLedger, batch: int) -> int:
    position, count = 0, 0
    mapper = app.mapper
    while True:
        notes = app.recorder.select_notifications(position, batch, inclusive_of_start=False)
        if not notes:
            return count
        for n in notes:
            mapper.to_domain_event(n)
        count += len(notes)
        position = notes[-1].id


EVERYTHING = Scope.everything()
HERE = Path(__file__).resolve().parents[1]
TARGET_RATIO = 2.0
TARGET_PEAK_MIB = 512


def isolated(tree: Path, step: str, store: str) -> dict[str, Any]:
    """One ``bench/scale.py`` step of the project in ``tree``, in a process of its own.

    A step that fails (on a shared PostgreSQL server: "too many clients") is shown and
    run once more."""
    for attempt in (1, 2):
        run = subprocess.run(
            [sys.executable, str(tree / "bench" / "scale.py"), step, "--store", store],
            cwd=tree,
            env={**os.environ, "PYTHONPATH": str(tree)},
            capture_output=True,
            text=True,
        )
        if run.returncode == 0:
            break
        print(f"{step} in {tree} failed (attempt {attempt}):\n{run.stderr[-2000:]}", flush=True)
    run.check_returncode()
    result: dict[str, Any] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def table_digest(store: str) -> str:
    """SHA-256 of every row of every read-model table, in key order.

    Taken after each rebuild of a ``--baseline`` run: the read models this tree rebuilds
    must be byte for byte those the baseline rebuilds from the same events."""
    import hashlib

    from projections.db import ReadStore

    app = HazardLedger(store)
    db = ReadStore(app.store)
    conn = db.connect()
    digest = hashlib.sha256()
    for projection in read_models_for(None):
        for table in projection.tables:
            cur = db.execute(conn, f"SELECT * FROM {table.name} ORDER BY {', '.join(table.key)}")
            digest.update(table.name.encode())
            for row in cur:
                digest.update(repr(tuple(row)).encode())
    conn.close()
    app.close()
    return digest.hexdigest()


def phases(store: str) -> None:
    """Rebuild every read model once, timing each phase in CPU time.

    The next batch is read in the calling thread instead of a second one, so that each
    phase's CPU time is its own (with the thread, ``process_time`` counts both)."""
    from concurrent.futures import Future

    from projections import follower as follower_module
    from projections.base import Rows
    from projections.db import ReadStore

    spent: dict[str, float] = {}
    clock = time.process_time

    def timed(owner: Any, name: str, label: Callable[..., str], static: bool = False) -> None:
        inner = getattr(owner, name)

        def wrapper(*args: Any) -> Any:
            start = clock()
            try:
                return inner(*args)
            finally:
                key = label(*args)
                spent[key] = spent.get(key, 0.0) + clock() - start

        setattr(owner, name, staticmethod(wrapper) if static else wrapper)

    class InThread:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pass

        def __enter__(self) -> InThread:
            return self

        def __exit__(self, *args: Any) -> None:
            return None

        def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
            done: Future[Any] = Future()
            done.set_result(fn(*args))
            return done

    setattr(follower_module, "ThreadPoolExecutor", InThread)  # noqa: B010
    F = follower_module.Follower
    timed(F, "_fold", lambda t, *_: f"fold {t.projection.name}", static=True)
    timed(F, "_read", lambda *_: "read and decode")
    timed(F, "_swap", lambda *_: "indexes and swap")
    timed(Rows, "take_changes", lambda *_: "collect changed rows")
    timed(Rows, "trim", lambda *_: "trim the row cache")
    timed(ReadStore, "write_rows", lambda *_: "write rows")
    app = HazardLedger(store)
    follower = F(app, read_models_for(None), batch_size=follower_module.REBUILD_BATCH)
    start = clock()
    events = follower.rebuild()
    total = clock() - start
    follower.close()
    app.close()
    print(f"rebuild of {events:,} events: {total:.2f} s CPU")
    ranked = sorted(spent.items(), key=lambda item: -item[1])
    for label, seconds in [*ranked, ("the rest", total - sum(spent.values()))]:
        print(f"  {label:45s} {seconds:6.2f} s  {seconds / events * 1e6:5.1f} us/event")


def digest_in_process(store: str) -> str:
    run = subprocess.run(
        [sys.executable, str(HERE / "bench" / "rebuild.py"), "--store", store, "--digest"],
        cwd=HERE,
        env={**os.environ, "PYTHONPATH": str(HERE)},
        capture_output=True,
        text=True,
        check=True,
    )
    return run.stdout.strip().splitlines()[-1]


def rounds(store: str, count: int, baseline: Path | None) -> dict[str, Any]:
    """Decode and rebuild (and the baseline's rebuild) in processes of their own,
    interleaved: decode, rebuild, decode, rebuild, ... The ratio of each round is its
    rebuild time over the decode time measured just before it, so a machine that slows
    down between rounds moves both; the figure is the median round's ratio."""
    variants = [("this tree", HERE)] + ([("baseline", baseline)] if baseline else [])
    ratios: dict[str, list[float]] = {name: [] for name, _ in variants}
    peaks: dict[str, list[float]] = {name: [] for name, _ in variants}
    rebuild_s: dict[str, list[float]] = {name: [] for name, _ in variants}
    cpu_ratios: dict[str, list[float]] = {name: [] for name, _ in variants}
    decodes: list[dict[str, Any]] = []
    models: list[str] = []
    digests: dict[str, set[str]] = {name: set() for name, _ in variants}
    for i in range(count):
        decode = isolated(HERE, "decode", store)
        decodes.append(decode)
        print(
            f"round {i + 1}: decode {decode['events']:,} events in {decode['seconds']:.1f}s, "
            f"peak {decode['peak_rss_mib']:.0f} MiB",
            flush=True,
        )
        for name, tree in variants if i % 2 == 0 else variants[::-1]:
            rebuilt = isolated(tree, "rebuild", store)
            ratio = rebuilt["seconds"] / decode["seconds"]
            ratios[name].append(ratio)
            peaks[name].append(rebuilt["peak_rss_mib"])
            rebuild_s[name].append(rebuilt["seconds"])
            cpu_ratio = rebuilt.get("cpu_s", 0.0) / (decode.get("cpu_s") or float("inf"))
            cpu_ratios[name].append(cpu_ratio)
            if name == "this tree":
                models = list(rebuilt.get("models", []))
            if baseline:
                digests[name].add(digest_in_process(store))
            print(
                f"round {i + 1}: rebuild ({name}) {rebuilt['events']:,} events in "
                f"{rebuilt['seconds']:.1f}s = {ratio:.2f}x decode time "
                f"({cpu_ratio:.2f}x its CPU time), peak {rebuilt['peak_rss_mib']:.0f} MiB",
                flush=True,
            )
    for name, _ in variants:
        ratio, peak = statistics.median(ratios[name]), max(peaks[name])
        print(
            f"{name}: median rebuild / decode time {ratio:.2f}x (target <= {TARGET_RATIO:g}x: "
            f"{'met' if ratio <= TARGET_RATIO else 'NOT met'}); highest peak {peak:.0f} MiB "
            f"(target <= {TARGET_PEAK_MIB} MiB: {'met' if peak <= TARGET_PEAK_MIB else 'NOT met'})"
            f"; median CPU time ratio {statistics.median(cpu_ratios[name]):.2f}x"
        )
    if baseline:
        same = len(digests["this tree"] | digests["baseline"]) == 1
        print(f"read-model tables identical to the baseline's after every rebuild: {same}")
    events = int(decodes[-1]["events"])
    decode_s = statistics.median(d["seconds"] for d in decodes)
    result: dict[str, Any] = {
        "events": events,
        "ledger_events": decodes[-1].get("ledger_events", events),
        "rounds": count,
        "models": models,
        "decode_seconds": [d["seconds"] for d in decodes],
        "decode_peak_rss_mib": max(d["peak_rss_mib"] for d in decodes),
        "decode_events_per_s": events / decode_s,
        "seconds": rebuild_s["this tree"],
        "events_per_s": events / statistics.median(rebuild_s["this tree"]),
        "ratios": ratios["this tree"],
        "ratio": statistics.median(ratios["this tree"]),
        "cpu_ratios": cpu_ratios["this tree"],
        "cpu_ratio": statistics.median(cpu_ratios["this tree"]),
        "peak_rss_mib": max(peaks["this tree"]),
    }
    if baseline:
        result["baseline"] = {
            "seconds": rebuild_s["baseline"],
            "ratios": ratios["baseline"],
            "ratio": statistics.median(ratios["baseline"]),
            "cpu_ratios": cpu_ratios["baseline"],
            "cpu_ratio": statistics.median(cpu_ratios["baseline"]),
            "peak_rss_mib": max(peaks["baseline"]),
            "tables_identical": same,
        }
    return result


def query_latency(store: str, total: int, queries: int) -> None:
    """p50/p99 of filtered register pages (half of them followed by a second page)."""
    models = ReadModels(resolve_store(store))
    rng = random.Random(2)
    at = datetime(2026, 11, 1, tzinfo=UTC)
    print(f"register rows: {models.count(scope=EVERYTHING):,}")
    latencies = []
    for _ in range(queries):
        f = RegisterFilter(
            region=rng.choice(["6208", rng.choice(TOWNS)]),
            sector=rng.choice([None, *SECTORS]),
            status=rng.choice([(), ("assigned",), ("closed",)]),
            found_from=rng.choice([None, datetime(2026, rng.randrange(1, 10), 1, tzinfo=UTC)]),
            overdue=rng.choice([None, True]),
        )
        t0 = time.perf_counter()
        page = models.register(f, scope=EVERYTHING, valid_at=at, limit=50)
        if page.next_cursor and rng.random() < 0.5:
            models.register(f, scope=EVERYTHING, valid_at=at, limit=50, cursor=page.next_cursor)
        latencies.append((time.perf_counter() - t0) * 1000)
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    print(
        f"register query with filters (limit 50, {len(latencies)} queries, {total:,} events): "
        f"p50 {statistics.median(latencies):.1f} ms, p99 {p99:.1f} ms"
    )
    models.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--store", default=None, help="SQLite path or postgresql:// DSN")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="use the events already there")
    parser.add_argument(
        "--workers", type=int, default=2, help="processes for the parallel rebuild (0: skip it)"
    )
    parser.add_argument(
        "--queries-only", action="store_true", help="with --reuse: only time register queries"
    )
    parser.add_argument(
        "--rounds", type=int, default=0, help="decode and rebuild in processes of their own"
    )
    parser.add_argument(
        "--json", action="store_true", help="with --rounds: end with the figures as JSON"
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="with --rounds: another checkout to compare (time, and every read-model table)",
    )
    parser.add_argument(
        "--digest", action="store_true", help="only print a digest of every read-model table"
    )
    parser.add_argument(
        "--phases", action="store_true", help="only rebuild once, timing each phase's CPU"
    )
    args = parser.parse_args()
    if args.digest:
        print(table_digest(args.store))
        return
    if args.phases:
        phases(args.store)
        return
    store = args.store or os.path.join(tempfile.mkdtemp(), "bench.db")
    app = HazardLedger(store)
    print(f"store: {app.store.describe()}")
    existing = app.recorder.max_notification_id() or 0
    if not args.reuse or existing == 0:
        t0 = time.perf_counter()
        made = generate(app, args.events)
        print(f"generated {made:,} events in {time.perf_counter() - t0:.1f}s")
    total = app.recorder.max_notification_id() or 0

    if args.queries_only:
        query_latency(store, total, args.queries)
        app.close()
        return
    if args.rounds:
        app.close()
        result = rounds(store, args.rounds, args.baseline)
        if args.json:
            print(json.dumps(result))
        return
    t0 = time.perf_counter()
    n = read_and_decode(app, args.batch_size)
    decode_s = time.perf_counter() - t0
    print(f"read and decode: {n:,} events in {decode_s:.1f}s = {n / decode_s:,.0f} events/s")

    follower = Follower(app, read_models_for(None), batch_size=args.batch_size)
    t0 = time.perf_counter()
    n2 = follower.rebuild()
    rebuild_s = time.perf_counter() - t0
    print(
        f"rebuild all read models ({', '.join(follower.projections)}): "
        f"{n2:,} events in {rebuild_s:.1f}s = "
        f"{n2 / rebuild_s:,.0f} events/s"
    )
    print(
        f"ratio rebuild / read-and-decode time: {rebuild_s / decode_s:.2f}x "
        f"(target <= {TARGET_RATIO:g}x)"
    )
    names = list(follower.projections)
    follower.close()
    if args.workers:
        t0 = time.perf_counter()
        rebuild_in_parallel(
            store,
            names,
            workers=args.workers,
            batch_size=args.batch_size,
            factory=projection_factory(None),
        )
        parallel_s = time.perf_counter() - t0
        print(
            f"rebuild all read models, {args.workers} processes (ledger rebuild --workers "
            f"{args.workers}): {total:,} events in {parallel_s:.1f}s = "
            f"{total / parallel_s:,.0f} events/s; ratio {parallel_s / decode_s:.2f}x"
        )

    query_latency(store, total, args.queries)
    app.close()


if __name__ == "__main__":
    main()
