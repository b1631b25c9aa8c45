"""The write path without HTTP: report commands judged and committed in groups
(``ledger.group_commit.execute_together``), by one process or by two on one store.

    python bench/write_groups.py [--store sqlite|postgres] [--dsn DSN] [--seconds 5]
                                 [--rounds 2]

For each group size (1, 16, 64) and each number of writing processes (1, 2), in
alternating rounds, every process commits groups of report commands for ``--seconds``;
prints reports/s (the median over rounds) as a Markdown table and, last, the rows as
JSON. A group of one is ``HazardLedger.execute``: one durable commit per command. What
this leaves out is the HTTP layer, so the difference from ``http_bench.py``'s report
POSTs is what HTTP costs. Nothing here is a test: figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.composition import load_configured_sectors  # noqa: E402
from ledger import commands as c  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.enterprise import Person  # noqa: E402
from ledger.group_commit import Submission, execute_together  # noqa: E402
from ledger.identity import Actor, Role  # noqa: E402
from ledger.scope import Scope  # noqa: E402

CODE = make_credit_code("92620826MA71RKTA0")
ACTOR = Actor("bench", "基准", Role.INSPECTOR, "bench")


def seeded(store: str) -> None:
    ledger = HazardLedger(store)
    ledger.register_enterprise(
        ACTOR,
        datetime.now(tz=UTC) - timedelta(days=1),
        credit_code=CODE,
        name="基准餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p", "负责人"),
    )
    ledger.close()


def write(store: str, group: int, seconds: float, out: Any) -> None:
    """Commit groups of ``group`` reports for ``seconds``; put reports/s on ``out``."""
    ledger = HazardLedger(store, sectors=load_configured_sectors())
    command = c.ReportHazard(
        occurred_at=datetime.now(tz=UTC) - timedelta(hours=1),
        enterprise_code=CODE,
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙",
        source="grid_patrol",
        details={"premises": "restaurant", "leak_alarm_installed": False},
    )
    subs = [Submission(command, ACTOR, Scope(region_prefix="620826"))] * group
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        execute_together(ledger, subs)
        done += group
    out.put(done / (time.perf_counter() - started))
    ledger.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    cases = [(group, procs) for group in (1, 16, 64) for procs in (1, 2)]
    rates: dict[tuple[int, int], list[float]] = {case: [] for case in cases}
    schemas = []
    for _ in range(args.rounds):
        for group, procs in cases:
            if args.store == "sqlite":
                store = str(Path(tempfile.mkdtemp()) / "ledger.db")
            else:
                schemas.append(f"bench_{uuid4().hex[:10]}")
                store = f"{args.dsn}?schema={schemas[-1]}"
            seeded(store)
            out: Any = mp.get_context("spawn").Queue()
            writers = [
                mp.get_context("spawn").Process(
                    target=write, args=(store, group, args.seconds, out)
                )
                for _ in range(procs)
            ]
            for w in writers:
                w.start()
            for w in writers:
                w.join()
            rates[group, procs].append(sum(out.get() for _ in writers))
    if schemas:
        import psycopg

        with psycopg.connect(args.dsn, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    print(f"\n### Report commands in groups on {args.store}, median of {args.rounds}\n")
    print("| group | processes | reports/s |")
    print("|---|---|---|")
    rows = []
    for group, procs in cases:
        rate = statistics.median(rates[group, procs])
        rows.append({"group": group, "processes": procs, "reports_per_s": rate})
        print(f"| {group} | {procs} | {rate:,.0f} |")
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
