"""A plausible county's year of hazard governance, generated through the ledger's commands.

The shape follows the seed reports of 静宁县 (620826): a county year of about 2,000
hazards in the five built-in sectors, about 70% rectified by the year's end, a few dozen
major hazards under listed supervision, on-the-spot and deadline rectifications,
extensions, overdue cases, rejected verifications, reopenings, enforcement with fines,
stop-work notices and warning letters, responsibility posts that change hands in July —
and the furniture-factory fire of SCENARIOS.md 4, with its planted irregularities.

Everything goes through ``HazardLedger``'s commands and validation, exactly like live
input. The one difference is the recording clock: the generator moves the ledger's
clock (``HazardLedger(clock=...)``) to a realistic moment shortly after each step
happened, so that a year can be recorded in a minute and its two clocks still tell the
truth. Randomness comes from one ``random.Random(seed)``: the same seed gives the same
history, event for event.
"""

from __future__ import annotations

import functools
import heapq
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid5

from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.division_lists import TOWNSHIPS as DIVISION_TOWNSHIPS
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.hazard import RectificationPlan
from ledger.identity import Actor, Role
from ledger.public_report import reporter_vault
from ledger.responsibility import Duty

CST = timezone(timedelta(hours=8), "Asia/Shanghai")
RECORDING_DELAY = timedelta(minutes=20)
COUNTY = "620826"
COUNTY_NAME = "静宁县"
NAMESPACE = UUID("5b0f8a57-8c1f-4f43-9c5e-6f1d2a0b9e11")

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = "建国明华伟强军平芳敏静丽娟勇杰涛磊超鹏辉斌宇浩凯峰刚亮红霞燕玲桂英秀兰志强海波国庆文博"
TOWNSHIPS = ("城关镇", "威戎镇", "界石铺镇", "八里镇", "李店镇", "治平镇", "仁大镇", "甘沟镇")
#: Hand-overs of the township leaders' posts in the demo year (month, day): 城关镇's before
#: the factory fire of 1 May, 甘沟镇's after it (so the review's answer depends on the day).
TOWNSHIP_HANDOVERS = {"城关镇": (4, 10), "甘沟镇": (6, 15), "威戎镇": (7, 6)}

# sector: (competent department, enterprise kinds, share of hazards)
SECTORS: dict[str, tuple[str, tuple[str, ...], float]] = {
    "fire": ("静宁县消防救援大队", ("家具厂", "商场", "宾馆", "网吧", "KTV", "养老院"), 0.30),
    "city_gas": ("静宁县住房和城乡建设局", ("餐馆", "液化气站", "燃气公司门站", "火锅店"), 0.20),
    "construction": ("静宁县住房和城乡建设局", ("住宅项目", "学校建设项目", "道路工程"), 0.20),
    "special_equipment": (
        "静宁县市场监督管理局",
        ("电梯使用单位", "锅炉房", "起重机械使用单位"),
        0.20,
    ),
    "chemicals": ("静宁县应急管理局", ("化工厂", "加油站", "烟花爆竹批发部"), 0.10),
}

HAZARDS: dict[str, tuple[tuple[str, str], ...]] = {
    "fire": (
        ("安全出口", "安全出口被货物堵塞"),
        ("疏散通道", "疏散指示标志损坏"),
        ("配电室", "灭火器过期失效"),
        ("楼梯间", "防火门常开且闭门器损坏"),
        ("仓库", "电气线路私拉乱接"),
    ),
    "city_gas": (
        ("后厨", "燃气软管穿墙敷设"),
        ("后厨", "未安装可燃气体泄漏报警装置"),
        ("储瓶间", "液化气瓶与灶具间距不足"),
        ("调压箱", "调压设施锈蚀"),
    ),
    "construction": (
        ("脚手架", "连墙件缺失"),
        ("基坑", "基坑周边堆载超限"),
        ("塔吊", "限位装置失效"),
        ("临时用电", "配电箱未设漏电保护"),
    ),
    "special_equipment": (
        ("电梯", "电梯超期未检验"),
        ("锅炉", "安全阀校验过期"),
        ("起重机", "制动器磨损超标"),
        ("电梯", "层门防夹装置失效"),
    ),
    "chemicals": (
        ("储罐区", "可燃气体报警器未定期标定"),
        ("仓库", "禁配物质混存"),
        ("装卸区", "静电接地装置损坏"),
        ("控制室", "操作规程未上墙"),
    ),
}

#: Where an enterprise of a kind has its hazards (its name ends with the kind): a gas
#: company's gate station has no kitchen, a boiler house no elevator. Kinds not listed
#: take their sector's list above.
KIND_HAZARDS: dict[str, tuple[tuple[str, str], ...]] = {
    "网吧": HAZARDS["fire"][:4],
    "液化气站": (
        ("储瓶间", "实瓶与空瓶未分区存放"),
        ("储瓶间", "可燃气体泄漏报警装置未定期检测"),
        ("充装台", "充装秤超期未检定"),
    ),
    "燃气公司门站": (
        ("调压箱", "调压设施锈蚀"),
        ("工艺区", "可燃气体报警器未定期标定"),
        ("放散管", "放散管防雷接地失效"),
    ),
    "电梯使用单位": (("电梯", "电梯超期未检验"), ("电梯", "层门防夹装置失效")),
    "锅炉房": (("锅炉", "安全阀校验过期"), ("锅炉", "水位表损坏")),
    "起重机械使用单位": (("起重机", "制动器磨损超标"), ("起重机", "起重量限制器失效")),
    "加油站": (
        ("储罐区", "可燃气体报警器未定期标定"),
        ("卸油区", "静电接地装置损坏"),
        ("加油区", "加油机防爆挠性管老化"),
    ),
    "烟花爆竹批发部": (("仓库", "禁配物质混存"), ("仓库", "超量储存烟花爆竹")),
}
#: What a city-gas enterprise is, as its hazards' 场所类型 (premises) says.
GAS_PREMISES = {
    "餐馆": "restaurant",
    "火锅店": "restaurant",
    "液化气站": "cylinder_outlet",
    "燃气公司门站": "station",
}
#: How much more often an enterprise sits in a township than in the smallest: the county
#: seat most, the larger towns more (the rest weigh 1).
TOWNSHIP_WEIGHTS = {
    "城关镇": 8,
    "城区街道": 4,
    "威戎镇": 3,
    "界石铺镇": 3,
    "八里镇": 2,
    "李店镇": 2,
}


def hazards_of(sector: str, enterprise_name: str) -> tuple[tuple[str, str], ...]:
    """The (location, description) pairs a hazard of ``sector`` may have at this
    enterprise: its kind's, else its sector's."""
    for kind, hazards in KIND_HAZARDS.items():
        if enterprise_name.endswith(kind):
            return hazards
    return HAZARDS[sector]


#: Criterion codes cited by the major hazards the generator grades (fixed codes of the
#: sectors' official standards; see docs/criteria.md).
MAJOR_CRITERIA = {
    "fire": ("FIRE-5.2-c", "FIRE-5.2-d", "FIRE-5.5-d"),
    "chemicals": ("CHEM-20", "CHEM-12", "CHEM-15"),
    "special_equipment": ("SE-ELV-01", "SE-BLR-03", "SE-CRN-02"),
}

#: Special equipment: the device type of a hazard's location, and the GB 45067 item a
#: major hazard at that device cites (the sector refuses an item of another device type).
#: Fire is graded by GB 35181-2025 from 2025-11-01 and by the 2017 edition before: the
#: same choices under the 2017 codes, and the factory's blocked exits under each edition
#: (2025: no direct element covers a factory's exits, so six composite elements, 4.1 c).
FIRE_2025_FROM = datetime(2025, 11, 1, tzinfo=timezone(timedelta(hours=8)))
FIRE_2017_CRITERIA = ("FIRE-D05", "FIRE-D06", "FIRE-D08")
FACTORY_FIRE_CRITERIA = (
    "FIRE-4.1-c",
    "FIRE-6.3.2",
    "FIRE-6.3.5",
    "FIRE-6.2.4",
    "FIRE-6.4.5",
    "FIRE-6.5.4",
    "FIRE-6.6.7",
)

DEVICES = {"电梯": "elevator", "锅炉": "boiler", "起重机": "crane"}
DEVICE_CRITERION = {"elevator": "SE-ELV-01", "boiler": "SE-BLR-03", "crane": "SE-CRN-02"}

PLAN = RectificationPlan(
    goal_and_tasks="彻底消除重大事故隐患，恢复安全生产条件",
    methods_and_measures="停用相关区域，按标准整改，整改后组织自查和专家评估",
    funds_and_materials="企业自筹整改资金，物资采购清单已落实",
    organisation_and_people="主要负责人牵头，安全管理人员具体负责",
    time_limit_and_requirements="在期限内完成并申请验收",
    safety_and_emergency="落实临时管控措施，专人值守，修订应急预案并组织演练",
)


@dataclass(frozen=True)
class Planted:
    """The irregularities planted for the accountability review to find."""

    factory_code: str
    factory_name: str
    incident_at: datetime
    fire_case_id: UUID
    backdated_inspection_id: UUID
    vacuous_closure_case_id: UUID
    shop_code: str
    shop_name: str
    accident_id: UUID | None = None
    plant_code: str = ""
    """The machinery plant that closes its own general hazards and breaches an elevator's
    stop-use order."""
    plant_name: str = ""


@dataclass
class Tally:
    enterprises: int = 0
    inspections: int = 0
    hazards: int = 0
    major: int = 0
    on_spot: int = 0
    assigned: int = 0
    closed: int = 0
    actions: int = 0
    commands: int = 0
    by_sector: dict[str, int] = field(default_factory=dict)


@dataclass(order=True)
class Step:
    """One command at its recording moment (the heap orders them)."""

    recorded_at: datetime
    order: int
    run: Callable[[], Any] = field(compare=False)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


class CountyYear:
    """Generates and records one county year on ``ledger`` (whose clock it moves)."""

    def __init__(
        self,
        ledger: HazardLedger,
        clock: Callable[[datetime], None],
        *,
        seed: int = 2026,
        year: int = 2026,
        hazards: int = 2000,
        until: datetime | None = None,
        county: tuple[str, str] = (COUNTY, COUNTY_NAME),
        first_year: bool = True,
        plant_incident: bool = True,
    ) -> None:
        self.ledger = ledger
        self.set_clock = clock
        self.county, self.county_name = county
        self.first_year = first_year
        self.plant_incident = plant_incident
        self.rng = random.Random(f"{seed}/{self.county}/{year}")
        # Enterprises are the same every year of a county: their own generator.
        self.enterprise_rng = random.Random(f"{seed}/{self.county}")
        self.year = year
        self.target_hazards = hazards
        self.tally = Tally()
        self._heap: list[Step] = []
        self._order = 0
        self.start = datetime(year, 1, 4, 8, 30, tzinfo=CST)
        self.end = datetime(year, 12, 28, 18, 0, tzinfo=CST)
        self.now_cut = min(self.end, until) if until else self.end
        self._id_counter = 0
        self.false_alarm_id: UUID | None = None
        self._people()

    # ---- scheduling ---------------------------------------------------------------------

    def _new_id(self, kind: str) -> UUID:
        self._id_counter += 1
        return uuid5(NAMESPACE, f"{kind}/{self.county}/{self.year}/{self._id_counter}")

    def at(
        self, occurred: datetime, run: Callable[[], Any], *, recorded: datetime | None = None
    ) -> None:
        """Schedule ``run`` to be recorded shortly after ``occurred`` (or at ``recorded``).

        Every ordinary step is typed in the same short while after it happened, so the
        recording order is the business order (steps of one case never overtake each
        other); only planted late entries name their own recording moment.
        """
        recorded = recorded or occurred + RECORDING_DELAY
        if recorded > self.now_cut:
            return
        self._order += 1
        heapq.heappush(self._heap, Step(recorded, self._order, run))

    def _work_time(self, day: datetime) -> datetime:
        return day.replace(
            hour=self.rng.randint(8, 17), minute=self.rng.choice((0, 10, 20, 30, 40, 50))
        )

    # ---- people and posts ---------------------------------------------------------------

    def place(self, township: str) -> str:
        """The division code of ``township`` in this county: its 9-digit code where the
        county's division list is installed (静宁县), else the county's own code."""
        for code, name in DIVISION_TOWNSHIPS.items():
            if code.startswith(self.county) and name == township:
                return code
        return self.county

    def townships(self) -> tuple[str, ...]:
        """The county's townships (乡镇、街道) by name: all of its division list where
        installed (静宁县's 25), else the demo's usual eight."""
        names = tuple(n for c, n in DIVISION_TOWNSHIPS.items() if c.startswith(self.county))
        return names or TOWNSHIPS

    def dept(self, sector: str) -> str:
        """The county's competent department for ``sector``."""
        return SECTORS[sector][0].replace(COUNTY_NAME, self.county_name)

    def _people(self) -> None:
        rng = self.rng
        self.inspectors = [
            Actor(
                f"{self.county}-insp-{i:02d}",
                _name(rng),
                Role.INSPECTOR,
                f"{self.county_name}{TOWNSHIPS[i % 8]}",
            )
            for i in range(8)
        ]
        self.officials: dict[str, list[Actor]] = {}
        for sector in SECTORS:
            self.officials[sector] = [
                Actor(f"{self.county}-{sector}-{i}", _name(rng), Role.DEPARTMENT, self.dept(sector))
                for i in range(3)
            ]
        self.office = Actor(
            f"{self.county}-aqw-01", _name(rng), Role.GOVERNMENT, f"{self.county_name}安委办"
        )
        self.clerk = Actor(
            f"{self.county}-clerk-01", _name(rng), Role.ADMIN, f"{self.county_name}应急管理局"
        )

    def _posts(self) -> None:
        jan = self.start
        july = datetime(self.year, 7, 6, 9, 0, tzinfo=CST)
        for sector in SECTORS:
            dept = self.dept(sector)
            for when, holder in (
                (jan, Person(f"p-{sector}-a", _name(self.rng))),
                (july, Person(f"p-{sector}-b", _name(self.rng))),
            ):
                self.at(
                    when,
                    lambda s=sector, d=dept, h=holder, w=when: self.ledger.assign_responsibility(  # type: ignore[misc]  # defaults bind the loop values
                        self.office,
                        w,
                        duty=Duty.DEPARTMENT_OFFICIAL,
                        region_code=self.county,
                        sector=s,
                        organisation=d,
                        title="分管负责人",
                        holder=h,
                    ),
                )
        for when, name in ((jan, _name(self.rng)), (july, _name(self.rng))):
            self.at(
                when,
                lambda w=when, n=name: self.ledger.assign_responsibility(  # type: ignore[misc]  # defaults bind the loop values
                    self.office,
                    w,
                    duty=Duty.GOVERNMENT_LEADER,
                    region_code=self.county,
                    sector="",
                    organisation=f"{self.county_name}人民政府",
                    title="分管安全生产副县长",
                    holder=Person(f"leader-{n}", n),
                ),
            )

    def _township_posts(self) -> None:
        """Each township's leader in charge (乡镇分管安全生产负责人), a post of its own;
        some change hands during the year. Its own random stream, so the rest of the
        year is the same with or without it."""
        rng = random.Random(f"{self.county}/{self.year}/township-posts")
        for town in self.townships():
            region = self.place(town)
            if region == self.county:
                return  # no division list for this county: no township posts
            holders = [(self.start, _name(rng))]
            if town in TOWNSHIP_HANDOVERS:
                month, day = TOWNSHIP_HANDOVERS[town]
                holders.append((datetime(self.year, month, day, 9, 0, tzinfo=CST), _name(rng)))
            for when, name in holders:
                self.at(
                    when,
                    lambda w=when, n=name, r=region, t=town: self.ledger.assign_responsibility(  # type: ignore[misc]  # defaults bind the loop values
                        self.office,
                        w,
                        duty=Duty.GOVERNMENT_LEADER,
                        region_code=r,
                        sector="",
                        organisation=f"{self.county_name}{t}"
                        + ("办事处" if t.endswith("街道") else "人民政府"),
                        title="分管安全生产"
                        + {"乡": "副乡长", "道": "副主任"}.get(t[-1], "副镇长"),
                        holder=Person(f"leader-{r}-{n}", n),
                    ),
                )

    def _measures(self) -> None:
        items = (
            ("建立重大事故隐患动态清零台账", "institutional_measure", "县安委办", 3),
            ("城镇燃气安全专项整治", "campaign_task", "县住房和城乡建设局", 6),
            ("特种设备安全隐患排查整治", "campaign_task", "县市场监督管理局", 9),
            ("人员密集场所消防安全整治", "campaign_task", "县消防救援大队", 10),
            ("安全生产举报奖励制度", "institutional_measure", "县应急管理局", 5),
        )
        for title, category, owner, due_month in items:
            added = self.start + timedelta(days=self.rng.randint(0, 20))
            measure_id = self._new_id("measure")
            due = datetime(self.year, due_month, 28, 18, 0, tzinfo=CST)
            self.at(
                added,
                lambda t=title, c=category, o=owner, a=added, d=due, m=measure_id: (  # type: ignore[misc]  # defaults bind the loop values
                    self.ledger.add_measure(
                        self.office,
                        a,
                        title=t,
                        category=c,
                        owner_department=o,
                        region_code=self.county,
                        due=d,
                        timetable="按月调度，季度通报",
                        measure_id=m,
                    )
                ),
            )
            progress = added + timedelta(days=40)
            self.at(
                progress,
                lambda m=measure_id, p=progress: self.ledger.report_measure_progress(  # type: ignore[misc]  # defaults bind the loop values
                    self.office, p, m, note="已完成阶段性任务，按计划推进"
                ),
            )
            if due_month <= 10:
                done = due - timedelta(days=self.rng.randint(1, 20))
                self.at(
                    done,
                    lambda m=measure_id, d=done: self.ledger.complete_measure(  # type: ignore[misc]  # defaults bind the loop values
                        self.office, d, m, summary="任务完成，形成长效机制"
                    ),
                )

    # ---- enterprises ----------------------------------------------------------------------

    def _enterprises(self) -> dict[str, list[tuple[str, str]]]:
        by_sector: dict[str, list[tuple[str, str]]] = {s: [] for s in SECTORS}
        towns = self.townships()
        weights = [TOWNSHIP_WEIGHTS.get(t, 1) for t in towns]
        serial = 0
        for sector, (_, kinds, share) in SECTORS.items():
            count = max(8, int(300 * share))
            for _ in range(count):
                serial += 1
                erng = self.enterprise_rng
                # the first enterprises one in each township, so every one has some
                town = (
                    towns[serial - 1] if serial <= len(towns) else erng.choices(towns, weights)[0]
                )
                kind = erng.choice(kinds)
                name = f"{self.county_name}{town}{_name(erng)}{kind}"
                code = make_credit_code(f"91{self.county}MA7{serial:05d}K0"[:17])
                principal = Person(f"pp-{self.county}-{serial}", _name(erng))
                when = datetime(self.year, 1, 2, 9, tzinfo=CST) + timedelta(
                    minutes=erng.randint(0, 480)
                )
                by_sector[sector].append((code, name))
                if not self.first_year:
                    continue  # registered in the county's first year
                self.at(
                    when,
                    lambda c=code, n=name, s=sector, p=principal, w=when, t=town: (  # type: ignore[misc]  # defaults bind the loop values
                        self.ledger.register_enterprise(
                            self.clerk,
                            w,
                            credit_code=c,
                            name=n,
                            region_code=self.place(t),
                            sectors=[s],
                            principal=p,
                            address=f"甘肃省平凉市{self.county_name}{t}",
                        )
                    ),
                )
                self.tally.enterprises += 1
                if self.rng.random() < 0.05:
                    changed = self._work_time(
                        self.start + timedelta(days=self.rng.randint(60, 300))
                    )
                    new = Person(f"pp-{self.county}-{serial}-{self.year}", _name(self.rng))
                    self.at(
                        changed,
                        lambda c=code, w=changed, p=new: self.ledger.change_principal(  # type: ignore[misc]  # defaults bind the loop values
                            self.clerk, w, credit_code=c, principal=p
                        ),
                    )
        return by_sector

    # ---- hazards ----------------------------------------------------------------------

    def _details(self, sector: str, name: str, location: str) -> dict[str, Any]:
        if sector == "special_equipment":
            return {
                "device_registration_code": f"31106208{self.rng.randint(10**9, 10**10 - 1)}",
                "device_type": DEVICES[location],
            }
        if sector == "city_gas":
            premises = next((p for k, p in GAS_PREMISES.items() if name.endswith(k)), "other")
            if premises == "restaurant":
                return {"premises": premises, "leak_alarm_installed": self.rng.random() < 0.4}
            return {"premises": premises}
        if sector == "construction":
            return {
                "project_name": name,
                "construction_permit_number": (
                    f"620826{self.year}{self.rng.randint(100000, 999999)}"
                ),
            }
        return {}

    def _visit(self, sector: str, code: str, name: str, day: datetime) -> None:
        """One inspection of one enterprise, and the hazards it finds with their lives."""
        rng = self.rng
        inspector = rng.choice(self.inspectors)
        official = rng.choice(self.officials[sector])
        t0 = self._work_time(day)
        inspection_id = self._new_id("inspection")
        kind = rng.choice(
            (
                "routine",
                "special",
                "unannounced",
                "joint",
                "grid_patrol",
                "county_verification",
                "expert_diagnosis",
            )
        )
        devices = rng.randint(1, 6) if sector == "special_equipment" else 0
        self.at(
            t0,
            lambda: self.ledger.record_inspection(
                inspector,
                t0,
                enterprise_code=code,
                sector=sector,
                inspection_type=kind,
                team=[inspector.name, official.name],
                location=name,
                devices_checked=devices,
                summary="现场检查",
                inspection_id=inspection_id,
            ),
        )
        self.tally.inspections += 1
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            if self.tally.hazards >= self.target_hazards:
                return
            self._hazard(sector, code, name, inspector, official, inspection_id, t0)

    def _hazard(
        self,
        sector: str,
        code: str,
        name: str,
        inspector: Actor,
        official: Actor,
        inspection_id: UUID,
        t0: datetime,
    ) -> None:
        rng = self.rng
        case_id = self._new_id("case")
        location, description = rng.choice(hazards_of(sector, name))
        source = rng.choice(
            (
                "routine_inspection",
                "grid_patrol",
                "county_verification",
                "expert_diagnosis",
                "unannounced_inspection",
                "self_inspection",
                "public_report",
                "sensor",
            )
        )
        details = self._details(sector, name, location)
        found = t0 + timedelta(minutes=rng.randint(5, 90))
        self.tally.hazards += 1
        self.tally.by_sector[sector] = self.tally.by_sector.get(sector, 0) + 1
        self.at(
            found,
            lambda: self.ledger.report_hazard(
                inspector,
                found,
                enterprise_code=code,
                sector=sector,
                location=location,
                description=description,
                source=source,
                found_by=inspector.name,
                inspection_id=inspection_id,
                details=details,
                case_id=case_id,
            ),
        )
        major = sector in MAJOR_CRITERIA and rng.random() < 0.05
        graded = found + timedelta(minutes=rng.randint(10, 240))
        if major:
            criteria = [rng.choice(MAJOR_CRITERIA[sector])]
            if sector == "fire" and graded < FIRE_2025_FROM:
                criteria = [FIRE_2017_CRITERIA[MAJOR_CRITERIA["fire"].index(criteria[0])]]
            if sector == "special_equipment":
                criteria = [DEVICE_CRITERION[details["device_type"]]]
            self.tally.major += 1
            self.at(
                graded,
                lambda: self.ledger.grade_hazard(
                    official, graded, case_id, grade="major", criteria=criteria
                ),
            )
            self._major_life(case_id, sector, code, official, graded)
            return
        self.at(
            graded, lambda: self.ledger.grade_hazard(inspector, graded, case_id, grade="general")
        )
        if rng.random() < 0.55:
            self.tally.on_spot += 1
            self.tally.closed += 1
            fixed = graded + timedelta(minutes=rng.randint(10, 120))
            self.at(
                fixed,
                lambda: self.ledger.rectify_on_spot(
                    inspector, fixed, case_id, measures=f"当场整改：{description}问题已现场消除"
                ),
            )
            return
        self._deadline_life(case_id, sector, code, inspector, official, graded, description)

    def _deadline_life(
        self,
        case_id: UUID,
        sector: str,
        code: str,
        inspector: Actor,
        official: Actor,
        assigned: datetime,
        description: str,
    ) -> None:
        rng = self.rng
        self.tally.assigned += 1
        dept = self.dept(sector)
        days = rng.choice((7, 10, 15, 15, 30))
        deadline = assigned + timedelta(days=days)
        assigned_at = assigned + timedelta(minutes=30)
        self.at(
            assigned_at,
            lambda: self.ledger.assign_rectification(
                inspector,
                assigned_at,
                case_id,
                department=dept,
                deadline=deadline,
                requirements=f"限期{days}日内完成整改并书面报告",
            ),
        )
        owner = Actor(f"ent-{code}", "企业安全管理员", Role.ENTERPRISE, code)
        roll = rng.random()
        if roll < 0.12:
            return  # still open at year end: some will be overdue
        completed = assigned_at + timedelta(days=rng.randint(2, max(3, days - 1)))
        if roll < 0.22:
            extended = assigned_at + timedelta(days=days - 1)
            self.at(
                extended,
                lambda: self.ledger.extend_deadline(
                    official,
                    extended,
                    case_id,
                    new_deadline=deadline + timedelta(days=15),
                    reason="整改需采购专用设备，供货周期较长",
                    approver=f"{official.organisation}局长",
                ),
            )
            completed = extended + timedelta(days=rng.randint(1, 12))
        reported = completed + timedelta(hours=rng.randint(1, 20))
        self.at(
            reported,
            lambda: self.ledger.report_rectification(
                owner,
                reported,
                case_id,
                measures=f"已针对“{description}”完成整改并留存照片",
                completed_at=completed,
                evidence=[f"sha256:{rng.getrandbits(128):032x}"],
            ),
        )
        # (Closures below read variables when they run: each moment gets its own name.)
        checked = reported + timedelta(days=rng.randint(1, 5))
        verified = checked
        if rng.random() < 0.1:
            self.at(
                checked,
                lambda: self.ledger.verify_rectification(
                    official, checked, case_id, accepted=False, opinion="整改不彻底，退回重新整改"
                ),
            )
            reported2 = checked + timedelta(days=rng.randint(2, 6))
            self.at(
                reported2,
                lambda: self.ledger.report_rectification(
                    owner,
                    reported2,
                    case_id,
                    measures="按复查意见重新整改到位",
                    completed_at=reported2,
                ),
            )
            verified = reported2 + timedelta(days=2)
        self.at(
            verified,
            lambda: self.ledger.verify_rectification(
                official, verified, case_id, accepted=True, opinion="经复查，整改到位"
            ),
        )
        closed = verified + timedelta(hours=rng.randint(1, 30))
        self.at(closed, lambda: self.ledger.close_hazard(official, closed, case_id))
        self.tally.closed += 1
        if rng.random() < 0.02:
            reopened = closed + timedelta(days=rng.randint(20, 60))
            self.at(
                reopened,
                lambda: self.ledger.reopen_hazard(
                    inspector, reopened, case_id, reason="复查发现同一隐患再次出现"
                ),
            )
            self.tally.closed -= 1

    def _major_life(
        self, case_id: UUID, sector: str, code: str, official: Actor, graded: datetime
    ) -> None:
        rng = self.rng
        owner = Actor(f"ent-{code}", "企业主要负责人", Role.ENTERPRISE, code)
        t = graded + timedelta(hours=2)
        self.at(
            t,
            lambda: self.ledger.assign_rectification(
                official,
                t,
                case_id,
                department=self.dept(sector),
                deadline=t + timedelta(days=45),
                requirements="制定治理方案，落实“五到位”，限期45日整改",
            ),
        )
        plan_at = t + timedelta(days=3)
        self.at(plan_at, lambda: self.ledger.file_plan(owner, plan_at, case_id, plan=PLAN))
        controls_at = plan_at + timedelta(hours=1)
        self.at(
            controls_at,
            lambda: self.ledger.record_interim_controls(
                owner, controls_at, case_id, controls="停用相关区域，设置警戒，专人24小时值守"
            ),
        )
        listed = rng.random() < 0.7
        listed_at = plan_at + timedelta(days=1)
        if listed:
            level = "city" if rng.random() < 0.15 else "county"
            self.at(
                listed_at,
                lambda: self.ledger.list_for_supervision(
                    self.office,
                    listed_at,
                    case_id,
                    level=level,
                    authority=f"{self.county_name}安委办",
                ),
            )
        if rng.random() < 0.25:
            return  # still open at year end
        reported = listed_at + timedelta(days=rng.randint(20, 40))
        self.at(
            reported,
            lambda: self.ledger.report_rectification(
                owner,
                reported,
                case_id,
                measures="按治理方案完成整改，隐患已消除",
                completed_at=reported - timedelta(days=1),
            ),
        )
        after = reported
        if listed:
            after = reported + timedelta(days=2)
            self.at(
                after,
                lambda: self.ledger.file_assessment(
                    owner, after, case_id, summary="企业组织专家评估，整改符合要求，申请验收"
                ),
            )
        accepted = after + timedelta(days=rng.randint(3, 9))
        self.at(
            accepted,
            lambda: self.ledger.verify_rectification(
                official, accepted, case_id, accepted=True, opinion="现场验收合格"
            ),
        )
        closed = accepted + timedelta(hours=3)
        self.at(closed, lambda: self.ledger.close_hazard(official, closed, case_id))
        self.tally.closed += 1
        if listed:
            delisted = closed + timedelta(days=1)
            self.at(delisted, lambda: self.ledger.delist(self.office, delisted, case_id))

    def _enforcement(self, sector: str, code: str, day: datetime) -> None:
        rng = self.rng
        official = rng.choice(self.officials[sector])
        when = self._work_time(day)
        roll = rng.random()
        number = f"静{sector[:2].upper()}罚〔{self.year}〕{self.tally.actions + 1:03d}号"
        self.tally.actions += 1
        if roll < 0.45:
            amount = Decimal(rng.choice((1000, 2000, 5000, 10000, 20000, 30000, 50000)))
            action_id = self._new_id("action")
            self.at(
                when,
                lambda: self.ledger.issue_action(
                    official,
                    when,
                    kind="penalty",
                    document_number=number,
                    enterprise_code=code,
                    sector=sector,
                    department=official.organisation,
                    action_id=action_id,
                    legal_basis="《中华人民共和国安全生产法》第一百零二条",
                    fine_amount=amount,
                    description="未采取措施消除事故隐患",
                ),
            )
            paid = when + timedelta(days=rng.randint(5, 14))
            self.at(
                paid,
                lambda: self.ledger.execute_action(
                    official, paid, action_id, amount_paid=amount, note="已缴纳"
                ),
            )
            return
        kind = rng.choice(
            (
                "warning_letter",
                "summons",
                "directive",
                "rectification_order",
                "stop_work",
                "circular",
            )
        )
        action_id = self._new_id("action")
        self.at(
            when,
            lambda: self.ledger.issue_action(
                official,
                when,
                kind=kind,
                document_number=number.replace("罚", "指"),
                enterprise_code=code,
                sector=sector,
                department=official.organisation,
                action_id=action_id,
                legal_basis="《中华人民共和国安全生产法》第六十五条",
            ),
        )
        if kind == "stop_work":
            lifted = when + timedelta(days=rng.randint(7, 20))
            self.at(
                lifted,
                lambda: self.ledger.lift_action(
                    official, lifted, action_id, reason="整改验收合格，同意复工"
                ),
            )

    # ---- the incident -------------------------------------------------------------------

    def _incident(self) -> Planted:
        """SCENARIOS.md 4: the furniture factory fire, with its irregularities."""
        y = self.year
        code = make_credit_code(f"91{self.county}MA7XDJJ01")
        name = f"{self.county_name}城关镇兴达家具厂"
        fire = self.officials["fire"]
        reporter, verifier = fire[0], fire[1]
        inspector = self.inspectors[0]
        owner = Actor(f"ent-{code}", "马厂长", Role.ENTERPRISE, code)

        def d(m: int, day: int, h: int = 9, mi: int = 0) -> datetime:
            return datetime(y, m, day, h, mi, tzinfo=CST)

        L = self.ledger
        case_id = self._new_id("incident-case")
        insp_id = self._new_id("incident-inspection")
        late_insp = self._new_id("incident-late-inspection")
        self.at(
            d(1, 5),
            lambda: L.register_enterprise(
                self.clerk,
                d(1, 5),
                credit_code=code,
                name=name,
                region_code=self.place("城关镇"),
                sectors=["fire"],
                principal=Person("pp-fire-factory", "马兴达"),
                address=f"甘肃省平凉市{self.county_name}城关镇工业园区",
            ),
        )
        self.at(
            d(3, 10),
            lambda: L.change_principal(
                self.clerk,
                d(3, 10),
                credit_code=code,
                principal=Person("pp-fire-factory-2", "马晓东"),
            ),
        )
        self.at(
            d(2, 20, 10),
            lambda: L.record_inspection(
                inspector,
                d(2, 20, 10),
                enterprise_code=code,
                sector="fire",
                inspection_type="routine",
                team=[inspector.name, reporter.name],
                location="成品仓库",
                inspection_id=insp_id,
            ),
        )
        self.at(
            d(2, 20, 11),
            lambda: L.report_hazard(
                inspector,
                d(2, 20, 11),
                enterprise_code=code,
                sector="fire",
                location="成品仓库",
                description="安全出口被成品家具堵塞，疏散通道宽度不足",
                source="routine_inspection",
                found_by=inspector.name,
                inspection_id=insp_id,
                case_id=case_id,
            ),
        )
        self.at(
            d(2, 20, 15),
            lambda: L.grade_hazard(
                reporter,
                d(2, 20, 15),
                case_id,
                grade="major",
                criteria=["FIRE-D05"] if d(2, 20) < FIRE_2025_FROM else [*FACTORY_FIRE_CRITERIA],
            ),
        )
        self.at(
            d(2, 21),
            lambda: L.assign_rectification(
                reporter,
                d(2, 21),
                case_id,
                department=self.dept("fire"),
                deadline=d(3, 23, 18),
                requirements="30日内清理安全出口并增设疏散通道",
            ),
        )
        self.at(d(2, 24), lambda: L.file_plan(owner, d(2, 24), case_id, plan=PLAN))
        letter_id = self._new_id("incident-letter")
        self.at(
            d(3, 12),
            lambda: L.issue_action(
                reporter,
                d(3, 12),
                kind="warning_letter",
                document_number=f"静消警〔{y}〕007号",
                action_id=letter_id,
                enterprise_code=code,
                sector="fire",
                department=self.dept("fire"),
                legal_basis="《中华人民共和国消防法》第十六条",
                case_ids=[case_id],
                description="安全出口堵塞问题整改进度滞后",
            ),
        )
        self.at(
            d(3, 20),
            lambda: L.extend_deadline(
                reporter,
                d(3, 20),
                case_id,
                new_deadline=d(4, 30, 18),
                reason="需新建成品库房以腾空通道",
                approver="县消防救援大队大队长",
            ),
        )
        # Reported rectified on the enterprise's behalf by the official ...
        self.at(
            d(4, 25),
            lambda: L.report_rectification(
                reporter,
                d(4, 25),
                case_id,
                measures="清理安全出口堆放物，增设一处疏散通道",
                completed_at=d(4, 24, 17),
            ),
        )
        self.at(
            d(4, 26),
            lambda: L.verify_rectification(
                verifier, d(4, 26), case_id, accepted=True, opinion="现场复查，安全出口已畅通"
            ),
        )
        # ... who then closes it himself: the self-verified closure.
        self.at(d(4, 27), lambda: L.close_hazard(reporter, d(4, 27), case_id))
        # An inspection dated 28 April, typed in after the fire, on 3 May.
        self.at(
            d(4, 28, 10),
            lambda: L.record_inspection(
                inspector,
                d(4, 28, 10),
                enterprise_code=code,
                sector="fire",
                inspection_type="re_inspection",
                team=[inspector.name],
                location="厂区",
                summary="复查未见异常",
                inspection_id=late_insp,
                justification="纸质检查记录事后补录",
            ),
            recorded=d(5, 3, 16),
        )
        # A closure elsewhere whose 'measures' say nothing (已整改).
        vacuous = self._new_id("vacuous-case")
        shop_code = make_credit_code(f"91{self.county}MA7HMDC01")
        shop_name = f"{self.county_name}城关镇惠民商场"
        self.at(
            d(1, 6),
            lambda: L.register_enterprise(
                self.clerk,
                d(1, 6),
                credit_code=shop_code,
                name=shop_name,
                region_code=self.place("城关镇"),
                sectors=["fire"],
                principal=Person("pp-shop", "周惠民"),
            ),
        )
        shop_owner = Actor(f"ent-{shop_code}", "商场安全员", Role.ENTERPRISE, shop_code)
        self.at(
            d(3, 2, 10),
            lambda: L.report_hazard(
                inspector,
                d(3, 2, 10),
                enterprise_code=shop_code,
                sector="fire",
                location="二楼",
                description="防火门闭门器损坏",
                source="grid_patrol",
                case_id=vacuous,
            ),
        )
        self.at(
            d(3, 2, 11), lambda: L.grade_hazard(inspector, d(3, 2, 11), vacuous, grade="general")
        )
        self.at(
            d(3, 2, 12),
            lambda: L.assign_rectification(
                inspector,
                d(3, 2, 12),
                vacuous,
                department=self.dept("fire"),
                deadline=d(3, 17),
                requirements="更换闭门器",
            ),
        )
        self.at(
            d(3, 9),
            lambda: L.report_rectification(
                shop_owner, d(3, 9), vacuous, measures="已整改", completed_at=d(3, 8)
            ),
        )
        self.at(
            d(3, 10),
            lambda: L.verify_rectification(
                verifier, d(3, 10), vacuous, accepted=True, opinion="同意"
            ),
        )
        self.at(d(3, 10, 11), lambda: L.close_hazard(verifier, d(3, 10, 11), vacuous))
        # The fire itself, reported by the fire department that evening (事故快报).
        accident_id = self._new_id("incident-accident")
        self.at(
            d(5, 1, 14),
            lambda: L.execute(
                c.RecordAccident(
                    occurred_at=d(5, 1, 14),
                    enterprise_code=code,
                    sector="fire",
                    place="成品仓库",
                    description="成品仓库起火，安全出口被堵，2名工人疏散受阻受伤，1人经抢救无效死亡",
                    deaths=1,
                    serious_injuries=2,
                    direct_loss=Decimal("1860000.00"),
                    accident_id=accident_id,
                ),
                reporter,
            ),
            recorded=d(5, 1, 19),
        )
        plant_code, plant_name = self._self_managed_and_device_order()
        return Planted(
            code,
            name,
            d(5, 1, 14),
            case_id,
            late_insp,
            vacuous,
            shop_code,
            shop_name,
            accident_id,
            plant_code=plant_code,
            plant_name=plant_name,
        )

    def _self_managed_and_device_order(self) -> tuple[str, str]:
        """A plant that grades, rectifies and closes its own general hazards (16号令
        Art. 15), and whose elevator, stopped by a device order, is seen still running; a
        fire hazard it finds elsewhere meanwhile is no breach of that order."""
        y = self.year
        code = make_credit_code(f"91{self.county}MA7XWJX01")
        name = f"{self.county_name}城关镇兴旺机械厂"
        owner = Actor(f"ent-{code}", "刘安全员", Role.ENTERPRISE, code)
        official = self.officials["special_equipment"][0]
        elevator = "31106208262019000731"
        L = self.ledger

        def d(m: int, day: int, h: int = 9) -> datetime:
            return datetime(y, m, day, h, tzinfo=CST)

        def run(at: datetime, command: Callable[[], c.Command], actor: Actor) -> None:
            self.at(at, lambda: L.execute(command(), actor))

        own = [self._new_id("plant-own-1"), self._new_id("plant-own-2")]
        order = self._new_id("plant-order")
        visit = self._new_id("plant-visit")
        self.at(
            d(1, 8),
            lambda: L.register_enterprise(
                self.clerk,
                d(1, 8),
                credit_code=code,
                name=name,
                region_code=self.place("城关镇"),
                sectors=["special_equipment", "fire"],
                principal=Person("pp-plant", "刘兴旺"),
            ),
        )
        for case_id, (at, sector, where, what, details, category) in zip(
            own,
            (
                (
                    d(3, 5),
                    "special_equipment",
                    "办公楼电梯",
                    "电梯轿厢内未张贴使用标志和安全注意事项",
                    {"device_registration_code": elevator, "device_type": "elevator"},
                    "SE-G07",
                ),
                (d(3, 25), "fire", "二号仓库", "仓库灭火器压力不足", {}, None),
            ),
            strict=True,
        ):
            run(
                at,
                functools.partial(
                    c.ReportHazard,
                    occurred_at=at,
                    enterprise_code=code,
                    sector=sector,
                    location=where,
                    description=what,
                    source="self_inspection",
                    found_by=owner.name,
                    details=details,
                    case_id=case_id,
                ),
                owner,
            )
            run(
                at + timedelta(hours=1),
                functools.partial(
                    c.GradeHazard,
                    occurred_at=at + timedelta(hours=1),
                    case_id=case_id,
                    grade="general",
                    category=category,
                ),
                owner,
            )
            run(
                at + timedelta(hours=3),
                functools.partial(
                    c.RectifyOnSpot,
                    occurred_at=at + timedelta(hours=3),
                    case_id=case_id,
                    measures="当日整改：张贴使用标志并更换、补充相关器材，拍照留存",
                ),
                owner,
            )
        run(
            d(3, 20),
            lambda: c.IssueAction(
                occurred_at=d(3, 20),
                kind="stop_work",
                document_number=f"静市监特令〔{y}〕005号",
                enterprise_code=code,
                sector="special_equipment",
                department=self.dept("special_equipment"),
                legal_basis="《中华人民共和国特种设备安全法》第五十七条、第八十四条",
                device_code=elevator,
                description="电梯门锁回路被短接，责令立即停止使用",
                action_id=order,
            ),
            official,
        )
        run(
            d(4, 2, 10),
            lambda: c.RecordInspection(
                occurred_at=d(4, 2, 10),
                enterprise_code=code,
                sector="special_equipment",
                inspection_type="unannounced",
                team=(official.name,),
                location="办公楼",
                inspection_id=visit,
            ),
            official,
        )
        run(
            d(4, 2, 11),
            lambda: c.RecordObservedActivity(
                occurred_at=d(4, 2, 11),
                action_id=order,
                inspection_id=visit,
                description="被责令停止使用的电梯仍在载客运行，门锁回路短接线未拆除",
            ),
            official,
        )
        run(
            d(4, 20),
            lambda: c.LiftAction(
                occurred_at=d(4, 20), action_id=order, reason="门锁回路修复，经检验合格，恢复使用"
            ),
            official,
        )
        return code, name

    # ---- risk points and public reports ------------------------------------------------

    def _risk_and_public_reports(self, by_sector: dict[str, list[tuple[str, str]]]) -> None:
        """A major risk point with an open hazard that cites its failed control; one public
        report found unfounded and one founded (which opens its case) and rewarded."""
        official = self.officials["city_gas"][0]
        # Same seed, same bytes: the sealed reporters too (a demo's identities are made up).
        reporter_vault(self.ledger).random_bytes = random.Random(self.rng.random()).randbytes
        code, name = by_sector["city_gas"][0]
        other_code, other_name = by_sector["city_gas"][-1]

        def d(m: int, day: int, h: int = 10) -> datetime:
            return datetime(self.year, m, day, h, 0, tzinfo=CST)

        def step(command: c.Command) -> None:
            self.at(command.occurred_at, lambda: self.ledger.execute(command, official))

        point_id, cited_case = self._new_id("risk-point"), self._new_id("risk-case")
        step(
            c.RegisterRiskPoint(
                occurred_at=d(3, 2),
                enterprise_code=code,
                sector="city_gas",
                name="液化石油气储瓶间",
                location="储瓶间",
                level="major",
                controls=("可燃气体泄漏报警并联动切断", "每日两次巡检并记录", "储瓶不超过两瓶"),
                hazard_source_level=4,
                responsible_principal=Person("rp-1", "主要负责人" + name[:2]),
                responsible_technical=Person("rp-2", "技术负责人" + name[:2]),
                responsible_operational=Person("rp-3", "操作负责人" + name[:2]),
                risk_point_id=point_id,
            )
        )
        step(
            c.ReportHazard(
                occurred_at=d(4, 8),
                enterprise_code=code,
                sector="city_gas",
                location="储瓶间",
                description="泄漏报警器损坏未修复，联动切断失效",
                source="routine_inspection",
                found_by=official.name,
                details=self._details("city_gas", name, "储瓶间"),
                case_id=cited_case,
            )
        )
        step(
            c.CiteFailedControl(
                occurred_at=d(4, 8, 11), risk_point_id=point_id, control_id="C1", case_id=cited_case
            )
        )
        step(c.GradeHazard(occurred_at=d(4, 8, 12), case_id=cited_case, grade="general"))

        for n, (target, target_name, founded) in enumerate(
            ((other_code, other_name, False), (code, name, True)), 1
        ):
            report_id = self._new_id("public-report")
            start = d(3 + n, 15)
            step(
                c.ReceivePublicReport(
                    occurred_at=start,
                    enterprise_code=target,
                    sector="city_gas",
                    channel="hotline",
                    content=f"12350举报：{target_name}夜间违规储存液化气，气味明显",
                    reporter_name=f"举报人{n}",
                    reporter_phone=f"1390933{n:04d}",
                    report_id=report_id,
                )
            )
            checked = start + timedelta(days=2)
            step(
                c.VerifyPublicReport(
                    occurred_at=checked,
                    report_id=report_id,
                    findings="现场检查发现超量储瓶" if founded else "现场检查未发现储瓶",
                )
            )
            concluded = checked + timedelta(hours=2)
            if not founded:
                step(
                    c.FindReportUnfounded(
                        occurred_at=concluded,
                        report_id=report_id,
                        reasons="现场未发现液化气钢瓶，该单位已改用管道天然气，举报不属实",
                    )
                )
                continue
            step(
                c.FindReportFounded(
                    occurred_at=concluded,
                    report_id=report_id,
                    reasons="现场存放液化气钢瓶6瓶，超过规定，举报属实",
                    location="储瓶间",
                    description="超量储存液化石油气钢瓶",
                    found_by=official.name,
                    details=self._details("city_gas", target_name, "储瓶间"),
                    case_id=self._new_id("public-report-case"),
                )
            )
            step(
                c.RewardReporter(
                    occurred_at=concluded + timedelta(days=10),
                    report_id=report_id,
                    amount=Decimal("2000"),
                )
            )

    def _false_alarm(self, by_sector: dict[str, list[tuple[str, str]]]) -> None:
        """One gas-leak alarm that proved false on site, dismissed before grading (误报核销).

        Scheduled after the rest of the year is planned and drawing nothing from the
        random stream, so every other record of a seed stays as it was.
        """
        official = self.officials["city_gas"][0]
        code, name = by_sector["city_gas"][len(by_sector["city_gas"]) // 2]
        self.false_alarm_id = case_id = self._new_id("false-alarm")
        premises = next((p for k, p in GAS_PREMISES.items() if name.endswith(k)), "other")
        alarm = {"leak_alarm_installed": True} if premises == "restaurant" else {}
        raised = datetime(self.year, 5, 12, 21, 40, tzinfo=CST)
        checked = raised + timedelta(hours=1, minutes=20)
        report = c.ReportHazard(
            occurred_at=raised,
            enterprise_code=code,
            sector="city_gas",
            location="后厨",
            description="可燃气体泄漏报警器报警（监测平台推送）",
            source="sensor",
            found_by="燃气安全监测平台",
            details={"premises": premises, **alarm},
            case_id=case_id,
        )
        dismiss = c.DismissFalseAlarm(
            occurred_at=checked,
            case_id=case_id,
            reason="现场核查：探测器受油烟干扰误报，便携式检测仪复测浓度为零，未发现泄漏",
        )
        self.at(raised, lambda: self.ledger.execute(report, official))
        self.at(checked, lambda: self.ledger.execute(dismiss, official))

    # ---- the whole year ----------------------------------------------------------------

    def plan(self) -> Planted | None:
        """Schedule the year (nothing is recorded yet)."""
        self._posts()
        self._township_posts()
        self._measures()
        planted = self._incident() if self.plant_incident else None
        by_sector = self._enterprises()
        self._risk_and_public_reports(by_sector)
        rng = self.rng
        weeks = 51
        per_week = self.target_hazards / weeks
        for week in range(weeks):
            monday = self.start + timedelta(weeks=week, days=1)
            if monday > self.now_cut:
                break
            visits = max(1, int(per_week / 1.3 + rng.uniform(-2, 2)))
            for _ in range(visits):
                sector = rng.choices(list(SECTORS), weights=[s[2] for s in SECTORS.values()])[0]
                code, name = rng.choice(by_sector[sector])
                day = monday + timedelta(days=rng.randint(0, 4))
                self._visit(sector, code, name, day)
            for _ in range(rng.choice((0, 1, 1, 2))):
                sector = rng.choice(list(SECTORS))
                code, _ = rng.choice(by_sector[sector])
                self._enforcement(sector, code, monday + timedelta(days=rng.randint(0, 4)))
        self._false_alarm(by_sector)
        return planted

    def steps(self) -> Iterator[Step]:
        while self._heap:
            yield heapq.heappop(self._heap)

    def run(self, progress: Callable[[int, int], None] | None = None) -> Planted:
        """Record the whole year, in recording order, with the clock following along."""
        planted = self.plan()
        assert planted is not None, "a single county year plants the incident"
        record([self], self.set_clock, progress)
        return planted


def record(
    years: Sequence[CountyYear],
    set_clock: Callable[[datetime], None],
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Run planned county years together, all steps in one recording order."""
    for y in years:
        y.tally.commands = len(y._heap)
    total = sum(len(y._heap) for y in years)
    done = 0
    for step in heapq.merge(*(y.steps() for y in years)):
        set_clock(step.recorded_at.astimezone(UTC))
        try:
            step.run()
        except RuleViolated as refused:  # a generator bug: say so loudly
            raise RuntimeError(f"demo step refused at {step.recorded_at}: {refused}") from None
        done += 1
        if progress is not None and (done % 500 == 0 or done == total):
            progress(done, total)
    return done


#: County-level divisions of Gansu (GB/T 2260), for the province-scale option.
GANSU_COUNTIES: tuple[tuple[str, str], ...] = tuple(
    (code, name)
    for code, name in (
        item.split(":")
        for item in (  # noqa: SIM905 - one table, easier to check against GB/T 2260
            "620826:静宁县 620802:崆峒区 620821:泾川县 620822:灵台县 620823:崇信县 620825:庄浪县 "
            "620881:华亭市 620102:城关区 620103:七里河区 620104:西固区 620105:安宁区 620111:红古区 "
            "620121:永登县 620122:皋兰县 620123:榆中县 620201:嘉峪关市 620302:金川区 620321:永昌县 "
            "620402:白银区 620403:平川区 620421:靖远县 620422:会宁县 620423:景泰县 620502:秦州区 "
            "620503:麦积区 620521:清水县 620522:秦安县 620523:甘谷县 620524:武山县 "
            "620525:张家川回族自治县 620602:凉州区 620621:民勤县 620622:古浪县 "
            "620623:天祝藏族自治县 "
            "620702:甘州区 620721:肃南裕固族自治县 620722:民乐县 620723:临泽县 620724:高台县 "
            "620725:山丹县 620902:肃州区 620921:金塔县 620922:瓜州县 620923:肃北蒙古族自治县 "
            "620924:阿克塞哈萨克族自治县 620981:玉门市 620982:敦煌市 621002:西峰区 "
            "621021:庆城县 "
            "621022:环县 621023:华池县 621024:合水县 621025:正宁县 621026:宁县 621027:镇原县 "
            "621102:安定区 621121:通渭县 621122:陇西县 621123:渭源县 621124:临洮县 621125:漳县 "
            "621126:岷县 621202:武都区 621221:成县 621222:文县 621223:宕昌县 621224:康县 "
            "621225:西和县 621226:礼县 621227:徽县 621228:两当县 622901:临夏市 622921:临夏县 "
            "622922:康乐县 622923:永靖县 622924:广河县 622925:和政县 622926:东乡族自治县 "
            "622927:积石山保安族东乡族撒拉族自治县 623001:合作市 623021:临潭县 623022:卓尼县 "
            "623023:舟曲县 623024:迭部县 623025:玛曲县 623026:碌曲县 623027:夏河县"
        ).split()
    )
)


def province(
    ledger: HazardLedger,
    set_clock: Callable[[datetime], None],
    *,
    counties: int,
    years: int,
    first_year: int,
    seed: int = 2026,
    hazards: int = 2000,
    until: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Planted, list[CountyYear]]:
    """Many county years at province scale: the counties' years run side by side, year
    after year, each year's steps merged into one recording order. The incident is
    planted once, in the first county's first year. Counties are Gansu's county-level
    divisions, in ``GANSU_COUNTIES`` order."""
    if not 1 <= counties <= len(GANSU_COUNTIES):
        raise ValueError(f"counties: 1..{len(GANSU_COUNTIES)} (Gansu's county-level divisions)")
    planted: Planted | None = None
    done: list[CountyYear] = []
    for offset in range(years):
        batch = []
        for index, county in enumerate(GANSU_COUNTIES[:counties]):
            year = CountyYear(
                ledger,
                set_clock,
                seed=seed,
                year=first_year + offset,
                hazards=hazards,
                until=until,
                county=county,
                first_year=offset == 0,
                plant_incident=offset == 0 and index == 0,
            )
            planted = year.plan() or planted
            batch.append(year)
        record(batch, set_clock, progress)
        done += batch
    assert planted is not None
    return planted, done
