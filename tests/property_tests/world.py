"""A small generated history with known facts, and the viewers who look at it.

The history is written through the ledger's commands with a hand-moved clock, so every
command is recorded at a known, distinct moment (``Step.moment``) and the number of
events recorded by then is known (``Step.events``). Alongside, ``Facts`` keeps what the
script itself did — which case, action, inspection and measure lies in which region,
sector and enterprise, when it was found or issued, what it fined — so that the scope
properties compare the routes' answers with expectations computed here, never with the
code under test.

Shape: three counties under two region prefixes (620826 and 620825 under 6208; 621102
under 6211), with places below the county (the hotel in 城关镇 620826100, the furniture
factory in 屯堡村 620826107201 of 甘沟镇) for township viewers, three sectors (fire,
city_gas, chemicals), six enterprises of which one (the furniture factory) works in two
sectors; hazards through their lives (on-the-spot,
deadline, major with plan, listing, assessment, closing, delisting, a rejected
verification, an extension, an overdue case, a reopening, one late entry), inspections
that the hazards link to, enforcement actions naming cases (penalties with fines, a
stop-work order lifted, a warning letter, a directive), measures, responsibility posts and
a change of principal. About 75 commands from March to May 2026.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from api.users import User
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.hazard import RectificationPlan
from ledger.identity import Actor, Role

CST = timezone(timedelta(hours=8))
START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
NAMESPACE = UUID("0b5c3a52-4f0e-4c61-9f7e-3c7a1e9d2b40")

JINGNING, ZHUANGLANG, ANDING = "620826", "620825", "621102"
#: Below the county: 城关镇 (a township) and 屯堡村 of 甘沟镇 (a village), NBS 2023 codes.
CHENGGUAN, TUNBAO = "620826100", "620826107201"
SECTORS = ("fire", "city_gas", "chemicals")

RESTAURANT = make_credit_code("92620826MA71PRQP0")
FACTORY = make_credit_code("91620826MA72PRQP0")
HOTEL = make_credit_code("91620826MA76PRQP0")
STATION = make_credit_code("91620825MA73PRQP0")
MALL = make_credit_code("91621102MA74PRQP0")
PLANT = make_credit_code("91621102MA75PRQP0")

PLAN = RectificationPlan(
    goal_and_tasks="彻底消除重大事故隐患",
    methods_and_measures="停用相关区域，按标准整改",
    funds_and_materials="企业自筹整改资金",
    organisation_and_people="主要负责人牵头",
    time_limit_and_requirements="在期限内完成并申请验收",
    safety_and_emergency="落实临时管控措施，专人值守",
)


def fixed_id(kind: str, name: str) -> UUID:
    """Ids are fixed by name, so that every run of the script gives the same history."""
    return uuid5(NAMESPACE, f"{kind}/{name}")


@dataclass(frozen=True)
class EnterpriseFact:
    code: str
    region: str
    sectors: tuple[str, ...]


@dataclass(frozen=True)
class Placed:
    """Where a case, inspection or action lies: what scope is decided on."""

    id: UUID
    enterprise: str
    region: str
    sector: str
    occurred_at: datetime
    major: bool = False
    kind: str = ""
    fine: Decimal = Decimal(0)
    case_ids: tuple[UUID, ...] = ()


@dataclass(frozen=True)
class MeasureFact:
    id: UUID
    region: str


@dataclass
class Facts:
    """What the script did, kept by the script (the independent expectation)."""

    enterprises: dict[str, EnterpriseFact] = field(default_factory=dict)
    cases: dict[UUID, Placed] = field(default_factory=dict)
    inspections: dict[UUID, Placed] = field(default_factory=dict)
    actions: dict[UUID, Placed] = field(default_factory=dict)
    measures: dict[UUID, MeasureFact] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    """One command of the script: its label, when it was recorded, events by then."""

    label: str
    moment: datetime
    events: int


class Clock:
    """The ledger's recording clock, moved by the script (and frozen for copies)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


# ---- viewers -------------------------------------------------------------------------

VIEWERS: dict[str, User] = {
    "insp_jingning": User("v-insp-jn", "张建国", Role.INSPECTOR, "城关镇", JINGNING),
    "insp_6211": User("v-insp-ad", "吴远", Role.INSPECTOR, "安定区", "6211"),
    "insp_chengguan": User("v-insp-cg", "钱安", Role.INSPECTOR, "城关镇人民政府", CHENGGUAN),
    "gov_gangou": User("v-gov-gg", "孙镇", Role.GOVERNMENT, "甘沟镇人民政府", TUNBAO[:9]),
    "dept_gas_6208": User(
        "v-dept-gas", "李明", Role.DEPARTMENT, "住建局", "6208", frozenset({"city_gas"})
    ),
    "dept_fire_jingning": User(
        "v-dept-fire", "刘消", Role.DEPARTMENT, "消防救援大队", JINGNING, frozenset({"fire"})
    ),
    "dept_chem_62": User(
        "v-dept-chem", "何应", Role.DEPARTMENT, "应急管理局", "62", frozenset({"chemicals"})
    ),
    "gov_6208": User("v-gov", "陈芳", Role.GOVERNMENT, "市安委办", "6208"),
    "gov_zhuanglang": User("v-gov-zl", "马海", Role.GOVERNMENT, "庄浪县安委办", ZHUANGLANG),
    "auditor_62": User("v-aud", "孙审", Role.AUDITOR, "省纪委监委", "62"),
    "admin": User("v-admin", "管理员", Role.ADMIN, "信息中心", ""),
    "ent_factory": User("v-ent-f", "王五", Role.ENTERPRISE, "", JINGNING, frozenset(), FACTORY),
    "ent_restaurant": User(
        "v-ent-r", "赵六", Role.ENTERPRISE, "", JINGNING, frozenset(), RESTAURANT
    ),
}
"""Role × scope: region prefixes of two lengths, sector limits, enterprise users (one of
an enterprise in two sectors), the unlimited administrator."""

OFFICIALS = tuple(k for k, v in VIEWERS.items() if v.role is not Role.ENTERPRISE)


def sees(viewer: User, *, region: str, sector: str, enterprise: str) -> bool:
    """The scope rule as the issue states it, written here independently of the code."""
    if not region.startswith(viewer.region_prefix):
        return False
    if viewer.sectors and sector not in viewer.sectors:
        return False
    return not (viewer.role is Role.ENTERPRISE and enterprise != viewer.enterprise_code)


def sees_placed(viewer: User, thing: Placed) -> bool:
    return sees(viewer, region=thing.region, sector=thing.sector, enterprise=thing.enterprise)


def sees_enterprise(viewer: User, fact: EnterpriseFact) -> bool:
    """An enterprise is visible when any of its sectors is."""
    return any(
        sees(viewer, region=fact.region, sector=s, enterprise=fact.code) for s in fact.sectors
    )


def month_of(moment: datetime) -> str:
    local = moment.astimezone(CST)
    return f"{local.year:04d}-{local.month:02d}"


def day_of(moment: datetime) -> str:
    """The business day (China Standard Time) of a moment, YYYY-MM-DD."""
    return moment.astimezone(CST).date().isoformat()


# ---- the script ----------------------------------------------------------------------

#: Hours between recorded commands, cycled: distinct moments, about a day apart.
GAPS = (19, 23, 29, 17, 31, 25)


@dataclass
class History:
    """The ledger the script wrote, its steps and its facts."""

    ledger: HazardLedger
    clock: Clock
    steps: list[Step] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)

    @property
    def end(self) -> datetime:
        return self.steps[-1].moment

    def events_by(self, moment: datetime) -> int:
        """Events recorded at or before ``moment``."""
        count = 0
        for step in self.steps:
            if step.moment <= moment:
                count = step.events
        return count

    def candidate_moments(self) -> list[datetime]:
        """Moments across the history: at a step, just before it, and between steps."""
        out: list[datetime] = []
        for step in self.steps:
            out += [step.moment - timedelta(microseconds=1), step.moment]
            out.append(step.moment + timedelta(hours=5))
        return out


def actor(kind: str, region: str, sector: str = "", enterprise: str = "") -> Actor:
    roles = {
        "inspector": (Role.INSPECTOR, "网格员"),
        "department": (Role.DEPARTMENT, f"{sector}主管部门"),
        "government": (Role.GOVERNMENT, "县安委办"),
        "enterprise": (Role.ENTERPRISE, enterprise),
    }
    role, org = roles[kind]
    return Actor(f"script-{kind}-{region}-{sector or enterprise}", f"{kind}{region}", role, org)


def write_history(ledger: HazardLedger, clock: Clock) -> History:
    """Record the script on ``ledger`` (whose clock is ``clock``)."""
    h = History(ledger, clock)
    f = h.facts
    counter = iter(range(10_000))

    def step(label: str, run: Callable[[datetime], Any], *, late_days: int = 0) -> Any:
        clock.now = clock.now + timedelta(hours=GAPS[len(h.steps) % len(GAPS)])
        occurred = clock.now - timedelta(minutes=15) - timedelta(days=late_days)
        result = run(occurred)
        h.steps.append(Step(label, clock.now, ledger.recorder.max_notification_id() or 0))
        return result

    def enterprise(code: str, name: str, region: str, sectors: tuple[str, ...]) -> None:
        f.enterprises[code] = EnterpriseFact(code, region, sectors)
        step(
            f"register {name}",
            lambda at: ledger.register_enterprise(
                actor("inspector", region),
                at,
                credit_code=code,
                name=name,
                region_code=region,
                sectors=list(sectors),
                principal=Person(f"p-{code[-6:]}", f"{name}负责人"),
                address=f"甘肃省{name}",
            ),
        )

    def details(code: str, sector: str) -> dict[str, Any]:
        if sector != "city_gas":
            return {}
        if code == RESTAURANT:
            return {"premises": "restaurant", "leak_alarm_installed": False}
        return {"premises": "station"}

    def inspection(name: str, code: str, sector: str, kind: str) -> UUID:
        iid = fixed_id("inspection", name)
        region = f.enterprises[code].region

        def run(at: datetime) -> None:
            ledger.record_inspection(
                actor("inspector", region),
                at,
                enterprise_code=code,
                sector=sector,
                inspection_type=kind,
                team=["张建国", "李明"],
                location="现场",
                summary="现场检查",
                inspection_id=iid,
            )
            f.inspections[iid] = Placed(iid, code, region, sector, at, kind=kind)

        step(f"inspection {name}", run)
        return iid

    def report(
        name: str,
        code: str,
        sector: str,
        *,
        inspection_id: UUID | None = None,
        late_days: int = 0,
        by_enterprise: bool = False,
    ) -> UUID:
        cid = fixed_id("case", name)
        region = f.enterprises[code].region
        who = (
            actor("enterprise", region, enterprise=code)
            if by_enterprise
            else actor("inspector", region)
        )

        def run(at: datetime) -> None:
            ledger.report_hazard(
                who,
                at,
                enterprise_code=code,
                sector=sector,
                location="现场",
                description=f"隐患{name}",
                source="self_inspection" if by_enterprise else "grid_patrol",
                inspection_id=inspection_id,
                details=details(code, sector),
                case_id=cid,
                justification="纸质台账补录" if late_days else None,
            )
            f.cases[cid] = Placed(cid, code, region, sector, at)

        step(f"report {name}", run, late_days=late_days)
        return cid

    def on(cid: UUID) -> tuple[str, str, str]:
        c = f.cases[cid]
        return c.region, c.sector, c.enterprise

    def grade(cid: UUID, major: bool = False, criteria: tuple[str, ...] = ()) -> None:
        region = f.cases[cid].region

        def run(at: datetime) -> None:
            ledger.grade_hazard(
                actor("inspector", region),
                at,
                cid,
                grade="major" if major else "general",
                criteria=list(criteria),
            )
            if major:
                c = f.cases[cid]
                f.cases[cid] = Placed(
                    cid, c.enterprise, c.region, c.sector, c.occurred_at, major=True
                )

        step(f"grade {cid}", run)

    def assign(cid: UUID, days: int) -> None:
        region, sector, _ = on(cid)
        step(
            f"assign {cid}",
            lambda at: ledger.assign_rectification(
                actor("department", region, sector),
                at,
                cid,
                department=f"{sector}主管部门",
                deadline=at + timedelta(days=days),
                requirements="限期整改",
            ),
        )

    def owner(cid: UUID) -> Actor:
        region, _, code = on(cid)
        return actor("enterprise", region, enterprise=code)

    def rectified(cid: UUID) -> None:
        step(
            f"rectification {cid}",
            lambda at: ledger.report_rectification(
                owner(cid), at, cid, measures="已整改", completed_at=at - timedelta(hours=2)
            ),
        )

    def verified(cid: UUID, accepted: bool = True) -> None:
        region, sector, _ = on(cid)
        step(
            f"verify {cid}",
            lambda at: ledger.verify_rectification(
                actor("department", region, sector),
                at,
                cid,
                accepted=accepted,
                opinion="验收合格" if accepted else "整改不到位",
            ),
        )

    def closed(cid: UUID) -> None:
        region, sector, _ = on(cid)
        step(
            f"close {cid}",
            lambda at: ledger.close_hazard(actor("department", region, sector), at, cid),
        )

    def action(
        name: str,
        code: str,
        sector: str,
        kind: str,
        case_ids: tuple[UUID, ...],
        fine: int | None = None,
    ) -> UUID:
        aid = fixed_id("action", name)
        region = f.enterprises[code].region

        def run(at: datetime) -> None:
            ledger.issue_action(
                actor("department", region, sector),
                at,
                kind=kind,
                document_number=f"静{sector[:2].upper()}〔2026〕{next(counter):03d}号",
                enterprise_code=code,
                sector=sector,
                department=f"{sector}主管部门",
                legal_basis="《中华人民共和国安全生产法》",
                case_ids=list(case_ids),
                fine_amount=Decimal(fine) if fine is not None else None,
                description="依法处理",
                action_id=aid,
            )
            f.actions[aid] = Placed(
                aid,
                code,
                region,
                sector,
                at,
                kind=kind,
                fine=Decimal(fine or 0),
                case_ids=case_ids,
            )

        step(f"action {name}", run)
        return aid

    def measure(name: str, region: str) -> UUID:
        mid = fixed_id("measure", name)

        def run(at: datetime) -> None:
            ledger.add_measure(
                actor("government", region),
                at,
                title=f"制度措施{name}",
                category="institutional_measure",
                owner_department="县安委办",
                region_code=region,
                due=at + timedelta(days=60),
                timetable="分三阶段推进",
                measure_id=mid,
            )
            f.measures[mid] = MeasureFact(mid, region)

        step(f"measure {name}", run)
        return mid

    # The script itself, in recording order.
    enterprise(RESTAURANT, "城关镇某餐馆", JINGNING, ("city_gas",))
    enterprise(FACTORY, "甘沟镇屯堡村某家具厂", TUNBAO, ("fire", "chemicals"))
    enterprise(STATION, "庄浪县某液化气站", ZHUANGLANG, ("city_gas",))
    enterprise(MALL, "安定区某商场", ANDING, ("fire",))
    enterprise(PLANT, "安定区某化工厂", ANDING, ("chemicals",))
    enterprise(HOTEL, "城关镇某宾馆", CHENGGUAN, ("fire",))
    for region, sector in ((JINGNING, "city_gas"), (JINGNING, ""), (ANDING, "")):
        duty = "department_official" if sector else "government_leader"
        step(
            f"post {region} {sector}",
            lambda at, r=region, s=sector, d=duty: ledger.assign_responsibility(  # type: ignore[misc]  # defaults bind the loop values
                actor("government", r),
                at,
                duty=d,
                region_code=r,
                sector=s,
                organisation=f"{s}主管部门" if s else "县安委办",
                title="分管负责人",
                holder=Person(f"post-{r}-{s}", f"负责人{r}{s}"),
            ),
        )
    m1 = measure("静宁一", JINGNING)
    i1 = inspection("餐馆", RESTAURANT, "city_gas", "routine")
    c1 = report("餐馆软管", RESTAURANT, "city_gas", inspection_id=i1)
    c2 = report("餐馆报警器", RESTAURANT, "city_gas", inspection_id=i1)
    i2 = inspection("家具厂消防", FACTORY, "fire", "special")
    c3 = report("家具厂通道", FACTORY, "fire", inspection_id=i2)
    grade(c1)
    grade(c2)
    step(
        "on spot c2",
        lambda at: ledger.rectify_on_spot(
            actor("inspector", JINGNING), at, c2, measures="当场整改", evidence=[]
        ),
    )
    assign(c1, 15)
    i3 = inspection("家具厂化学品", FACTORY, "chemicals", "unannounced")
    c4 = report("家具厂混存", FACTORY, "chemicals", inspection_id=i3)
    grade(c3, major=True, criteria=("FIRE-5.2-c",))
    assign(c3, 45)
    grade(c4)
    assign(c4, 7)  # never rectified: overdue from mid-March on
    i5 = inspection("液化气站", STATION, "city_gas", "routine")
    c5 = report("气站调压箱", STATION, "city_gas", inspection_id=i5)
    step("plan c3", lambda at: ledger.file_plan(owner(c3), at, c3, plan=PLAN))
    a3 = action("餐馆警示函", RESTAURANT, "city_gas", "warning_letter", (c1,))
    grade(c5)
    assign(c5, 10)
    step(
        "list c3",
        lambda at: ledger.list_for_supervision(
            actor("government", JINGNING), at, c3, level="county", authority="静宁县安委办"
        ),
    )
    i4 = inspection("商场", MALL, "fire", "joint")
    c6 = report("商场出口", MALL, "fire", inspection_id=i4)
    c9 = report("商场灭火器", MALL, "fire", inspection_id=i4)
    rectified(c1)
    a1 = action("家具厂罚款", FACTORY, "fire", "penalty", (c3,), fine=20000)
    grade(c6, major=True, criteria=("FIRE-5.2-d",))
    assign(c6, 40)
    step("plan c6", lambda at: ledger.file_plan(owner(c6), at, c6, plan=PLAN))
    a2 = action("商场停工", MALL, "fire", "stop_work", (c6,))
    verified(c1)
    m2 = measure("安定一", ANDING)
    c7 = report("化工厂接地", PLANT, "chemicals")
    grade(c7)
    step(
        "on spot c7",
        lambda at: ledger.rectify_on_spot(
            actor("inspector", ANDING), at, c7, measures="当场整改", evidence=[]
        ),
    )
    a4 = action("化工厂罚款", PLANT, "chemicals", "penalty", (c7,), fine=5000)
    closed(c1)
    step(
        "execute a1",
        lambda at: ledger.execute_action(
            actor("department", JINGNING, "fire"), at, a1, amount_paid=Decimal(20000), note="已缴"
        ),
    )
    c8 = report("宾馆防火门", HOTEL, "fire", late_days=20)
    step(
        "principal factory",
        lambda at: ledger.change_principal(
            actor("department", JINGNING, "fire"),
            at,
            credit_code=FACTORY,
            principal=Person("p-new-factory", "新负责人"),
        ),
    )
    rectified(c5)
    verified(c5, accepted=False)
    step(
        "extend c5",
        lambda at: ledger.extend_deadline(
            actor("department", ZHUANGLANG, "city_gas"),
            at,
            c5,
            new_deadline=at + timedelta(days=20),
            reason="设备到货延迟",
            approver="庄浪县住建局",
        ),
    )
    a5 = action("气站指令书", STATION, "city_gas", "directive", (c5,))
    grade(c8)
    assign(c8, 10)
    rectified(c3)
    step(
        "assessment c3",
        lambda at: ledger.file_assessment(owner(c3), at, c3, summary="专家评估合格"),
    )
    step(
        "progress m1",
        lambda at: ledger.report_measure_progress(
            actor("government", JINGNING), at, m1, note="第一阶段完成"
        ),
    )
    verified(c3)
    closed(c3)
    step(
        "delist c3",
        lambda at: ledger.delist(actor("government", JINGNING), at, c3),
    )
    step(
        "lift a2",
        lambda at: ledger.lift_action(
            actor("department", ANDING, "fire"), at, a2, reason="整改验收合格，同意复工"
        ),
    )
    rectified(c8)
    verified(c8)
    closed(c8)
    c10 = report("气站自查", STATION, "city_gas", by_enterprise=True)
    step(
        "list c6",
        lambda at: ledger.list_for_supervision(
            actor("government", ANDING), at, c6, level="county", authority="安定区安委办"
        ),
    )
    step(
        "reopen c8",
        lambda at: ledger.reopen_hazard(
            actor("department", JINGNING, "fire"), at, c8, reason="隐患复现"
        ),
    )
    step(
        "complete m2",
        lambda at: ledger.complete_measure(actor("government", ANDING), at, m2, summary="已完成"),
    )
    del a3, a4, a5, c9, c10
    return h
