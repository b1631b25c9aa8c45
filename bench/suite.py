"""The whole benchmark in one command: every hot path at each ledger size, on each store.

    python bench/suite.py run [--stores sqlite,postgres] [--sizes 100000,1000000,10000000]
    python bench/suite.py report            # Markdown and plot from the saved figures

``run`` grows one ledger per store through the sizes given, and at each size measures
(``bench/scale.py``) reads, proofs, per-command writes, decoding, rebuilding, verifying
and disk; once per store it measures the baselines (``bench/baselines.py``: the bare
eventsourcing application, raw inserts, the bulk transfer of the smallest ledger) and
HTTP (``bench/http_bench.py``, if ``wrk`` is installed). Every step runs in a process of
its own, which reports its peak resident memory. Figures are saved after each step to
``bench/results/figures.json`` (a step already measured is skipped unless ``--again``),
then ``report`` writes ``bench/results/README.md`` and ``bench/results/cost-by-size.png``.
Stores are made in ``--work`` (SQLite) or a fresh PostgreSQL schema, and removed at the
end unless ``--keep``. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from uuid import uuid4

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
SIZE_STEPS = ["reads", "proofs", "write", "decode", "rebuild", "verify", "disk"]
DEFAULT_DSN = "postgresql://postgres@127.0.0.1:5432/test"

Figures = dict[str, Any]


def load(path: Path) -> Figures:
    return json.loads(path.read_text()) if path.exists() else {}


def save(path: Path, figures: Figures) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=1, sort_keys=True))


def measure(script: str, *args: str) -> Any:
    """Run one step in its own process; its last output line is its figures (JSON)."""
    command = [sys.executable, str(BENCH / script), *args]
    print("$", " ".join(command[1:]), flush=True)
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"step failed: {' '.join(command[1:])}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    if isinstance(result, dict):
        result["wall_s"] = time.perf_counter() - started
    print("  ", json.dumps(result)[:300], flush=True)
    return result


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.path = Path(args.out) / "figures.json"
        self.figures = load(self.path)

    def wanted(self, step: str) -> bool:
        return step not in self.args.skip and (not self.args.only or step in self.args.only)

    def record(self, keys: list[str], script: str, *args: str) -> None:
        node = self.figures
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        if keys[-1] in node and not self.args.again:
            print("  (measured before:", "/".join(keys), ")")
            return
        node[keys[-1]] = measure(script, *args)
        self.figures["machine"] = machine()
        save(self.path, self.figures)

    def store(self, kind: str) -> None:
        work = Path(self.args.work or tempfile.mkdtemp(prefix="ledger-suite-"))
        work.mkdir(parents=True, exist_ok=True)
        if kind == "sqlite":
            store, fresh = str(work / "scale.db"), ["--store", str(work / "fresh.db")]
        else:
            schema = self.args.schema or f"ledger_scale_{uuid4().hex[:8]}"
            store, fresh = f"{self.args.dsn}?schema={schema}", ["--dsn", self.args.dsn]
        print(f"== {kind}: {store}", flush=True)
        try:
            if not self.args.only:
                self.baselines(kind, store, fresh, work)
            for size in self.args.sizes:
                at = [kind, "sizes", str(size)]
                if self.wanted("grow"):
                    self.record(
                        [*at, "grow"], "scale.py", "grow", "--store", store, "--to", str(size)
                    )
                for step in SIZE_STEPS:
                    if self.wanted(step):
                        samples = self.args.write_cases if step == "write" else self.args.samples
                        self.record(
                            [*at, step],
                            "scale.py",
                            step,
                            "--store",
                            store,
                            "--samples",
                            str(samples),
                        )
                if size == self.args.sizes[0] and not self.args.only:
                    self.transfer(kind, store, fresh, work)
        finally:
            if not self.args.keep:
                drop(kind, store, work)

    def baselines(self, kind: str, store: str, fresh: list[str], work: Path) -> None:
        cases = str(self.args.write_cases)
        self.record([kind, "write_compare"], "baselines.py", "compare", "--cases", cases, *fresh)
        bulk = str(self.args.bulk_events)
        self.record(
            [kind, "bulk_compare"], "baselines.py", "bulk_compare", "--events", bulk, *fresh
        )
        if self.wanted("http") and shutil.which("wrk"):
            server = "postgres" if kind == "postgres" else "sqlite"
            self.record(
                [kind, "http"],
                "http_bench.py",
                "--json",
                "--seconds",
                "8",
                "--store",
                server,
                "--dsn",
                self.args.dsn,
            )

    def transfer(self, kind: str, store: str, fresh: list[str], work: Path) -> None:
        self.record([kind, "raw"], "baselines.py", "raw", "--source", store, *fresh)
        dump = str(work / "transfer.jsonl")
        self.record([kind, "export"], "baselines.py", "export", "--source", store, "--file", dump)
        self.record([kind, "import"], "baselines.py", "import", "--file", dump, *fresh)
        Path(dump).unlink(missing_ok=True)


def drop(kind: str, store: str, work: Path) -> None:
    if kind == "sqlite":
        for path in work.glob("scale.db*"):
            path.unlink()
        return
    sys.path.insert(0, str(BENCH.parent))
    from ledger.store import resolve_store

    resolved = resolve_store(store)
    with resolved.connect_postgres() as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{resolved.schema}" CASCADE')


def machine() -> dict[str, Any]:
    import os
    from importlib.metadata import version

    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
        "platform": platform.platform(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="measure and save the figures")
    run.add_argument("--stores", default="sqlite,postgres")
    run.add_argument("--sizes", default="100000,1000000")
    run.add_argument("--dsn", default=DEFAULT_DSN)
    run.add_argument("--schema", default=None, help="PostgreSQL schema (default: a new one)")
    run.add_argument("--work", default=None, help="directory for SQLite stores")
    run.add_argument("--out", default=str(RESULTS))
    run.add_argument("--samples", type=int, default=500, help="cases per latency figure")
    run.add_argument("--write-cases", type=int, default=300, help="cases per write figure")
    run.add_argument("--bulk-events", type=int, default=100_000, help="events per bulk figure")
    run.add_argument("--skip", default="", help="steps not to run, e.g. http,rebuild")
    run.add_argument("--only", default="", help="measure only these steps (again), e.g. proofs")
    run.add_argument("--again", action="store_true", help="measure steps measured before")
    run.add_argument("--keep", action="store_true", help="keep the stores")
    report = sub.add_parser("report", help="write the Markdown and the plot")
    report.add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    if args.command == "run":
        args.sizes = [int(s) for s in args.sizes.split(",")]
        args.skip = set(filter(None, args.skip.split(",")))
        args.only = set(filter(None, args.only.split(",")))
        args.again = args.again or bool(args.only)
        suite = Run(args)
        for kind in args.stores.split(","):
            suite.store(kind)
    from report import write_report

    write_report(Path(args.out))


if __name__ == "__main__":
    main()
