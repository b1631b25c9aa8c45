"""One measurement of the ledger at its current size, printed as a line of JSON.

    python bench/scale.py STEP --store PATH_OR_DSN [--to N] [--samples K]

``bench/suite.py`` runs each step in a process of its own, so that every figure comes
with the peak resident memory of the process that produced it (``peak_rss_mib``).
Steps:

- ``grow --to N``: add events of the demo generator's shape until the ledger holds N;
- ``decode``: read and decode every event (what any rebuild must at least do);
- ``rebuild``: rebuild every read model in one process (``ledger rebuild``);
- ``verify``: recompute every leaf and the tree, as ``ledger verify`` does, in turns with
  the hashing limit (every payload read, SHA-256 and orjson, one process);
- ``proofs``: inclusion proofs of random events and audit bundles of random cases;
- ``reads``: a case's timeline and its state as known at a past moment, for random cases;
- ``write``: whole hazard lives, one command per transaction, into this ledger;
- ``disk``: bytes on disk per event.

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from rebuild import generate, read_and_decode  # noqa: E402

from api.composition import read_models_for  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.integrity.bundle import export_bundle  # noqa: E402
from ledger.integrity.signing import create_keys, key_dir  # noqa: E402
from ledger.views import event_row  # noqa: E402
from projections.follower import REBUILD_BATCH, Follower  # noqa: E402

BATCH = REBUILD_BATCH  # what `ledger rebuild` reads per batch; decoding reads the same


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    ordered = sorted(samples_ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50_ms": statistics.median(ordered), "p99_ms": p99, "max_ms": ordered[-1]}


def throughput(events: int, seconds: float) -> dict[str, Any]:
    return {"events": events, "seconds": seconds, "events_per_s": events / seconds}


def emit(result: dict[str, Any]) -> None:
    """Print a step's figures, with the process's peak memory, as its last output line."""
    result["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(orjson.dumps(result).decode() + "\n")


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000, result


def total_events(app: HazardLedger) -> int:
    return app.recorder.max_notification_id() or 0


def random_cases(app: HazardLedger, count: int, seed: int) -> list[UUID]:
    """Case ids picked by random positions in the log (so old and new cases alike)."""
    rng = random.Random(seed)
    top = total_events(app)
    found: list[UUID] = []
    seen: set[UUID] = set()
    while len(found) < count:
        notes = app.recorder.select_notifications(rng.randrange(1, top + 1), 1)
        if notes and "HazardCase" in notes[0].topic and notes[0].originator_id not in seen:
            seen.add(notes[0].originator_id)
            found.append(notes[0].originator_id)
    return found


def step_grow(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    before = total_events(app)
    start = time.perf_counter()
    # Each growth uses its own enterprises (their ids derive from the credit code).
    made = generate(app, args.to - before, seed=1 + before // 1000) if args.to > before else 0
    seconds = time.perf_counter() - start
    return {
        "events_before": before,
        "events_written": made,
        "seconds": seconds,
        "events_per_s": made / seconds if made else None,
    }


def step_decode(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    start, cpu = time.perf_counter(), time.process_time()
    n = read_and_decode(app, BATCH)
    return {**throughput(n, time.perf_counter() - start), "cpu_s": time.process_time() - cpu}


def step_rebuild(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    """Every read model rebuilt in this process. ``cpu_s`` (CPU time of all its threads)
    beside the wall time: on a machine busy with other work the wall time is mostly
    waiting for a core, the CPU time much less so."""
    follower = Follower(app, read_models_for(None), batch_size=BATCH)
    start, cpu = time.perf_counter(), time.process_time()
    n = follower.rebuild()
    seconds, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    models = list(follower.projections)
    follower.close()
    return {**throughput(n, seconds), "cpu_s": cpu_s, "models": models}


def hashing_limit(app: HazardLedger) -> int:
    """Read every stored payload once, in notification order, SHA-256 it and decode it
    with orjson, in this one process: the least any verification of this ledger does
    (verify also reads the log rows, hashes the leaves and the tree, and compares)."""
    tables = app.integrity.tables
    sha, loads, n = hashlib.sha256, orjson.loads, 0
    with tables.connect() as conn:
        if tables.postgres:
            cur = conn.cursor(name="hashing_limit", binary=True)
            cur.itersize = 20_000
        else:
            cur = conn.cursor()
        cur.execute(f"SELECT state FROM {tables.events} ORDER BY {tables.event_id}")
        for (state,) in cur:
            sha(state).digest()
            loads(state)
            n += 1
    return n


def step_verify(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    """``ledger verify``'s recomputation against the hashing limit, measured in turns
    (limit, verify, limit, ...; ``--rounds``, median of each): ``ratio_to_limit`` is
    verify's events/s over the limit's. CPU time (this process and its workers) is
    given beside wall time: on a busy machine the wall time is mostly waiting."""
    limit_runs, verify_runs, cpu_runs, limit_cpu_runs = [], [], [], []
    events = 0
    for _ in range(args.rounds):
        start, cpu = time.perf_counter(), time.process_time()
        n = hashing_limit(app)
        limit_runs.append(n / (time.perf_counter() - start))
        limit_cpu_runs.append((time.process_time() - cpu) / n * 1e6)
        cpu = time.process_time() + children_cpu()
        report = app.integrity.verify(workers=args.workers)
        if report.failures:
            raise SystemExit(f"verify found {len(report.failures)} failures: {report.failures[:3]}")
        events = report.events_checked
        cpu_runs.append((time.process_time() + children_cpu() - cpu) / events * 1e6)
        verify_runs.append(events / report.seconds)
    rate, limit = statistics.median(verify_runs), statistics.median(limit_runs)
    return {
        **throughput(events, events / rate),
        "limit_events_per_s": limit,
        "ratio_to_limit": rate / limit,
        "verify_runs": verify_runs,
        "limit_runs": limit_runs,
        "cpu_us_per_event": statistics.median(cpu_runs),
        "limit_cpu_us_per_event": statistics.median(limit_cpu_runs),
        "workers": args.workers or "default",
        "worker_peak_rss_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def children_cpu() -> float:
    """CPU seconds of this process's finished children (verify's worker processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def step_proofs(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    log = app.integrity
    if log.signing_key() is None:
        create_keys(key_dir(os.environ["LEDGER_KEY_DIR"]), "bench")
        log.use_key_directory(os.environ["LEDGER_KEY_DIR"])
    log.issue_checkpoint()  # every bundle proves against this one checkpoint
    # A ledger written before subtree nodes were stored gets them once, here, untimed.
    started = time.perf_counter()
    backfilled = log.store_missing_nodes(log.tree_head()[0])
    backfill_s = time.perf_counter() - started
    cases = random_cases(app, args.samples, seed=3)
    proof_ms = []
    for case_id in cases:
        last = app.history(case_id)[-1].originator_version
        ms, proof = timed(lambda cid=case_id, v=last: log.inclusion_proof(cid, v))
        proof_ms.append(ms)
    bundle_ms, sizes, events = [], [], []
    for case_id in cases[: max(1, args.samples // 10)]:
        ms, bundle = timed(lambda cid=case_id: orjson.dumps(export_bundle(log, cid)))
        bundle_ms.append(ms)
        sizes.append(len(bundle))
        events.append(len(app.history(case_id)))
    return {
        "inclusion_proof": percentiles(proof_ms),
        "proof_hashes": len(proof.path),
        "bundle": percentiles(bundle_ms),
        "bundle_bytes_median": statistics.median(sizes),
        "bundle_events_median": statistics.median(events),
        "samples": len(cases),
        "nodes_backfilled": backfilled,
        "nodes_backfill_s": backfill_s,
    }


def step_reads(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    cases = random_cases(app, args.samples, seed=4)
    timeline_ms, as_of_ms, lengths = [], [], []
    for case_id in cases:
        ms, body = timed(lambda cid=case_id: orjson.dumps([event_row(e) for e in app.history(cid)]))
        timeline_ms.append(ms)
        lengths.append(len(orjson.loads(body)))
    for case_id in cases:
        first = app.history(case_id)[0].timestamp
        ms, _ = timed(lambda cid=case_id, t=first: app.case_at(cid, known_at=t))
        as_of_ms.append(ms)
    return {
        "timeline": percentiles(timeline_ms),
        "state_as_of": percentiles(as_of_ms),
        "events_per_case_median": statistics.median(lengths),
        "samples": len(cases),
    }


def step_write(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    from write_cases import EVENTS_PER_CASE, LedgerWriter

    # An enterprise of its own for each run, so that runs at each size never collide.
    code = make_credit_code(f"926208{total_events(app) % 10**6:06d}MA71B")
    writer = LedgerWriter(args.store, integrity=True, code=code)
    start = time.perf_counter()
    for _ in range(args.samples):
        writer.write_case()
    seconds = time.perf_counter() - start
    writer.close()
    return throughput(args.samples * EVENTS_PER_CASE, seconds)


def step_disk(app: HazardLedger, args: argparse.Namespace) -> dict[str, Any]:
    n = total_events(app)
    store = app.store
    if store.is_postgres:
        with store.connect_postgres() as conn:
            (size,) = conn.execute(
                "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'm')",
                (store.schema,),
            ).fetchone()
    else:
        base = Path(store.path)
        size = sum(p.stat().st_size for p in base.parent.glob(base.name + "*"))
    return {"events": n, "bytes": int(size), "bytes_per_event": int(size) / n}


STEPS = {
    "grow": step_grow,
    "decode": step_decode,
    "rebuild": step_rebuild,
    "verify": step_verify,
    "proofs": step_proofs,
    "reads": step_reads,
    "write": step_write,
    "disk": step_disk,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--store", required=True, help="SQLite path or postgresql:// DSN")
    parser.add_argument("--to", type=int, default=0, help="grow: events the ledger should hold")
    parser.add_argument("--samples", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3, help="verify: turns of limit and verify")
    parser.add_argument("--workers", type=int, default=None, help="verify: worker processes")
    args = parser.parse_args()
    os.environ.setdefault("LEDGER_KEY_DIR", tempfile.mkdtemp(prefix="ledger-bench-keys-"))
    app = HazardLedger(args.store)
    try:
        result = STEPS[args.step](app, args)
        result["ledger_events"] = total_events(app)
    finally:
        app.close()
    emit(result)


if __name__ == "__main__":
    main()
