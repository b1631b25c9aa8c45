"""How long the accountability review takes, and what the enterprise index costs.

Builds a county of enterprises (each with hazards walked to closure, plus one
warning letter), then times ``build_review`` for one enterprise as the ledger grows,
with and without the integrity log's proofs. The index scans creation events of the
whole ledger, so the ratio "review time / total events" is the figure to watch until the
enterprise-profile read model replaces the scan.

    python bench/review_bench.py [--store PATH_OR_DSN] [--enterprises 50 200] [--cases 5]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.identity import Actor, Role
from ledger.review.report import build_review

INSPECTOR = Actor("insp-1", "张建国", Role.INSPECTOR, "城关镇")
OFFICIAL = Actor("dept-1", "李明", Role.DEPARTMENT, "住建局")
CHECKER = Actor("dept-2", "周强", Role.DEPARTMENT, "住建局")
ENTERPRISE = Actor("ent-1", "王五", Role.ENTERPRISE, "")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def code_for(i: int) -> str:
    return make_credit_code(f"91620826MA{i:07d}")


def populate(app: HazardLedger, clock: Clock, first: int, count: int, cases: int) -> None:
    for i in range(first, first + count):
        code = code_for(i)
        clock.now = START
        app.register_enterprise(
            INSPECTOR,
            START,
            credit_code=code,
            name=f"企业{i}",
            region_code="620826",
            sectors=["city_gas"],
            principal=Person(f"p-{i}", f"负责人{i}"),
        )
        for _ in range(cases):
            t = START
            case = app.report_hazard(
                INSPECTOR,
                t,
                enterprise_code=code,
                sector="city_gas",
                location="后厨",
                description="燃气软管穿墙敷设",
                source="grid_patrol",
            )
            app.grade_hazard(INSPECTOR, t, case, grade="general")
            app.assign_rectification(
                INSPECTOR,
                t,
                case,
                department="住建局",
                deadline=t + timedelta(days=15),
                requirements="改为金属管道",
            )
            app.report_rectification(
                ENTERPRISE, t, case, measures="改为金属管道并加装报警器", completed_at=t
            )
            app.verify_rectification(CHECKER, t, case, accepted=True, opinion="合格")
            app.close_hazard(OFFICIAL, t, case)
        app.issue_action(
            OFFICIAL,
            START,
            kind="warning_letter",
            document_number=f"警{i}",
            enterprise_code=code,
            sector="city_gas",
            department="住建局",
            legal_basis="《中华人民共和国安全生产法》第六十五条",
        )


def timed(app: HazardLedger, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        build_review(app, code_for(0), START + timedelta(days=30))
        best = min(best, time.perf_counter() - began)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default=None)
    parser.add_argument("--enterprises", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--cases", type=int, default=5)
    args = parser.parse_args()
    store = args.store or str(Path(tempfile.mkdtemp()) / "bench.db")
    clock = Clock()
    with_log = HazardLedger(store, clock=clock)
    done = 0
    print("enterprises  events  review_s(proofs)  review_s(no log)  ms_per_1k_events")
    for target in sorted(args.enterprises):
        populate(with_log, clock, done, target - done, args.cases)
        done = target
        events = with_log.recorder.max_notification_id() or 0
        proofs = timed(with_log)
        bare = HazardLedger(store, clock=clock, integrity=False)
        try:
            plain = timed(bare)
        finally:
            bare.close()
        print(
            f"{target:>11}  {events:>6}  {proofs:>16.3f}  {plain:>16.3f}  "
            f"{1000 * plain / max(events, 1) * 1000:>16.2f}"
        )
    with_log.close()


if __name__ == "__main__":
    main()
