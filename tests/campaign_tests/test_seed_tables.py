"""One table of each seed report regenerated from a history built to match it.

Each test records, through the ledger's commands, the facts a seed report counts, runs
the read models, asks ``Reads.campaign`` (the one read every entry point uses) and checks
each figure the report prints. What a seed says that the ledger cannot produce is listed
in ``docs/campaign-tables.md`` with the reason; the tests record the nearest figure where
one exists (sums over a sector the ledger does not split, for example).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from ledger.application import HazardLedger
from ledger.scope import Scope
from projections.campaign import parse_period, period_between
from projections.reads import Reads
from tests.conftest import FakeClock

from .history import History

EVERYTHING = Scope.everything()


@pytest.fixture
def history(tmp_path: Path) -> Iterator[History]:
    """A SQLite ledger: the seeds hold thousands of facts (PostgreSQL is covered by the
    smaller tests of ``test_tables.py``)."""
    clock = FakeClock(datetime(2019, 1, 2, tzinfo=UTC))
    app = HazardLedger(str(tmp_path / "seed.db"), clock=clock)
    yield History(app, clock)
    app.close()


def spread(first: date, last: date, n: int) -> Iterator[date]:
    """``n`` business days spread over ``[first, last]``."""
    days = (last - first).days
    for i in range(n):
        yield first + timedelta(days=(i * days) // max(n, 1))


def by_sector(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["sector"]: row for row in answer["rows"]}


# ---- seed 000: 静宁县, 2020 (危化、消防、建筑、特种设备、涉氨制冷; 自查) -------------------------


def _seed_000(h: History) -> None:
    year = (date(2020, 1, 6), date(2020, 10, 30))

    def checked(sector: str, units: int, found: int, on_spot: int, deadline_open: int) -> list[str]:
        """``units`` enterprises inspected once each, ``found`` hazards among them."""
        codes = [h.enterprise(sector) for _ in range(units)]
        days = list(spread(*year, max(units, found)))
        for code, day in zip(codes, days, strict=False):
            h.inspect(code, sector, day)
        for i in range(found):
            mode = (
                "on_spot"
                if i < on_spot
                else "deadline_open"
                if i < on_spot + deadline_open
                else "open"
            )
            h.hazard(codes[i % units], sector, days[i], mode=mode)  # type: ignore[arg-type]
        return codes

    with h.unit(date(2020, 11, 2)):
        # 危险化学品和烟花爆竹: 13 + 2 enterprises, 14 + 18 (+ 9 硝酸铵) hazards, all rectified.
        chem = checked("chemicals", 15, 41, 41, 0)
        for i in range(12):  # 取缔非法零售经营摊点12处
            h.action(h.enterprise("chemicals"), "chemicals", date(2020, 6, 1 + i), "ban")
        h.action(  # 没收销毁 158箱
            chem[13], "chemicals", date(2020, 6, 20), "confiscation", quantity="158", unit="箱"
        )
        h.action(chem[14], "chemicals", date(2020, 6, 21), "penalty", fine="20000")
        # 消防: 649 家(次), 963 hazards, 954 rectified.
        checked("fire", 649, 963, 954, 9)
        # 建筑施工: 67 sites, 352 hazards, 326 rectified, 26 under a deadline;
        # 停工通知单15份、现场检查通知106份.
        sites = checked("construction", 67, 352, 326, 26)
        for i in range(15):
            h.action(sites[i], "construction", date(2020, 7, 1), "stop_work")
        for i in range(106):
            h.action(sites[i % 67], "construction", date(2020, 7, 2), "inspection_notice")
        # 特种设备: 171 人次 at 76 units, 162 devices, 110 hazards (66 on the spot, 44 under
        # a deadline), 监察指令33份.
        users = [h.enterprise("special_equipment") for _ in range(76)]
        for i, code in enumerate(users):
            h.inspect(
                code,
                "special_equipment",
                date(2020, 5, 6),
                team=3 if i < 19 else 2,
                devices=3 if i < 10 else 2,
            )
        for i in range(110):
            mode = "on_spot" if i < 66 else "deadline_open"
            h.hazard(users[i % 76], "special_equipment", date(2020, 5, 6), mode=mode)  # type: ignore[arg-type]
        for i in range(33):
            h.action(users[i], "special_equipment", date(2020, 5, 7), "directive")
        # 涉氨制冷: 56 enterprises, 190 hazards (120 on the spot, 70 under a deadline),
        # 执法文书80份 (70 orders to rectify, 10 directives).
        plants = checked("ammonia_refrigeration", 56, 190, 120, 70)
        for i in range(70):
            h.action(
                plants[i % 56], "ammonia_refrigeration", date(2020, 8, 3), "rectification_order"
            )
        for i in range(10):
            h.action(plants[i], "ammonia_refrigeration", date(2020, 8, 4), "directive")
        # 全县各安全生产领域共自查发现隐患2053条，已整改1456条.
        own = [h.enterprise("fire") for _ in range(40)]
        for i, day in enumerate(spread(*year, 2053)):
            mode = "on_spot" if i < 1456 else "open"
            h.hazard(own[i % 40], "fire", day, source="self_inspection", mode=mode)  # type: ignore[arg-type]
    h.build(date(2020, 11, 2))


def test_seed_000_county_sector_lines(history: History) -> None:
    _seed_000(history)
    reads = Reads(history.ledger)
    year = parse_period("2020")

    def ask(table: str, **kw: Any) -> dict[str, Any]:
        return reads.campaign(table, "620826", year, scope=EVERYTHING, **kw)

    found = by_sector(ask("sources", source="department"))
    effort = by_sector(ask("effort"))
    acts = by_sector(ask("enforcement"))
    # 危险化学品和烟花爆竹 (one sector in the ledger: the two lines summed, 硝酸铵 included)
    assert effort["chemicals"]["units_inspected"] == 13 + 2
    assert (found["chemicals"]["hazards_found"], found["chemicals"]["rectified"]) == (41, 41)
    assert acts["chemicals"]["confiscation"] == 1
    assert acts["chemicals"]["confiscation_quantity"] == "158箱"
    assert acts["chemicals"]["ban"] == 12
    assert (acts["chemicals"]["fined_units"], acts["chemicals"]["fines_amount"]) == (1, "20000")
    # 消防
    assert effort["fire"]["inspections"] == 649
    assert (found["fire"]["hazards_found"], found["fire"]["rectified"]) == (963, 954)
    # 建筑施工
    assert effort["construction"]["units_inspected"] == 67
    row = found["construction"]
    assert (row["hazards_found"], row["rectified"], row["deadline_rectifications"]) == (
        352,
        326,
        26,
    )
    assert (acts["construction"]["stop_work"], acts["construction"]["inspection_notice"]) == (
        15,
        106,
    )
    # 特种设备
    se = effort["special_equipment"]
    assert (se["person_times"], se["units_inspected"], se["devices_checked"]) == (171, 76, 162)
    row = found["special_equipment"]
    assert (row["hazards_found"], row["rectified_on_spot"], row["deadline_rectifications"]) == (
        110,
        66,
        44,
    )
    assert acts["special_equipment"]["directive"] == 33
    # 涉氨制冷
    assert effort["ammonia_refrigeration"]["units_inspected"] == 56
    row = found["ammonia_refrigeration"]
    assert (row["hazards_found"], row["rectified_on_spot"], row["deadline_rectifications"]) == (
        190,
        120,
        70,
    )
    assert acts["ammonia_refrigeration"]["documents_issued"] == 80
    # 自查发现隐患2053条，已整改1456条
    own = ask("sources", source="self")["total"]
    assert (own["self_found"], own["self_rectified"]) == (2053, 1456)


# ---- seed 001: X市, 截止4月30日 (检查单位, 重大隐患, 帮扶指导, 处罚, 曝光约谈联合惩戒, 警示函) --


CITY_DISTRICTS = ("620802", "620821", "620822", "620823", "620826")


def _seed_001(h: History) -> None:
    days = (date(2024, 2, 1), date(2024, 4, 30))
    with h.unit(date(2024, 4, 30)):
        units = [h.enterprise("fire", region=CITY_DISTRICTS[i % 5]) for i in range(3284)]
        for code, day in zip(units, spread(*days, 3284), strict=True):
            h.inspect(code, "fire", day)
        for code in units[:255]:  # 帮扶指导高危行业领域生产经营单位255家
            h.inspect(code, "fire", date(2024, 3, 15), kind="guidance")
        for i in range(40):  # 发现重大事故隐患40处，已整改30处
            mode = "deadline_closed" if i < 30 else "deadline_open"
            h.hazard(units[i], "fire", date(2024, 3, 1), mode=mode, major=True)  # type: ignore[arg-type]
        h.action(units[0], "fire", date(2024, 4, 2), "penalty", fine="10000")  # 行政处罚1万元
        for i in range(20):  # 曝光、约谈、联合惩戒企业20家 (some reached twice)
            h.action(
                units[100 + i],
                "fire",
                date(2024, 4, 3),
                ("exposure", "summons", "joint_punishment")[i % 3],
            )
        h.action(units[100], "fire", date(2024, 4, 4), "summons")
        for i in range(11):  # 发送安全生产警示函11份
            h.action(units[200 + i], "fire", date(2024, 4, 5), "warning_letter")
    h.build(date(2024, 5, 6))


def test_seed_001_city_campaign_so_far(history: History) -> None:
    _seed_001(history)
    reads = Reads(history.ledger)
    span = period_between(date(2024, 1, 1), date(2024, 4, 30))

    def total(table: str) -> dict[str, Any]:
        answer = reads.campaign(table, "6208", span, scope=EVERYTHING, since=date(2024, 1, 1))
        assert answer["cumulative"]["total"] == answer["total"]  # the campaign began in 2024
        total: dict[str, Any] = answer["total"]
        return total

    effort = total("effort")
    assert effort["units_inspected"] == 3284
    assert effort["guidance_units"] == 255
    hazards = total("sources")
    assert (hazards["major_found"], hazards["major_rectified"]) == (40, 30)
    acts = total("enforcement")
    assert acts["fines_amount"] == "10000"
    assert acts["disciplined_units"] == 20
    assert acts["warning_letter"] == 11
    # A county of the city answers its own share; on the morning of 2 March (Beijing
    # time) the 30 majors were found but not yet closed (they closed at 10:00 that day).
    county = reads.campaign("effort", "620826", span, scope=EVERYTHING)["total"]
    assert county["units_inspected"] == 656  # every fifth enterprise sits in 620826
    march = reads.campaign(
        "sources", "6208", span, scope=EVERYTHING, valid_at=datetime(2024, 3, 1, 23, tzinfo=UTC)
    )["total"]
    assert (march["major_found"], march["major_rectified"]) == (40, 0)


# ---- seed 002: 事故起数、死亡人数同比2019-2021三年平均值分别下降20% ---------------------------


def test_seed_002_accidents_against_three_year_average(history: History) -> None:
    h = history
    with h.unit(date(2022, 12, 31)):
        site = h.enterprise("construction")
        # 2019: 6 accidents / 6 deaths, 2020: 5 / 5, 2021: 4 / 4  -> average 5 / 5
        for year, n in ((2019, 6), (2020, 5), (2021, 4), (2022, 4)):
            for i in range(n):
                h.accident(site, "construction", date(year, 2 + i, 10), deaths=1)
    h.build(date(2023, 1, 5))
    answer = Reads(h.ledger).campaign(
        "accidents", "620826", parse_period("2022"), scope=EVERYTHING, baseline_years=3
    )
    t = answer["total"]
    assert (t["count"], t["deaths"]) == (4, 4)
    assert (t["count_baseline"], t["deaths_baseline"]) == (5.0, 5.0)
    assert (t["count_baseline_change"], t["deaths_baseline_change"]) == (-0.2, -0.2)
    assert (t["previous_year_count"], t["count_change"]) == (4, 0.0)


# ---- seed 003: 截至3月29日，事故起数同比下降40%，死亡人数下降23.8% ----------------------------


def test_seed_003_accidents_year_on_year_to_a_day(history: History) -> None:
    h = history
    with h.unit(date(2021, 3, 30)):
        mine = h.enterprise("construction", region="520121")
        for day, deaths in ((date(2020, 1, 8), 3), (date(2020, 2, 1), 4), (date(2020, 2, 9), 5)):
            h.accident(mine, "construction", day, deaths=deaths)
        for day, deaths in ((date(2020, 3, 2), 4), (date(2020, 3, 29), 5)):
            h.accident(mine, "construction", day, deaths=deaths)
        h.accident(mine, "construction", date(2020, 3, 30), deaths=9)  # after the 29th
        for day, deaths in ((date(2021, 1, 5), 3), (date(2021, 2, 2), 10), (date(2021, 3, 29), 3)):
            h.accident(mine, "construction", day, deaths=deaths)
    h.build(date(2021, 3, 30))
    span = period_between(date(2021, 1, 1), date(2021, 3, 29))
    t = Reads(h.ledger).campaign("accidents", "5201", span, scope=EVERYTHING)["total"]
    assert (t["count"], t["previous_year_count"], t["count_change"]) == (3, 5, -0.4)
    assert (t["deaths"], t["previous_year_deaths"]) == (16, 21)
    assert round(t["deaths_change"] * 100, 1) == -23.8


# ---- seed 004: 去年全县非正常死亡事件85起、死亡86人 ------------------------------------------


def test_seed_004_accidents_of_last_year(history: History) -> None:
    h = history
    with h.unit(date(2021, 1, 10)):
        place = h.enterprise("fire", region="512022")
        for i, day in enumerate(spread(date(2020, 1, 1), date(2020, 12, 31), 85)):
            h.accident(place, "fire", day, deaths=2 if i == 0 else 1)
        h.accident(place, "fire", date(2021, 1, 3), deaths=1)  # this year: not counted
    h.build(date(2021, 3, 9))
    t = Reads(h.ledger).campaign("accidents", "512022", parse_period("2020"), scope=EVERYTHING)
    assert (t["total"]["count"], t["total"]["deaths"]) == (85, 86)
