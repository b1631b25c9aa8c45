"""Input bounded at the command boundary (ledger.bounds), on both stores.

The limits hold for every value of every command whoever builds it: the poison values
of issue 18 (a year 9999 deadline, a year 1 completion, NUL in text, a document nested
300 deep, an integer over 64 bits) are refused by rule and nothing is recorded; and for
all inputs, a value the bounds accept is one the store and the encoder can hold.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import bounds
from ledger import commands as c
from ledger.application import HazardLedger
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.errors import RuleViolated
from ledger.identity import Actor, Role
from plugins import Sectors
from tests.conftest import FakeClock

NOW = datetime(2026, 3, 3, 9, tzinfo=UTC)
GAS = make_credit_code("92620826MA71B0ND0")
CLERK = Actor("clerk", "录入员", Role.INSPECTOR, "县局")
DEPT = Actor("dept", "李明", Role.DEPARTMENT, "县住建局")
DETAILS = {"premises": "restaurant", "leak_alarm_installed": True}


def _hazard(**changes: Any) -> c.ReportHazard:
    values: dict[str, Any] = {
        "occurred_at": NOW,
        "enterprise_code": GAS,
        "sector": "city_gas",
        "location": "后厨",
        "description": "燃气软管穿墙",
        "source": "grid_patrol",
        "details": DETAILS,
    }
    return c.ReportHazard(**{**values, **changes})


def _refusal(command: object) -> list[tuple[str, str]]:
    try:
        bounds.check(command, now=NOW)
    except bounds.OutOfBounds as e:
        return [(v.rule, v.field) for v in e.violations]
    return []


# ---- on both stores: the poison commands are refused and record nothing -------------------


@dataclass
class Case:
    ledger: HazardLedger
    case_id: UUID
    graded_id: UUID

    def events(self) -> int:
        return self.ledger.recorder.max_notification_id() or 0


@pytest.fixture
def assigned(store_url: str) -> Iterator[Case]:
    clock = FakeClock(NOW)
    ledger = HazardLedger(store_url, clock=clock, sectors=Sectors.load(load_entry_points=False))
    ledger.register_enterprise(
        CLERK,
        NOW,
        credit_code=GAS,
        name="某餐馆",
        region_code="620826",
        sectors=["city_gas"],
        principal=Person("p", "负责人"),
    )
    case_id = ledger.execute(_hazard(), CLERK).id
    ledger.grade_hazard(CLERK, NOW, case_id, grade="general")
    ledger.assign_rectification(
        DEPT,
        NOW,
        case_id,
        department="县住建局",
        deadline=NOW + timedelta(days=30),
        requirements="更换软管",
    )
    graded_id = ledger.execute(_hazard(), CLERK).id
    ledger.grade_hazard(CLERK, NOW, graded_id, grade="general")
    yield Case(ledger, case_id, graded_id)
    ledger.close()


FAR_FUTURE = datetime.fromisoformat("9999-12-31T23:59:59-14:00")
FAR_PAST = datetime.fromisoformat("0001-01-01T00:00:00+14:00")


def _poison(case_id: UUID, graded_id: UUID) -> dict[str, c.Command]:
    return {
        "assign 9999": c.AssignRectification(
            occurred_at=NOW,
            case_id=graded_id,
            department="县局",
            deadline=FAR_FUTURE,
            requirements="r",
        ),
        "extend 9999": c.ExtendDeadline(
            occurred_at=NOW, case_id=case_id, new_deadline=FAR_FUTURE, reason="r", approver="a"
        ),
        "rectified in year 1": c.ReportRectification(
            occurred_at=NOW, case_id=case_id, measures="m", completed_at=FAR_PAST
        ),
        "NUL in text": c.ReportRectification(
            occurred_at=NOW, case_id=case_id, measures="更换\x00软管", completed_at=NOW
        ),
        "NUL in a new case": _hazard(location="后\x00厨"),
        "lone surrogate": _hazard(details={**DETAILS, "note": "a\ud800b"}),
        "300 deep": _hazard(details={**DETAILS, "x": _nested(300)}),
        "over 64 bits": _hazard(details={**DETAILS, "n": 2**64}),
        "10 MB details": _hazard(details={**DETAILS, "blob": ["x" * 1000] * 10_000}),
        "year 9999 occurred_at": _hazard(occurred_at=FAR_FUTURE),
        "naive occurred_at": _hazard(occurred_at=datetime(2026, 3, 3, 9)),
    }


def _nested(depth: int) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for _ in range(depth - 1):
        document = {"a": document}
    return document


@pytest.mark.parametrize(
    "poison",
    [
        "assign 9999",
        "extend 9999",
        "rectified in year 1",
        "NUL in text",
        "NUL in a new case",
        "lone surrogate",
        "300 deep",
        "over 64 bits",
        "10 MB details",
        "year 9999 occurred_at",
        "naive occurred_at",
    ],
)
def test_poison_values_are_refused_by_rule_and_nothing_is_recorded(
    assigned: Case, poison: str
) -> None:
    command = _poison(assigned.case_id, assigned.graded_id)[poison]
    before = assigned.events()
    with pytest.raises(RuleViolated) as refused:
        assigned.ledger.execute(command, DEPT if "NUL in a" not in poison else CLERK)
    assert assigned.events() == before
    for violation in refused.value.violations:
        assert violation.field and violation.message_zh and violation.message_en


def test_the_rules_name_the_field_and_the_limit() -> None:
    assert _refusal(_hazard(details={**DETAILS, "x": _nested(300)})) == [
        ("DOCUMENT_TOO_DEEP", "details")
    ]
    assert _refusal(_hazard(evidence=("e",) * 101)) == [("TOO_MANY_ITEMS", "evidence")]
    assert _refusal(_hazard(evidence=("ok", "x\x00"))) == [("TEXT_NUL_CHARACTER", "evidence[1]")]
    assert _refusal(_hazard(sector="s" * 201)) == [("TEXT_TOO_LONG", "sector")]
    assert _refusal(_hazard(description="字" * 5000)) == []
    assert _refusal(_hazard(occurred_at=datetime(2026, 3, 3))) == [
        ("OCCURRED_AT_TIMEZONE", "occurred_at")
    ]
    assert _refusal(_hazard(occurred_at=NOW + timedelta(hours=1))) == [
        ("OCCURRED_AT_IN_FUTURE", "occurred_at")
    ]
    principal = Person("p", "名\x00")
    change = c.ChangePrincipal(occurred_at=NOW, credit_code=GAS, principal=principal)
    assert _refusal(change) == [("TEXT_NUL_CHARACTER", "principal.name")]
    fine = dict(
        occurred_at=NOW,
        kind="penalty",
        document_number="罚-1",
        enterprise_code=GAS,
        sector="city_gas",
        department="县局",
        legal_basis="法",
    )
    for amount in ("1.005", "100000000.01", "-100000000.01", "1E+9"):
        action = c.IssueAction(**fine, fine_amount=Decimal(amount))  # type: ignore[arg-type]
        assert _refusal(action) == [("AMOUNT_OUT_OF_RANGE", "fine_amount")], amount
    assert _refusal(c.IssueAction(**fine, fine_amount=Decimal("2000.50"))) == []  # type: ignore[arg-type]
    quantity = c.IssueAction(**fine, quantity=Decimal("1E+13"), unit="箱")  # type: ignore[arg-type]
    assert _refusal(quantity) == [("DECIMAL_OUT_OF_RANGE", "quantity")]
    grade = c.GradeHazard(occurred_at=NOW, case_id=UUID(int=1), grade="general")
    assert _refusal(grade) == []
    stale = c.GradeHazard(
        occurred_at=NOW, case_id=UUID(int=1), grade="general", expected_version=2**63
    )
    assert _refusal(stale) == [("INTEGER_OUT_OF_RANGE", "expected_version")]


# ---- for all inputs ------------------------------------------------------------------------

ZONES = st.builds(
    lambda minutes: timezone(timedelta(minutes=minutes)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
ANY_MOMENT = st.datetimes(
    min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES
)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


@FAST
@given(deadline=ANY_MOMENT)
def test_a_moment_is_accepted_exactly_when_it_lies_in_the_ledger_range(deadline: datetime) -> None:
    command = c.AssignRectification(
        occurred_at=NOW, case_id=UUID(int=1), department="县局", deadline=deadline, requirements="r"
    )
    inside = bounds.EARLIEST <= deadline <= bounds.LATEST
    assert _refusal(command) == ([] if inside else [("MOMENT_OUT_OF_RANGE", "deadline")])
    if inside:
        deadline.astimezone(UTC)  # what the folds and queries do: never overflows


@FAST
@given(text=st.text(st.characters(exclude_categories=()), max_size=60))
def test_text_is_accepted_exactly_when_every_store_can_hold_it(text: str) -> None:
    storable = "\x00" not in text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        storable = False
    assert (_refusal(_hazard(location=text)) == []) == storable


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(st.characters(exclude_categories=()), max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=60,
)


@FAST
@given(document=JSON, depth=st.integers(min_value=0, max_value=20))
def test_a_document_the_bounds_accept_encodes_within_the_size_limit(
    document: Any, depth: int
) -> None:
    for _ in range(depth):
        document = {"k": document}
    details = {**DETAILS, "x": document}
    refused = _refusal(_hazard(details=details))
    if refused:
        assert all(field.startswith("details") for _, field in refused)
    else:
        assert len(orjson.dumps(details)) <= bounds.MAX_DOCUMENT_BYTES


@FAST
@given(number=st.integers())
def test_integers_are_accepted_exactly_within_64_bits(number: int) -> None:
    inside = -(2**63) <= number < 2**63
    refused = _refusal(_hazard(details={**DETAILS, "n": number}))
    assert refused == ([] if inside else [("INTEGER_OUT_OF_RANGE", "details.n")])


# ---- new commands get the bounds by their fields' types ------------------------------------

#: The types ledger.bounds judges (each leaf of a command field's annotation).
JUDGED: tuple[type, ...] = (str, datetime, date, int, bool, Decimal, UUID, float, type(None))


def _leaves(annotation: Any) -> Iterator[Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, tuple, list):
        for arg in typing.get_args(annotation):
            if arg is not Ellipsis:
                yield from _leaves(arg)
    elif origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        yield Mapping
    else:
        yield annotation


def _unjudged(cls: type) -> Iterator[str]:
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        for leaf in _leaves(hints[f.name]):
            if leaf is Mapping or (isinstance(leaf, type) and issubclass(leaf, (*JUDGED, Enum))):
                continue
            if is_dataclass(leaf):
                yield from (f"{f.name}.{name}" for name in _unjudged(leaf))  # type: ignore[arg-type]
                continue
            yield f"{cls.__name__}.{f.name}: {leaf}"


def test_every_field_of_every_command_has_a_type_the_bounds_judge() -> None:
    """A command field of a new type (a float list, a set, …) fails here until
    ledger.bounds has a rule for it."""
    unjudged = [name for cls in c.COMMANDS.values() for name in _unjudged(cls)]
    assert unjudged == []
