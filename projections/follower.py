"""The follower: reads the notification log in batches and applies it exactly once.

One batch is one store transaction holding the projection's row changes and its new
tracking position (``projection_tracking``). A worker killed mid-batch leaves nothing
of that batch behind, and its successor starts after the last committed position.

Ordering and gaps: notification ids are read in ascending order after the last applied
position. On SQLite inserts are serialised by the database lock; on PostgreSQL the
event recorder takes an EXCLUSIVE lock on the events table for each insert transaction
and holds it until commit, so ids become visible in id order and an id below one we
have read can never commit later (a rolled-back insert leaves a permanent gap, which
is harmless). Reading "everything after position P" therefore never skips an event.

Several workers: on SQLite ``BEGIN IMMEDIATE`` serialises them; on PostgreSQL each
projection's batch takes ``pg_try_advisory_xact_lock`` and re-reads its position inside
the transaction, so two machines never apply the same batch (the loser skips it).

Rebuilds write into ``<table>__build`` tables tracked as ``<name>__build`` and swap
them in with one transaction (drop, rename, index), so readers see either the old
complete model or the new complete one. ``--known-at T`` builds the model from events
recorded up to T into ``<table>__asof`` tables instead, leaving the live model alone.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import compress
from typing import Any

from eventsourcing.utils import resolve_topic

from ledger.application import HazardLedger
from ledger.read_model_spec import PlainEvent

from .base import CACHE_ROWS, Projection, Rows, Table, ts
from .db import ReadStore
from .plugin_adapter import FoldEvent
from .quarantine import (
    QUARANTINE,
    QUARANTINE_COLUMNS,
    SetAside,
    Undecodable,
    ddl,
    describe_error,
    describe_event,
    is_transient,
)

TRACKING = "projection_tracking"
Batch = list[tuple[int, Any]]


class DecodedBatch(list[tuple[int, Any]]):
    """A batch as read from the log, knowing whether any of its events did not decode."""

    undecodable = False
    _kinds: list[type] | None = None

    def kinds(self) -> list[type]:
        """The class of each event, worked out once for every target of the batch."""
        if self._kinds is None:
            self._kinds = [type(event) for _, event in self]
        return self._kinds


Folded = tuple["Target", int, dict[str, tuple[list[Any], list[Any]]], dict[int, SetAside]]
SLOT_SUFFIX = {"live": "", "build": "__build", "asof": "__asof", "asofbuild": "__asofbuild"}


class _Waiter:
    """Sleeps until new events are announced (PostgreSQL) or ``interval`` has passed."""

    def __init__(self, ledger: HazardLedger, interval: float) -> None:
        self.interval = interval
        self.conn: Any = None
        store = ledger.store
        if store.is_postgres:
            import psycopg
            from psycopg import sql

            try:
                self.conn = store.connect_postgres()
                self.conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(store.event_channel)))
            except psycopg.Error:
                self.conn = None  # polling still works

    def wait(self) -> None:
        if self.conn is None:
            time.sleep(self.interval)
            return
        try:
            for _ in self.conn.notifies(timeout=self.interval, stop_after=1):
                pass
        except Exception:  # a dropped connection: fall back to polling
            self.close()
            time.sleep(self.interval)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


@dataclass
class Target:
    """One projection written into one set of tables (live, or a build in progress)."""

    projection: Projection
    slot: str
    known_at: datetime | None = None
    rows: Rows = field(init=False)
    committed: int | None = None

    def __post_init__(self) -> None:
        self.rows = Rows(self.projection.tables, self._missing_loader)

    def _missing_loader(self, table: Table, key: Any) -> None:
        raise RuntimeError("loader not bound")

    @property
    def suffix(self) -> str:
        return SLOT_SUFFIX[self.slot]

    @property
    def tracking_name(self) -> str:
        return self.projection.name + self.suffix

    def physical(self, table: Table) -> str:
        return table.name + self.suffix


class _FoldFailed(Exception):
    """A fold raised for one event: carries what the quarantine records of it."""

    def __init__(self, aside: SetAside) -> None:
        super().__init__(aside.error)
        self.aside = aside


def _could_handle(event: Undecodable, handles: frozenset[type]) -> bool:
    """Whether an event that no longer decodes is of a class the fold cares about."""
    try:
        return resolve_topic(event.topic) in handles
    except Exception:  # the class itself is gone: it may well have been one
        return True


# A rebuild reads in larger batches than following does: a row touched by several events
# of one batch is written once, and the batch's transaction commits once.
REBUILD_BATCH = 20_000
LOCK_RETRY_SECONDS = 0.05


class Follower:
    """Keeps a set of projections up to date with one ledger's event log."""

    def __init__(
        self,
        ledger: HazardLedger,
        projections: Sequence[Projection],
        *,
        batch_size: int = 2000,
        read_store: ReadStore | None = None,
        cache_rows: int = CACHE_ROWS,
    ) -> None:
        """``read_store``: where the read models are written (default: the ledger's own
        store); the national feeder folds a province's log into another server.
        ``cache_rows``: rows each projection keeps between batches (``Rows.trim``)."""
        self.ledger = ledger
        self.projections = {p.name: p for p in projections}
        self.batch_size = batch_size
        self.cache_rows = cache_rows
        self.db = read_store if read_store is not None else ReadStore(ledger.store)
        self.conn = self.db.connect()
        self._ensure_catalog()
        self.targets: dict[str, Target] = {}
        self._prefetch: tuple[int, Future[Batch]] | None = None
        self._pool: ThreadPoolExecutor | None = None

    def close(self) -> None:
        self.conn.close()

    # ---- catalogue ----------------------------------------------------------------

    def _ensure_catalog(self) -> None:
        with self.db.write_transaction(self.conn):
            self.conn.execute(
                f"CREATE TABLE IF NOT EXISTS {TRACKING} (name TEXT PRIMARY KEY, "
                f"position {self.db.column_type('INTEGER')} NOT NULL, version INTEGER NOT NULL, "
                "known_at TEXT)"
            )
            self.conn.execute(ddl(self.db.column_type("INTEGER")))

    def tracking(self, name: str) -> tuple[int, int, str | None] | None:
        """(position, version, known_at) of a tracking row, or None."""
        row = self.db.execute(
            self.conn, f"SELECT position, version, known_at FROM {TRACKING} WHERE name = ?", (name,)
        ).fetchone()
        return None if row is None else (int(row[0]), int(row[1]), row[2])

    def quarantined(self, name: str | None = None) -> list[dict[str, Any]]:
        """Events set aside (by one read model's tracking name, or all), in log order."""
        where = "" if name is None else " WHERE name = ?"
        cur = self.db.execute(
            self.conn,
            f"SELECT {', '.join(QUARANTINE_COLUMNS)} FROM {QUARANTINE}{where} "
            "ORDER BY name, position",
            () if name is None else (name,),
        )
        return [dict(zip(QUARANTINE_COLUMNS, r, strict=True)) for r in cur.fetchall()]

    def _bind(self, target: Target) -> Target:
        def load(table: Table, key: Any) -> Any:
            return self.db.load_row(self.conn, table, target.physical(table), key)

        target.rows.loader = load
        target.rows.limit = self.cache_rows
        return target

    def _fresh(self, projection: Projection, slot: str, known_at: datetime | None) -> Target:
        """Drop and recreate the tables of a build slot, at position 0."""
        target = self._bind(Target(projection, slot, known_at))
        with self.db.write_transaction(self.conn):
            for table in projection.tables:
                self.conn.execute(f"DROP TABLE IF EXISTS {target.physical(table)}")
                self.db.create_table(self.conn, table, target.physical(table))
            self.db.execute(
                self.conn, f"DELETE FROM {TRACKING} WHERE name = ?", (target.tracking_name,)
            )
            self.db.execute(
                self.conn, f"DELETE FROM {QUARANTINE} WHERE name = ?", (target.tracking_name,)
            )
            self.db.execute(
                self.conn,
                f"INSERT INTO {TRACKING} (name, position, version, known_at) VALUES (?, 0, ?, ?)",
                (target.tracking_name, projection.version, ts(known_at)),
            )
        return target

    def _target_for(self, projection: Projection) -> Target:
        """Live if its tables are current; else the build (resumed if one is under way)."""
        live = self.tracking(projection.name)
        if live is not None and live[1] == projection.version:
            return self._bind(Target(projection, "live"))
        build = self.tracking(projection.name + SLOT_SUFFIX["build"])
        if build is not None and build[1] == projection.version:
            return self._bind(Target(projection, "build"))
        return self._fresh(projection, "build", None)

    # ---- running ------------------------------------------------------------------

    def catch_up(
        self, names: Iterable[str] | None = None, *, max_batches: int | None = None
    ) -> int:
        """Apply every recorded event to the named projections (all by default).

        A projection whose version changed, or whose rebuild was interrupted, is built
        (or resumed) in new tables and swapped in when it reaches the head of the log.
        Returns the number of events read.
        """
        targets = []
        for name in names or self.projections:
            current = self.targets.get(name)
            if current is None or current.slot != "live":
                current = self._target_for(self.projections[name])
                self.targets[name] = current
            targets.append(current)
        return self._run(targets, max_batches)

    def rebuild(
        self,
        names: Iterable[str] | None = None,
        *,
        known_at: datetime | None = None,
        resume: bool = False,
        max_batches: int | None = None,
    ) -> int:
        """Rebuild from the first event into new tables; swap in only when complete.

        With ``known_at`` the result goes to the ``__asof`` tables: the model as it was
        known (recorded) at that moment. ``max_batches`` stops early (for tests of an
        interrupted rebuild); ``resume`` continues a build left unfinished.
        """
        slot = "build" if known_at is None else "asofbuild"
        targets = []
        for name in names or self.projections:
            projection = self.projections[name]
            existing = self.tracking(projection.name + SLOT_SUFFIX[slot])
            if resume and existing is not None and existing[1] == projection.version:
                targets.append(self._bind(Target(projection, slot, known_at)))
            else:
                targets.append(self._fresh(projection, slot, known_at))
            self.targets.pop(name, None)
        return self._run(targets, max_batches)

    def follow(
        self,
        names: Iterable[str] | None = None,
        *,
        poll_interval: float = 0.5,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> None:
        """Keep catching up until ``should_stop`` says so, waiting for new events when idle.

        On PostgreSQL every write notifies the schema's channel, so the wait ends as
        soon as something is recorded; ``poll_interval`` bounds it all the same (a
        notification can be missed while a connection is re-established). SQLite has no
        notifications: the log is polled every ``poll_interval``.
        """
        chosen = list(names or self.projections)
        waiter = _Waiter(self.ledger, poll_interval)
        try:
            while not should_stop():
                try:
                    read = self.catch_up(chosen)
                except Exception:  # the store went away for a moment: try again later
                    logging.getLogger(__name__).exception("read-model follower failed; retrying")
                    read = 0
                if read == 0:
                    waiter.wait()
        finally:
            waiter.close()

    def _run(self, targets: list[Target], max_batches: int | None) -> int:
        # The row cache holds hundreds of thousands of small dicts without cycles; the
        # cyclic collector would rescan them again and again as batches allocate events.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run_batches(targets, max_batches)
        finally:
            if enabled:
                gc.enable()

    def _run_batches(self, targets: list[Target], max_batches: int | None) -> int:
        total = 0
        batches = 0
        pending = list(targets)
        # While one batch is folded and written, the next one is read and decoded in a
        # thread: the database work of either side releases the GIL for the other.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefetch") as pool:
            self._prefetch = None
            self._pool = pool
            while pending:
                if max_batches is not None and batches >= max_batches:
                    break
                read, done = self._step(pending)
                total += read
                batches += 1
                if done:
                    for target in pending:
                        if target.slot in ("build", "asofbuild"):
                            self._swap(target)
                    pending = []
            self._prefetch = None
        return total

    def _read(self, start: int) -> Batch:
        """Notifications after ``start``, decoded once for every target."""
        notes = self.ledger.recorder.select_notifications(
            start, self.batch_size, inclusive_of_start=False
        )
        to_domain = self.ledger.mapper.to_domain_event
        batch = DecodedBatch()
        for n in notes:
            try:
                batch.append((n.id, to_domain(n)))
            except Exception as error:  # still a position in the log: set aside, not stop
                event_id = f"{n.originator_id}@{n.originator_version}"
                batch.append((n.id, Undecodable(n.topic, event_id, describe_error(error))))
                batch.undecodable = True
        return batch

    def _batch_after(self, start: int) -> Batch:
        prefetched = self._prefetch
        self._prefetch = None
        if prefetched is not None and prefetched[0] == start:
            return prefetched[1].result()
        return self._read(start)

    def _step(self, targets: list[Target]) -> tuple[int, bool]:
        """Apply one batch to every target; (events read, reached the head of the log)."""
        positions = []
        for t in targets:
            row = self.tracking(t.tracking_name)
            positions.append(row[0] if row else 0)
        start = min(positions)
        decoded = self._batch_after(start)
        if not decoded:
            return 0, True
        last = decoded[-1][0]
        if len(decoded) == self.batch_size and self._pool is not None:
            self._prefetch = (last, self._pool.submit(self._read, last))
        plains: dict[int, PlainEvent] = {}
        # Fold outside the write transaction: on SQLite that transaction holds the file's
        # write lock, which other processes (a parallel rebuild, the API) must not wait
        # on while Python folds. The position each fold started from is checked again
        # inside the transaction; a batch somebody else applied meanwhile is discarded.
        folded: list[Folded] = []
        applied: list[Target] = []
        lost: list[Target] = []
        try:
            for t in targets:
                row = self.tracking(t.tracking_name)
                pos = row[0] if row else 0
                if t.committed != pos:
                    # Somebody else advanced it (or we never ran): the cache is stale.
                    t.rows.reset()
                    t.rows.complete = pos == 0
                if pos >= last:
                    t.committed = pos
                    continue
                aside = self._fold_setting_aside(t, decoded, pos, plains)
                folded.append((t, pos, t.rows.take_changes(), aside))
            try:
                with self.db.write_transaction(self.conn):
                    for t, pos, changes, aside in folded:
                        (applied if self._write(t, pos, last, changes, aside) else lost).append(t)
            except Exception as error:
                if is_transient(error):
                    raise
                # A row the table cannot hold (a NUL in PostgreSQL text, an integer
                # beyond 64 bits): find its event by applying the batch one at a time.
                applied, lost = [], []
                for t, pos, _, _ in folded:
                    done = self._apply_singly(t, decoded, pos, last, plains)
                    (applied if done else lost).append(t)
        except BaseException:
            for t in targets:
                t.rows.reset()
                t.committed = None
            raise
        for t in lost:
            t.rows.reset()
            t.committed = None
        for t in applied:
            t.committed = last
            t.rows.trim()
        if lost and not applied:
            time.sleep(LOCK_RETRY_SECONDS)  # another worker holds them: let it finish
        # A target that lost this batch has not reached the head: it goes round again
        # (a build must never be swapped in without its last batch).
        return len(decoded), len(decoded) < self.batch_size and not lost

    def _write(
        self,
        t: Target,
        pos: int,
        new_pos: int,
        changes: dict[str, tuple[list[Any], list[Any]]],
        aside: dict[int, SetAside],
    ) -> bool:
        """Inside a write transaction: ``t``'s rows, set-aside events and new position.

        False (nothing written) if another worker holds ``t`` or moved it past ``pos``.
        """
        row = self.tracking(t.tracking_name)
        if not self.db.try_lock(self.conn, t.tracking_name) or (row[0] if row else 0) != pos:
            return False
        for table_name, (upserts, deletes) in changes.items():
            table = t.rows.tables[table_name]
            self.db.write_rows(self.conn, table, t.physical(table), upserts, deletes)
        if aside:
            now = datetime.now(UTC).isoformat(timespec="seconds")
            self.db.executemany(
                self.conn,
                f"INSERT INTO {QUARANTINE} (name, position, event_id, event_type, error, "
                "version, set_aside_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (name, position) DO UPDATE SET error = excluded.error",
                [
                    (
                        t.tracking_name,
                        a.position,
                        a.event_id,
                        a.event_type,
                        a.error,
                        t.projection.version,
                        now,
                    )
                    for a in aside.values()
                ],
            )
        self.db.execute(
            self.conn,
            f"UPDATE {TRACKING} SET position = ? WHERE name = ?",
            (new_pos, t.tracking_name),
        )
        return True

    def _fold_setting_aside(
        self, t: Target, decoded: Batch, pos: int, plains: dict[int, PlainEvent]
    ) -> dict[int, SetAside]:
        """Fold the batch into ``t``'s rows, setting aside every event whose fold raises.

        A fold that raised may have changed cached rows half-way: the cache is dropped
        and the batch folded again without that event (rare, so simple beats fast).
        """
        aside: dict[int, SetAside] = {}
        while True:
            try:
                self._fold(t, decoded, pos, plains, aside)
                return aside
            except _FoldFailed as failed:
                aside[failed.aside.position] = failed.aside
                t.rows.discard_uncommitted()

    def _apply_singly(
        self, t: Target, decoded: Batch, pos: int, last: int, plains: dict[int, PlainEvent]
    ) -> bool:
        """Apply the batch to ``t`` one event per transaction; an event whose rows cannot
        be written is set aside. False if another worker took ``t`` meanwhile."""
        t.rows.discard_uncommitted()
        for i, event in decoded:
            if i <= pos:
                continue
            one = [(i, event)]
            try:
                aside = self._fold_setting_aside(t, one, pos, plains)
                changes = t.rows.take_changes()
                if not any(u or d for u, d in changes.values()) and not aside:
                    continue  # nothing to write: the next write moves the position past it
                with self.db.write_transaction(self.conn):
                    if not self._write(t, pos, i, changes, aside):
                        return False
            except Exception as error:
                if is_transient(error):
                    raise
                t.rows.discard_uncommitted()
                failed = {i: replace(describe_event(i, event), error=describe_error(error))}
                with self.db.write_transaction(self.conn):
                    if not self._write(t, pos, i, {}, failed):
                        return False
            pos = i
        if pos < last:
            with self.db.write_transaction(self.conn):
                if not self._write(t, pos, last, {}, {}):
                    return False
        return True

    @staticmethod
    def _fold(
        t: Target,
        decoded: Batch,
        pos: int,
        plains: dict[int, PlainEvent],
        aside: dict[int, SetAside],
    ) -> None:
        """Apply the batch's events after ``pos`` (except those in ``aside``) to ``t``'s
        cached rows; raises ``_FoldFailed`` for the first event that cannot be applied."""
        fold = t.projection.fold
        rows = t.rows
        cut = t.known_at
        plain = t.projection.wants_plain_events
        handles = t.projection.handles
        clean = isinstance(decoded, DecodedBatch) and not decoded.undecodable
        if pos < decoded[0][0] and not aside and (handles is None or clean):
            # The common case (every rebuild batch, most catch-ups): pick the events the
            # fold cares about in one pass, then call it only for those.
            if handles is None:
                chosen = decoded
            elif isinstance(decoded, DecodedBatch):
                chosen = list(compress(decoded, map(handles.__contains__, decoded.kinds())))
            else:
                chosen = [p for p in decoded if type(p[1]) in handles]
            if cut is not None:
                chosen = [p for p in chosen if type(p[1]) is Undecodable or p[1].timestamp <= cut]
            Follower._fold_chosen(fold, rows, chosen, plain, plains)
            return
        for i, event in decoded:
            if i <= pos or i in aside:
                continue
            kind = type(event)
            if kind is Undecodable:
                if handles is None or _could_handle(event, handles):
                    found = replace(describe_event(i, event), error=event.error)
                    raise _FoldFailed(found)
                continue
            if handles is not None and kind not in handles:
                continue
            if cut is not None and event.timestamp > cut:
                continue
            Follower._fold_chosen(fold, rows, [(i, event)], plain, plains)

    @staticmethod
    def _fold_chosen(
        fold: Callable[[Any, Rows], None],
        rows: Rows,
        chosen: Batch,
        plain: bool,
        plains: dict[int, PlainEvent],
    ) -> None:
        """``fold`` each of ``chosen`` (decoded events it handles) into ``rows``."""
        i, event = 0, None
        try:
            if not plain:
                for i, event in chosen:
                    if type(event) is Undecodable:
                        raise _FoldFailed(replace(describe_event(i, event), error=event.error))
                    fold(event, rows)
                return
            # Plain events are shared by every plugin model in the batch; fields convert
            # when read.
            for i, event in chosen:
                if type(event) is Undecodable:
                    raise _FoldFailed(replace(describe_event(i, event), error=event.error))
                converted = plains.get(i)
                if converted is None:
                    converted = plains[i] = FoldEvent(event, i)
                fold(converted, rows)
        except _FoldFailed:
            raise
        except Exception as error:
            if is_transient(error):
                raise
            found = replace(describe_event(i, event), error=describe_error(error))
            raise _FoldFailed(found) from error

    def _swap(self, build: Target) -> None:
        """Replace the destination tables with the finished build, in one transaction."""
        projection = build.projection
        dest_slot = "live" if build.slot == "build" else "asof"
        dest = self._bind(Target(projection, dest_slot, build.known_at))
        with self.db.write_transaction(self.conn):
            row = self.tracking(build.tracking_name)
            if row is None:  # another worker swapped it already
                return
            for table in projection.tables:
                self.conn.execute(f"DROP TABLE IF EXISTS {dest.physical(table)}")
                self.conn.execute(
                    f"ALTER TABLE {build.physical(table)} RENAME TO {dest.physical(table)}"
                )
                self.db.create_indexes(self.conn, table, dest.physical(table))
            self.db.execute(
                self.conn,
                f"DELETE FROM {TRACKING} WHERE name IN (?, ?)",
                (build.tracking_name, dest.tracking_name),
            )
            self.db.execute(
                self.conn, f"DELETE FROM {QUARANTINE} WHERE name = ?", (dest.tracking_name,)
            )
            self.db.execute(
                self.conn,
                f"UPDATE {QUARANTINE} SET name = ? WHERE name = ?",
                (dest.tracking_name, build.tracking_name),
            )
            self.db.execute(
                self.conn,
                f"INSERT INTO {TRACKING} (name, position, version, known_at) VALUES (?, ?, ?, ?)",
                (dest.tracking_name, row[0], projection.version, ts(build.known_at)),
            )
        # Fresh planner statistics for PostgreSQL (autovacuum would get there later). On
        # SQLite, statistics made the register queries slower in bench/rebuild.py.
        if self.db.dialect == "postgres":
            for table in projection.tables:
                self.conn.execute(f"ANALYZE {dest.physical(table)}")
        if dest_slot == "live":
            # Keep the warm cache: the live tables are exactly what the build wrote.
            dest.rows = build.rows
            dest.committed = row[0]
            self._bind(dest)
            self.targets[projection.name] = dest
