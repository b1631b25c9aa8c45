"""Issue 15, on both stores: a sensor's false alarm is dismissed (误报核销) through the one
command path, and then no rule or read model treats it as an ungraded hazard.

Only a sensor's report, only before grading, only by those who check alarms on site;
every refusal records nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.hazard import FALSE_ALARM_SOURCES, HazardCase, Source, Status
from ledger.identity import Actor, Role
from ledger.permissions import NotPermitted
from ledger.review.report import build_review
from ledger.scope import Scope
from plugins import Sectors
from projections.queries import ReadModels, RegisterFilter
from projections.registry import builtin_projections
from tests.api_tests.conftest import RESTAURANT, Api, api, hazard_body
from tests.conftest import FakeClock
from tests.projection_tests.helpers import follower

__all__ = ["api"]  # the API fixture, used by the HTTP test below

SECTORS = Sectors.load(load_entry_points=False)
EVERYTHING = Scope.everything()
PLANT = make_credit_code("91620826MA7ALRM10")
INSPECTOR = Actor("insp-1", "张建国", Role.INSPECTOR, "城关镇")
REASON = "现场核查：可燃气体探测器受油烟干扰误报，浓度检测为零"


@dataclass
class Site:
    ledger: HazardLedger
    clock: FakeClock

    @property
    def now(self) -> datetime:
        return self.clock.now

    def run(self, command: c.Command, actor: Actor = INSPECTOR) -> UUID:
        self.clock.advance(minutes=5)
        return self.ledger.execute(command, actor, EVERYTHING).id

    def alarm(self, source: Source | str = Source.SENSOR) -> UUID:
        return self.run(
            c.ReportHazard(
                occurred_at=self.now,
                enterprise_code=PLANT,
                sector="fire",
                location="后厨",
                description="可燃气体探测器报警",
                source=source,
            )
        )

    def dismiss(self, case_id: UUID, actor: Actor = INSPECTOR, reason: str = REASON) -> UUID:
        return self.run(
            c.DismissFalseAlarm(occurred_at=self.now, case_id=case_id, reason=reason), actor
        )

    def events(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0

    def refused(self, case_id: UUID, actor: Actor = INSPECTOR, reason: str = REASON) -> Exception:
        before = self.events()
        with pytest.raises((NotPermitted, RuleViolated)) as caught:
            self.dismiss(case_id, actor, reason)
        assert self.events() == before, "a refusal records nothing"
        return caught.value

    def never_graded(self, at: datetime) -> list[dict[str, Any]]:
        findings: list[dict[str, Any]] = build_review(self.ledger, PLANT, at, scope=EVERYTHING)[
            "findings"
        ]
        return [f for f in findings if f["rule"] == "AUD-NEVER-GRADED"]


@pytest.fixture
def site(store_url: str) -> Iterator[Site]:
    clock = FakeClock(datetime.fromisoformat("2026-03-03T09:00:00+08:00"))
    ledger = HazardLedger(store_url, clock=clock, sectors=SECTORS)
    world = Site(ledger, clock)
    world.run(
        c.RegisterEnterprise(
            occurred_at=clock.now,
            credit_code=PLANT,
            name="静宁县某宾馆",
            region_code="620826",
            sectors=("fire",),
            principal=Person("p-1", "马经理"),
        )
    )
    yield world
    ledger.close()


def test_a_dismissed_false_alarm_ends_the_case_and_is_never_called_ungraded(site: Site) -> None:
    dismissed, kept = site.alarm(), site.alarm()
    site.dismiss(dismissed)
    case = site.ledger.case(dismissed)
    assert case.status is Status.DISMISSED and not case.is_open and case.grade is None
    last = list(site.ledger.events.get(dismissed))[-1]
    assert isinstance(last, HazardCase.Dismissed) and last.reason == REASON
    flagged = site.never_graded(site.now + timedelta(days=10))
    assert [f["subject_id"] for f in flagged] == [str(kept)], "only the alarm left ungraded"


def test_a_dismissed_case_takes_no_further_step(site: Site) -> None:
    case_id = site.alarm()
    site.dismiss(case_id)
    before = site.events()
    with pytest.raises(RuleViolated):
        site.run(c.GradeHazard(occurred_at=site.now, case_id=case_id, grade="general"))
    error = site.refused(case_id)
    assert isinstance(error, RuleViolated)
    assert error.violations[0].rule == "DISMISS_ONLY_UNGRADED"
    assert site.events() == before


def test_a_graded_alarm_is_not_dismissed(site: Site) -> None:
    case_id = site.alarm()
    site.run(c.GradeHazard(occurred_at=site.now, case_id=case_id, grade="general"))
    error = site.refused(case_id)
    assert isinstance(error, RuleViolated)
    assert error.violations[0].rule == "DISMISS_ONLY_UNGRADED"
    assert "只有尚未定级的误报可以核销" in error.violations[0].message_zh
    assert site.ledger.case(case_id).status is Status.GRADED


@pytest.mark.parametrize("source", sorted(set(Source) - FALSE_ALARM_SOURCES))
def test_only_a_sensor_report_is_a_false_alarm(site: Site, source: Source) -> None:
    case_id = site.alarm(source)
    error = site.refused(case_id)
    assert isinstance(error, RuleViolated)
    assert error.violations[0].rule == "DISMISS_ONLY_FALSE_ALARM"
    assert site.ledger.case(case_id).status is Status.REPORTED


def test_a_dismissal_needs_a_reason(site: Site) -> None:
    case_id = site.alarm()
    error = site.refused(case_id, reason="  ")
    assert isinstance(error, RuleViolated) and error.violations[0].field == "reason"


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.INSPECTOR, Role.DEPARTMENT)])
def test_only_inspectors_and_departments_dismiss(site: Site, role: Role) -> None:
    case_id = site.alarm()
    actor = Actor("someone", "某人", role, PLANT if role is Role.ENTERPRISE else "县")
    assert isinstance(site.refused(case_id, actor), NotPermitted)


def test_read_models_show_the_status_and_count_no_hazard(site: Site) -> None:
    site.alarm()
    dismissed = site.alarm()
    site.dismiss(dismissed)
    f = follower(site.ledger, projections=builtin_projections())
    f.catch_up()
    f.close()
    models = ReadModels(site.ledger.store)
    try:
        rows = models.register(RegisterFilter(status=("dismissed",)), scope=EVERYTHING).items
        assert [r["case_id"] for r in rows] == [str(dismissed)]
        report = models.monthly_report("620826", "2026-03", scope=EVERYTHING)
        assert report["total"]["hazards_found"] == 1, "a false alarm is no hazard found"
        profile = models.enterprise_profile(PLANT, scope=EVERYTHING)
        assert (profile["hazards_total"], profile["hazards_open"]) == (2, 1)
    finally:
        models.close()


# ---- over HTTP: POST /hazards/{id}/dismiss ---------------------------------------------------


def _sensor_case(api: Api) -> str:
    r = api.post("inspector", "/hazards", hazard_body(api, RESTAURANT, source="sensor"))
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def test_the_route_dismisses_with_if_match_and_refuses_other_roles(api: Api) -> None:
    case_id = _sensor_case(api)
    path = f"/hazards/{case_id}/dismiss"
    body = {"occurred_at": api.now(minutes=1), "reason": REASON}
    for who in ("government", "enterprise", "auditor", "admin"):
        r = api.post(who, path, body, **{"If-Match": '"1"'})
        assert r.status_code == 403, (who, r.text)
    assert api.post("inspector", path, body, **{"If-Match": '"2"'}).status_code in (409, 412)
    r = api.post("inspector", path, body, **{"If-Match": '"1"'})
    assert r.status_code == 200, r.text
    view = api.get("inspector", f"/hazards/{case_id}").json()
    assert view["status"] == "dismissed"
    again = api.post("department", path, {**body, "occurred_at": api.now(minutes=2)})
    assert again.status_code == 422 and "DISMISS_ONLY_UNGRADED" in again.text
