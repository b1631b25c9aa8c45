"""Read models contributed by sector plugins (``ledger.read_model_spec``), as projections."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ledger.read_model_spec import PlainEvent, ReadModelSpec
from ledger.views import plain

from .base import Key, Projection, Row, Rows, Table, id_text

#: Field values ``plain`` returns unchanged: converting them is only a type check.
_AS_IS = frozenset({str, int, bool, float, type(None)})
_HIDDEN = frozenset(PlainEvent._RENAMED.values())
_UNSEEN: Any = object()


class FoldEvent(PlainEvent):
    """``PlainEvent`` as a rebuild hands it to every plugin fold of a batch.

    The same mapping, key for key and value for value (``tests/plugin_tests`` compares
    them on every event type), read faster: the lookups of ``type`` and ``aggregate_id``,
    which every fold makes for every event, and of text and number fields skip
    ``plain``'s chain of type checks, and ``get`` does not go through ``Mapping.get``.
    """

    __slots__ = ()

    def __init__(self, event: Any, position: int) -> None:
        self._event = event
        self._position = position
        # Every fold reads these two of every event: worked out once, here.
        self._seen = {
            "type": type(event).__qualname__,
            "aggregate_id": id_text(event.originator_id),
        }

    def __getitem__(self, key: str) -> Any:
        seen = self._seen
        value: Any = seen.get(key, _UNSEEN)
        if value is not _UNSEEN:
            return value
        event = self._event
        if key == "type":
            value = type(event).__qualname__
        elif key == "aggregate_id":
            value = id_text(event.originator_id)
        elif key == "topic" or key == "position":
            return super().__getitem__(key)
        elif key in _HIDDEN:
            raise KeyError(key)
        else:
            fields = vars(event)
            name = PlainEvent._RENAMED.get(key, key)
            if name not in fields:
                raise KeyError(key)
            value = fields[name]
            if type(value) not in _AS_IS:
                value = plain(value)
        seen[key] = value
        return value

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default


class PluginProjection(Projection):
    """A ``ReadModelSpec`` seen as a projection (one table, plain events)."""

    wants_plain_events = True

    def __init__(self, spec: ReadModelSpec) -> None:
        self.spec = spec
        self.name = spec.name  # type: ignore[misc]
        self.version = spec.version  # type: ignore[misc]
        self.table = Table(
            f"plugin_{spec.name}",
            tuple((c, t) for c, t in spec.columns),
            key=tuple(spec.key),
            indexes=tuple(tuple(i) for i in spec.indexes),
        )
        self.tables = (self.table,)  # type: ignore[misc]
        if spec.events:
            self.handles = frozenset(event_classes(spec.name, spec.events))  # type: ignore[misc]

        self._current: tuple[Rows | None, Callable[[Key], Row | None]] = (None, _unbound)

    def _current_for(self, rows: Rows) -> Callable[[Key], Row | None]:
        """The fold's ``current``: a copy of the row with a key (the fold may not change
        the cached one), made once per ``Rows`` rather than once per event."""
        bound, made = self._current
        if bound is rows:
            return made
        table, get = self.table.name, rows.get

        def current(key: Key) -> Row | None:
            row = get(table, tuple(key))
            return None if row is None else dict(row)

        self._current = (rows, current)
        return current

    def fold(self, event: Any, rows: Rows) -> None:
        table = self.table.name
        for op, value in self.spec.fold(event, self._current_for(rows)):
            if op == "upsert":
                rows.put(table, self.table.empty_row(**value))
            elif op == "delete":
                rows.delete(table, tuple(value))
            else:
                raise ValueError(f"read model {self.spec.name}: unknown change {op!r}")


def _unbound(key: Key) -> Row | None:
    raise RuntimeError("current() called outside a fold")


def event_classes(model: str, names: Iterable[str]) -> list[type]:
    """The ledger's event classes with these qualified names (``HazardCase.Closed``)."""
    from ledger.enforcement import EnforcementAction
    from ledger.enterprise import Enterprise
    from ledger.events import LedgerAggregate
    from ledger.hazard import HazardCase
    from ledger.inspection import Inspection
    from ledger.measure import Measure
    from ledger.responsibility import ResponsibilityPost

    known = {
        v.__qualname__: v
        for aggregate in (
            HazardCase,
            Inspection,
            EnforcementAction,
            Enterprise,
            ResponsibilityPost,
            Measure,
        )
        for v in vars(aggregate).values()
        if isinstance(v, type) and issubclass(v, LedgerAggregate.Event)
    }
    unknown = sorted(set(names) - set(known))
    if unknown:
        raise ValueError(f"read model {model}: unknown event types {unknown}")
    return [known[n] for n in names]


def adapt(specs: Iterable[ReadModelSpec]) -> list[Projection]:
    return [PluginProjection(s) for s in specs]
