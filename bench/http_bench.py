"""HTTP throughput and latency: a case timeline read and a hazard report write, next to
a trivial FastAPI endpoint served the same way in the same run (the ratio is the figure).

    python bench/http_bench.py [--store sqlite|postgres] [--cases 2000] [--seconds 10]
                               [--ab-rev REV] [--rounds 3]

Starts uvicorn with 1 and 2 workers on 127.0.0.1, loads it with wrk (Debian package
``wrk``), prints a Markdown table. The report POST runs with 16 connections, the load
issue #19 sets its write target for (group commit: ≥ 3,000 POSTs/s on SQLite, ≥ 1,500 on
PostgreSQL, p99 ≤ 50 ms, at most 2 workers); the target is printed beside the figure.

``--ab-rev REV`` also serves the code of git revision REV (a temporary worktree) and
loads old and new alternately, ``--rounds`` times each, with the same 16 connections,
printing the medians and their ratio: the write path before and after a change,
measured in one run on the same machine.

Nothing here is a test: figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.users import User, directory_for  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.enterprise import Person  # noqa: E402
from ledger.identity import Actor, Role  # noqa: E402

PORT = 8765
"""The port of the server running now: a free one is taken for each server (other
benchmarks on the machine serve on fixed ports)."""
CODE = make_credit_code("92620826MA71RKTA0")
#: Concurrent clients of the write run, and issue #19's targets for it.
WRITERS = 16
WRITE_TARGET_RPS = {"sqlite": 3000, "postgres": 1500}
WRITE_TARGET_P99_MS = 50.0


def bench_store(kind: str, dsn: str, tmp: Path) -> tuple[str, str | None]:
    """A new store of ``kind`` for one run: its setting, and its schema on PostgreSQL
    (for ``drop_schema`` afterwards)."""
    if kind == "sqlite":
        return str(tmp / "ledger.db"), None
    schema = f"bench_{uuid4().hex[:10]}"
    return f"{dsn}?schema={schema}", schema


def drop_schema(dsn: str, schema: str | None) -> None:
    """Remove the PostgreSQL schema ``bench_store`` made (nothing for SQLite)."""
    if schema:
        import psycopg

        with psycopg.connect(dsn, autocommit=True) as c:
            c.execute(f'DROP SCHEMA "{schema}" CASCADE')


def seed(store: str, cases: int) -> tuple[str, list[str]]:
    start = datetime.now(tz=UTC) - timedelta(days=1)
    ledger = HazardLedger(store, clock=lambda: start)
    actor = Actor("bench", "基准", Role.INSPECTOR, "bench")
    ledger.register_enterprise(
        actor,
        start,
        credit_code=CODE,
        name="基准餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p", "负责人"),
    )
    ids = []
    for _ in range(cases):
        cid = ledger.report_hazard(
            actor,
            start,
            enterprise_code=CODE,
            sector="city_gas",
            location="后厨",
            description="燃气软管穿墙",
            source="grid_patrol",
            details={"premises": "restaurant", "leak_alarm_installed": False},
        )
        ledger.grade_hazard(actor, start, cid, grade="general")
        ledger.assign_rectification(
            actor,
            start,
            cid,
            department="住建局",
            deadline=start + timedelta(days=15),
            requirements="整改",
        )
        ids.append(str(cid))
    token = directory_for(ledger).add(
        User("bench", "基准", Role.INSPECTOR, "bench", "620826"), now=datetime.now(tz=UTC)
    )
    ledger.close()
    return token, ids


def serve(
    target: str, workers: int, env: dict[str, str], cwd: Path = ROOT
) -> subprocess.Popen[bytes]:
    global PORT
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        PORT = probe.getsockname()[1]
    # The product's own way of serving (``ledger serve``: a socket per worker), where
    # the code served has it; an older tree is served by uvicorn itself.
    server = "api.serving" if (cwd / "api" / "serving.py").exists() else "uvicorn"
    args = [
        sys.executable,
        "-m",
        server,
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(PORT),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    if target.endswith("create_app"):
        args.append("--factory")
    proc = subprocess.Popen(args, cwd=cwd, env=env, start_new_session=True)
    for _ in range(600):  # a busy machine can take a minute to start two workers
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/openapi.json", timeout=1)
            return proc
        except OSError:
            time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGTERM)
    raise RuntimeError("server did not start")


def peak_rss_mib(group: int) -> float:
    """The largest peak resident size (VmHWM) among the server's processes."""
    peak = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            stat = (status.parent / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[2]) != group:
                continue
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return peak / 1024


def stop(proc: subprocess.Popen[bytes]) -> float:
    """Stop the server; returns its peak resident memory in MiB."""
    peak = peak_rss_mib(proc.pid)
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)
    return peak


def wrk(
    path: str, seconds: int, script: str | None = None, connections: int = 16
) -> dict[str, float]:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        args += ["-s", script]
    out = subprocess.run(
        [*args, f"http://127.0.0.1:{PORT}{path}"], capture_output=True, text=True, check=True
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]

    def ms(label: str) -> float:
        m = re.search(rf"{label}%\s+([\d.]+)(us|ms|s)", out)
        assert m, out
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rps": rps,
        "p50": ms("50"),
        "p99": ms("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


def lua_timeline(token: str, ids: list[str], directory: Path) -> str:
    path = directory / "timeline.lua"
    id_list = ",".join(f'"{i}"' for i in ids)
    path.write_text(
        f"local ids = {{{id_list}}}\n"
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        "request = function()\n"
        '  return wrk.format("GET", "/hazards/" .. ids[math.random(#ids)] .. "/timeline")\n'
        "end\n"
    )
    return str(path)


def lua_report(token: str, directory: Path) -> str:
    path = directory / "report.lua"
    body = (
        '{"occurred_at":"' + (datetime.now(tz=UTC) - timedelta(hours=1)).isoformat() + '",'
        f'"enterprise_code":"{CODE}","sector":"city_gas","location":"后厨",'
        '"description":"燃气软管穿墙","source":"grid_patrol",'
        '"details":{"premises":"restaurant","leak_alarm_installed":false}}'
    )
    path.write_text(
        'wrk.method = "POST"\n'
        f'wrk.headers["Authorization"] = "Bearer {token}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        f"wrk.body = [[{body}]]\n"
    )
    return str(path)


def write_run(
    token: str, tmp: Path, seconds: int, workers: int, env: dict[str, str], cwd: Path = ROOT
) -> dict[str, float]:
    """Report POSTs from ``WRITERS`` connections against a fresh server of ``cwd``'s code."""
    proc = serve("api.app:create_app", workers, {**env, "PYTHONPATH": str(cwd)}, cwd)
    try:
        wrk("/hazards", 2, lua_report(token, tmp), connections=WRITERS)  # warm up
        return wrk("/hazards", seconds, lua_report(token, tmp), connections=WRITERS)
    finally:
        stop(proc)


@contextmanager
def worktree(rev: str) -> Iterator[Path]:
    """The code of git revision ``rev`` checked out in a temporary directory."""
    path = Path(tempfile.mkdtemp(prefix="ledger-ab-")) / "tree"
    subprocess.run(
        ["git", "worktree", "add", "--detach", str(path), rev],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    try:
        yield path
    finally:
        subprocess.run(
            ["git", "worktree", "remove", "--force", str(path)], cwd=ROOT, capture_output=True
        )


def write_ab(
    token: str,
    tmp: Path,
    seconds: int,
    workers: int,
    env: dict[str, str],
    old: Path,
    new: Path,
    rounds: int,
) -> dict[str, Any]:
    """Old code and new code under the same write load, alternating; medians."""
    runs: dict[str, list[dict[str, float]]] = {"old": [], "new": []}
    for _ in range(rounds):
        runs["old"].append(write_run(token, tmp, seconds, workers, env, old))
        runs["new"].append(write_run(token, tmp, seconds, workers, env, new))
    result: dict[str, Any] = {"workers": workers, "rounds": rounds}
    for name, done in runs.items():
        result[name] = {
            key: statistics.median(r[key] for r in done) for key in ("rps", "p50", "p99")
        }
        result[name]["errors"] = sum(r["errors"] for r in done)
    result["rps_ratio"] = result["new"]["rps"] / result["old"]["rps"]
    return result


def median_writes(
    rows: list[tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]],
    token: str,
    tmp: Path,
    seconds: int,
    env: dict[str, str],
    rounds: int,
) -> list[tuple[int, dict[str, Any], dict[str, Any], dict[str, Any]]]:
    """``rows`` with each write figure the run of median POSTs/s among ``rounds`` runs:
    the first one's and ``rounds - 1`` more, the worker counts taking turns, so that a
    quiet or busy moment of a shared machine does not decide the figure alone. Every
    run's figures stay in the row's ``runs``."""
    runs: dict[int, list[dict[str, Any]]] = {w: [write] for w, _, _, write in rows}
    for _ in range(rounds - 1):
        for workers in runs:
            run = write_run(token, tmp, seconds, workers, env)
            run.update(connections=WRITERS, target_rps=rows[0][3]["target_rps"])
            run["target_p99_ms"] = WRITE_TARGET_P99_MS
            runs[workers].append(run)
    done = []
    for workers, trivial, read, _ in rows:
        taken = runs[workers]
        median = sorted(taken, key=lambda r: r["rps"])[(len(taken) - 1) // 2]
        median = {
            **median,
            "runs": [{k: r[k] for k in ("rps", "p50", "p99", "errors")} for r in taken],
        }
        done.append((workers, trivial, read, median))
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="also print the rows as JSON")
    parser.add_argument("--ab-rev", help="also compare the write run with this git revision")
    parser.add_argument(
        "--ab-new", help="the revision to compare it with (default: this working tree)"
    )
    parser.add_argument("--rounds", type=int, default=3, help="A/B rounds (median)")
    parser.add_argument(
        "--write-rounds",
        type=int,
        default=1,
        help="report POST runs per worker count, alternating 1 and 2 workers, each on a "
        "fresh server after the first; the run of median POSTs/s is the figure",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    tmp = Path(tempfile.mkdtemp())
    store, schema = bench_store(args.store, args.dsn, tmp)
    token, ids = seed(store, args.cases)
    env = {**os.environ, "LEDGER_STORE": store, "PYTHONPATH": str(ROOT)}
    rows = []
    abs_: list[dict[str, Any]] = []
    target = WRITE_TARGET_RPS[args.store]
    try:
        for workers in (1, 2):
            proc = serve("bench.trivial_app:app", workers, env)
            trivial = wrk("/ping", args.seconds)
            trivial["server_peak_rss_mib"] = stop(proc)
            proc = serve("api.app:create_app", workers, env)
            # Warm up: the process's read-model follower catches up on start, and each
            # worker's token and page caches fill; this run's figures are discarded.
            wrk("/", 3, lua_timeline(token, ids, tmp))
            read = wrk("/", args.seconds, lua_timeline(token, ids, tmp))
            write = wrk("/hazards", args.seconds, lua_report(token, tmp), connections=WRITERS)
            read["server_peak_rss_mib"] = write["server_peak_rss_mib"] = stop(proc)
            write.update(connections=WRITERS, target_rps=target, target_p99_ms=WRITE_TARGET_P99_MS)
            rows.append((workers, trivial, read, write))
        rows = median_writes(rows, token, tmp, args.seconds, env, args.write_rounds)
        if args.ab_rev:
            with ExitStack() as trees:
                old = trees.enter_context(worktree(args.ab_rev))
                new = trees.enter_context(worktree(args.ab_new)) if args.ab_new else ROOT
                for workers in (1, 2):
                    abs_.append(
                        write_ab(token, tmp, args.seconds, workers, env, old, new, args.rounds)
                    )
    finally:
        drop_schema(args.dsn, schema)
    print(f"\n### HTTP on {args.store} ({args.cases} cases, {args.seconds}s per run, wrk -t2)\n")
    print(
        "| workers | endpoint | req/s | p50 ms | p99 ms | non-2xx | req/s ÷ trivial "
        "| p99 ÷ trivial |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for workers, trivial, read, write in rows:
        for name, r in (
            ("trivial GET /ping", trivial),
            ("GET case timeline", read),
            ("POST hazard report", write),
        ):
            ratio_rps = r["rps"] / trivial["rps"]
            ratio_p99 = r["p99"] / trivial["p99"]
            print(
                f"| {workers} | {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | "
                f"{r['errors']} | {ratio_rps:.2f} | {ratio_p99:.2f} |"
            )
    print(
        f"\n### Report POSTs, {WRITERS} connections, on {args.store} "
        f"(target ≥ {target:,}/s, p99 ≤ {WRITE_TARGET_P99_MS:.0f} ms, at most 2 workers; "
        f"the run of median POSTs/s of {args.write_rounds})\n"
    )
    print("| workers | POSTs/s | p50 ms | p99 ms | non-2xx | ÷ target POSTs/s | target met |")
    print("|---|---|---|---|---|---|---|")
    for workers, _, _, write in rows:
        met = write["rps"] >= target and write["p99"] <= WRITE_TARGET_P99_MS
        print(
            f"| {workers} | {write['rps']:.0f} | {write['p50']:.2f} | {write['p99']:.2f} "
            f"| {write['errors']} | {write['rps'] / target:.2f} | {'yes' if met else 'no'} |"
        )
    if abs_:
        print(
            f"\n### Report POSTs, {args.ab_rev} (old) against {args.ab_new or 'this tree'} "
            f"(new), alternating, "
            f"median of {args.rounds}\n"
        )
        print("| workers | old POSTs/s | new POSTs/s | new ÷ old | old p99 ms | new p99 ms |")
        print("|---|---|---|---|---|---|")
        for ab in abs_:
            print(
                f"| {ab['workers']} | {ab['old']['rps']:.0f} | {ab['new']['rps']:.0f} "
                f"| {ab['rps_ratio']:.2f} | {ab['old']['p99']:.2f} | {ab['new']['p99']:.2f} |"
            )
    if args.json:
        out: list[dict[str, Any]] = [
            {"workers": workers, "trivial": trivial, "read": read, "write": write}
            for workers, trivial, read, write in rows
        ]
        for row, ab in zip(out, abs_, strict=False):
            row["write_ab"] = ab
        print(json.dumps(out))


if __name__ == "__main__":
    main()
