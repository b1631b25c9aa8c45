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
from uuid import UUID

Row = dict[str, Any]
Key = tuple[Any, ...]

#: Business months are counted in China Standard Time: a hazard found at 01:00 on
#: 1 April Beijing time belongs to April even though it is still March in UTC.
CHINA_TIME = timezone(timedelta(hours=8), "CST")


#: Texts of recent UTC moments: several read models write the same event's times, and
#: formatting one costs more than folding most events. Bounded: cleared when full.
_UTC_TEXT: dict[datetime, str] = {}
_UTC_TEXT_LIMIT = 1 << 17


def ts(value: datetime | None) -> str | None:
    """A datetime as fixed-width UTC ISO text, so that text order is time order."""
    if value is None:
        return None
    if value.tzinfo is not UTC:  # decoded events are already in UTC: skip the conversion
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    text = _UTC_TEXT.get(value)
    if text is None:
        if len(_UTC_TEXT) >= _UTC_TEXT_LIMIT:
            _UTC_TEXT.clear()
        text = _UTC_TEXT[value] = value.isoformat(timespec="microseconds")
    return text


#: Texts of recent UUIDs: most read models key their rows by the event's originator id
#: as text, and ``str(UUID)`` is Python code (about a microsecond). Keyed by the id's
#: integer (hashing and comparing a ``UUID`` are Python code too). Every model folds a
#: whole batch before the next starts, so the cache holds a batch's ids (at most
#: ``REBUILD_BATCH``, 20,000) and a few more: about 5 MiB.
_UUID_TEXT: dict[int, str] = {}
_UUID_TEXT_LIMIT = 1 << 15


def id_text(value: UUID) -> str:
    """``str(value)`` of an aggregate id, formatted once for all read models."""
    number = value.int
    text = _UUID_TEXT.get(number)
    if text is None:
        if len(_UUID_TEXT) >= _UUID_TEXT_LIMIT:
            _UUID_TEXT.clear()
        text = _UUID_TEXT[number] = str(value)
    return text


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
    _empty: Row = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = tuple(name for name, _ in self.columns)
        object.__setattr__(self, "column_names", names)
        object.__setattr__(self, "_values", _tuple_getter(names))
        object.__setattr__(self, "_key", _tuple_getter(self.key))
        object.__setattr__(self, "_empty", dict.fromkeys(names))

    def key_of(self, row: Row) -> Key:
        return self._key(row)

    def values_of(self, row: Row) -> tuple[Any, ...]:
        return self._values(row)

    @property
    def values_getter(self) -> Callable[[Row], tuple[Any, ...]]:
        """``values_of`` without the method call, for mapping over many rows."""
        return self._values

    def empty_row(self, **values: Any) -> Row:
        row: Row = self._empty.copy()  # copying a dict of this shape beats building one
        row.update(values)
        return row


def _tuple_getter(names: tuple[str, ...]) -> Callable[[Row], tuple[Any, ...]]:
    if len(names) == 1:
        (only,) = names
        return lambda row: (row[only],)
    return cast(Callable[[Row], tuple[Any, ...]], itemgetter(*names))


#: Rows a projection keeps cached between batches (see ``Rows.trim``). Measured in
#: bench/rebuild.py: a larger cache bought no speed, only memory (docs/performance.md).
CACHE_ROWS = 20_000

_ABSENT: Any = object()


class StoredKeys:
    """Which keys may have rows in the tables although the cache no longer holds them.

    A Bloom filter of fixed size (two bits per key), allocated at the first eviction:
    "no" is certain, "maybe" costs one read of the row. Its size does not grow with the
    ledger; a ledger far larger than it was sized for only reads back more rows that turn
    out not to exist.
    """

    BITS = 1 << 25  # 4 MiB: about 1.5% false "maybe" with 2.5 million evicted keys

    def __init__(self) -> None:
        self.bits = bytearray()
        self.mask = self.BITS - 1

    def add(self, salt: int, keys: Iterable[Key]) -> None:
        if not self.bits:
            self.bits = bytearray(self.BITS // 8)
        bits, mask = self.bits, self.mask
        for key in keys:
            h = hash(key) ^ salt
            i = h & mask
            bits[i >> 3] |= 1 << (i & 7)
            i = (h >> 32) & mask
            bits[i >> 3] |= 1 << (i & 7)

    def may_hold(self, salt: int, key: Key) -> bool:
        bits = self.bits
        if not bits:
            return False
        h = hash(key) ^ salt
        i = h & self.mask
        if not bits[i >> 3] & (1 << (i & 7)):
            return False
        i = (h >> 32) & self.mask
        return bool(bits[i >> 3] & (1 << (i & 7)))

    def clear(self) -> None:
        self.bits = bytearray()


class Rows:
    """The rows of one projection's tables as the current batch sees them.

    ``loader(table, key)`` fetches a row the cache has not seen. When ``complete`` is
    true, every row of the tables is either cached or recorded in ``stored`` (it was
    written and then evicted), so a miss that ``stored`` rules out means "no such row"
    and a rebuild reads almost nothing back.

    Memory is bounded whatever the ledger's size, by ``limit`` rows or the rows one batch
    touches between batches: two generations, ``cache`` (rows touched since the last
    trim, with every dirty row) and ``older`` (clean rows touched before). A hit in
    ``older`` moves the row back to ``cache``; ``trim`` after a committed batch drops
    ``older`` when the total is over the limit. A dropped row is already in the tables,
    so eviction writes nothing.
    """

    def __init__(
        self,
        tables: Iterable[Table],
        loader: Callable[[Table, Key], Row | None],
        limit: int = CACHE_ROWS,
    ):
        self.tables = {t.name: t for t in tables}
        self.keys = {t.name: t._key for t in self.tables.values()}
        self.loader = loader
        self.limit = limit
        self.cache: dict[str, dict[Key, Row | None]] = {name: {} for name in self.tables}
        self.older: dict[str, dict[Key, Row | None]] = {name: {} for name in self.tables}
        self.dirty: dict[str, set[Key]] = {name: set() for name in self.tables}
        self.stored = StoredKeys()
        self.salts = {name: hash(name) for name in self.tables}
        self.complete = False

    def get(self, table: str, key: Key) -> Row | None:
        """The row with this key, or None. Change it in place, then ``put`` it."""
        cache = self.cache[table]
        row: Row | None = cache.get(key, _ABSENT)
        if row is not _ABSENT:
            return row
        row = self.older[table].pop(key, _ABSENT)
        if row is _ABSENT:
            if self.complete and not self.stored.may_hold(self.salts[table], key):
                row = None
            else:
                row = self.loader(self.tables[table], key)
        cache[key] = row
        return row

    def put(self, table: str, row: Row) -> None:
        """Insert or replace a row (written when the batch commits)."""
        key = self.keys[table](row)
        cache = self.cache[table]
        if cache.get(key) is not row:  # a row ``get`` returned is in ``cache`` already
            cache[key] = row
            self.older[table].pop(key, None)
        self.dirty[table].add(key)

    def delete(self, table: str, key: Key) -> None:
        self.cache[table][key] = None
        self.older[table].pop(key, None)
        self.dirty[table].add(key)

    def take_changes(self) -> dict[str, tuple[list[Row], list[Key]]]:
        """Upserts (in key order: neighbouring rows share B-tree pages) and deletes per
        table since the last call; clears the dirty sets."""
        out: dict[str, tuple[list[Row], list[Key]]] = {}
        for name, keys in self.dirty.items():
            cache = self.cache[name]
            ordered = sorted(keys)  # tuples compare in C: no key function per row
            upserts = [r for k in ordered if (r := cache[k]) is not None]
            deletes = [k for k in ordered if cache[k] is None]
            out[name] = (upserts, deletes)
            keys.clear()
        return out

    def size(self) -> int:
        return sum(len(c) for c in self.cache.values()) + sum(len(c) for c in self.older.values())

    def trim(self) -> None:
        """After a committed batch: over ``limit`` rows, keep only those it touched.

        ``older`` is dropped and ``cache`` (the rows touched since the last trim, the
        last batch's at least) becomes ``older``: a row every batch touches (a month's
        statistics) is never read back. Between batches the cache holds at most
        ``limit`` rows or those one batch touched. Only rows are remembered in
        ``stored``: a cached None is a row the tables do not hold either.
        """
        if self.size() <= self.limit:
            return
        self._evict(self.older, absent_too=False)
        self.older = self.cache
        self.cache = {name: {} for name in self.tables}

    def discard_uncommitted(self) -> None:
        """Forget the changes of a batch that was not committed (a fold or a write failed).

        Every cached key may now be in the tables or not: all of them go to ``stored``,
        so ``complete`` still holds and the batch can be folded again.
        """
        self._evict(self.older, absent_too=False)
        self._evict(self.cache, absent_too=True)
        self.older = {name: {} for name in self.tables}
        self.cache = {name: {} for name in self.tables}
        for keys in self.dirty.values():
            keys.clear()

    def _evict(self, generation: dict[str, dict[Key, Row | None]], *, absent_too: bool) -> None:
        for name, rows in generation.items():
            if absent_too:
                self.stored.add(self.salts[name], rows)
            else:
                self.stored.add(self.salts[name], (k for k, r in rows.items() if r is not None))

    def reset(self) -> None:
        """Forget everything (another worker moved the tables on, or they start empty)."""
        for name in self.tables:
            self.cache[name].clear()
            self.older[name].clear()
            self.dirty[name].clear()
        self.stored.clear()
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
