"""The timeline read against the trivial endpoint, interleaved: the ratio, with noise.

    python bench/timeline_ratio.py [--store sqlite|postgres] [--workers 1 2] [--rounds 3]
                                   [--seconds 4] [--cases 300] [--old-tree DIR ...]

Serves the trivial app and the ledger (``api.app:create_app``) side by side on two
ports, then alternates short wrk runs against one and the other, ``--rounds`` times, and
prints each run and the median of the per-round ratios. Measured this way, a machine
busy with other work slows both sides of a ratio alike, which back-to-back runs of
``bench/http_bench.py`` do not. ``--old-tree`` also serves the ledger from another
checkout of the code (``git archive <commit> | tar -x -C DIR``) on the same store, and
interleaves it too: before and after, in one run. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from http_bench import bench_store, drop_schema, lua_timeline, seed  # noqa: E402


def wrk_at(port: int, path: str, seconds: int, script: str | None) -> float:
    """Requests per second wrk reaches on ``port`` (2 threads, 16 connections)."""
    args = ["wrk", "-t2", "-c16", f"-d{seconds}s"] + (["-s", script] if script else [])
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    if "Non-2xx" in out:
        raise RuntimeError(f"errors answered on {path}:\n{out}")
    return float(out.split("Requests/sec:")[1].split()[0])


def serve(root: Path, target: str, port: int, workers: int, env: dict[str, str]) -> Any:
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if target.endswith("create_app"):
        args.append("--factory")
    proc = subprocess.Popen(
        args, cwd=root, env={**env, "PYTHONPATH": str(root)}, start_new_session=True
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/openapi.json", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server on {port} did not start")


def stop(proc: Any) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--cases", type=int, default=300)
    parser.add_argument(
        "--old-tree", action="append", default=[], help="also serve this checkout (repeatable)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp())
    store, schema = bench_store(args.store, args.dsn, tmp)
    token, ids = seed(store, args.cases)
    script = lua_timeline(token, ids, tmp)
    env = {**os.environ, "LEDGER_STORE": store}
    ledger = "api.app:create_app"
    sides: list[tuple[str, Path, str, str, str | None]] = [
        ("trivial", ROOT, "bench.trivial_app:app", "/ping", None)
    ]
    sides.append(("timeline", ROOT, ledger, "/", script))
    for tree in args.old_tree:
        sides.append((f"timeline ({Path(tree).name})", Path(tree), ledger, "/", script))
    figures: list[dict[str, Any]] = []
    try:
        for workers in args.workers:
            procs = [
                serve(root, target, 8770 + i, workers, env)
                for i, (_, root, target, _, _) in enumerate(sides)
            ]
            try:
                for i, (_, _, _, path, lua) in enumerate(sides):
                    wrk_at(8770 + i, path, 2, lua)  # warm-up: caches, follower catch-up
                runs: dict[str, list[float]] = {name: [] for name, *_ in sides}
                for _ in range(args.rounds):
                    for i, (name, _, _, path, lua) in enumerate(sides):
                        runs[name].append(wrk_at(8770 + i, path, args.seconds, lua))
            finally:
                for proc in procs:
                    stop(proc)
            print(f"\n{args.store}, {workers} worker(s), {args.rounds} rounds of {args.seconds}s")
            for name, rps in runs.items():
                ratios = [r / t for r, t in zip(rps, runs["trivial"], strict=True)]
                if name == "timeline":
                    figures.append(
                        {
                            "workers": workers,
                            "ratio": statistics.median(ratios),
                            "rounds": ratios,
                            "trivial_rps": runs["trivial"],
                            "timeline_rps": rps,
                        }
                    )
                print(
                    f"  {name:<22} req/s {' '.join(f'{r:7.0f}' for r in rps)}   "
                    f"÷ trivial: median {statistics.median(ratios):.2f} "
                    f"({' '.join(f'{x:.2f}' for x in ratios)})",
                    flush=True,
                )
    finally:
        drop_schema(args.dsn, schema)
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(figures))  # the last line: the figures, as bench/suite.py reads them


if __name__ == "__main__":
    main()
