"""Events to bytes and back with orjson, restoring Python types from annotations.

eventsourcing's default JSON transcoder tags every datetime, UUID and Decimal with a
type marker and runs the standard json module; the ledger writes and replays millions
of events, so it encodes with orjson (which writes datetimes, dates, UUIDs and
dataclasses natively) and, on the way back, converts each field by the event class's
own type annotations. The conversion plan is built once per class and cached.

Stored bytes are the payload whose SHA-256 the integrity log commits to, so encoding
must be deterministic: keys are sorted.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, cast
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Transcoder,
)
from eventsourcing.utils import get_topic, resolve_topic

Converter = Callable[[Any], Any]
_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def _default(obj: Any) -> Any:
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, frozenset | set):
        return sorted(obj)
    raise TypeError(f"cannot encode {type(obj).__name__}")


def encode(obj: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys) for any event payload."""
    return orjson.dumps(obj, default=_default, option=_OPTIONS)


def _identity(value: Any) -> Any:
    return value


@cache
def converter_for(tp: Any) -> Converter:
    """A function turning the JSON form of a value back into type ``tp``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            inner = converter_for(args[0])
            return lambda v: None if v is None else inner(v)
        return _identity
    if origin in (list, tuple, frozenset, set):
        item_args = typing.get_args(tp)
        item = converter_for(item_args[0]) if item_args else _identity
        container = cast(Callable[[Any], Any], origin)
        if item is _identity:
            return container
        return lambda v: container(item(x) for x in v)
    if origin is dict:
        dict_args = typing.get_args(tp)
        value_conv = converter_for(dict_args[1]) if len(dict_args) == 2 else _identity
        if value_conv is _identity:
            return _identity
        return lambda v: {k: value_conv(x) for k, x in v.items()}
    if tp is datetime:
        return datetime.fromisoformat
    if tp is date:
        return date.fromisoformat
    if tp is Decimal:
        return lambda v: Decimal(str(v))
    if tp is UUID:
        return UUID
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        plan = {
            f.name: converter_for(hints[f.name])
            for f in dataclasses.fields(tp)
            if converter_for(hints[f.name]) is not _identity
        }
        cls = tp

        def build(v: dict[str, Any]) -> Any:
            kwargs = dict(v)
            for name, conv in plan.items():
                if name in kwargs:
                    kwargs[name] = conv(kwargs[name])
            return cls(**kwargs)

        return build
    return _identity


@cache
def _plan(cls: type) -> tuple[tuple[str, Converter], ...]:
    hints = typing.get_type_hints(cls)
    skip = {"originator_id", "originator_version"}
    return tuple(
        (name, conv)
        for name, tp in hints.items()
        if name not in skip and (conv := converter_for(tp)) is not _identity
    )


class OrjsonMapper(Mapper[UUID]):
    """A Mapper that needs no Transcoder: orjson out, annotation-driven types in."""

    def __init__(self) -> None:
        super().__init__(transcoder=cast(Transcoder, None))

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        state = dict(vars(domain_event))
        originator_id = state.pop("originator_id")
        originator_version = state.pop("originator_version")
        class_version = getattr(type(domain_event), "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return StoredEvent(
            originator_id=originator_id,
            originator_version=originator_version,
            topic=get_topic(type(domain_event)),
            state=encode(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        cls = resolve_topic(stored_event.topic)
        try:
            state: dict[str, Any] = orjson.loads(stored_event.state)
            class_version = getattr(cls, "class_version", 1)
            from_version = state.pop("class_version", 1)
            while from_version < class_version:
                getattr(cls, f"upcast_v{from_version}_v{from_version + 1}")(state)
                from_version += 1
            for name, conv in _plan(cls):
                if name in state:
                    state[name] = conv(state[name])
        except Exception as e:
            msg = (
                f"cannot decode stored event {stored_event.topic} "
                f"{stored_event.originator_id} v{stored_event.originator_version}: {e}"
            )
            raise MapperDeserialisationError(msg) from e
        oid = stored_event.originator_id
        state["originator_id"] = oid if isinstance(oid, UUID) else UUID(str(oid))
        state["originator_version"] = stored_event.originator_version
        event = object.__new__(cls)
        object.__setattr__(event, "__dict__", state)
        return cast(DomainEventProtocol[UUID], event)
