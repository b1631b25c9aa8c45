"""Recomputing leaves from the stored events: the per-event half of ``ledger verify``.

A page is a range of sequence numbers. ``recompute_page`` reads the page's log rows
joined to their events and recomputes each leaf, collecting every way the stored
history differs from what was committed; ``PageReader`` does the same for many
pages in worker processes, each with one connection it keeps, returning pages in order.
A page also hashes its leaves up into the roots of its whole blocks of
``2**block_bits`` leaves (and the pieces of the signed prefixes that end inside
them), so that the tree, like the leaves, is computed on every core; the caller only
joins the block roots, in order. A page's result is small and plain (hashes packed
in ``bytes``) so that it crosses a process boundary cheaply.

Worker processes read SQLite with apsw rather than the sqlite3 module: the same
values at about 0.5 µs less CPU per row, the largest share of a row after hashing and
parsing (decision 0033, 2026-12-01); a page apsw cannot read is read again by the
caller with the sqlite3 module, so verify ends as it did.

This loop is the cost of verifying a ledger, so it is written for speed: the checks
that compare identifiers run in SQL, and a row is first tried on a fast path that
accepts it only where the full check (``_check_row``) would find nothing wrong and
recompute the very leaf the log holds; any other row takes the full check, so what is
reported, and where, is decided by one piece of code.
"""

from __future__ import annotations

import hashlib
import struct
import sys
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import chain
from multiprocessing.context import SpawnContext, SpawnProcess
from types import ModuleType
from typing import Any, cast
from uuid import UUID

import orjson

from ledger import merkle
from ledger.store import Store

from .leaf import LEAF_PREFIX, leaf_hash_of, packed_field, packed_length
from .reports import Failure
from .tables import Tables

MAX_PAGE_FAILURES = 100  # the caller keeps no more than this many in all


@dataclass(slots=True)
class PageResult:
    """What one page of the log showed."""

    leaves: bytes = b""  # 32 bytes per logged row, in seq order
    count: int = 0
    first_seq: int | None = None  # gaps before it are the caller's to report
    next_seq: int = 0
    failures: list[Failure] = field(default_factory=list)
    redacted: list[int] = field(default_factory=list)
    # Rows were exactly seq start, start + 1, ...: the block roots below are then the
    # roots of the tree's blocks from leaf ``start`` on (the caller checks that no
    # earlier page left the tree short, which would shift every later leaf).
    contiguous: bool = False
    block_roots: bytes = b""  # 32 bytes per whole block of 2**block_bits leaves
    # For each requested prefix size ending inside those blocks: the roots of the
    # perfect subtrees that make up its part of its block (see ``PrefixRoots``).
    tails: dict[int, list[bytes]] = field(default_factory=dict)
    # Logged rows whose event is missing, and the events' ids: when they rise strictly
    # through the whole log, every row with an event names a different one, so the
    # caller can tell that no event escaped the log by counting the events.
    missing: int = 0
    first_id: int = 0
    last_id: int = 0
    ids_rising: bool = True


def page_query(tables: Tables, *, fast: bool = False) -> str:
    """The rows of seq ``?``..``?`` - 1 joined to their events, for ``_check_row``.

    ``fast``: the query of the fast path, which reads SQLite's aggregate ids as stored
    (32 hex digits) and hyphenates them itself, at a tenth of what SQLite's string
    functions cost per row, and also reads each row's event id.
    """
    t = tables
    if t.postgres:
        oid, join = "l.originator_id::text", "e.notification_id = l.notification_id"
    elif fast:
        oid, join = "l.originator_id", "e.rowid = l.notification_id"
    else:
        # SQLite keeps ids as 32 hex digits; the header has them hyphenated.
        oid = (
            "lower("
            + "||'-'||".join(
                f"substr(l.originator_id, {a}, {n})"
                for a, n in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
            )
            + ")"
        )
        join = "e.rowid = l.notification_id"
    return t.sql(
        f"SELECT l.seq, {oid}, l.originator_version, l.topic, l.recorded_at, l.actor_id, "
        "l.payload_hash, l.leaf_hash, e.state, "
        "(e.originator_id = l.originator_id AND e.originator_version = l.originator_version "
        "AND e.topic = l.topic)"
        + (", l.notification_id " if fast else " ")
        + f"FROM {t.log} l LEFT JOIN {t.events} e ON {join} "
        "WHERE l.seq >= ? AND l.seq < ? ORDER BY l.seq"
    )


# How PostgreSQL should read a page: walk the log's key and look each event up by its
# id. Left to itself the planner merge-joins from the first event on (every page then
# reads all events before it: quadratic in the ledger) and sorts on disk; a parallel
# plan or JIT compilation only takes the cores the page workers are using.
_PAGE_PLAN = (
    "SET enable_mergejoin = off",
    "SET enable_hashjoin = off",
    "SET max_parallel_workers_per_gather = 0",
    "SET jit = off",
)

_HEX = b"0123456789abcdef"
_ID_PARTS = struct.Struct("8s4s4s4s12s")
_ID_LENGTH = packed_length(36)
_LENGTHS = tuple(packed_length(n) for n in range(256))
_LEAF_START = b"\x00" + LEAF_PREFIX  # RFC 9162's leaf prefix, then the encoding's own
# The leaf's start with lp()'s length of a sequence number of each count of digits.
_HEADS = tuple(_LEAF_START + packed_length(n) for n in range(21))


def _packed_id(stored: Any, postgres: bool) -> bytes:
    """lp() of an aggregate id as the header writes it, from the fast query's column.

    Raises ValueError for anything but a well-formed id: those rows take the full check.
    """
    if type(stored) is not str:
        raise ValueError(stored)
    raw = stored.encode()
    if postgres:
        return packed_length(len(raw)) + raw
    if len(raw) != 32 or raw.translate(None, _HEX):  # not 32 lowercase hex digits
        raise ValueError(stored)
    return _ID_LENGTH + b"-".join(_ID_PARTS.unpack(raw))


def _packed_version(version: Any) -> bytes:
    """lp() of a version as the header writes it (decimal, as ``str`` gives it)."""
    return packed_field(str(version))


class _Packed(dict[Any, bytes]):
    """Packed header fields by stored value, each packed the first time it is asked
    for (a subscript costs less per row than ``get`` and a test for a miss)."""

    __slots__ = ("pack",)

    def __init__(self, pack: Callable[[Any], bytes]) -> None:
        super().__init__()
        self.pack = pack

    def __missing__(self, key: Any) -> bytes:
        value = self[key] = self.pack(key)
        return value


def _stored_header(tables: Tables, cur: Any, seq: int) -> str:
    """The identifiers the store now holds for the event logged at ``seq``."""
    t = tables
    oid = "e.originator_id::text" if t.postgres else "e.originator_id"
    join = "e.notification_id" if t.postgres else "e.rowid"
    cur.execute(
        t.sql(
            f"SELECT {oid}, e.originator_version, e.topic FROM {t.log} l "
            f"JOIN {t.events} e ON {join} = l.notification_id WHERE l.seq = ?"
        ),
        (seq,),
    )
    e_oid, e_ver, e_topic = cur.fetchone()
    return f"store holds {uuid_text(e_oid)} v{e_ver} {e_topic}"


def uuid_text(value: Any) -> str:
    """An aggregate id as the header writes it: lowercase, hyphenated."""
    if isinstance(value, UUID):
        return str(value)
    text = str(value)
    if len(text) == 32:
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
    return text.lower()


def _check_row(
    tables: Tables,
    cur: Any,
    row: Sequence[Any],
    expected: int,
    redacted: Mapping[int, bytes],
    result: PageResult,
) -> bytes:
    """The full check of one log row: every failure it shows, and the leaf it recomputes.

    ``expected`` is the seq the row should have; a gap before it is reported here.
    """
    seq, oid_text, l_ver, l_topic, l_rec, l_actor, l_ph, l_leaf, state, same = row
    failures = result.failures
    fail = failures.append
    if seq != expected:
        fail(Failure("SEQ_GAP", expected, detail=f"next logged seq is {seq}"))
    logged_leaf = bytes(l_leaf)
    if state is None:
        fail(Failure("EVENT_MISSING", seq, oid_text, l_ver))
        result.missing += 1
        return logged_leaf
    found_before = len(failures)
    if not same:
        fail(Failure("HEADER_MISMATCH", seq, oid_text, l_ver, _stored_header(tables, cur, seq)))
    state = bytes(state)
    committed = bytes(l_ph)
    actual = hashlib.sha256(state).digest()
    rec, actor = l_rec, l_actor
    if actual != committed and redacted.get(seq) != actual:
        detail = f"committed {committed.hex()[:16]}…, found {actual.hex()[:16]}…"
        fail(Failure("PAYLOAD_CHANGED", seq, oid_text, l_ver, detail))
        committed = actual
    else:
        if actual != committed:
            result.redacted.append(seq)
        try:
            data = orjson.loads(state)
            rec = data.get("timestamp", "")
            actor_obj = data.get("actor")
            actor = actor_obj.get("id", "") if isinstance(actor_obj, dict) else ""
        except (orjson.JSONDecodeError, AttributeError):
            fail(Failure("PAYLOAD_UNREADABLE", seq, oid_text, l_ver))
        if rec != l_rec or actor != l_actor:
            detail = f"payload says recorded {rec} by {actor}"
            fail(Failure("HEADER_MISMATCH", seq, oid_text, l_ver, detail))
    recomputed = leaf_hash_of(seq, oid_text, l_ver, l_topic, str(rec), str(actor), committed)
    if recomputed != logged_leaf and len(failures) == found_before:
        # Only when nothing above explains it: the log row itself changed.
        fail(Failure("LEAF_MISMATCH", seq, oid_text, l_ver))
    return recomputed


def recompute_page(
    tables: Tables,
    conn: Any,
    start: int,
    end: int,
    redacted: Mapping[int, bytes],
    *,
    block_bits: int = 0,
    sizes: Sequence[int] = (),
) -> PageResult:
    """Recompute the leaves of seq ``start``..``end - 1`` (see the module docstring).

    ``redacted`` maps a sequence number to the hash its payload has after a logged
    redaction: a payload differing from its committed hash is accepted only with
    exactly that hash. ``block_bits``: also hash the page's whole blocks of
    ``2**block_bits`` leaves (``start`` must be a multiple of the block), with the
    pieces of every prefix in ``sizes`` that ends inside one of them.
    """
    postgres = tables.postgres
    cur = conn.cursor()
    if postgres:
        for setting in _PAGE_PLAN:
            cur.execute(setting)
        cur.execute(page_query(tables, fast=True), (start, end), binary=True)
    else:
        cur.execute(page_query(tables, fast=True), (start, end))
    result = PageResult(contiguous=True)
    leaves: list[bytes] = []
    keep = leaves.append
    sha = hashlib.sha256
    loads = orjson.loads
    join = b"".join
    lengths = _LENGTHS  # a longer value raises IndexError: the full check packs it
    heads = _HEADS
    # Packed header fields by their stored value: ids recur within a page (each case
    # has several events), versions, event types and actors across the whole log.
    ids: dict[Any, bytes] = {}
    versions = _Packed(_packed_version)
    types = _Packed(packed_field)
    actors = _Packed(packed_field)
    expected = start
    last_id = -1
    slow = None
    first = cur.fetchone()
    first_id = first[-1] if first is not None else 0
    for row in chain((first,) if first is not None else (), cur):
        seq, oid, ver, topic, rec, actor, ph, leaf, state, same, event_id = row
        # The fast path: everything as committed (see the module docstring). Any
        # doubt, including an exception, leaves the row to the full check: so does a
        # payload that is not an object with a timestamp and an actor with an id,
        # where the subscripts below raise.
        try:
            if seq == expected and event_id > last_id and same and sha(state).digest() == ph:
                data = loads(state)
                if data["timestamp"] == rec and data["actor"]["id"] == actor:
                    o = ids.get(oid)
                    if o is None:
                        o = ids[oid] = _packed_id(oid, postgres)
                    # Only int versions are cached: a float equal to an int would find
                    # the int's entry, and its leaf reads "1.0" where the int's reads "1".
                    v = versions[ver] if type(ver) is int else _packed_version(ver)
                    s = b"%d" % seq
                    r = rec.encode()
                    parts = (
                        heads[len(s)],
                        s,
                        o,
                        v,
                        types[topic],
                        lengths[len(r)],
                        r,
                        actors[actor],
                        ph,
                    )
                    mine = sha(join(parts)).digest()
                    if mine == leaf:
                        keep(mine)
                        expected += 1
                        last_id = event_id
                        continue
        except Exception:  # the full check below says what is wrong
            pass
        if not leaves:  # the page's first row: a gap before it is the caller's to report
            result.first_seq = expected = seq
        if seq != expected:
            result.contiguous = False
        if type(event_id) is int and event_id > last_id:
            last_id = event_id
        else:
            result.ids_rising = False
        if slow is None:
            slow = conn.cursor()
        # A row that vanished since the page was read is judged as it was read.
        full = _full_row(tables, slow, seq) or (seq, uuid_text(oid), *row[2:10])
        keep(_check_row(tables, slow, full, expected, redacted, result))
        expected = seq + 1
    if leaves and result.first_seq is None:
        result.first_seq = start  # the first row passed the fast path, so had seq start
    if result.first_seq != start:
        result.contiguous = False
    if leaves:
        result.first_id = first_id
        result.last_id = last_id
    del result.failures[MAX_PAGE_FAILURES:]
    result.leaves = join(leaves)
    result.count = len(leaves)
    result.next_seq = expected
    if block_bits and result.contiguous:
        _block_roots(result, start, block_bits, sizes)
    return result


def _full_row(tables: Tables, cur: Any, seq: int) -> Sequence[Any] | None:
    """The row of ``seq`` as the full check reads it (ids as the header writes them)."""
    cur.execute(page_query(tables), (seq, seq + 1))
    return cast("Sequence[Any] | None", cur.fetchone())


def _block_roots(result: PageResult, start: int, bits: int, sizes: Sequence[int]) -> None:
    """Fill ``block_roots`` and ``tails`` of a contiguous page (see ``PageResult``)."""
    block = 1 << bits
    whole = result.count >> bits << bits
    if not whole:
        return
    levels = merkle.subtree_levels(result.leaves[: whole * 32], bits)
    result.block_roots = levels[bits]
    for size in sizes:
        within = (size - start) % block
        if not start < size < start + whole or not within:
            continue
        offset = size - start - within  # the block's first leaf, within the page
        parts = []
        for h in reversed(range(bits)):
            if within >> h & 1:
                index = offset >> h
                parts.append(levels[h][index * 32 : index * 32 + 32])
                offset += 1 << h
        result.tails[size] = parts


class RedactionsNotYetRead(Exception):
    """A page asked for the logged redactions before the caller had read them."""


class _NotYetRead(Mapping[int, bytes]):
    """The ``redacted`` map of the pages handed out before the redactions are read:
    any question to it raises, so a page either never needed it (no payload differs
    from its committed hash) or is judged again once the map is known."""

    def __getitem__(self, seq: int) -> bytes:
        raise RedactionsNotYetRead(seq)

    def __iter__(self) -> Iterator[int]:
        raise RedactionsNotYetRead

    def __len__(self) -> int:
        raise RedactionsNotYetRead


_NOT_YET_READ = _NotYetRead()


_worker: tuple[Tables, Any, Any] | None = None


class ReadInCaller(Exception):
    """A worker's page that only the caller's own reader may judge (see ``_worker_page``)."""


def _start_worker(store: Store, events_table: str) -> None:
    """Open the one connection a worker process reads every one of its pages with.

    On SQLite that connection is apsw's, not the sqlite3 module's: it hands over the
    same values (tuples of int, float, str, bytes, None; text decoded as strict
    UTF-8) at about 0.5 µs less per row of the page query, most of the difference
    being the sqlite3 module's work per column. A worker opens nothing else on the
    file: two SQLite libraries with the file open in one process would release each
    other's POSIX locks.
    """
    global _worker
    tables = Tables(store, events_table)
    if tables.postgres:
        context = tables.connect()  # kept open until the worker process ends
        _worker = (tables, context, context.__enter__())
    else:
        import apsw

        if store.read_only:  # opened as Store.connect_sqlite opens it: never for writing
            flags = apsw.SQLITE_OPEN_READONLY | apsw.SQLITE_OPEN_URI
            conn = apsw.Connection(store.sqlite_target, flags=flags)
        else:
            conn = apsw.Connection(store.path)  # the flags sqlite3.connect uses
        conn.set_busy_timeout(30_000)  # sqlite3.connect(timeout=30), as Tables.connect
        _worker = (tables, None, conn)


def _ready() -> None:
    """A job that does nothing: submitted first, it makes the pool start its workers."""


def _worker_page(
    args: tuple[int, int, Mapping[int, bytes], int, Sequence[int]],
) -> PageResult:
    """One page in a worker. On SQLite, a page whose reading raises anything (text
    that is not UTF-8, a lock that outlasted the timeout) is handed back to the
    caller to read with the sqlite3 module, so that it ends as it always did."""
    assert _worker is not None
    tables, _, conn = _worker
    start, end, redacted, block_bits, sizes = args
    try:
        return recompute_page(
            tables, conn, start, end, redacted, block_bits=block_bits, sizes=sizes
        )
    except Exception:
        if tables.postgres:
            raise
        raise ReadInCaller(start) from None


_NO_MAIN = ModuleType("__main__")


class _WorkerProcess(SpawnProcess):
    """A spawned worker process that does not run the caller's main module.

    A spawned process imports the main module of the one that started it, as
    ``__mp_main__``, before its first job: for the ``ledger`` command that is every
    command's imports, about 1 s of CPU, and 0.5 s for ``bench/scale.py``, where a
    worker needs only this module's (0.15 s). Nothing a worker runs comes from the
    main module, so it is hidden while the process is started (the preparation data
    then names none); other threads of the caller would see a bare ``__main__`` for
    those few milliseconds.
    """

    @staticmethod
    def _Popen(process_obj: Any) -> Any:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = _NO_MAIN
        try:
            return SpawnProcess._Popen(process_obj)
        finally:
            sys.modules["__main__"] = main


class _WorkerContext(SpawnContext):
    """The spawn start method, with ``_WorkerProcess`` as its processes."""

    Process = _WorkerProcess


class PageReader:
    """Recomputes pages in order, in ``workers`` processes when more than one.

    The processes start as soon as the reader is made (spawned, not forked: the
    caller may hold threads and open connections), so that they import and connect
    while the caller reads what it needs before the pages (redactions, checkpoints).
    On SQLite they read with apsw (see ``_start_worker``); pages read here, in the
    caller's process, use the sqlite3 module like the rest of the caller.
    Use as a context manager; leaving it stops the workers.
    """

    def __init__(self, tables: Tables, events_table: str, workers: int) -> None:
        self.tables = tables
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 1:
            self._pool = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_WorkerContext(),
                initializer=_start_worker,
                initargs=(tables.store, events_table),
            )
            for _ in range(workers):
                self._pool.submit(_ready)

    def __enter__(self) -> PageReader:
        return self

    def __exit__(self, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def pages(
        self,
        starts: Sequence[int],
        page: int,
        redactions: Callable[[], Mapping[int, bytes]],
        *,
        block_bits: int = 0,
        sizes: Sequence[int] = (),
    ) -> Iterator[PageResult]:
        """The pages beginning at ``starts``, each ``page`` seqs long, in order.

        ``redactions`` reads the map that ``recompute_page`` takes as ``redacted``; it
        is called once, after the first pages are handed to the workers, so that it
        reads while they work. A page that asks for the map before it is read (only a
        payload that differs from its committed hash does) is judged again with it.
        ``block_bits`` and ``sizes`` as for ``recompute_page`` (blocks are hashed only
        when a page holds whole ones). At most three pages per worker are computed
        ahead of the one the caller is at, so memory stays bounded however long the
        log is.
        """
        if page % (1 << block_bits):
            block_bits = 0
        ordered = sorted(sizes)

        def job(
            start: int, redacted: Mapping[int, bytes]
        ) -> tuple[int, int, Mapping[int, bytes], int, Sequence[int]]:
            inside = ordered[bisect_right(ordered, start) : bisect_left(ordered, start + page)]
            return (start, start + page, redacted, block_bits, inside)

        pool = self._pool
        if pool is None:
            redacted = redactions()
            with self.tables.connect() as conn:
                for start in starts:
                    _, end, _, bits, inside = job(start, redacted)
                    yield recompute_page(
                        self.tables, conn, start, end, redacted, block_bits=bits, sizes=inside
                    )
            return
        pending: deque[tuple[int, Future[PageResult]]] = deque()
        queue = iter(starts)
        for start in queue:
            pending.append((start, pool.submit(_worker_page, job(start, _NOT_YET_READ))))
            if len(pending) >= 3 * self.workers:
                break
        redacted = redactions()
        while pending:
            first, future = pending.popleft()
            try:
                done = future.result()
            except (ReadInCaller, RedactionsNotYetRead):
                with self.tables.connect() as conn:
                    _, end, _, bits, inside = job(first, redacted)
                    done = recompute_page(
                        self.tables, conn, first, end, redacted, block_bits=bits, sizes=inside
                    )
            for start in queue:
                pending.append((start, pool.submit(_worker_page, job(start, redacted))))
                break
            yield done
