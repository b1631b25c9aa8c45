"""Read models contributed by sector plugins (``ledger.read_model_spec``), as projections."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ledger.read_model_spec import ReadModelSpec

from .base import Key, Projection, Row, Rows, Table


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

    def fold(self, event: Any, rows: Rows) -> None:
        table = self.table.name

        def current(key: Key) -> Row | None:
            row = rows.get(table, tuple(key))
            return None if row is None else dict(row)

        for op, value in self.spec.fold(event, current):
            if op == "upsert":
                rows.put(table, self.table.empty_row(**value))
            elif op == "delete":
                rows.delete(table, tuple(value))
            else:
                raise ValueError(f"read model {self.spec.name}: unknown change {op!r}")


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
