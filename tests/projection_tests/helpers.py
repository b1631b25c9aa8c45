"""Builders for read-model tests: histories through the ledger's commands, table dumps."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from projections.base import Projection
from projections.db import ReadStore
from projections.follower import Follower
from projections.registry import builtin_projections
from tests.support import DEPARTMENT, ENTERPRISE_USER, GOVERNMENT, INSPECTOR, PLAN

REGIONS = ("620826", "620802", "620821")
SECTORS = ("city_gas", "fire", "special_equipment")
START = datetime(2026, 3, 1, 1, 0, tzinfo=UTC)


def enterprise_code(i: int) -> str:
    return make_credit_code(f"9162082{i:01d}MA71RK{i:03d}"[:17])


def dump(follower: Follower, suffix: str = "") -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the follower's projections, sorted."""
    db: ReadStore = follower.db
    out: dict[str, list[tuple[Any, ...]]] = {}
    for p in follower.projections.values():
        for t in p.tables:
            rows = db.execute(follower.conn, f"SELECT * FROM {t.name}{suffix}").fetchall()
            out[t.name] = sorted(tuple(r) for r in rows)
    return out


def follower(
    app: HazardLedger, batch_size: int = 2000, projections: list[Projection] | None = None
) -> Follower:
    return Follower(app, projections or builtin_projections(), batch_size=batch_size)


class HistoryWriter:
    """Plays a list of operations (from hypothesis or a seed) through the commands.

    Refused commands are part of life: they record nothing and are skipped.
    """

    def __init__(self, app: HazardLedger, clock: Any, enterprises: int = 3) -> None:
        self.app = app
        self.clock = clock
        self.cases: list[UUID] = []
        self.actions: list[UUID] = []
        self.measures: list[UUID] = []
        self.codes = []
        for i in range(enterprises):
            code = enterprise_code(i)
            app.register_enterprise(
                INSPECTOR,
                clock.now,
                credit_code=code,
                name=f"企业{i}",
                region_code=REGIONS[i % len(REGIONS)],
                sectors=list(SECTORS),
                principal=Person(f"p{i}", f"负责人{i}"),
            )
            self.codes.append(code)

    def _next_step(self, case: UUID | None, b: int) -> str:
        """The natural next step of a case, so that histories reach closure and beyond."""
        if case is None:
            return "report"
        status = self.app.case(case).status.value
        if status == "graded" and b % 3 == 0:
            return "on_spot"
        if status == "closed" and b % 3:
            return "action"
        return NEXT_STEP[status]

    def _pick(self, items: list[UUID], n: int) -> UUID | None:
        """One of the three most recent: steps then chain into whole life cycles."""
        return items[-(1 + n % min(3, len(items)))] if items else None

    def play(self, op: tuple[Any, ...]) -> None:
        kind, a, b = op
        if kind == "advance":
            kind = self._next_step(self._pick(self.cases, a), b)
        self.clock.advance(hours=1 + a % 30)
        now = self.clock.now
        app = self.app
        case = self._pick(self.cases, a)
        try:
            if kind == "report":
                self.cases.append(
                    app.report_hazard(
                        INSPECTOR,
                        now,
                        enterprise_code=self.codes[a % len(self.codes)],
                        sector=SECTORS[b % len(SECTORS)],
                        location=f"部位{b % 4}",
                        description="隐患描述",
                        source="grid_patrol",
                    )
                )
            elif kind == "inspect":
                app.record_inspection(
                    INSPECTOR,
                    now,
                    enterprise_code=self.codes[a % len(self.codes)],
                    sector=SECTORS[b % len(SECTORS)],
                    inspection_type="routine",
                    team=["张建国"],
                    devices_checked=b % 5,
                )
            elif case is None:
                return
            elif kind == "grade":
                major = b % 3 == 0
                app.grade_hazard(
                    INSPECTOR,
                    now,
                    case,
                    grade="major" if major else "general",
                    criteria=["GAS-06"] if major else [],
                )
                if major:
                    app.file_plan(ENTERPRISE_USER, now, case, plan=PLAN)
            elif kind == "on_spot":
                app.rectify_on_spot(INSPECTOR, now, case, measures="当场整改")
            elif kind == "assign":
                app.assign_rectification(
                    INSPECTOR,
                    now,
                    case,
                    department=f"部门{b % 2}",
                    deadline=now + timedelta(days=1 + b % 20),
                    requirements="限期整改",
                )
            elif kind == "extend":
                c = app.case(case)
                if c.deadline is not None:
                    app.extend_deadline(
                        GOVERNMENT,
                        now,
                        case,
                        new_deadline=c.deadline + timedelta(days=5),
                        reason="工程量大",
                        approver="陈芳",
                    )
            elif kind == "list":
                app.list_for_supervision(
                    GOVERNMENT, now, case, level="county", authority="县安委办"
                )
            elif kind == "rectified":
                app.report_rectification(
                    ENTERPRISE_USER,
                    now,
                    case,
                    measures="已整改",
                    completed_at=now - timedelta(hours=b % 40),
                )
                if app.case(case).listing_level is not None:
                    app.file_assessment(ENTERPRISE_USER, now, case, summary="评估合格")
            elif kind == "verify":
                app.verify_rectification(DEPARTMENT, now, case, accepted=b % 4 != 0, opinion="复查")
            elif kind == "close":
                app.close_hazard(DEPARTMENT, now, case)
                if app.case(case).listing_level is not None:
                    app.delist(GOVERNMENT, now, case)
            elif kind == "reopen":
                app.reopen_hazard(DEPARTMENT, now, case, reason="复发")
            elif kind == "action":
                kinds = ("penalty", "stop_work", "directive", "warning_letter")
                k = kinds[b % len(kinds)]
                self.actions.append(
                    app.issue_action(
                        DEPARTMENT,
                        now,
                        kind=k,
                        document_number=f"DOC-{len(self.actions)}",
                        enterprise_code=self.codes[a % len(self.codes)],
                        sector=SECTORS[b % len(SECTORS)],
                        department="应急管理局",
                        legal_basis="安全生产法第一百零二条",
                        case_ids=[case],
                        fine_amount=Decimal(1000 + b) if k == "penalty" else None,
                    )
                )
            elif kind == "revoke":
                action = self._pick(self.actions, b)
                if action is not None:
                    app.revoke_action(DEPARTMENT, now, action, reason="撤销")
            elif kind == "measure":
                self.measures.append(
                    app.add_measure(
                        GOVERNMENT,
                        now,
                        title=f"措施{b}",
                        category="campaign_task",
                        owner_department="县安委办",
                        region_code=REGIONS[a % len(REGIONS)],
                        due=now + timedelta(days=10 + b % 30),
                        timetable="三月部署，六月完成",
                    )
                )
            elif kind == "measure_progress":
                m = self._pick(self.measures, b)
                if m is not None:
                    if b % 2:
                        app.report_measure_progress(GOVERNMENT, now, m, note="推进中")
                    else:
                        app.complete_measure(GOVERNMENT, now, m, summary="已完成")
        except RuleViolated:
            pass


NEXT_STEP = {
    "reported": "grade",
    "graded": "assign",
    "reopened": "grade",
    "assigned": "rectified",
    "rectification_reported": "verify",
    "verified": "close",
    "closed": "reopen",
}


OPS = (
    "advance",
    "advance",
    "advance",
    "advance",
    "report",
    "inspect",
    "grade",
    "on_spot",
    "assign",
    "extend",
    "list",
    "rectified",
    "verify",
    "close",
    "reopen",
    "action",
    "revoke",
    "measure",
    "measure_progress",
)


def random_ops(seed: int, n: int) -> list[tuple[str, int, int]]:
    rng = random.Random(seed)
    weights = (8, 8, 8, 8, 6, 2, 5, 2, 5, 1, 1, 4, 4, 4, 1, 2, 1, 1, 1)
    return [
        (rng.choices(OPS, weights)[0], rng.randrange(1000), rng.randrange(1000)) for _ in range(n)
    ]
