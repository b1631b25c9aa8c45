"""A plugin's read model folded in memory: how the conformance kit checks one.

The kit must not depend on the projection machinery (``plugins`` stands on ``ledger``
only), and it does not need to: a ``ReadModelSpec`` is a table declaration and a pure
fold, so its table is a dict of rows keyed by the spec's key. Between batches the rows
are put in the form a table gives them back (a ``bool`` in an ``INTEGER`` column comes
back as ``1``), so a fold that behaves differently on a row it wrote itself and on a row
read back from the store shows up as batches that disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import ledger.application  # noqa: F401  (imports every aggregate, so every event class)
from ledger.events import LedgerAggregate
from ledger.read_model_spec import Key, PlainEvent, ReadModelSpec, Row

Table = dict[Key, Row]
#: (position in the log, the domain event), as the ledger's notification log holds them.
Logged = tuple[int, Any]


class FoldProblem(AssertionError):
    """A read model's fold wrote something its table cannot hold."""


def event_types() -> frozenset[str]:
    """Every event type a fold can see (``HazardCase.Reported``), from the ledger's classes."""
    found: set[str] = set()
    pending = list(LedgerAggregate.Event.__subclasses__())
    while pending:
        cls = pending.pop()
        found.add(cls.__qualname__)
        pending += cls.__subclasses__()
    return frozenset(found)


def _affinity(declared: str) -> str:
    """SQLite's column affinity rules, which a value's stored form follows."""
    kind = declared.upper()
    if "INT" in kind:
        return "integer"
    if any(word in kind for word in ("CHAR", "CLOB", "TEXT")):
        return "text"
    if any(word in kind for word in ("REAL", "FLOA", "DOUB")):
        return "real"
    return "any"


def _stored(model: str, column: str, declared: str, value: Any) -> Any:
    """``value`` as the table gives it back, or ``FoldProblem`` when it cannot hold it."""
    if value is None:
        return None
    affinity = _affinity(declared)
    if affinity == "integer" and isinstance(value, int):
        return int(value)
    if affinity == "text" and isinstance(value, str):
        return value
    if affinity == "real" and isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if affinity == "any" and isinstance(value, bool | int | float | str | bytes):
        return int(value) if isinstance(value, bool) else value
    raise FoldProblem(
        f"read model {model}: column {column} is {declared}, "
        f"but the fold wrote {value!r} ({type(value).__name__})"
    )


class MemoryTable:
    """One plugin read model's rows, kept by folding plain events."""

    def __init__(self, spec: ReadModelSpec) -> None:
        self.spec = spec
        self.columns = {name: declared for name, declared in spec.columns}
        self.rows: Table = {}
        unknown = sorted(set(spec.events) - event_types())
        if unknown:
            raise FoldProblem(f"read model {spec.name}: unknown event types {unknown}")
        missing = [k for k in spec.key if k not in self.columns]
        if missing:
            raise FoldProblem(f"read model {spec.name}: key columns {missing} are not columns")

    def current(self, key: Key) -> Row | None:
        row = self.rows.get(tuple(key))
        return None if row is None else dict(row)

    def fold(self, event: PlainEvent) -> None:
        spec = self.spec
        if spec.events and event["type"] not in spec.events:
            return
        for op, value in spec.fold(event, self.current):
            if op == "upsert":
                self._upsert(value)
            elif op == "delete":
                self.rows.pop(self._key(value), None)
            else:
                raise FoldProblem(f"read model {spec.name}: unknown change {op!r}")

    def _key(self, value: Any) -> Key:
        key = tuple(value)
        if len(key) != len(self.spec.key):
            raise FoldProblem(
                f"read model {self.spec.name}: deleted {value!r}, not a key of {self.spec.key}"
            )
        return key

    def _upsert(self, value: Mapping[str, Any]) -> None:
        name = self.spec.name
        extra = sorted(set(value) - set(self.columns))
        if extra:
            raise FoldProblem(f"read model {name}: the fold wrote undeclared columns {extra}")
        row: Row = dict.fromkeys(self.columns)
        row.update(value)
        key = tuple(row[k] for k in self.spec.key)
        if any(part is None for part in key):
            raise FoldProblem(f"read model {name}: a row without its key {self.spec.key}: {row}")
        self.rows[key] = row

    def store(self) -> Table:
        """Put every row in stored form (the end of a batch) and return the table."""
        self.rows = {
            key: {c: _stored(self.spec.name, c, self.columns[c], v) for c, v in row.items()}
            for key, row in self.rows.items()
        }
        return {key: dict(row) for key, row in self.rows.items()}


def _batches(events: Sequence[Logged], size: int | None) -> Iterator[Sequence[Logged]]:
    step = size or max(len(events), 1)
    for start in range(0, len(events), step):
        yield events[start : start + step]


def fold_in_memory(
    specs: Iterable[ReadModelSpec], events: Sequence[Logged], batch_size: int | None = None
) -> dict[str, Table]:
    """Every model's table after folding ``events`` from empty, ``batch_size`` at a time
    (all at once when None), stored after each batch; keyed by the model's name."""
    tables = [MemoryTable(spec) for spec in specs]
    out: dict[str, Table] = {t.spec.name: {} for t in tables}
    for batch in _batches(events, batch_size):
        # One plain view per event, shared by every model in the batch, as the ledger does.
        plains = [PlainEvent(event, position) for position, event in batch]
        for table in tables:
            for plain in plains:
                table.fold(plain)
            out[table.spec.name] = table.store()
    return out
