"""Accidents: the level of 《生产安全事故报告和调查处理条例》 Art. 3, the record on both
stores, refusals that record nothing, and the review started from an accident."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger import commands as c
from ledger.accident import AccidentLevel, accident_level
from ledger.application import HazardLedger
from ledger.errors import NotFound, RuleViolated
from ledger.permissions import NotPermitted
from ledger.scope import Scope
from projections.reads import Reads
from tests.conftest import FakeClock
from tests.support import DEPARTMENT, ENTERPRISE_USER, INSPECTOR, register_restaurant

WAN = Decimal(10_000)  # 万元


def reference_level(deaths: int, injuries: int, loss: Decimal) -> str:
    """Art. 3 read literally, one measure at a time ("以上"包括本数, "以下"不包括本数)."""

    def by_deaths() -> int:
        return 3 if deaths >= 30 else 2 if deaths >= 10 else 1 if deaths >= 3 else 0

    def by_injuries() -> int:
        return 3 if injuries >= 100 else 2 if injuries >= 50 else 1 if injuries >= 10 else 0

    def by_loss() -> int:
        wan = loss / WAN
        return 3 if wan >= 10_000 else 2 if wan >= 5_000 else 1 if wan >= 1_000 else 0

    return ("general", "larger", "serious", "particularly_serious")[
        max(by_deaths(), by_injuries(), by_loss())
    ]


@given(
    st.integers(0, 60),
    st.integers(0, 150),
    st.decimals(min_value=0, max_value=200_000_000, places=2, allow_nan=False),
)
def test_the_level_is_the_gravest_any_measure_reaches(
    deaths: int, injuries: int, loss: Decimal
) -> None:
    assert accident_level(deaths, injuries, loss).value == reference_level(deaths, injuries, loss)


@pytest.mark.parametrize(
    ("deaths", "injuries", "loss", "level"),
    [
        (2, 9, Decimal("9999999.99"), AccidentLevel.GENERAL),
        (3, 0, Decimal(0), AccidentLevel.LARGER),  # 3人以上 includes 3
        (0, 10, Decimal(0), AccidentLevel.LARGER),
        (0, 0, 1_000 * WAN, AccidentLevel.LARGER),
        (9, 49, Decimal("49999999.99"), AccidentLevel.LARGER),
        (10, 0, Decimal(0), AccidentLevel.SERIOUS),
        (0, 50, Decimal(0), AccidentLevel.SERIOUS),
        (0, 0, 5_000 * WAN, AccidentLevel.SERIOUS),
        (30, 0, Decimal(0), AccidentLevel.PARTICULARLY_SERIOUS),
        (0, 100, Decimal(0), AccidentLevel.PARTICULARLY_SERIOUS),
        (0, 0, 10_000 * WAN, AccidentLevel.PARTICULARLY_SERIOUS),
    ],
)
def test_the_thresholds(deaths: int, injuries: int, loss: Decimal, level: AccidentLevel) -> None:
    assert accident_level(deaths, injuries, loss) is level


def _accident(code: str, at: datetime, **kw: object) -> c.RecordAccident:
    fields: dict[str, object] = {
        "occurred_at": at,
        "enterprise_code": code,
        "sector": "city_gas",
        "place": "后厨",
        "description": "液化气泄漏引发爆燃",
        "deaths": 3,
        "serious_injuries": 2,
        "direct_loss": Decimal("2500000.00"),
        **kw,
    }
    return c.RecordAccident(**fields)  # type: ignore[arg-type]


def test_an_accident_is_recorded_at_its_enterprise_with_its_level(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    at = clock.now - timedelta(hours=2)
    code = register_restaurant(ledger, at - timedelta(days=1))
    recorded = ledger.execute(_accident(code, at), DEPARTMENT)
    accident = ledger.accident(recorded.id)
    assert (accident.enterprise_code, accident.region_code, accident.sector) == (
        code,
        "620826",
        "city_gas",
    )
    assert accident.level is AccidentLevel.LARGER and accident.happened_at == at
    assert accident.direct_loss == Decimal("2500000.00")


def test_bad_input_and_the_wrong_role_record_nothing(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    at = clock.now - timedelta(hours=2)
    code = register_restaurant(ledger, at - timedelta(days=1))
    before = ledger.recorder.max_notification_id()
    with pytest.raises(RuleViolated) as refused:
        ledger.execute(_accident(code, at, deaths=-1, place=" "), DEPARTMENT)
    assert {v.field for v in refused.value.violations} == {"deaths", "place"}
    assert all(v.message_zh and v.message_en for v in refused.value.violations)
    with pytest.raises(NotPermitted):
        ledger.execute(_accident(code, at), ENTERPRISE_USER)
    with pytest.raises(NotPermitted):
        ledger.execute(_accident(code, at), INSPECTOR)
    with pytest.raises(NotFound):  # out of scope: as if the enterprise did not exist
        ledger.execute(_accident(code, at), DEPARTMENT, Scope(region_prefix="620825"))
    assert ledger.recorder.max_notification_id() == before


def test_the_review_starts_from_the_accident(ledger: HazardLedger, clock: FakeClock) -> None:
    at = clock.now - timedelta(hours=2)
    code = register_restaurant(ledger, at - timedelta(days=1))
    accident_id = ledger.execute(_accident(code, at), DEPARTMENT).id
    reads = Reads(ledger)
    everything = Scope.everything()
    report = reads.accident_review(accident_id, scope=everything)
    assert report["accident"]["id"] == str(accident_id)
    assert report["accident"]["level_zh"] == "较大事故"
    assert report["enterprise"]["credit_code"] == code
    assert report["incident_at"] == at.isoformat()
    same = reads.review(code, at, scope=everything)
    assert {k: v for k, v in report.items() if k not in ("accident", "generated_at")} == {
        k: v for k, v in same.items() if k != "generated_at"
    }
    # Out of scope, unknown, or not yet recorded by known_at: one answer, NotFound.
    for scope, known_at in (
        (Scope(region_prefix="620825"), None),
        (Scope(sectors=frozenset({"fire"})), None),
        (everything, at - timedelta(minutes=1)),
    ):
        with pytest.raises(NotFound):
            reads.accident_review(accident_id, scope=scope, known_at=known_at)
    with pytest.raises(NotFound):
        reads.accident_review(uuid4(), scope=everything)


def test_an_accident_id_is_not_another_records(ledger: HazardLedger, clock: FakeClock) -> None:
    """A case's id given as an accident is not found (never reviewed as something else)."""
    code = register_restaurant(ledger, clock.now - timedelta(days=1))
    with pytest.raises(NotFound):
        Reads(ledger).accident(ledger.enterprise(code).id, scope=Scope.everything(), known_at=None)
