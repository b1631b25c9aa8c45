"""A history built through the ledger's commands to match a seed report's figures.

Each helper records one fact the way an official would (an inspection, a hazard walked
to where the report says it stands, an enforcement document, an accident), batched in
units of work so thousands of facts take seconds. Days are business days in Beijing time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Literal
from uuid import UUID, uuid4

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.unit_of_work import UnitOfWork
from tests.conftest import FakeClock
from tests.projection_tests.helpers import follower
from tests.support import DEPARTMENT, ENTERPRISE_USER, INSPECTOR, PLAN

CST = timezone(timedelta(hours=8))
Mode = Literal["open", "on_spot", "deadline_open", "deadline_closed"]


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=CST)


class History:
    """Facts recorded in one batch per ``unit()`` block; ``build()`` runs the read models."""

    def __init__(self, ledger: HazardLedger, clock: FakeClock, region: str = "620826") -> None:
        self.ledger = ledger
        self.clock = clock
        self.region = region
        self.count = 0
        self.work: UnitOfWork | None = None

    @contextmanager
    def unit(self, recorded: date) -> Iterator[History]:
        """Record everything inside the block as one unit, as recorded on ``recorded``."""
        self.clock.now = at(recorded, 20)
        with self.ledger.batch() as work:
            self.work = work
            yield self
        self.work = None

    def _run(self, command: c.Command, actor: object = INSPECTOR) -> UUID:
        assert self.work is not None, "inside unit()"
        # Histories are entered after the fact, as a county enters its past ledger.
        command = replace(command, justification="补录历史台账")
        return self.work.execute(command, actor, check_permission=False).id  # type: ignore[arg-type]

    def enterprise(self, sector: str, region: str | None = None) -> str:
        self.count += 1
        code = make_credit_code(f"91{self.region}MA{self.count:07d}"[:17])
        self._run(
            c.RegisterEnterprise(
                occurred_at=at(date(2019, 1, 2)),
                credit_code=code,
                name=f"企业{self.count}",
                region_code=region or self.region,
                sectors=(sector,),
                principal=Person(f"p-{self.count}", "负责人"),
            )
        )
        return code

    def inspect(
        self,
        code: str,
        sector: str,
        day: date,
        *,
        team: int = 2,
        kind: str = "routine",
        devices: int = 0,
    ) -> UUID:
        return self._run(
            c.RecordInspection(
                occurred_at=at(day),
                enterprise_code=code,
                sector=sector,
                inspection_type=kind,
                team=tuple(f"检查员{i}" for i in range(team)),
                devices_checked=devices,
            )
        )

    def hazard(
        self,
        code: str,
        sector: str,
        day: date,
        *,
        source: str = "routine_inspection",
        mode: Mode = "on_spot",
        major: bool = False,
        listing: str | None = None,
    ) -> UUID:
        """A hazard found on ``day`` and left where ``mode`` says: open (graded only),
        rectified on the spot, under a deadline, or rectified under a deadline and closed."""
        when = at(day)
        case_id = self._run(
            c.ReportHazard(
                occurred_at=when,
                enterprise_code=code,
                sector=sector,
                location="现场",
                description="检查发现的问题隐患",
                source=source,
                case_id=uuid4(),
            )
        )
        grade = c.GradeHazard(
            occurred_at=when,
            case_id=case_id,
            grade="major" if major else "general",
            criteria=("X-01",) if major else (),
        )
        self._run(grade)
        if listing:
            self._run(
                c.ListForSupervision(
                    occurred_at=when, case_id=case_id, level=listing, authority="安委会"
                )
            )
        if mode == "on_spot" and not major:
            self._run(c.RectifyOnSpot(occurred_at=when, case_id=case_id, measures="当场整改"))
        elif mode in ("deadline_open", "deadline_closed") or (mode == "on_spot" and major):
            self._deadline(
                case_id, when, major=major, closed=mode != "deadline_open", listed=bool(listing)
            )
        return case_id

    def _deadline(
        self, case_id: UUID, when: datetime, *, major: bool, closed: bool, listed: bool
    ) -> None:
        if major:
            self._run(c.FilePlan(occurred_at=when, case_id=case_id, plan=PLAN), ENTERPRISE_USER)
        self._run(
            c.AssignRectification(
                occurred_at=when,
                case_id=case_id,
                department="县应急管理局",
                deadline=when + timedelta(days=30),
                requirements="限期整改",
            )
        )
        if not closed:
            return
        done = when + timedelta(days=1)
        self._run(
            c.ReportRectification(
                occurred_at=done, case_id=case_id, measures="已整改", completed_at=done
            ),
            ENTERPRISE_USER,
        )
        if listed:
            self._run(c.FileAssessment(occurred_at=done, case_id=case_id, summary="评估合格"))
        self._run(
            c.VerifyRectification(occurred_at=done, case_id=case_id, accepted=True, opinion="合格"),
            DEPARTMENT,
        )
        self._run(c.CloseHazard(occurred_at=done, case_id=case_id), DEPARTMENT)

    def action(
        self,
        code: str,
        sector: str,
        day: date,
        kind: str,
        *,
        fine: str | None = None,
        quantity: str | None = None,
        unit: str = "",
    ) -> UUID:
        self.count += 1
        return self._run(
            c.IssueAction(
                occurred_at=at(day),
                kind=kind,
                document_number=f"文书〔{day.year}〕{self.count}号",
                enterprise_code=code,
                sector=sector,
                department="县应急管理局",
                legal_basis="《中华人民共和国安全生产法》",
                fine_amount=None if fine is None else Decimal(fine),
                quantity=None if quantity is None else Decimal(quantity),
                unit=unit,
            ),
            DEPARTMENT,
        )

    def accident(
        self, code: str, sector: str, day: date, *, deaths: int = 0, injuries: int = 0
    ) -> UUID:
        return self._run(
            c.RecordAccident(
                occurred_at=at(day),
                enterprise_code=code,
                sector=sector,
                place="作业现场",
                description="生产安全事故",
                deaths=deaths,
                serious_injuries=injuries,
            ),
            DEPARTMENT,
        )

    def build(self, now: date) -> None:
        """Bring the read models up to date, as of ``now``."""
        self.clock.now = at(now, 21)
        f = follower(self.ledger)
        try:
            f.catch_up()
        finally:
            f.close()
