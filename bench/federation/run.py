"""Federation run for real: two provinces and a nation on three PostgreSQL clusters.

    python bench/federation/run.py [--hazards 5000] [--samples 30] [--json out.json]

Starts a national cluster and, per province (甘肃 62, 广东 44), a primary with a streaming
replica, all on their own ports and data directories under /tmp (never the shared
server). Hazards are recorded in each province through the ledger
(``api.composition.open_ledger`` on a ``postgresql://`` DSN, many commands per
transaction). Then:

1. **Feed** (decision 0029, the design kept): ``api.federation.NationalFeed`` reads each
   province's notification log on its replica and folds the read models into the
   national store: events/s fed, then the lag of single hazards recorded while the feed
   follows (commit on the primary to row in the national register), and the lag in
   events under a sustained writer.
2. **Logical replication** (the alternative measured): the province's own follower
   builds its read models on its primary, a publication of those tables there, a
   subscription on another database of the national cluster: rows/s of the initial copy
   and the lag of single hazards (commit to row on the national side).
3. A national register count, ranking and campaign table answered from the national
   store only.

Everything started is stopped and its directory removed, also on failure or Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from clusters import Cluster, available, wait_replayed  # noqa: E402

from api.composition import Config, Ledger, open_ledger, read_models  # noqa: E402
from api.federation import NationalFeed, NationalStore, Province  # noqa: E402
from ledger import commands as c  # noqa: E402
from ledger.application import HazardLedger  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.enterprise import Person  # noqa: E402
from ledger.identity import Actor, Role  # noqa: E402
from ledger.scope import Scope  # noqa: E402
from ledger.unit_of_work import EVERYTHING  # noqa: E402
from projections.campaign import Period  # noqa: E402
from projections.follower import Follower  # noqa: E402

LEDGER_DB = "ledger"
PROVINCES = {
    "62": ("甘肃省", [("620826", "静宁县"), ("620802", "崆峒区"), ("620102", "城关区")]),
    "44": ("广东省", [("440305", "南山区"), ("440106", "天河区"), ("440604", "禅城区")]),
}
ENTERPRISES_PER_COUNTY = 40
COMMANDS_PER_TRANSACTION = 200


def inspector(county_name: str) -> Actor:
    return Actor("insp-bench", "检查员", Role.INSPECTOR, county_name)


def enterprise_code(county: str, i: int) -> str:
    return make_credit_code(f"92{county}MA{i:07d}")


def report(code: str, at: datetime) -> c.ReportHazard:
    return c.ReportHazard(
        occurred_at=at,
        justification=None,
        enterprise_code=code,
        sector="city_gas",
        location="后厨",
        description="燃气软管穿墙敷设，未安装可燃气体泄漏报警装置",
        source="grid_patrol",
        details={"premises": "restaurant", "leak_alarm_installed": False},
    )


def record_province(
    app: HazardLedger, counties: list[tuple[str, str]], hazards: int, *, enterprises: bool = True
) -> int:
    """Enterprises in each county, then ``hazards`` reported and graded, in batches of
    commands per transaction; returns the events recorded."""
    start = datetime.now(tz=UTC) - timedelta(hours=1)
    events = 0
    with app.batch() as work:
        for county, name in counties if enterprises else ():
            for i in range(ENTERPRISES_PER_COUNTY):
                work.execute(
                    c.RegisterEnterprise(
                        occurred_at=start,
                        justification=None,
                        credit_code=enterprise_code(county, i),
                        name=f"{name}燃气用户{i}",
                        region_code=county,
                        sectors=("city_gas",),
                        principal=Person(f"p-{county}-{i}", f"负责人{i}"),
                    ),
                    inspector(name),
                    EVERYTHING,
                    check_permission=False,
                )
                events += 1
    done = 0
    while done < hazards:
        with app.batch() as work:
            for _ in range(min(COMMANDS_PER_TRANSACTION // 2, hazards - done)):
                county, name = counties[done % len(counties)]
                at = start + timedelta(seconds=done % 3000)
                code = enterprise_code(county, done % ENTERPRISES_PER_COUNTY)
                case = work.execute(
                    report(code, at), inspector(name), EVERYTHING, check_permission=False
                )
                work.execute(
                    c.GradeHazard(
                        occurred_at=at, justification=None, case_id=case.id, grade="general"
                    ),
                    inspector(name),
                    EVERYTHING,
                    check_permission=False,
                )
                events += 2
                done += 1
    return events


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    return {
        "p50_ms": round(pick(0.5) * 1000, 1),
        "p99_ms": round(pick(0.99) * 1000, 1),
        "max_ms": round(ordered[-1] * 1000, 1),
        "mean_ms": round(statistics.mean(ordered) * 1000, 1),
    }


def visible_after(seen: Callable[[], bool], timeout: float = 30) -> float:
    start = time.perf_counter()
    while not seen():
        if time.perf_counter() - start > timeout:
            raise TimeoutError("not visible on the national side")
        time.sleep(0.002)
    return time.perf_counter() - start


def row_seen(cluster: Cluster, dbname: str, table: str, case_id: str) -> Callable[[], bool]:
    import psycopg

    conn = psycopg.connect(cluster.dsn(dbname), autocommit=True)

    def seen() -> bool:
        return (
            conn.execute(f"SELECT 1 FROM {table} WHERE case_id = %s", (case_id,)).fetchone()
            is not None
        )

    seen.conn = conn  # type: ignore[attr-defined]
    return seen


def single_hazard_lags(
    app: HazardLedger,
    county: tuple[str, str],
    samples: int,
    seen_for: Callable[[str], Callable[[], bool]],
) -> dict[str, float]:
    """Record one hazard at a time (its own durable commit) and time until it is seen."""
    lags = []
    for i in range(samples):
        case = app.execute(
            report(enterprise_code(county[0], i % 7), datetime.now(tz=UTC)), inspector(county[1])
        )
        check = seen_for(str(case.id))
        lags.append(visible_after(check))
        check.conn.close()  # type: ignore[attr-defined]
    return percentiles(lags)


def in_thread(
    target: Callable[[Callable[[], bool]], None],
) -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(target=target, args=(stop.is_set,), daemon=True)
    thread.start()
    return thread, stop


def sustained_lag(
    app: HazardLedger, county: tuple[str, str], national: Cluster, schema: str, seconds: float
) -> dict[str, Any]:
    """A writer committing 100 hazards (200 events) per transaction as fast as it can
    while the feed follows: events written per second, and the distance in events
    between the province's primary and the nation, sampled after every transaction."""
    written = 0
    distances = []
    position = (
        f"SELECT min(position) FROM {schema}.projection_tracking "
        "WHERE known_at IS NULL AND position('__' IN name) = 0"
    )
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        written += record_province(app, [county], 100, enterprises=False)
        head = int(app.recorder.max_notification_id() or 0)
        distances.append(head - int(national.sql(position, LEDGER_DB)[0][0]))
    elapsed = time.perf_counter() - start
    head = int(app.recorder.max_notification_id() or 0)
    drained = visible_after(lambda: int(national.sql(position, LEDGER_DB)[0][0]) >= head)
    rate = written / elapsed
    return {
        "events_written": written,
        "events_per_s": round(rate),
        "lag_events_p50": sorted(distances)[len(distances) // 2],
        "lag_events_max": max(distances),
        "lag_seconds_max_at_that_rate": round(max(distances) / rate, 2),
        "drained_after_writer_stopped_s": round(drained, 2),
    }


def run_feed(
    national: Cluster,
    provinces: dict[str, tuple[Cluster, Cluster, Ledger]],
    args: argparse.Namespace,
) -> dict[str, Any]:
    store = NationalStore(national.dsn(LEDGER_DB))
    models = read_models(next(iter(provinces.values()))[2].sectors)
    sources = [
        Province(code, replica.dsn(LEDGER_DB, f"prov_{code}"))
        for code, (_, replica, _) in provinces.items()
    ]
    feed = NationalFeed(store, sources, models)
    try:
        started = time.perf_counter()
        figures = feed.feed_once()
        total = time.perf_counter() - started
        size = national.sql(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'prov_62' AND c.relkind IN ('r', 'm')",
            LEDGER_DB,
        )[0][0]
        province = provinces["62"][0].sql(
            "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'prov_62' AND c.relkind IN ('r', 'm')",
            LEDGER_DB,
        )[0][0]
        fed_62 = next(f.events for f in figures if f.province == "62")
        disk = {
            "national_bytes_per_event": round(int(size) / fed_62),
            "province_events_and_log_bytes_per_event": round(int(province) / fed_62),
        }
        fed = {
            f.province: {
                "events": f.events,
                "seconds": round(f.seconds, 2),
                "events_per_s": round(f.events_per_second),
                "lag_events": f.lag_events,
            }
            for f in figures
        }
        thread, stop = in_thread(
            lambda should_stop: feed.follow(should_stop=should_stop, interval=0.02)
        )
        try:
            app = provinces["62"][2].ledger
            county = PROVINCES["62"][1][0]
            lags = single_hazard_lags(
                app,
                county,
                args.samples,
                lambda case: row_seen(national, LEDGER_DB, "national.hazard_register", case),
            )
            sustained = sustained_lag(app, county, national, "prov_62", args.sustain)
        finally:
            stop.set()
            thread.join(timeout=30)
        feed.feed_once()
        answers = national_answers(store, provinces)
        return {
            "initial": fed,
            "initial_seconds_all": round(total, 2),
            "disk_62": disk,
            "single_hazard_lag": lags,
            "sustained": sustained,
            "answers": answers,
            "sources": store.sources(),
        }
    finally:
        feed.close()


def national_answers(
    store: NationalStore, provinces: dict[str, tuple[Cluster, Cluster, Ledger]]
) -> dict[str, Any]:
    """What the nation asks, answered from the national store only (timed)."""
    sectors = next(iter(provinces.values()))[2].sectors
    reads = store.reads(sectors)
    out: dict[str, Any] = {}
    start = time.perf_counter()
    out["register_count"] = {
        code: reads.register_count(scope=Scope(region_prefix=code)) for code in provinces
    }
    out["register_count_all"] = reads.register_count(scope=Scope.everything())
    out["register_first_page_ms"] = timed_ms(
        lambda: reads.register(scope=Scope.everything(), limit=50)
    )
    month = datetime.now(tz=UTC).strftime("%Y-%m")
    ranking = reads.rankings(None, month, scope=Scope.everything())
    out["ranking_top"] = [
        (r["rank"], r["unit"], r["hazards_found"], round(r["index"], 3)) for r in ranking[:6]
    ]
    out["ranking_ms"] = timed_ms(lambda: reads.rankings(None, month, scope=Scope.everything()))
    today = datetime.now(tz=UTC).date()
    period = Period(date(today.year, 1, 1), date(today.year + 1, 1, 1))
    table = reads.campaign("sources", None, period, scope=Scope.everything())
    out["campaign_sources_rows"] = len(table.get("rows", []))
    out["campaign_ms"] = timed_ms(
        lambda: reads.campaign("sources", None, period, scope=Scope.everything())
    )
    out["seconds_all"] = round(time.perf_counter() - start, 3)
    return out


def timed_ms(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return round((time.perf_counter() - start) * 1000, 1)


def run_logical(
    national: Cluster, primary: Cluster, ledger: Ledger, code: str, args: argparse.Namespace
) -> dict[str, Any]:
    """The alternative: the province folds its own read models on its primary and
    PostgreSQL replicates the tables to the nation."""
    schema = f"prov_{code}"
    models = ledger.read_models()
    follower = Follower(ledger.ledger, models)
    try:
        started = time.perf_counter()
        follower.catch_up()
        fold_seconds = time.perf_counter() - started
        tables = [t for m in models for t in m.tables]
        names = ", ".join(f"{schema}.{t.name}" for t in tables)
        primary.sql(f"CREATE PUBLICATION national_{code} FOR TABLE {names}", LEDGER_DB)
        national.sql("CREATE DATABASE national_lr")
        national.sql(f"CREATE SCHEMA {schema}", "national_lr")
        for t in tables:
            cols = ", ".join(f"{n} {'BIGINT' if ty == 'INTEGER' else ty}" for n, ty in t.columns)
            national.sql(
                f"CREATE TABLE {schema}.{t.name} ({cols}, PRIMARY KEY ({', '.join(t.key)}))",
                "national_lr",
            )
        rows = sum(
            int(primary.sql(f"SELECT count(*) FROM {schema}.{t.name}", LEDGER_DB)[0][0])
            for t in tables
        )
        started = time.perf_counter()
        national.sql(
            f"CREATE SUBSCRIPTION national_{code} "
            f"CONNECTION '{primary.dsn(LEDGER_DB)}' PUBLICATION national_{code}",
            "national_lr",
        )
        while national.sql(
            "SELECT count(*) FROM pg_subscription_rel WHERE srsubstate <> 'r'", "national_lr"
        )[0][0]:
            time.sleep(0.05)
        copy_seconds = time.perf_counter() - started
        # A backlog through the whole path: recorded while nothing folds, then the
        # province's fold on its primary and the row changes streamed to the nation.
        backlog = record_province(
            ledger.ledger, PROVINCES[code][1], args.hazards, enterprises=False
        )
        count = f"SELECT count(*) FROM {schema}.hazard_register"
        started = time.perf_counter()
        follower.catch_up()
        folded = time.perf_counter() - started
        want = primary.sql(count, LEDGER_DB)[0][0]
        while national.sql(count, "national_lr")[0][0] != want:
            time.sleep(0.01)
        streamed = time.perf_counter() - started
        thread, stop = in_thread(
            lambda should_stop: follower.follow(should_stop=should_stop, poll_interval=0.5)
        )
        try:
            county = PROVINCES[code][1][0]
            lags = single_hazard_lags(
                ledger.ledger,
                county,
                args.samples,
                lambda case: row_seen(national, "national_lr", f"{schema}.hazard_register", case),
            )
        finally:
            stop.set()
            thread.join(timeout=30)
        # A read model's new version is rebuilt into new tables and swapped in (drop,
        # rename): DDL that logical replication does not carry.
        follower.rebuild(["hazard_register"])
        after = ledger.ledger.execute(
            report(enterprise_code(county[0], 0), datetime.now(tz=UTC)), inspector(county[1])
        )
        follower.catch_up()
        check = row_seen(national, "national_lr", f"{schema}.hazard_register", str(after.id))
        try:
            seen_after_rebuild = visible_after(check, timeout=5) < 5
        except TimeoutError:
            seen_after_rebuild = False
        check.conn.close()  # type: ignore[attr-defined]
        national.sql(f"DROP SUBSCRIPTION national_{code}", "national_lr")
        return {
            "hazard_seen_after_a_province_rebuild": seen_after_rebuild,
            "province_fold_seconds": round(fold_seconds, 2),
            "rows_copied": rows,
            "initial_copy_seconds": round(copy_seconds, 2),
            "rows_per_s": round(rows / copy_seconds),
            "backlog_events": backlog,
            "backlog_fold_on_primary_s": round(folded, 2),
            "backlog_at_nation_s": round(streamed, 2),
            "backlog_events_per_s": round(backlog / streamed),
            "single_hazard_lag": lags,
        }
    finally:
        follower.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--hazards", type=int, default=5000, help="hazards recorded per province")
    parser.add_argument("--samples", type=int, default=30, help="single hazards timed for lag")
    parser.add_argument("--sustain", type=float, default=10.0, help="seconds of sustained writing")
    parser.add_argument(
        "--no-logical", action="store_true", help="skip the logical replication run"
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    # Signing keys of this run's provinces live and die with it.
    os.environ["LEDGER_KEY_DIR"] = tempfile.mkdtemp(prefix="ledger-federation-keys-")
    why = available()
    if why:
        sys.exit(f"cannot start clusters: {why}")
    started: list[Cluster] = []
    opened: list[Ledger] = []
    result: dict[str, Any] = {"hazards_per_province": args.hazards}
    try:
        national = Cluster("national").init().start()
        started.append(national)
        national.sql(f"CREATE DATABASE {LEDGER_DB}")
        provinces: dict[str, tuple[Cluster, Cluster, Ledger]] = {}
        for code, (name, counties) in PROVINCES.items():
            primary = Cluster(f"p{code}").init().start()
            started.append(primary)
            primary.sql(f"CREATE DATABASE {LEDGER_DB}")
            replica = primary.replica(f"p{code}-replica")
            started.append(replica)
            ledger = open_ledger(Config(store=primary.dsn(LEDGER_DB, f"prov_{code}")))
            opened.append(ledger)
            t0 = time.perf_counter()
            events = record_province(ledger.ledger, counties, args.hazards)
            seconds = time.perf_counter() - t0
            replay = wait_replayed(primary, replica)
            result.setdefault("recorded", {})[code] = {
                "province": name,
                "events": events,
                "events_per_s": round(events / seconds),
                "replica_caught_up_s": round(replay, 3),
            }
            provinces[code] = (primary, replica, ledger)
            print(
                f"{name} ({code}): {events} events recorded at {events / seconds:,.0f}/s; "
                f"replica caught up {replay:.2f}s later",
                flush=True,
            )
        result["feed"] = run_feed(national, provinces, args)
        print(
            "feed:", orjson.dumps(result["feed"], option=orjson.OPT_INDENT_2).decode(), flush=True
        )
        if not args.no_logical:
            primary, _, ledger = provinces["62"]
            result["logical_replication"] = run_logical(national, primary, ledger, "62", args)
            print(
                "logical replication:",
                orjson.dumps(result["logical_replication"], option=orjson.OPT_INDENT_2).decode(),
                flush=True,
            )
    finally:
        for ledger in opened:
            ledger.close()
        for cluster in reversed(started):
            cluster.stop_and_remove()
        shutil.rmtree(os.environ["LEDGER_KEY_DIR"], ignore_errors=True)
    if args.json:
        args.json.write_text(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
