"""What the ledger's figures are measured against, each printed as a line of JSON.

    python bench/baselines.py STEP [--store SQLITE_PATH | --dsn DSN] [options]

- ``compare --cases N [--rounds 3]``: whole hazard lives, one command per transaction,
  through the full ledger as HTTP serves each command and through a bare eventsourcing
  ``Application`` holding the same aggregates (``bench/write_cases.py``), each on a
  fresh store, taking turns case by case (the median round's time ratio and CPU-time
  ratio), then one run of each for their events/s;
- ``bulk_compare --events N``: the generator's events, hundreds of aggregates per save,
  through the full ledger and through the bare application;
- ``raw --source STORE``: the storage engine's limit: the same stored-event rows,
  copied from ``STORE`` into a plain table of the same shape, one row per transaction
  and in batches of 1,000, with the ledger's durability settings;
- ``export --source STORE --file F`` / ``import --file F``: the whole-ledger transfer
  (``ledger export-ledger`` / ``import-ledger``), the ledger's bulk import path; ``import``
  alternates it with raw batched inserts of the file's rows (median of ``--repeat``)
  and prints ``events_per_s``, ``raw_batched_rows_per_s``, ``import_to_raw_ratio``,
  ``target_import_to_raw_ratio`` and the CPU per event of the importing process and of
  its decoding process (``importer_cpu_us_per_event``, ``decoder_cpu_us_per_event``).

Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import base64
import os
import resource
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from scale import emit, throughput  # noqa: E402
from write_cases import EVENTS_PER_CASE, BareWriter, ab_rounds, fresh_store, run  # noqa: E402

from ledger.application import HazardLedger  # noqa: E402
from ledger.store import resolve_store  # noqa: E402
from ledger.transfer import export_ledger, import_ledger  # noqa: E402

ROWS_PER_TRANSACTION_SAMPLE = 2_000
BATCH = 1_000
IMPORT_TARGET = 0.5  # import-ledger at half the raw batched insert rate or better (#19)


def step_compare(args: argparse.Namespace) -> dict[str, Any]:
    """``time_ratio``: the median of ``--rounds`` rounds in which the ledger, each command
    as HTTP hands it over (permission, scope, If-Match, an idempotency key), and the bare
    application take turns case by case (``write_cases.ab_rounds``); ``cpu_ratio`` the
    same for CPU time, which a busy disk's slow fsync does not dilute. The events/s are
    one run of each after the other, for the tables."""
    rounds = ab_rounds(args.cases, args.dsn or args.store, args.rounds)
    full = run("ledger", args.cases, args.dsn or args.store)
    bare = run("bare", args.cases, args.dsn or args.store)
    median = statistics.median
    return {
        "events": args.cases * EVENTS_PER_CASE,
        "ledger_events_per_s": full.events_per_second,
        "bare_events_per_s": bare.events_per_second,
        "rounds": [r.ratio for r in rounds],
        "time_ratio": median(r.ratio for r in rounds),
        "cpu_rounds": [r.cpu_ratio for r in rounds],
        "cpu_ratio": median(r.cpu_ratio for r in rounds),
        "ledger_us_per_command": median(r.ledger_us for r in rounds),
        "bare_us_per_command": median(r.bare_us for r in rounds),
        "ledger_cpu_us_per_command": median(r.ledger_cpu_us for r in rounds),
        "bare_cpu_us_per_command": median(r.bare_cpu_us for r in rounds),
    }


def step_bulk_compare(args: argparse.Namespace) -> dict[str, Any]:
    """The generator's events (hundreds of aggregates per save) through the full ledger
    and through the bare application: the bulk write path against the library."""
    from rebuild import generate

    result: dict[str, Any] = {}
    for mode in ("ledger", "bare"):
        with fresh_store(args.dsn or args.store or "bulk.db") as url:
            if mode == "ledger":
                app: Any = HazardLedger(url)
            else:
                app = BareWriter(url, register=False).app
            try:
                start = time.perf_counter()
                made = generate(app, args.events)
                seconds = time.perf_counter() - start
            finally:
                app.close()
        result[f"{mode}_events_per_s"] = made / seconds
        result["events"] = made
    result["time_ratio"] = result["bare_events_per_s"] / result["ledger_events_per_s"]
    return result


def source_rows(source: str, limit: int) -> list[tuple[Any, ...]]:
    app = HazardLedger(source)
    try:
        rows = []
        position = 0
        while len(rows) < limit:
            notes = app.recorder.select_notifications(position, 5000, inclusive_of_start=False)
            if not notes:
                break
            rows.extend((n.originator_id, n.originator_version, n.topic, n.state) for n in notes)
            position = notes[-1].id
        return rows[:limit]
    finally:
        app.close()


def raw_sqlite(
    path: str, rows: list[tuple[Any, ...]], *, single: bool = True
) -> tuple[float, float]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute(
        "CREATE TABLE raw_events (originator_id TEXT, originator_version INTEGER, "
        "topic TEXT, state BLOB, PRIMARY KEY (originator_id, originator_version))"
    )
    insert = "INSERT INTO raw_events VALUES (?, ?, ?, ?)"
    plain = [(r[0].hex, r[1], r[2], r[3]) for r in rows]
    per_tx = 0.0
    if single:
        sample = plain[:ROWS_PER_TRANSACTION_SAMPLE]
        start = time.perf_counter()
        for row in sample:
            conn.execute("BEGIN")
            conn.execute(insert, row)
            conn.execute("COMMIT")
        per_tx = len(sample) / (time.perf_counter() - start)
        conn.execute("DELETE FROM raw_events")
    start = time.perf_counter()
    for i in range(0, len(plain), BATCH):
        conn.execute("BEGIN")
        conn.executemany(insert, plain[i : i + BATCH])
        conn.execute("COMMIT")
    batched = len(plain) / (time.perf_counter() - start)
    conn.close()
    return per_tx, batched


def raw_postgres(
    url: str, rows: list[tuple[Any, ...]], *, single: bool = True
) -> tuple[float, float]:
    store = resolve_store(url)
    with store.connect_postgres() as conn:
        conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{store.schema}"')
        table = f'"{store.schema}".raw_events'
        conn.execute(
            f"CREATE TABLE {table} (originator_id uuid, originator_version bigint, "
            "topic text, state bytea, PRIMARY KEY (originator_id, originator_version))"
        )
        insert = f"INSERT INTO {table} VALUES (%s, %s, %s, %s)"
        per_tx = 0.0
        if single:
            sample = rows[:ROWS_PER_TRANSACTION_SAMPLE]
            start = time.perf_counter()
            with conn.cursor() as cur:
                for row in sample:  # autocommit: each insert is its own transaction
                    cur.execute(insert, row)
            per_tx = len(sample) / (time.perf_counter() - start)
            conn.execute(f"TRUNCATE {table}")
        start = time.perf_counter()
        for i in range(0, len(rows), BATCH):
            with conn.transaction(), conn.cursor() as cur:
                cur.executemany(insert, rows[i : i + BATCH])
        batched = len(rows) / (time.perf_counter() - start)
    return per_tx, batched


def step_raw(args: argparse.Namespace) -> dict[str, Any]:
    rows = source_rows(args.source, args.rows)
    with fresh_store(args.dsn or "raw.db") as target:
        if target.startswith("postgres"):
            per_tx, batched = raw_postgres(target, rows)
        else:
            per_tx, batched = raw_sqlite(target, rows)
    return {
        "rows": len(rows),
        "per_transaction_rows_per_s": per_tx,
        "batched_rows_per_s": batched,
        "batch": BATCH,
    }


def step_export(args: argparse.Namespace) -> dict[str, Any]:
    ledger = HazardLedger(args.source)
    try:
        start = time.perf_counter()
        export_ledger(ledger, Path(args.file))
        seconds = time.perf_counter() - start
        events = ledger.recorder.max_notification_id() or 0
    finally:
        ledger.close()
    return {**throughput(events, seconds), "file_bytes": Path(args.file).stat().st_size}


def file_rows(path: Path) -> list[tuple[Any, ...]]:
    """The stored-event rows of a transfer file, decoded (what raw inserts are given)."""
    rows = []
    with path.open("rb") as f:
        next(f)
        for raw in f:
            item = orjson.loads(raw)
            if item.get("end"):
                break
            state = base64.b64decode(item["state"])
            rows.append(
                (UUID(item["originator_id"]), item["originator_version"], item["topic"], state)
            )
    return rows


def import_once(target: str, path: Path) -> tuple[int, float, float, float]:
    """Events imported, seconds, and the CPU seconds of the importing process and of
    the decoding process it starts (a child, counted once it has ended)."""
    ledger = HazardLedger(target)
    try:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = time.process_time()
        start = time.perf_counter()
        import_ledger(ledger, path)
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        decoder = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
        return ledger.recorder.max_notification_id() or 0, seconds, cpu, decoder
    finally:
        ledger.close()


def step_import(args: argparse.Namespace) -> dict[str, Any]:
    """``import-ledger`` of the file into a fresh store, against raw batched inserts of
    the same rows (1,000 per transaction) into a fresh store: alternated, median of
    ``--repeat`` each (the target: the import at half the raw rate or better). The CPU
    time per event of the importing process and of its decoding process (medians) say
    which of the two sets the pace, whatever else the machine is running."""
    path = Path(args.file)
    rows = file_rows(path)
    imports: list[float] = []
    raws: list[float] = []
    cpu: list[float] = []
    decoder_cpu: list[float] = []
    events = 0
    for _ in range(args.repeat):
        with fresh_store(args.dsn or "raw.db") as target:
            if target.startswith("postgres"):
                raws.append(raw_postgres(target, rows, single=False)[1])
            else:
                raws.append(raw_sqlite(target, rows, single=False)[1])
        with fresh_store(args.dsn or "import.db") as target:
            events, seconds, own, decoder = import_once(target, path)
            imports.append(events / seconds)
            cpu.append(own / events * 1e6)
            decoder_cpu.append(decoder / events * 1e6)
    imported, raw = statistics.median(imports), statistics.median(raws)
    return {
        "events": events,
        "events_per_s": imported,
        "raw_batched_rows_per_s": raw,
        "import_to_raw_ratio": imported / raw,
        "target_import_to_raw_ratio": IMPORT_TARGET,
        "target_met": imported / raw >= IMPORT_TARGET,
        "import_samples": imports,
        "raw_samples": raws,
        "importer_cpu_us_per_event": statistics.median(cpu),
        "decoder_cpu_us_per_event": statistics.median(decoder_cpu),
    }


STEPS = {
    "compare": step_compare,
    "bulk_compare": step_bulk_compare,
    "raw": step_raw,
    "export": step_export,
    "import": step_import,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--dsn", default=None, help="PostgreSQL: fresh schemas in this DSN")
    parser.add_argument("--store", default=None, help="SQLite file name for fresh stores")
    parser.add_argument("--source", default="", help="an existing ledger to copy rows from")
    parser.add_argument("--file", default="", help="export/import: the transfer file")
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3, help="compare: rounds of turns")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--events", type=int, default=100_000, help="bulk_compare: events")
    parser.add_argument("--repeat", type=int, default=3, help="import: runs of each, alternated")
    args = parser.parse_args()
    os.environ.setdefault("LEDGER_KEY_DIR", tempfile.mkdtemp(prefix="ledger-bench-keys-"))
    emit(STEPS[args.step](args))


if __name__ == "__main__":
    main()
