"""The bulk path of ``import-ledger``: decode the export's events and load them in one
transaction.

Two halves, run side by side in two processes (``decoded``):

* ``Decoder`` turns runs of export lines into the rows the store will hold, and checks
  each event on the way: its sequence number is the next one, and the leaf recomputed
  from the payload bytes with the integrity log's own functions (``leaf.header_fields``,
  ``payload_hash``, ``leaf_hash_of`` — what ``IntegrityLog.record`` runs for every
  event written) is the leaf the file states (a redacted event: see ``Decoder``). A
  line that is not an event, an event out of order or a leaf that differs refuses the
  import, naming where. A second process (``DecodingProcess``) does this for most of
  a large file; the importing process decodes the first chunks itself while that one
  starts, then hands it the rest of the file.
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
import contextlib
import fcntl
import marshal
import os
import re
import select
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any
from uuid import UUID

import orjson

from . import merkle
from .integrity.leaf import header_fields, leaf_hash_of, payload_hash
from .integrity.log import NODE_LEVEL, IntegrityLog
from .integrity.redaction import REDACTED_TOPIC, logged_redaction
from .integrity.tables import row_tuple

CHUNK = 1024  # events decoded and written at a time (one round of executemany / COPY)
PIPE_BYTES = 1 << 20  # the pipe from the decoding process holds about two chunks
SQLITE_CACHE_KIB = 256 * 1024
# Chunks the importing process decodes itself before the decoding process takes the
# rest of the file; None: as many as it decodes before that process is ready.
OWN_CHUNKS: int | None = None
# When the importing process asks the decoding process for a chunk to decode itself:
# None, when it has waited for one (it had time to spare), at most one in ASK_EVERY
# (on a busy machine it also waits while the other process is not running); True,
# before each chunk; False, never.
ASK: bool | None = None
ASK_EVERY = 6

Row = tuple[int, str, int, str, str, str, bytes, bytes, bytes]


class TransferError(ValueError):
    """The file cannot be imported, or the copy does not prove equal to the original.

    A person reads why, in Chinese or English (``message``); both are carried, the
    edge chooses (as ``errors.Violation``). ``str()`` is the English, for logs. Both
    messages are the exception's ``args``, so it pickles whole."""

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
    Flat tuples of plain values are what ``marshal`` writes and reads fastest between
    the decoding process and the writer (``as_tuple``)."""

    first_seq: int
    rows: list[Row] = field(default_factory=list)
    redactions: list[int] = field(default_factory=list)  # offsets of redaction events
    closing: dict[str, Any] | None = None
    # For the redaction accounts (``Redactions``), in file order: events whose bytes do
    # not give their leaf, with the hash of the bytes given; and the (target, payload
    # hash) each redaction event states.
    blanked: list[tuple[int, bytes]] = field(default_factory=list)
    redacted: list[tuple[int, bytes]] = field(default_factory=list)

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            self.first_seq,
            self.rows,
            self.redactions,
            self.closing,
            self.blanked,
            self.redacted,
        )


class Decoder:
    """Decodes one file's events in order, checking each as it goes.

    A redacted event is stored blanked while its leaf commits to the payload it had
    (``IntegrityLog.prepare_redaction``): its leaf reproduces only from the payload
    hash the file states. Such an event is taken on the condition that a later
    redaction event of the file names it with exactly the hash of the blanked bytes
    given (as ``IntegrityLog.verify`` accepts it); each chunk lists both for
    ``Redactions``, which refuses the file if one is left unexplained.
    """

    def __init__(self, seq: int = 0) -> None:
        self.seq = seq

    def chunk(self, lines: list[bytes], first_line: int) -> Chunk:
        """The rows of ``lines`` (export lines numbered from ``first_line``), each event
        checked against its stated sequence number and leaf hash; a closing line ends
        the chunk."""
        chunk = Chunk(self.seq)
        rows = chunk.rows
        seq = self.seq
        # Names bound here: each event looks them up several times.
        loads, a2b, fromhex, canonical = (
            orjson.loads,
            binascii.a2b_base64,
            bytes.fromhex,
            _CANONICAL_UUID.fullmatch,
        )
        header, p_hash_of, leaf_of = header_fields, payload_hash, leaf_hash_of
        for offset, raw in enumerate(lines):
            try:
                item = loads(raw)
            except orjson.JSONDecodeError:
                number = first_line + offset
                raise LoadRefused(
                    f"第 {number} 行不是 JSON", f"line {number} is not JSON"
                ) from None
            if not isinstance(item, dict):
                number = first_line + offset
                raise LoadRefused(f"第 {number} 行不是事件", f"line {number} is not an event")
            if item.get("end"):
                chunk.closing = item
                break
            name = "seq"  # the field being read, named if it is wrong
            try:
                if item["seq"] != seq:
                    number = first_line + offset
                    raise LoadRefused(
                        f"第 {number} 行：序号（seq）为 {item['seq']}，此处应为 {seq}",
                        f"line {number}: sequence {item['seq']} out of order at event {seq}",
                    )
                name = "originator_id"
                text = item["originator_id"]  # as the exporter writes it, else as UUID reads it
                if text.__class__ is str and canonical(text):
                    hex_id = text.replace("-", "")
                else:
                    text, hex_id = _aggregate_id(text)
                name = "originator_version"
                version = int(item["originator_version"])
                name = "topic"
                topic = item["topic"]
                if not isinstance(topic, str):
                    raise TypeError("topic")
                name = "state"
                state = a2b(item["state"])
                recorded_at, actor_id = header(state)
                name = "leaf_hash"
                stated_leaf = fromhex(item["leaf_hash"])
            except LoadRefused:
                raise
            except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):
                number = first_line + offset
                raise LoadRefused(
                    f"第 {number} 行不是格式正确的事件：字段 {name} 缺失或有误",
                    f"line {number} is not a well-formed event: field {name} is missing or wrong",
                ) from None
            p_hash = p_hash_of(state)
            leaf = leaf_of(seq, text, version, topic, recorded_at, actor_id, p_hash)
            if leaf != stated_leaf:
                chunk.blanked.append((seq, p_hash))
                p_hash = _stated_payload_hash(item, seq)
                leaf = leaf_of(seq, text, version, topic, recorded_at, actor_id, p_hash)
                if leaf != stated_leaf:
                    raise _altered(seq)
            rows.append((seq, hex_id, version, topic, recorded_at, actor_id, p_hash, leaf, state))
            if topic == REDACTED_TOPIC:
                chunk.redacted.append(_redaction(seq, state))
                chunk.redactions.append(offset)
            seq += 1
        self.seq = seq
        return chunk


class Redactions:
    """The accounts of a file's redacted events, kept over its chunks in file order: an
    event whose bytes do not give its leaf must be named, with the hash of the bytes
    given, by the latest redaction of it in the file (``settle`` refuses otherwise)."""

    def __init__(self) -> None:
        self.blanked: dict[int, bytes] = {}  # seq → hash of the (blanked) bytes given
        self.redacted_to: dict[int, bytes] = {}  # seq → hash its latest redaction states

    def add(self, chunk: Chunk) -> None:
        self.blanked.update(chunk.blanked)
        self.redacted_to.update(chunk.redacted)

    def settle(self) -> None:
        for seq, got in sorted(self.blanked.items()):
            if self.redacted_to.get(seq) != got:
                raise _altered(seq)


def _stated_payload_hash(item: dict[str, Any], seq: int) -> bytes:
    """The payload hash the file states for an event whose bytes do not give its leaf."""
    try:
        return bytes.fromhex(item["payload_hash"])
    except (KeyError, TypeError, ValueError):
        raise _altered(seq) from None


def _redaction(seq: int, state: bytes) -> tuple[int, bytes]:
    """(target seq, payload hash) of the redaction event at ``seq``."""
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
    return logged.target_seq, logged.payload_hash


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


def decoded(path: Path, f: IO[bytes], first_line: int, *, apart: bool = False) -> Iterator[Chunk]:
    """The events of the export ``f`` (open on ``path``) from its line ``first_line``,
    ``CHUNK`` lines at a time, decoded and checked in file order up to and with the
    closing line; the redaction accounts are settled before the closing chunk.

    ``apart``: most of the decoding runs in a second process (``DecodingProcess``),
    started here. It takes a fraction of a second to start; this process decodes the
    first chunks itself meanwhile, then hands it the rest of the file (taking back a
    chunk now and then when its writes have time to spare: ``DecodingProcess``).
    """
    accounts = Redactions()
    process = DecodingProcess(path, CHUNK) if apart else None
    try:
        for chunk in _chunks(f, first_line, process):
            accounts.add(chunk)
            if chunk.closing is not None:
                accounts.settle()
                yield chunk
                return
            yield chunk
        accounts.settle()
    finally:
        if process is not None:
            process.close()


def _chunks(f: IO[bytes], number: int, process: DecodingProcess | None) -> Iterator[Chunk]:
    """Decode here until ``process`` (if any) takes over, then what it sends."""
    decoder = Decoder()
    own = 0
    while True:
        if process is not None and process.takes_over(own):
            yield from process.decoded(f, f.tell(), number, decoder.seq)
            return
        chunk = _next_chunk(f, number, decoder)
        if chunk is None:
            return
        yield chunk
        if chunk.closing is not None:
            return
        number += CHUNK
        own += 1


def _next_chunk(f: IO[bytes], number: int, decoder: Decoder) -> Chunk | None:
    """The next ``CHUNK`` lines of ``f`` decoded (None at the end of the file)."""
    lines = list(islice(f, CHUNK))
    return decoder.chunk(lines, number) if lines else None


_FRAME = struct.Struct("<Q")  # the length of each message between the two processes
_READY, _START, _CHUNK, _END, _REFUSED, _WANT, _YOURS = range(7)


def _send(out: IO[bytes], message: tuple[Any, ...]) -> None:
    data = marshal.dumps(message, 2)  # version 2: no references, the quickest to write
    out.write(_FRAME.pack(len(data)))
    out.write(data)
    out.flush()


def _receive(stream: Any) -> tuple[Any, ...] | None:
    """The next message from an unbuffered pipe (so that ``poll`` on it tells whether
    one is waiting), or None if the stream ended (whole messages only)."""
    head = _exactly(stream, _FRAME.size)
    data = None if head is None else _exactly(stream, _FRAME.unpack(head)[0])
    got = None if data is None else marshal.loads(data)
    return got if isinstance(got, tuple) else None


def _exactly(stream: Any, size: int) -> bytearray | None:
    data = bytearray(size)
    view, got = memoryview(data), 0
    while got < size:
        n = stream.readinto(view[got:])
        if not n:
            return None
        got += n
    return data


def _waiting(stream: Any) -> bool:
    """Whether a message (or the end) is waiting on the pipe (poll: no limit on the
    descriptor's number, unlike select)."""
    poller = select.poll()
    poller.register(stream, select.POLLIN)
    return bool(poller.poll(0))


class DecodingProcess:
    """A second process decoding the file beside the writes, over two pipes.

    Decoding is Python work and holds the interpreter; the writes are the database's.
    In two processes they run side by side, a pipe's worth apart. The process is a
    fresh interpreter running this module (nothing of the caller's is re-run or
    inherited), a child of this object's own, ended by ``close``. It says when it is
    ready, is told where to start (byte offset, line number, sequence number), and
    sends the decoded chunks back with ``marshal`` (plain values only: the quickest to
    write and read; both ends are the same interpreter).

    The two processes balance the work: when the importing process has waited for a
    chunk (its writes are quicker than the decoding), it asks for one, and the
    decoding process hands it the next chunk's place in the file instead of decoding
    it (``_YOURS``), to be decoded here while it goes on with the chunk after.
    """

    def __init__(self, path: Path, chunk_size: int) -> None:
        env = dict(os.environ)
        root = str(Path(__file__).resolve().parent.parent)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__, str(path), str(chunk_size)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            bufsize=0,  # see _receive
        )
        # Room for the decoding process to run ahead of the writes (and on while this
        # process decodes a chunk it asked for) instead of waiting on a 64 KiB pipe.
        with contextlib.suppress(AttributeError, OSError):
            assert self.process.stdout is not None
            fcntl.fcntl(self.process.stdout.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)

    def takes_over(self, own: int) -> bool:
        """Whether to hand the rest of the file over after ``own`` chunks decoded here:
        ``OWN_CHUNKS`` if set, else as soon as the process is ready (or has ended)."""
        if OWN_CHUNKS is not None:
            return own >= OWN_CHUNKS
        return _waiting(self.process.stdout)

    def decoded(self, f: IO[bytes], offset: int, first_line: int, seq: int) -> Iterator[Chunk]:
        """The chunks from byte ``offset`` of the file ``f`` (line ``first_line``, event
        ``seq``) to its end, decoded in the process (and those it hands back, here)."""
        stdout = self.process.stdout
        assert stdout is not None
        if self._next(stdout)[0] != _READY:
            raise RuntimeError("the decoding process did not start as expected")
        self._tell((_START, offset, first_line, seq))
        asked, since = False, 0  # chunks received since the last handed back
        while True:
            if not asked and (
                ASK or (ASK is None and since >= ASK_EVERY - 1 and not _waiting(stdout))
            ):
                asked = self._tell((_WANT,))
            got = self._next(stdout)
            if got[0] == _END:
                return
            if got[0] == _REFUSED:
                raise LoadRefused(got[1], got[2])
            if got[0] == _YOURS:
                asked, since = False, 0
                f.seek(got[1])
                chunk = _next_chunk(f, got[2], Decoder(got[3]))
                if chunk is None:
                    continue
            else:
                chunk = Chunk(*got[1])
                since += 1
            yield chunk
            if chunk.closing is not None:
                return

    def _tell(self, message: tuple[Any, ...]) -> bool:
        """Send a message to the process; False if it has ended (what it sent says why)."""
        assert self.process.stdin is not None
        try:
            _send(self.process.stdin, message)
        except BrokenPipeError:
            return False
        return True

    @staticmethod
    def _next(stdout: IO[bytes]) -> tuple[Any, ...]:
        got = _receive(stdout)
        if got is None:
            raise LoadRefused("解码文件的进程提前结束", "the process decoding the file ended early")
        return got

    def close(self) -> None:
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None and not stream.closed:
                with contextlib.suppress(BrokenPipeError):
                    stream.close()
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait()


def _decode_apart(path: str, chunk_size: int) -> None:
    """The decoding process: ready, told where to start, chunks to stdout (or the place
    of a chunk, when asked for one), then the end (or the refusal)."""
    global CHUNK
    CHUNK = chunk_size  # the importing process's setting, here too
    out = sys.stdout.buffer
    try:
        with open(sys.stdin.fileno(), "rb", buffering=0, closefd=False) as given:
            _serve(path, out, given)  # unbuffered: see _receive
    except LoadRefused as e:
        _send(out, (_REFUSED, e.message_zh, e.message_en))
    except (BrokenPipeError, KeyboardInterrupt):
        return  # the importer stopped reading
    except Exception as e:  # the kind of failure travels; the traceback stays here
        kind = type(e).__name__
        _send(out, (_REFUSED, f"解码文件失败（{kind}）", f"decoding the file failed ({kind})"))


def _serve(path: str, out: IO[bytes], given: Any) -> None:
    _send(out, (_READY,))
    start = _receive(given)
    if start is None or start[0] != _START:
        return  # the importer decoded the whole file itself
    _, offset, number, seq = start
    decoder = Decoder(seq)
    with open(path, "rb") as f:
        f.seek(offset)
        while True:
            if _waiting(given) and _receive(given) == (_WANT,):
                # The importer decodes this chunk (the lines, read past here, are
                # events if the file is whole; it checks them, refusing otherwise).
                at = f.tell()
                lines = sum(1 for _ in islice(f, CHUNK))
                if lines:
                    _send(out, (_YOURS, at, number, decoder.seq))
                    decoder.seq += lines
                    number += lines
                continue
            chunk = _next_chunk(f, number, decoder)
            if chunk is None:
                break
            _send(out, (_CHUNK, chunk.as_tuple()))
            if chunk.closing is not None:
                break
            number += CHUNK
    _send(out, (_END,))


class Load:
    """Writes decoded chunks into an empty ledger on one transaction's cursor."""

    def __init__(self, log: IntegrityLog, cursor: Any, watch: tuple[int, ...] = ()) -> None:
        """``watch``: tree sizes whose root to keep in ``roots`` (a checkpoint's)."""
        self.log = log
        self.cursor = cursor
        t = self.tables = log.tables
        self.postgres = t.postgres
        # The tree the write path keeps (``merkle.Frontier``), grown by each chunk.
        self.frontier = merkle.Frontier()
        self.watch = set(watch)
        self.roots: dict[int, bytes] = {0: self.frontier.root()} if 0 in self.watch else {}
        self.tree: tuple[int, bytes, bytes] = (0, b"", merkle.root([]))
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
            if statement.startswith(("CREATE UNIQUE INDEX", "CREATE INDEX"))
            and f" ON {t.log} " in statement
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
        nodes = self._grow(chunk.rows)
        if nodes:
            self.cursor.executemany(self._insert_nodes, nodes)
        for offset in chunk.redactions:
            # The write path's own step, on this transaction (see IntegrityLog.record).
            self.log._apply_redaction(self.cursor, chunk.first_seq + offset, chunk.rows[offset][8])

    def finish(self) -> None:
        """Store the tree state and build the log's indexes again (before the commit)."""
        frontier = self.frontier
        self.tree = (frontier.size, frontier.to_bytes(), frontier.root())
        self.cursor.execute(self._update_tree, self.tree)
        for _, statement in self._log_indexes:
            self.cursor.execute(statement)

    def _grow(self, rows: list[Row]) -> list[tuple[int, int, bytes]]:
        """Add the rows' leaves to the tree; the stored subtree nodes they complete."""
        frontier, append = self.frontier, self.frontier.append
        completed: list[tuple[int, int, bytes]] = []
        first = frontier.size
        if any(first < size <= first + len(rows) for size in self.watch):
            for row in rows:
                append(row[7], completed)
                if frontier.size in self.watch:
                    self.roots[frontier.size] = frontier.root()
        else:
            for row in rows:
                append(row[7], completed)
        return [node for node in completed if node[0] >= NODE_LEVEL]

    # ---- the two tables ---------------------------------------------------------------

    def _max_event_id(self) -> int:
        t = self.tables
        self.cursor.execute(f"SELECT MAX({t.event_id}) FROM {t.events}")
        found = row_tuple(self.cursor.fetchone())[0]
        return 0 if found is None else int(found)

    def _write(self, rows: list[Row]) -> None:
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
            # Four-value tuples: binding the row's other five values too cost more.
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
    # Run as the importer's decoding process: through the module's own name, so that
    # its LoadRefused and Chunk are this module's and not ``__main__``'s.
    from ledger.transfer_load import _decode_apart as run

    run(sys.argv[1], int(sys.argv[2]))
