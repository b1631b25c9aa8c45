"""The projection contract: tables it owns and a fold from one event to row changes.

A fold never touches the database. It reads and writes rows through ``Rows``, an
in-memory view of the batch: rows are fetched once (or never, when the follower knows
the tables started empty and it has seen every write since), changed in place, and
written back with one ``executemany`` per table when the batch commits. That is what
makes a rebuild run close to the speed of merely reading and decoding the events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from operator import itemgetter
from typing import Any, ClassVar, cast

Row = dict[str, Any]
Key = tuple[Any, ...]

#: Business months are counted in China Standard Time: a hazard found at 01:00 on
#: 1 April Beijing time belongs to April even though it is still March in UTC.
CHINA_TIME = timezone(timedelta(hours=8), "CST")


def ts(value: datetime | None) -> str | None:
    """A datetime as fixed-width UTC ISO text, so that text order is time order."""
    if value is None:
        return None
    if value.tzinfo is not UTC:  # decoded events are already in UTC: skip the conversion
        value = value.astimezone(UTC)
    return value.isoformat(timespec="microseconds")


def month_of(value: datetime) -> str:
    """The business month (YYYY-MM, China Standard Time) of a moment."""
    local = value.astimezone(CHINA_TIME)
    return f"{local.year:04d}-{local.month:02d}"


@dataclass(frozen=True, slots=True)
class Table:
    """A read-model table: columns as (name, type) with type TEXT or INTEGER.

    Key columns come first by convention; ``values_of`` and ``key_of`` are precomputed
    getters because they run for every touched row of every batch.
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    indexes: tuple[tuple[str, ...], ...] = ()
    column_names: tuple[str, ...] = field(init=False)
    _values: Callable[[Row], tuple[Any, ...]] = field(init=False, repr=False, compare=False)
    _key: Callable[[Row], Key] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = tuple(name for name, _ in self.columns)
        object.__setattr__(self, "column_names", names)
        object.__setattr__(self, "_values", _tuple_getter(names))
        object.__setattr__(self, "_key", _tuple_getter(self.key))

    def key_of(self, row: Row) -> Key:
        return self._key(row)

    def values_of(self, row: Row) -> tuple[Any, ...]:
        return self._values(row)

    def empty_row(self, **values: Any) -> Row:
        row: Row = dict.fromkeys(self.column_names)
        row.update(values)
        return row


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Row], tuple[Any, ...]]:
    if len(names) == 1:
        (only,) = names
        return lambda row: (row[only],)
    return cast(Callable[[Row], tuple[Any, ...]], itemgetter(*names))


class Rows:
    """The rows of one projection's tables as the current batch sees them.

    ``loader(table, key)`` fetches a row the cache has not seen; when ``complete`` is
    true the cache holds every row of the tables and a miss means "no such row".
    """

    def __init__(self, tables: Iterable[Table], loader: Callable[[Table, Key], Row | None]):
        self.tables = {t.name: t for t in tables}
        self.loader = loader
        self.cache: dict[str, dict[Key, Row | None]] = {name: {} for name in self.tables}
        self.dirty: dict[str, set[Key]] = {name: set() for name in self.tables}
        self.complete = False

    def get(self, table: str, key: Key) -> Row | None:
        """The row with this key, or None. Change it in place, then ``put`` it."""
        cache = self.cache[table]
        try:
            return cache[key]
        except KeyError:
            row = None if self.complete else self.loader(self.tables[table], key)
            cache[key] = row
            return row

    def put(self, table: str, row: Row) -> None:
        """Insert or replace a row (written when the batch commits)."""
        key = self.tables[table].key_of(row)
        self.cache[table][key] = row
        self.dirty[table].add(key)

    def delete(self, table: str, key: Key) -> None:
        self.cache[table][key] = None
        self.dirty[table].add(key)

    def take_changes(self) -> dict[str, tuple[list[Row], list[Key]]]:
        """Upserts and deletes per table since the last call; clears the dirty sets."""
        out: dict[str, tuple[list[Row], list[Key]]] = {}
        for name, keys in self.dirty.items():
            cache = self.cache[name]
            upserts = [r for k in keys if (r := cache[k]) is not None]
            deletes = [k for k in keys if cache[k] is None]
            out[name] = (upserts, deletes)
            keys.clear()
        return out

    def size(self) -> int:
        return sum(len(c) for c in self.cache.values())

    def reset(self) -> None:
        """Forget everything (after a failed batch, or when another worker moved on)."""
        for name in self.tables:
            self.cache[name].clear()
            self.dirty[name].clear()
        self.complete = False


class Projection:
    """A read model: its tables, a version, and how each event changes the rows.

    Bump ``version`` whenever the tables or the fold change: the follower then rebuilds
    the model from the first event, into new tables, and swaps them in when complete.
    ``handles`` lists the event classes the fold cares about (None: all events); the
    follower does not call the fold for others.
    """

    handles: ClassVar[frozenset[type] | None] = None
    name: ClassVar[str]
    version: ClassVar[int]
    tables: ClassVar[tuple[Table, ...]]
    wants_plain_events: ClassVar[bool] = False

    def fold(self, event: Any, rows: Rows) -> None:
        raise NotImplementedError
