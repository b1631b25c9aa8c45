"""Read models contributed by sector plugins, adapted to the projection contract.

A plugin describes its read model as data plus one pure function, so that it needs
nothing from this package to write one::

    ReadModelSpec(name="gas_restaurants_open", version=1,
                  columns=(("case_id", "TEXT"), ...), key=("case_id",),
                  fold=lambda event, current: [...])

``fold(event, current)`` receives a plain event mapping (``follower.PlainEvent``: "type"
such as ``"HazardCase.Reported"``, "aggregate_id", "version", "position", "timestamp",
"occurred_at", "actor" and the event's own fields, all JSON values) and
``current(key) -> row | None`` to read the model's existing rows; it returns row
changes: ``("upsert", row)`` or ``("delete", key)``. The plugin's table is named
``plugin_<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .base import Key, Projection, Row, Rows, Table

Change = tuple[str, Any]
PluginFold = Callable[[Mapping[str, Any], Callable[[Key], Row | None]], Iterable[Change]]


@dataclass(frozen=True)
class ReadModelSpec:
    """A plugin's read model: one table and a pure fold over plain events."""

    name: str
    version: int
    columns: Sequence[tuple[str, str]]
    key: Sequence[str]
    fold: PluginFold
    indexes: Sequence[Sequence[str]] = ()
    events: Collection[str] = ()
    """The event types the fold looks at (``"HazardCase.Reported"``); empty means all.
    Naming them lets the follower skip converting every other event for this model."""


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
