"""The bulk path of ``import-ledger``: decode the export's events and load them in one
transaction.

Two halves, run side by side in two processes (``decoded_in_worker``):

* ``Decoder`` turns runs of export lines into the rows the store will hold, and checks
  each event on the way: its sequence number is the next one, and the leaf recomputed
  from the payload bytes with the integrity log's own functions (``leaf.header_fields``,
  ``payload_hash``, ``leaf_hash_of`` — what ``IntegrityLog.record`` runs for every
  event written) is the leaf the file states (a redacted event: see ``Decoder``). A
  line that is not an event, an event out of order or a leaf that differs refuses the
  import, naming where. It also keeps the Merkle frontier, so each chunk carries the
  tree state and subtree nodes to store.
* ``Load`` writes the decoded rows on one cursor of one transaction: the events
  (``executemany`` on SQLite, binary ``COPY`` on PostgreSQL), their integrity-log rows,
  the subtree nodes and the tree state the same ``merkle.Frontier`` produces on the write
  path, and any redaction the way the write path applies it. The log rows are those
  ``IntegrityLog.record`` would write for the same events, row for row (a test holds the
  tables equal); writing them here instead of event by event through the recorder is
  what makes the load a bulk load.

The whole import is one transaction, so an import refused at its last check, or
interrupted by a crash, leaves the store as empty as it found it.
"""

from __future__ import annotations

import binascii
import os
import pickle
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson

from . import merkle
from .integrity.leaf import header_fields, leaf_hash_of, payload_hash
from .integrity.log import NODE_LEVEL, IntegrityLog
from .integrity.redaction import REDACTED_TOPIC, logged_redaction
from .integrity.tables import row_tuple

CHUNK = 4096  # events decoded and written at a time (one round of executemany / COPY)
SQLITE_CACHE_KIB = 256 * 1024


class TransferError(ValueError):
    """The file cannot be imported, or the copy does not prove equal to the original.

    A person reads why, in Chinese or English (``message``); both are carried, the
    edge chooses (as ``errors.Violation``). ``str()`` is the English, for logs. Both
    messages are the exception's ``args``, so one pickled by the decoding process
    arrives whole in the importer."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_zh, message_en)
        self.message_zh = message_zh
        self.message_en = message_en

    def __str__(self) -> str:
        return self.message_en

    def message(self, lang: str = "zh") -> str:
        return self.message_en if lang.startswith("en") else self.message_zh


class LoadRefused(TransferError):
    """The file cannot be loaded as it stands: why and where (``ledger.transfer``
    passes it on as the import's refusal)."""


@dataclass(slots=True)
class Chunk:
    """Decoded events ``first_seq`` … ``first_seq + len(rows) - 1``, ready to write.

    One flat tuple per event, ``(seq, originator_id hex, version, topic, recorded_at,
    actor_id, payload_hash, leaf_hash, state)``: the log row and the event's bytes.
    Flat tuples of plain values are what pickles and unpickles fastest between the
    decoding process and the writer."""

    first_seq: int
    rows: list[tuple[int, str, int, str, str, str, bytes, bytes, bytes]] = field(
        default_factory=list
    )
    redactions: list[int] = field(default_factory=list)  # offsets of redaction events
    closing: dict[str, Any] | None = None
    # The tree after these events, as the write path keeps it (``merkle.Frontier``):
    nodes: list[tuple[int, int, bytes]] = field(default_factory=list)  # stored subtrees
    tree: tuple[int, bytes, bytes] = (0, b"", b"")  # size, frontier, root
    roots: dict[int, bytes] = field(default_factory=dict)  # root at each watched size


class Decoder:
    """Decodes one file's events in order, checking each as it goes.

    A redacted event is stored blanked while its leaf commits to the payload it had
    (``IntegrityLog.prepare_redaction``): its leaf reproduces only from the payload
    hash the file states. Such an event is taken on the condition that a later
    redaction event of the file names it with exactly the hash of the blanked bytes
    given (as ``IntegrityLog.verify`` accepts it); ``finish`` refuses the file if one
    is left unexplained.
    """

    def __init__(self, watch: tuple[int, ...] = ()) -> None:
        self.seq = 0
        self.frontier = merkle.Frontier()
        self.watch = set(watch)
        self.blanked: dict[int, bytes] = {}  # seq → hash of the (blanked) bytes given
        self.redacted_to: dict[int, bytes] = {}  # seq → hash its latest redaction states

    def chunk(self, lines: list[bytes], first_line: int) -> Chunk:
        """The rows of ``lines`` (export lines numbered from ``first_line``), each event
        checked against its stated sequence number and leaf hash, and the tree after
        them; a closing line ends the chunk."""
        chunk = Chunk(self.seq)
        rows = chunk.rows
        seq = self.seq
        for offset, raw in enumerate(lines):
            number = first_line + offset
            try:
                item = orjson.loads(raw)
            except orjson.JSONDecodeError:
                raise LoadRefused(
                    f"第 {number} 行不是 JSON", f"line {number} is not JSON"
                ) from None
            if not isinstance(item, dict):
                raise LoadRefused(f"第 {number} 行不是事件", f"line {number} is not an event")
            if item.get("end"):
                chunk.closing = item
                break
            name = "seq"  # the field being read, named if it is wrong
            try:
                if item["seq"] != seq:
                    raise LoadRefused(
                        f"第 {number} 行：序号（seq）为 {item['seq']}，此处应为 {seq}",
                        f"line {number}: sequence {item['seq']} out of order at event {seq}",
                    )
                name = "originator_id"
                text, hex_id = _aggregate_id(item["originator_id"])
                name = "originator_version"
                version = int(item["originator_version"])
                name = "topic"
                topic = item["topic"]
                if not isinstance(topic, str):
                    raise TypeError("topic")
                name = "state"
                state = binascii.a2b_base64(item["state"])
                recorded_at, actor_id = header_fields(state)
                name = "leaf_hash"
                stated_leaf = bytes.fromhex(item["leaf_hash"])
            except LoadRefused:
                raise
            except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):
                raise LoadRefused(
                    f"第 {number} 行不是格式正确的事件：字段 {name} 缺失或有误",
                    f"line {number} is not a well-formed event: field {name} is missing or wrong",
                ) from None
            p_hash = payload_hash(state)
            leaf = leaf_hash_of(seq, text, version, topic, recorded_at, actor_id, p_hash)
            if leaf != stated_leaf:
                p_hash = self._redacted_hash(item, seq, p_hash)
                leaf = leaf_hash_of(seq, text, version, topic, recorded_at, actor_id, p_hash)
                if leaf != stated_leaf:
                    raise _altered(seq)
            rows.append((seq, hex_id, version, topic, recorded_at, actor_id, p_hash, leaf, state))
            if topic == REDACTED_TOPIC:
                self._redaction(seq, state)
                chunk.redactions.append(offset)
            seq += 1
        self.seq = seq
        self._tree(chunk)
        return chunk

    def finish(self) -> None:
        """Refuse the file if an event's bytes differ from its leaf's payload and no
        redaction in the file accounts for it."""
        for seq, got in sorted(self.blanked.items()):
            if self.redacted_to.get(seq) != got:
                raise _altered(seq)

    def _redacted_hash(self, item: dict[str, Any], seq: int, got: bytes) -> bytes:
        """The payload hash the file states for an event whose bytes do not give its
        leaf; remembered to be accounted for by a redaction."""
        try:
            stated = bytes.fromhex(item["payload_hash"])
        except (KeyError, TypeError, ValueError):
            raise _altered(seq) from None
        self.blanked[seq] = got
        return stated

    def _redaction(self, seq: int, state: bytes) -> None:
        logged = logged_redaction(seq, state)
        if logged is None:
            raise LoadRefused(
                f"序号 {seq} 的遮蔽事件无法读取",
                f"the redaction event at sequence {seq} cannot be read",
            )
        if logged.target_seq >= seq:
            raise LoadRefused(
                f"序号 {seq} 的遮蔽事件指向其后的事件",
                f"the redaction event at sequence {seq} names a later event",
            )
        self.redacted_to[logged.target_seq] = logged.payload_hash

    def _tree(self, chunk: Chunk) -> None:
        frontier, wanted = self.frontier, self.watch
        completed: list[tuple[int, int, bytes]] = []
        if 0 in wanted and frontier.size == 0:
            chunk.roots[0] = frontier.root()
        for leaf in (row[7] for row in chunk.rows):
            frontier.append(leaf, completed)
            if frontier.size in wanted:
                chunk.roots[frontier.size] = frontier.root()
        chunk.nodes = [node for node in completed if node[0] >= NODE_LEVEL]
        chunk.tree = (frontier.size, frontier.to_bytes(), frontier.root())


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _aggregate_id(given: Any) -> tuple[str, str]:
    """(canonical text, hex) of an aggregate id: what ``UUID`` gives, without building
    one for the canonical form the exporter writes (that was a seventh of decoding)."""
    if not isinstance(given, str):
        raise TypeError("an aggregate id is a string")
    if _CANONICAL_UUID.fullmatch(given):
        return given, given.replace("-", "")
    aggregate = UUID(given)
    return str(aggregate), aggregate.hex


def _altered(seq: int) -> LoadRefused:
    return LoadRefused(
        f"序号 {seq} 的事件无法重现其叶哈希（leaf_hash）：文件已被改动",
        f"event at sequence {seq} does not reproduce its leaf hash: the file was altered",
    )


def decoded(
    lines: Iterator[bytes],
    first_line: int,
    watch: tuple[int, ...] = (),
    chunk_size: int | None = None,
) -> Iterator[Chunk]:
    """``Decoder`` over the rest of a file, ``chunk_size`` (default ``CHUNK``) lines at a
    time, up to and with the closing line (``watch``: tree sizes whose root to keep, a
    checkpoint's)."""
    size = chunk_size or CHUNK
    decoder = Decoder(watch)
    number = first_line
    while True:
        batch: list[bytes] = []
        for raw in lines:
            batch.append(raw)
            if len(batch) >= size:
                break
        if not batch:
            decoder.finish()
            return
        chunk = decoder.chunk(batch, number)
        if chunk.closing is not None:
            decoder.finish()
        yield chunk
        if chunk.closing is not None:
            return
        number += len(batch)


def decoded_in_worker(path: Path, offset: int, watch: tuple[int, ...] = ()) -> Iterator[Chunk]:
    """``decoded`` over ``path`` from byte ``offset`` (line 2), run in a process of its own.

    Decoding is Python work and holds the interpreter; the writes are the database's.
    In two processes they run side by side, a pipe's worth apart. The worker is a fresh
    interpreter running this module (nothing of the caller's is re-run or inherited),
    a child of this function's own: ended here if the consumer stops early.
    """
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            __name__,
            str(path),
            str(offset),
            str(CHUNK),  # this process's setting, in the worker too
            *map(str, watch),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert worker.stdout is not None
    try:
        while True:
            try:
                got = pickle.load(worker.stdout)
            except EOFError:
                raise LoadRefused(
                    "解码文件的进程提前结束", "the process decoding the file ended early"
                ) from None
            if got is None:
                return
            if isinstance(got, BaseException):
                raise got
            yield got
    finally:
        worker.stdout.close()
        if worker.poll() is None:
            worker.terminate()
        worker.wait()


def _decode_file(path: str, offset: int, chunk_size: int, watch: tuple[int, ...]) -> None:
    """The worker: decoded chunks pickled to stdout, then None (or the refusal)."""
    out = sys.stdout.buffer
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            for chunk in decoded(iter(f), 2, watch, chunk_size):
                pickle.dump(chunk, out, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(None, out)
    except LoadRefused as e:
        pickle.dump(e, out)
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the importer stopped reading
    except Exception as e:  # the kind of failure travels; the traceback stays here
        kind = type(e).__name__
        pickle.dump(
            LoadRefused(f"解码文件失败（{kind}）", f"decoding the file failed ({kind})"), out
        )
    out.flush()


class Load:
    """Writes decoded chunks into an empty ledger on one transaction's cursor."""

    def __init__(self, log: IntegrityLog, cursor: Any) -> None:
        self.log = log
        self.cursor = cursor
        t = self.tables = log.tables
        self.postgres = t.postgres
        self.tree: tuple[int, bytes, bytes] = (0, b"", merkle.root([]))
        self.roots: dict[int, bytes] = {}
        self._insert_events = t.sql(
            f"INSERT INTO {t.events} (originator_id, originator_version, topic, state) "
            "VALUES (?,?,?,?)"
        )
        # SQLite: the notification id is the seq plus a constant (?1 is the seq).
        self._insert_log_sqlite = (
            f"INSERT INTO {t.log} (seq, notification_id, originator_id, originator_version, "
            "topic, recorded_at, actor_id, payload_hash, leaf_hash) "
            "VALUES (?1, ?1 + {shift}, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
        )
        self._insert_nodes = t.sql(
            f"INSERT INTO {t.nodes} (level, idx, hash) VALUES (?,?,?) "
            "ON CONFLICT (level, idx) DO NOTHING"
        )
        self._update_tree = t.sql(
            f"UPDATE {t.tree} SET tree_size = ?, frontier = ?, root = ? WHERE id = 1"
        )
        # The log's secondary indexes: dropped for the load and built once at its end,
        # in the same transaction (a crash rolls the drop back with everything else).
        self._log_indexes = [
            (statement.split(" IF NOT EXISTS ")[1].split(" ")[0], statement)
            for statement in t.ddl()
            if statement.startswith("CREATE UNIQUE INDEX") and f" ON {t.log} " in statement
        ]

    def begin(self, origin: str) -> bool:
        """Lock the store for the load; False if it is not empty."""
        t, cur = self.tables, self.cursor
        if self.postgres:
            cur.execute(f"LOCK TABLE {t.events} IN EXCLUSIVE MODE")
        else:
            # The events' primary key is written in random key order: a page cache
            # that holds it saves rereading and rewriting each page many times.
            cur.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cur.execute(t.sql(f"SELECT tree_size FROM {t.tree} WHERE id = 1"))
        size = int(row_tuple(cur.fetchone())[0])
        cur.execute(f"SELECT 1 FROM {t.events} LIMIT 1")
        if size != 0 or cur.fetchone() is not None:
            return False
        cur.execute(t.sql(f"UPDATE {t.tree} SET origin = ? WHERE id = 1"), (origin,))
        self._last_id = self._max_event_id()
        schema = f'"{t.store.schema}".' if self.postgres else ""
        for name, _ in self._log_indexes:
            cur.execute(f"DROP INDEX {schema}{name}")
        return True

    def append(self, chunk: Chunk) -> None:
        if not chunk.rows:
            return
        self._write(chunk.rows)
        if chunk.nodes:
            self.cursor.executemany(self._insert_nodes, chunk.nodes)
        self.cursor.execute(self._update_tree, chunk.tree)
        self.tree = chunk.tree
        self.roots.update(chunk.roots)
        for offset in chunk.redactions:
            # The write path's own step, on this transaction (see IntegrityLog.record).
            self.log._apply_redaction(self.cursor, chunk.first_seq + offset, chunk.rows[offset][8])

    def finish(self) -> None:
        """Build the log's indexes again (before the commit)."""
        for _, statement in self._log_indexes:
            self.cursor.execute(statement)

    # ---- the two tables ---------------------------------------------------------------

    def _max_event_id(self) -> int:
        t = self.tables
        self.cursor.execute(f"SELECT MAX({t.event_id}) FROM {t.events}")
        found = row_tuple(self.cursor.fetchone())[0]
        return 0 if found is None else int(found)

    def _write(self, rows: list[tuple[int, str, int, str, str, str, bytes, bytes, bytes]]) -> None:
        """Insert the events, then their log rows (with the events' notification ids)."""
        t, cur, last = self.tables, self.cursor, self._last_id
        if self.postgres:
            oids = [UUID(hex=row[1]) for row in rows]
            with cur.copy(
                f"COPY {t.events} (originator_id, originator_version, topic, state) "
                "FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(["uuid", "int8", "text", "bytea"])
                for oid, row in zip(oids, rows, strict=True):
                    copy.write_row((oid, row[2], row[3], row[8]))
            # One COPY in a session holding the table's EXCLUSIVE lock takes its ids
            # from the sequence in row order.
            cur.execute(
                f"SELECT notification_id FROM {t.events} WHERE notification_id > %s "
                "ORDER BY notification_id",
                (last,),
            )
            ids = [int(r[0]) for r in cur.fetchall()]
            if len(ids) != len(rows):
                raise RuntimeError("the store returned no notification id for some events")
            with cur.copy(
                f"COPY {t.log} (seq, notification_id, originator_id, originator_version, "
                "topic, recorded_at, actor_id, payload_hash, leaf_hash) "
                "FROM STDIN (FORMAT BINARY)"
            ) as copy:
                copy.set_types(
                    ["int8", "int8", "uuid", "int8", "text", "text", "text", "bytea", "bytea"]
                )
                for nid, oid, row in zip(ids, oids, rows, strict=True):
                    copy.write_row((row[0], nid, oid, *row[2:8]))
        else:
            cur.executemany(self._insert_events, [(r[1], r[2], r[3], r[8]) for r in rows])
            # A rowid table written by one transaction holding the write lock: each new
            # row takes the largest rowid plus one.
            ids = list(range(last + 1, last + 1 + len(rows)))
            if self._max_event_id() != ids[-1]:
                raise RuntimeError("the events' rowids are not the expected ones")
            shift = ids[0] - rows[0][0]
            cur.executemany(self._insert_log_sqlite.format(shift=int(shift)), [r[:8] for r in rows])
        self._last_id = ids[-1]


if __name__ == "__main__":
    # Run as the importer's worker: through the module's own name, so that what is
    # pickled names ``ledger.transfer_load`` and not ``__main__``.
    from ledger.transfer_load import _decode_file as run

    path, offset, size, *watch = sys.argv[1:]
    run(path, int(offset), int(size), tuple(map(int, watch)))
