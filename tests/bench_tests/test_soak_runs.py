"""The soak benchmark still runs (for a few seconds, on both stores).

Like the other benchmark scripts, its figures are printed, never asserted: this checks
only that it completes, prints a line per interval and its totals, reads the server's
memory, exercises writes and reads, and drops the PostgreSQL schema it made.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.bench_tests.test_bench_scripts_run import run
from tests.conftest import PG_DSN_VAR, postgres_dsn


def test_soak_prints_intervals_totals_and_server_memory(tmp_path: Path, store_kind: str) -> None:
    figures = tmp_path / "soak.json"
    args = ["--store", store_kind, "--minutes", "0.1", "--interval", "2", "--clients", "2",
            "--rate", "40", "--json", str(figures)]  # fmt: skip
    dsn = postgres_dsn()
    if store_kind == "postgres":
        if dsn is None:
            pytest.skip(f"PostgreSQL case skipped: set {PG_DSN_VAR} to run it")
        args += ["--dsn", dsn]
    out = run(tmp_path, "soak.py", *args)
    result = json.loads(figures.read_text())
    assert "### Soak on" in out and out.count(" req (") == len(result["intervals"]) >= 2
    assert all(p["rss_mib"] > 0 for i in result["intervals"] for p in i["server"])
    assert {"growth_mib", "processes"} <= set(result["memory"])
    kinds = set(result["totals"]["latency_ms"])
    assert {"report", "grade"} <= kinds and kinds & {"case", "timeline", "register"}
    if store_kind == "postgres":
        import psycopg

        assert dsn is not None and result["schema"]
        with psycopg.connect(dsn) as conn:
            left = conn.execute(
                "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s",
                [result["schema"]],
            ).fetchall()
        assert left == [], "the soak's schema was not dropped"
