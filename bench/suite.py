"""The whole benchmark in one command: every hot path at each ledger size, on each store.

    python bench/suite.py run [--stores sqlite,postgres] [--sizes 100000,1000000,10000000]
    python bench/suite.py run --only rebuild,verify --stores sqlite --sizes 10000000 \\
        --store /path/to/a/grown/ledger.db        # some steps, on a ledger grown before
    python bench/suite.py report      # Markdown, plot and targets from the saved figures
    python bench/suite.py targets     # only the table of targets, on stdout

``run`` measures, for each store:

- once per store, each on fresh stores of its own: ``write_compare`` (whole hazard
  lives, one command per transaction, through the ledger and through the bare
  eventsourcing application taking turns case by case, ``bench/baselines.py compare``,
  the median of ``--rounds`` rounds' ratios), ``bulk_compare`` (the generator's
  bulk saves, ledger and bare), ``http`` (``bench/http_bench.py``: trivial endpoint,
  timeline GET and report POSTs, 1 and 2 workers, the POSTs' run of median rate among
  ``--rounds`` runs per worker count; needs ``wrk``), ``timeline``
  (``bench/timeline_ratio.py``: the timeline GET and the trivial endpoint served side
  by side, wrk runs alternating, ``--rounds`` of them) and ``workbook``
  (``bench/workbook_import.py``: the officials' workbook import);
- at each size, after ``grow`` (the demo generator's events, until the ledger holds
  that many): ``reads``, ``proofs``, ``write`` (``bench/scale.py``), ``rebuild``
  (``bench/rebuild.py --rounds``: read-and-decode and the rebuild of every read model,
  alternating, each in a process of its own with its peak memory, the median round's
  ratio kept), ``verify`` and ``disk``;
- at the first size: ``raw`` (the stored rows copied into a plain table, one per
  transaction and in batches), ``export`` and ``import`` (``ledger export-ledger`` /
  ``import-ledger``); ``transfer`` names the three.

``--only`` names the steps to measure (again), ``--skip`` the steps to leave out; a size
step on a ledger smaller than its size grows it first, without recording that growth
unless ``grow`` is named; nothing is measured at a size far below the ledger's. Every
step runs in a process of its own and figures are saved after each to
``bench/results/figures.json`` (a step measured before is skipped unless ``--again`` or
``--only``), each with the machine's load average when it started. Then
``report`` writes ``bench/results/README.md`` (the targets of the ledger beside what was
measured, every table) and ``bench/results/cost-by-size.png``, and prints the targets.
Stores are made in ``--work`` (SQLite) or a fresh PostgreSQL schema and removed at the
end unless ``--keep``; a store named with ``--store`` or ``--schema`` is never removed.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
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
STORE_STEPS = ["write_compare", "bulk_compare", "http", "timeline", "workbook"]
SIZE_STEPS = ["reads", "proofs", "write", "rebuild", "verify", "disk"]
TRANSFER_STEPS = ["raw", "export", "import"]
GROUPS = {"transfer": TRANSFER_STEPS, "baselines": ["write_compare", "bulk_compare"]}
STEPS = [*STORE_STEPS, "grow", *SIZE_STEPS, *TRANSFER_STEPS]
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
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise StepFailed(f"step failed: {' '.join(command[1:])}")
    try:
        result = json.loads((done.stdout.strip().splitlines() or [""])[-1])
    except ValueError:
        sys.stderr.write(done.stdout[-3000:])
        shown = " ".join(command[1:])
        raise StepFailed(f"no figures (a last line of JSON) from: {shown}") from None
    if isinstance(result, dict):
        result["wall_s"] = time.perf_counter() - started
        result["load_before"] = load_before
    print("  ", json.dumps(result)[:300], flush=True)
    return result


class StepFailed(Exception):
    """A step that failed or printed no figures: the run goes on without them."""


class Run:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.path = Path(args.out) / "figures.json"
        self.figures = load(self.path)
        self.failed: list[str] = []

    def wanted(self, step: str) -> bool:
        return step not in self.args.skip and (not self.args.only or step in self.args.only)

    def record(self, keys: list[str], script: str, *args: str) -> None:
        node = self.figures
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        if keys[-1] in node and not self.args.again:
            print("  (measured before:", "/".join(keys), ")")
            return
        try:
            node[keys[-1]] = measure(script, *args)
        except StepFailed as failed:
            print(f"  {failed}; going on without it", flush=True)
            self.failed.append("/".join(keys))
            return
        self.figures["machine"] = machine()
        if self.args.label:
            self.figures["label"] = self.args.label
        save(self.path, self.figures)

    def store(self, kind: str) -> None:
        work = Path(self.args.work or tempfile.mkdtemp(prefix="ledger-suite-"))
        work.mkdir(parents=True, exist_ok=True)
        if kind == "sqlite":
            store = self.args.store or str(work / "scale.db")
            fresh = ["--store", str(work / "fresh.db")]
            made_here = not self.args.store
        else:
            schema = self.args.schema or f"ledger_scale_{uuid4().hex[:8]}"
            store, fresh = f"{self.args.dsn}?schema={schema}", ["--dsn", self.args.dsn]
            made_here = not self.args.schema
        print(f"== {kind}: {store}", flush=True)
        try:
            self.store_steps(kind, fresh)
            for size in self.args.sizes:
                if self.size_steps(kind, store, size) and size == self.args.sizes[0]:
                    self.transfer(kind, store, fresh, work)
        except StepFailed as failed:  # the ledger could not be grown or exported
            print(f"  {failed}; nothing more on {kind}", flush=True)
            self.failed.append(kind)
        finally:
            if made_here and not self.args.keep:
                drop(kind, store, work)

    def store_steps(self, kind: str, fresh: list[str]) -> None:
        if self.wanted("write_compare"):
            cases = str(self.args.write_cases)
            rounds = str(self.args.rounds)
            self.record(
                [kind, "write_compare"],
                "baselines.py",
                "compare",
                "--cases",
                cases,
                "--rounds",
                rounds,
                *fresh,
            )
        if self.wanted("bulk_compare"):
            bulk = str(self.args.bulk_events)
            self.record(
                [kind, "bulk_compare"], "baselines.py", "bulk_compare", "--events", bulk, *fresh
            )
        if self.wanted("http"):
            if shutil.which("wrk"):
                self.record(
                    [kind, "http"],
                    "http_bench.py",
                    "--json",
                    "--seconds",
                    str(self.args.http_seconds),
                    "--store",
                    kind,
                    "--dsn",
                    self.args.dsn,
                    "--write-rounds",
                    str(self.args.rounds),
                )
            else:
                print("  (http: wrk is not installed; apt-get install wrk)")
        if self.wanted("timeline") and shutil.which("wrk"):
            self.record(
                [kind, "timeline"],
                "timeline_ratio.py",
                "--store",
                kind,
                "--dsn",
                self.args.dsn,
                "--workers",
                "1",
                "2",
                "--rounds",
                str(self.args.rounds),
            )
        if self.wanted("workbook"):
            self.workbook(kind)

    def workbook(self, kind: str) -> None:
        rows = ["--rows", str(self.args.workbook_rows)]
        if kind == "sqlite":
            self.record([kind, "workbook"], "workbook_import.py", *rows)
            return
        schema = f"ledger_workbook_{uuid4().hex[:8]}"
        store = f"{self.args.dsn}?schema={schema}"
        try:
            self.record([kind, "workbook"], "workbook_import.py", *rows, "--store", store)
        finally:
            drop(kind, store, Path())

    def size_steps(self, kind: str, store: str, size: int) -> bool:
        """The steps at one size; False if the ledger is far larger than ``size``."""
        at = [kind, "sizes", str(size)]
        needed = [s for s in SIZE_STEPS if self.wanted(s)]
        transfer = size == self.args.sizes[0] and any(self.wanted(s) for s in TRANSFER_STEPS)
        if not (needed or transfer or self.wanted("grow")):
            return True
        if self.wanted("grow"):
            self.record([*at, "grow"], "scale.py", "grow", "--store", store, "--to", str(size))
        events = self.grow_unrecorded(at, store, size)  # nothing to add if grown above
        if events > max(size * 1.5, size + 20_000):  # a ledger grown for a larger size
            print(
                f"  the ledger holds {events:,} events, not {size:,}: nothing measured at {size:,}"
            )
            self.failed.append("/".join(at))
            return False
        for step in needed:
            if step == "rebuild":
                self.record(
                    [*at, step],
                    "rebuild.py",
                    "--store",
                    store,
                    "--reuse",
                    "--rounds",
                    str(self.args.rounds),
                    "--json",
                )
                continue
            samples = self.args.write_cases if step == "write" else self.args.samples
            rounds = ["--rounds", str(self.args.rounds)] if step == "verify" else []
            self.record(
                [*at, step], "scale.py", step, "--store", store, "--samples", str(samples), *rounds
            )
        return True

    def grow_unrecorded(self, at: list[str], store: str, size: int) -> int:
        """Grow a ledger smaller than ``size`` (a step was asked for at that size); the
        growth is recorded only if none was before, so a re-measured step never
        replaces the figures of the growth that made the ledger. Returns the number of
        events the ledger holds."""
        grown = measure("scale.py", "grow", "--store", store, "--to", str(size))
        if grown.get("events_written"):
            node = self.figures.setdefault(at[0], {}).setdefault(at[1], {})
            node = node.setdefault(at[2], {})
            if "grow" not in node:
                node["grow"] = grown
                save(self.path, self.figures)
        return int(grown.get("ledger_events") or 0)

    def transfer(self, kind: str, store: str, fresh: list[str], work: Path) -> None:
        if self.wanted("raw"):
            self.record([kind, "raw"], "baselines.py", "raw", "--source", store, *fresh)
        dump = str(work / "transfer.jsonl")
        if self.wanted("import") and not Path(dump).exists() and not self.wanted("export"):
            measure("baselines.py", "export", "--source", store, "--file", dump)
        if self.wanted("export"):
            self.record(
                [kind, "export"], "baselines.py", "export", "--source", store, "--file", dump
            )
        if self.wanted("import"):
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
    from importlib.metadata import version

    memory = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "eventsourcing": version("eventsourcing"),
        "platform": platform.platform(),
    }


def steps_named(text: str) -> set[str]:
    names: set[str] = set()
    for name in filter(None, text.split(",")):
        if name not in STEPS and name not in GROUPS:
            raise SystemExit(f"no step {name!r}; steps: {', '.join([*STEPS, *GROUPS])}")
        names.update(GROUPS.get(name, [name]))
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="measure and save the figures")
    run.add_argument("--stores", default="sqlite,postgres")
    run.add_argument("--sizes", default="100000,1000000")
    run.add_argument("--dsn", default=DEFAULT_DSN)
    run.add_argument("--schema", default=None, help="PostgreSQL schema (default: a new one)")
    run.add_argument("--store", default=None, help="SQLite ledger to use (default: in --work)")
    run.add_argument("--work", default=None, help="directory for SQLite stores")
    run.add_argument("--out", default=str(RESULTS))
    run.add_argument("--samples", type=int, default=500, help="cases per latency figure")
    run.add_argument("--write-cases", type=int, default=300, help="cases per write figure")
    run.add_argument("--bulk-events", type=int, default=100_000, help="events per bulk figure")
    run.add_argument("--workbook-rows", type=int, default=20_000, help="rows of the workbook")
    run.add_argument("--http-seconds", type=int, default=8, help="seconds per wrk run")
    run.add_argument("--rounds", type=int, default=3, help="rounds of each A/B comparison")
    run.add_argument("--skip", default="", help="steps not to run, e.g. http,rebuild")
    run.add_argument("--only", default="", help="measure only these steps (again), e.g. proofs")
    run.add_argument("--again", action="store_true", help="measure steps measured before")
    run.add_argument("--keep", action="store_true", help="keep the stores made here")
    run.add_argument("--label", default="", help="a note kept with the figures (e.g. busy)")
    for name, text in (("report", "write the Markdown and the plot"), ("targets", "print them")):
        sub.add_parser(name, help=text).add_argument("--out", default=str(RESULTS))
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    from report import print_targets, write_report

    if args.command == "targets":
        print_targets(load(Path(args.out) / "figures.json"))
        return
    if args.command == "run":
        args.sizes = [int(s) for s in args.sizes.split(",")]
        args.skip = steps_named(args.skip)
        args.only = steps_named(args.only)
        args.again = args.again or bool(args.only)
        suite = Run(args)
        for kind in args.stores.split(","):
            suite.store(kind)
    write_report(Path(args.out))
    if args.command == "run" and suite.failed:
        raise SystemExit(f"steps that failed (not measured): {', '.join(suite.failed)}")


if __name__ == "__main__":
    main()
