"""Recomputing leaves from the stored events: the per-event half of ``ledger verify``.

A page is a range of sequence numbers. ``recompute_page`` reads the page's log rows
joined to their events and recomputes each leaf, collecting every way the stored
history differs from what was committed; ``recompute_pages`` does the same for many
pages in worker processes, each with a connection of its own, returning pages in order.
A page's result is small and plain (leaf hashes as one ``bytes``) so that it crosses a
process boundary cheaply; the tree is built from the leaves by the caller, in order.

This loop is the cost of verifying a ledger, so it is written for speed: the checks
that compare identifiers run in SQL, and only failures take the slow paths.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

import orjson

from ledger.store import Store

from .leaf import leaf_hash_of
from .reports import Failure
from .tables import Tables


@dataclass(slots=True)
class PageResult:
    """What one page of the log showed."""

    leaves: bytes = b""  # 32 bytes per logged row, in seq order
    count: int = 0
    first_seq: int | None = None  # gaps before it are the caller's to report
    next_seq: int = 0
    failures: list[Failure] = field(default_factory=list)
    redacted: list[int] = field(default_factory=list)


def page_query(tables: Tables) -> str:
    t = tables
    if t.postgres:
        oid, join = "l.originator_id::text", "e.notification_id = l.notification_id"
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
        "AND e.topic = l.topic) "
        f"FROM {t.log} l LEFT JOIN {t.events} e ON {join} "
        "WHERE l.seq >= ? AND l.seq < ? ORDER BY l.seq"
    )


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


def recompute_page(
    tables: Tables, cur: Any, start: int, end: int, redacted: Mapping[int, bytes], query: str
) -> PageResult:
    """Recompute the leaves of seq ``start``..``end - 1`` (see the module docstring).

    ``redacted`` maps a sequence number to the hash its payload has after a logged
    redaction: a payload differing from its committed hash is accepted only with
    exactly that hash.
    """
    cur.execute(query, (start, end))
    rows = cur.fetchall()
    result = PageResult()
    failures = result.failures
    fail = failures.append
    leaves: list[bytes] = []
    keep = leaves.append
    sha = hashlib.sha256
    loads = orjson.loads
    expected = rows[0][0] if rows else start
    result.first_seq = rows[0][0] if rows else None
    for seq, oid_text, l_ver, l_topic, l_rec, l_actor, l_ph, l_leaf, state, same in rows:
        if seq != expected:
            fail(Failure("SEQ_GAP", expected, detail=f"next logged seq is {seq}"))
            expected = seq
        expected += 1
        logged_leaf = bytes(l_leaf)
        if state is None:
            fail(Failure("EVENT_MISSING", seq, oid_text, l_ver))
            keep(logged_leaf)
            continue
        found_before = len(failures)
        if not same:
            fail(Failure("HEADER_MISMATCH", seq, oid_text, l_ver, _stored_header(tables, cur, seq)))
        state = bytes(state)
        committed = bytes(l_ph)
        actual = sha(state).digest()
        rec, actor = l_rec, l_actor
        if actual != committed and redacted.get(seq) != actual:
            detail = f"committed {committed.hex()[:16]}…, found {actual.hex()[:16]}…"
            fail(Failure("PAYLOAD_CHANGED", seq, oid_text, l_ver, detail))
            committed = actual
        else:
            if actual != committed:
                result.redacted.append(seq)
            try:
                data = loads(state)
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
        keep(recomputed)
    result.leaves = b"".join(leaves)
    result.count = len(rows)
    result.next_seq = expected
    return result


def _worker_page(args: tuple[Store, str, int, int, Mapping[int, bytes]]) -> PageResult:
    store, events_table, start, end, redacted = args
    tables = Tables(store, events_table)
    with tables.connect() as conn:
        return recompute_page(tables, conn.cursor(), start, end, redacted, page_query(tables))


def recompute_pages(
    tables: Tables,
    starts: Sequence[int],
    page: int,
    redacted: Mapping[int, bytes],
    workers: int,
    events_table: str,
) -> Iterator[PageResult]:
    """The pages beginning at ``starts``, in order; in ``workers`` processes if > 1."""
    if workers <= 1 or len(starts) <= 1:
        query = page_query(tables)
        with tables.connect() as conn:
            cur = conn.cursor()
            for start in starts:
                yield recompute_page(tables, cur, start, start + page, redacted, query)
        return
    # spawn, not fork: the caller may hold threads and open connections.
    context = multiprocessing.get_context("spawn")
    jobs = [(tables.store, events_table, s, s + page, redacted) for s in starts]
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(_worker_page, jobs)
