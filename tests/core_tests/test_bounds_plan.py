"""The planned bounds walk refuses exactly what the generator walk refused.

``ledger.bounds.check`` works out once per command class what each field's name
decides and skips the values that break nothing without a call; ``bounds_walk`` is the
walk as it was before. For every command class, with every field holding values of any
type the walk knows (and some it does not) — long, NUL and surrogate text, moments
without a zone, out of range or in the future, huge integers, decimals with too many
places, non-finite numbers, long lists, nested documents deep, wide and oddly keyed,
nested records — both give the same answer: accepted, or refused with the same
violations (rule, field, both messages) in the same order, cut at ``MAX_REPORTED``; or
the same exception.
"""

from __future__ import annotations

import typing
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from enum import Enum, StrEnum
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ledger import bounds
from ledger import commands as c
from ledger.events import CLOCK_SKEW
from ledger.hazard import Source
from tests.core_tests import bounds_walk

NOW = datetime(2026, 3, 3, 9, tzinfo=UTC)


class NoOffset(tzinfo):
    """A zone that does not know its offset (the walk must call it naive)."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str | None:
        return None


class Colour(Enum):
    RED = "red"


class Tag(StrEnum):
    A = "a" * 300  # a text enum longer than any limit: enums are never judged as text


ZONES: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.just(NoOffset()),
    st.builds(
        lambda minutes: timezone(timedelta(minutes=minutes)),
        st.integers(min_value=-14 * 60, max_value=14 * 60),
    ),
)
MOMENTS = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30), timezones=ZONES),
    st.sampled_from(
        [
            NOW,
            NOW + CLOCK_SKEW,
            NOW + CLOCK_SKEW + timedelta(microseconds=1),
            bounds.EARLIEST,
            bounds.LATEST,
            bounds.EARLIEST - timedelta(microseconds=1),
            bounds.LATEST + timedelta(microseconds=1),
        ]
    ),
)
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=30),
    st.sampled_from(["", "a\x00b", "名\ud800", "\udfff", "中文说明"]),
    st.integers(min_value=0, max_value=6000).map(lambda n: "字" * n),
    st.sampled_from([199, 200, 201, 999, 1000, 1001, 4999, 5000, 5001]).map(lambda n: "x" * n),
)
NUMBERS = st.one_of(
    st.integers(),
    st.sampled_from([2**63 - 1, 2**63, -(2**63), -(2**63) - 1]),
    st.floats(),
    st.decimals(),
    st.sampled_from(
        [Decimal("1.005"), Decimal("100000000.01"), Decimal("1E+13"), Decimal("2000.50")]
    ),
)
LEAVES = st.one_of(
    st.none(),
    st.booleans(),
    TEXT,
    NUMBERS,
    MOMENTS,
    st.dates(),
    st.uuids(),
    st.sampled_from([Colour.RED, Tag.A, Source.GRID_PATROL]),
)
DOCUMENTS = st.recursive(
    LEAVES | st.sampled_from([b"bytes", frozenset({1}), object()]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.lists(children, max_size=5).map(tuple)
        | st.dictionaries(st.one_of(TEXT, st.integers(), st.none()), children, max_size=5)
    ),
    max_leaves=40,
)


@st.composite
def deep(draw: st.DrawFn) -> Any:
    """A document nested near the depth limit, or far beyond it, or wide."""
    node: Any = draw(DOCUMENTS)
    for _ in range(draw(st.sampled_from([0, 14, 15, 16, 17, 300]))):
        node = {"k": node} if draw(st.booleans()) else [node]
    wide = draw(st.sampled_from([0, 0, 499, 501]))
    return {"x": node, **{f"k{i}": i for i in range(wide)}}


def values(depth: int = 0) -> st.SearchStrategy[Any]:
    """Anything a command field may hold (or should not)."""
    options = [
        LEAVES,
        DOCUMENTS,
        deep(),
        st.lists(LEAVES, max_size=4).map(tuple),
        st.sampled_from([99, 100, 101, 130]).map(lambda n: ("e",) * n),
        st.integers(min_value=0, max_value=40).map(lambda n: ("bad\x00",) * n),
        st.lists(DOCUMENTS, max_size=3),
    ]
    if depth < 2:
        options.append(records(depth + 1))
    return st.one_of(*options)


def _record_types() -> list[type]:
    found: set[type] = set()
    for cls in c.COMMANDS.values():
        for hint in typing.get_type_hints(cls).values():
            stack = [hint]
            while stack:
                tp = stack.pop()
                stack.extend(typing.get_args(tp))
                if isinstance(tp, type) and is_dataclass(tp):
                    found.add(tp)
    return sorted(found, key=lambda t: t.__qualname__)


RECORDS = _record_types()


def _build(cls: type, draw: st.DrawFn, depth: int) -> Any:
    instance: Any = object.__new__(cls)
    for f in fields(cls):
        object.__setattr__(instance, f.name, draw(values(depth)))
    return instance


@st.composite
def records(draw: st.DrawFn, depth: int = 1) -> Any:
    return _build(draw(st.sampled_from(RECORDS)), draw, depth)


@st.composite
def commands(draw: st.DrawFn) -> Any:
    cls = draw(st.sampled_from(sorted(c.COMMANDS.values(), key=lambda t: t.__name__)))
    return _build(cls, draw, 0)


def outcome(check: Any, command: Any, now: datetime) -> Any:
    try:
        check(command, now=now)
    except (bounds.OutOfBounds, bounds_walk.OutOfBounds) as refused:
        return [(v.rule, v.field, v.message_zh, v.message_en) for v in refused.violations]
    except Exception as error:  # the same failure, if the old walk failed
        return (type(error), str(error))
    return "accepted"


@settings(max_examples=1500, deadline=None, suppress_health_check=list(HealthCheck))
@given(command=commands(), now=st.sampled_from([NOW, bounds.LATEST, bounds.EARLIEST]))
def test_the_planned_walk_refuses_exactly_what_the_generator_walk_refused(
    command: Any, now: datetime
) -> None:
    assert outcome(bounds.check, command, now) == outcome(bounds_walk.check, command, now)


def test_the_cap_cuts_the_same_violations() -> None:
    many = object.__new__(c.ReportHazard)
    for f in fields(c.ReportHazard):
        object.__setattr__(many, f.name, None)
    object.__setattr__(many, "evidence", ("x\x00",) * 30)
    object.__setattr__(many, "details", {f"k{i}": "\x00" for i in range(30)})
    new = outcome(bounds.check, many, NOW)
    assert len(new) == bounds.MAX_REPORTED
    assert new == outcome(bounds_walk.check, many, NOW)


def test_moments_asked_for_alone_are_judged_the_same() -> None:
    for moment in (NOW, NOW + timedelta(hours=1), datetime(2026, 1, 1), bounds.LATEST):
        for name in ("occurred_at", "since"):
            new = bounds.moment_violations(name, moment, now=NOW)
            old = bounds_walk.moment_violations(name, moment, now=NOW)
            assert new == old
    assert date.today() > bounds.EARLIEST.date()
