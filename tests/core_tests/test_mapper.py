"""The orjson mapper: every event type survives the round trip, and bytes are canonical."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import enforcement, enterprise, hazard, inspection, responsibility
from ledger.events import LedgerAggregate
from ledger.mapper import OrjsonMapper, encode

AGGREGATES = [
    hazard.HazardCase,
    enforcement.EnforcementAction,
    enterprise.Enterprise,
    inspection.Inspection,
    responsibility.ResponsibilityPost,
]
EVENT_TYPES = sorted(
    (
        member
        for aggregate in AGGREGATES
        for member in vars(aggregate).values()
        if isinstance(member, type)
        and issubclass(member, LedgerAggregate.Event)
        # The library derives a bare Event and Created per aggregate; none is triggered.
        and member.__name__ not in ("Event", "Created")
    ),
    key=lambda cls: cls.__qualname__,
)

text = st.text(st.characters(codec="utf-8"), max_size=20)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=8))]),
)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=8,
)


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """Values of the annotated type, as the domain would put them on an event."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([strategy_for(a) for a in typing.get_args(tp)])
    if tp is type(None):
        return st.none()
    if origin is tuple:
        return st.lists(strategy_for(typing.get_args(tp)[0]), max_size=3).map(tuple)
    if origin is dict:
        return st.dictionaries(text, json_values, max_size=4)
    if tp is Any:
        return json_values
    if tp is str:
        return text
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers(min_value=-(2**63), max_value=2**63 - 1)
    if tp is datetime:
        return moments
    if tp is Decimal:
        return st.decimals(allow_nan=False, allow_infinity=False, places=2)
    if tp is UUID:
        return st.uuids()
    if isinstance(tp, type) and issubclass(tp, Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(tp) if f.init}
        if "id" in fields and hints["id"] is str:
            fields["id"] = text.filter(lambda s: bool(s.strip()))
        return st.fixed_dictionaries(fields).map(lambda kw: tp(**kw))
    raise AssertionError(f"no strategy for {tp!r}")


def event_strategy(cls: type[LedgerAggregate.Event]) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields = {
        name: strategy_for(hints[name])
        for name in (f.name for f in dataclasses.fields(cls) if f.init)
        if name not in ("originator_topic", "originator_version", "originator_id")
    }
    fields["originator_id"] = st.uuids()
    fields["originator_version"] = st.integers(min_value=1, max_value=10_000)
    if "originator_topic" in {f.name for f in dataclasses.fields(cls)}:
        aggregate = cls.__qualname__.split(".")[0]
        fields["originator_topic"] = st.just(f"{cls.__module__}:{aggregate}")
    return st.fixed_dictionaries(fields).map(lambda kw: cls(**kw))


def test_every_event_type_is_covered() -> None:
    names = {cls.__qualname__ for cls in EVENT_TYPES}
    assert "HazardCase.RectificationReported" in names
    assert len(EVENT_TYPES) >= 26  # 15 hazard, 4 action, 3 enterprise, 2 + 2


@pytest.mark.parametrize("cls", EVENT_TYPES, ids=lambda cls: cls.__qualname__)
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_round_trip(cls: type[LedgerAggregate.Event], data: st.DataObject) -> None:
    mapper = OrjsonMapper()
    event = data.draw(event_strategy(cls))
    stored = mapper.to_stored_event(event)
    assert stored.topic.endswith(cls.__qualname__)
    back = mapper.to_domain_event(stored)
    assert type(back) is cls
    assert vars(back) == vars(event)
    for name, value in vars(event).items():
        assert type(getattr(back, name)) is type(value), name
    # Encoding is a function of the event: same bytes again, keys sorted.
    assert mapper.to_stored_event(back).state == stored.state
    payload = orjson.loads(stored.state)
    assert list(payload) == sorted(payload)


@given(st.dictionaries(text, json_values, min_size=2, max_size=6))
def test_encoding_ignores_insertion_order(d: dict[str, Any]) -> None:
    reversed_d = dict(reversed(list(d.items())))
    assert encode(d) == encode(reversed_d)
    nested = {"z": d, "a": reversed_d}
    assert encode(nested) == encode({"a": d, "z": reversed_d})


@settings(max_examples=10)
@given(
    event_strategy(hazard.HazardCase.RectificationReported),
    event_strategy(hazard.HazardCase.Assigned),
)
def test_class_version_is_stored_only_when_above_one(event: Any, assigned: Any) -> None:
    mapper = OrjsonMapper()
    assert orjson.loads(mapper.to_stored_event(event).state)["class_version"] == 2
    assert "class_version" not in orjson.loads(mapper.to_stored_event(assigned).state)
