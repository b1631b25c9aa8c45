"""What a sector plugin declares to keep a read model: one table and a pure fold.

It lives in the core so that a plugin needs nothing but ``ledger`` to write one; the
``projections`` package turns a spec into a followed, rebuildable table. A plugin
describes its read model as data plus one pure function::

    ReadModelSpec(name="gas_restaurants_open", version=1,
                  columns=(("case_id", "TEXT"), ...), key=("case_id",),
                  fold=lambda event, current: [...])

``fold(event, current)`` receives a ``PlainEvent`` ("type" such as
``"HazardCase.Reported"``, "aggregate_id", "version", "position", "timestamp",
"occurred_at", "actor" and the event's own fields, all JSON values) and
``current(key) -> row | None`` to read the model's existing rows; it returns row
changes: ``("upsert", row)`` or ``("delete", key)``. The plugin's table is named
``plugin_<name>``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from ledger.views import plain

Key = tuple[Any, ...]
Row = dict[str, Any]
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


class PlainEvent(Mapping[str, Any]):
    """An event seen as a read-only plain mapping, converting each field when first read.

    What plugin folds receive: the event's own fields as JSON values (``ledger.views.plain``),
    ``aggregate_id`` and ``version`` for the originator's id and version, and ``type``,
    ``topic`` and ``position``. A fold that looks only at ``type`` and ``aggregate_id``
    (most events, for most models) costs no conversion of the rest.
    """

    __slots__ = ("_event", "_position", "_seen")
    _RENAMED: ClassVar[dict[str, str]] = {
        "aggregate_id": "originator_id",
        "version": "originator_version",
    }

    def __init__(self, event: Any, position: int) -> None:
        self._event = event
        self._position = position
        self._seen: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        seen = self._seen
        if key in seen:
            return seen[key]
        cls = type(self._event)
        if key == "type":
            value: Any = cls.__qualname__
        elif key == "topic":
            value = f"{cls.__module__}:{cls.__qualname__}"
        elif key == "position":
            value = self._position
        else:
            field_name = self._RENAMED.get(key, key)
            if key in self._RENAMED.values() or field_name not in vars(self._event):
                raise KeyError(key)
            value = plain(vars(self._event)[field_name])
        seen[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        back = {v: k for k, v in self._RENAMED.items()}
        yield from (back.get(k, k) for k in vars(self._event))
        yield from ("type", "topic", "position")

    def __len__(self) -> int:
        return len(vars(self._event)) + 3
