"""The integrity log: every event gets a gapless sequence number and a Merkle leaf.

``IntegrityLog`` attaches itself to a ``HazardLedger`` as an insert listener, so each
event's leaf is written in the same database transaction as the event itself: either
both are stored or neither is. The write lock the recorder already holds (SQLite
``BEGIN IMMEDIATE``; PostgreSQL ``LOCK TABLE … EXCLUSIVE`` on the events table, plus a
row lock on the tree state) serialises writers, so several processes writing at once
still produce one gapless sequence whose order matches the notification order.

The header's recorded time and actor are read from the stored payload bytes (the
mapper's orjson), rather than passed through save keyword arguments: every code path
that saves events then gets a correct leaf without cooperating, and verification reads
the very same bytes to recompute the leaf.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from ledger import merkle

from .as_of import LogAt, issued_by, size_at
from .cosignature import WitnessPolicy
from .leaf import LeafHeader, header_fields, leaf_hash_of, payload_hash
from .proofs import PrefixRoots, ProofBuilder
from .publish import publish, published_directory, submit
from .recompute import PageReader, uuid_text
from .redaction import (
    REDACTED_TOPIC,
    LoggedRedaction,
    RedactionRecord,
    RedactionRefused,
    blank,
    checked_fields,
    logged_redaction,
    merge,
    new_record,
)
from .reports import ConsistencyProof, Failure, InclusionProof, VerifyReport
from .signing import (
    Checkpoint,
    CheckpointError,
    NoteSignature,
    SignedNote,
    SigningKey,
    VerifierKey,
    key_dir,
    load_signing_key,
    load_verifier_key,
    sign_checkpoint,
)
from .tables import Tables, row_tuple

if TYPE_CHECKING:
    from eventsourcing.persistence import StoredEvent

    from ledger.events import Context
    from ledger.store import Store

LOG = logging.getLogger(__name__)
CHECKPOINT_EVERY_ENV_VAR = "LEDGER_CHECKPOINT_EVERY"
CHECKPOINT_DIR_ENV_VAR = "LEDGER_CHECKPOINT_DIR"
ORIGIN_ENV_VAR = "LEDGER_ORIGIN"
DEFAULT_CHECKPOINT_EVERY = 1000
VERIFY_PAGE = 1 << 16  # whole blocks of 2**NODE_LEVEL leaves, hashed where they are read
PARALLEL_PAGES = 4  # logs this long are verified in several processes
NODE_LEVEL = 8  # subtrees of 2**8 leaves and larger are stored (see tables.py)
MAX_FAILURES = 100

Progress = Callable[[int, int], None]


def wall_clock() -> datetime:
    return datetime.now(tz=UTC)


class NoSigningKey(RuntimeError):
    """A checkpoint was asked for but no signing key is configured."""


class IntegrityLog:
    """The Merkle log of one ledger: append in-transaction, prove, checkpoint, verify."""

    def __init__(
        self,
        store: Store,
        *,
        events_table: str = "stored_events",
        key_directory: str | Path | None = None,
        checkpoint_every: int | None = None,
        checkpoint_directory: str | Path | None = None,
        clock: Callable[[], datetime] = wall_clock,
    ) -> None:
        """``clock`` stamps the checkpoints issued: the ledger's recording clock, so that
        "issued by T" means what "recorded by T" means for events."""
        self.store = store
        self.clock = clock
        self._published = checkpoint_directory or os.environ.get(CHECKPOINT_DIR_ENV_VAR)
        self._witness_policy: WitnessPolicy | None = None
        self.tables = Tables(store, events_table)
        self.events_table = events_table
        self.key_directory = key_dir(key_directory)
        every = checkpoint_every
        if every is None:
            every = int(os.environ.get(CHECKPOINT_EVERY_ENV_VAR) or DEFAULT_CHECKPOINT_EVERY)
        self.checkpoint_every = every
        self._signing_key: SigningKey | None = None
        # Blocks of 2**NODE_LEVEL leaves known to have their nodes stored: every writer
        # stores them as it goes, so once complete they stay complete.
        self._nodes_complete_to = 0
        self._local = threading.local()
        # A read-only store (``file:PATH?mode=ro``) is never written: the checkpoints this
        # log signs for it, and the witnesses' cosignatures of them, are held here instead.
        self.read_only = store.read_only
        self._unstored: dict[tuple[int, bytes, bytes], Checkpoint] = {}
        self._unstored_cosignatures: dict[int, dict[bytes, NoteSignature]] = {}
        self._create_tables()
        self._insert_tree_sql = self.tables.sql(
            f"INSERT INTO {self.tables.log} (seq, notification_id, originator_id, "
            "originator_version, topic, recorded_at, actor_id, payload_hash, leaf_hash) "
            "VALUES (?,?,?,?,?,?,?,?,?)"
        )
        lock = " FOR UPDATE" if self.tables.postgres else ""
        self._select_tree_sql = self.tables.sql(
            f"SELECT tree_size, frontier FROM {self.tables.tree} WHERE id = 1{lock}"
        )
        self._update_tree_sql = self.tables.sql(
            f"UPDATE {self.tables.tree} SET tree_size = ?, frontier = ?, root = ? WHERE id = 1"
        )
        # A backfill and a writer may store the same node; both computed the same hash.
        self._insert_nodes_sql = self.tables.sql(
            f"INSERT INTO {self.tables.nodes} (level, idx, hash) VALUES (?,?,?) "
            "ON CONFLICT (level, idx) DO NOTHING"
        )
        self._select_node_sql = self.tables.sql(
            f"SELECT hash FROM {self.tables.nodes} WHERE level = ? AND idx = ?"
        )

    def close(self) -> None:
        """Release the log's reading connection (reads after this open a new one)."""
        self.tables.close()

    # ---- setup --------------------------------------------------------------------------

    def _create_tables(self) -> None:
        if self.read_only:
            return  # a read-only copy holds its tables already, or is not a ledger
        origin = os.environ.get(ORIGIN_ENV_VAR) or f"hazard-ledger.local/{uuid4().hex}"
        empty = merkle.Frontier()
        insert = self.tables.sql(
            f"INSERT INTO {self.tables.tree} (id, origin, tree_size, frontier, root) "
            "VALUES (1, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING"
        )
        for attempt in range(5):
            try:
                with self.tables.write() as cur:
                    for statement in self.tables.ddl():
                        cur.execute(statement)
                    cur.execute(insert, (origin, empty.to_bytes(), empty.root()))
                return
            except Exception:
                # Two processes creating the same PostgreSQL tables at once can collide
                # on the catalogue; the loser simply tries again.
                if attempt == 4:
                    raise
                time.sleep(0.1 * (attempt + 1))

    # ---- the write path (inside the event transaction) ---------------------------------

    def record(
        self,
        cursor: Any,
        stored_events: Sequence[StoredEvent],
        notification_ids: Sequence[int],
        read_ahead: Any = None,
        **_: Any,
    ) -> None:
        """Append one leaf per stored event, in the transaction that stores them.
        ``read_ahead``: the cursor ``read_ahead`` was given, holding the tree state."""
        if not stored_events:
            return
        if read_ahead is None:
            cursor.execute(self._select_tree_sql)
            read_ahead = cursor
        self._append(cursor, read_ahead, stored_events, notification_ids, copy=False)

    def record_copied(
        self, cursor: Any, stored_events: Sequence[StoredEvent], notification_ids: Sequence[int]
    ) -> None:
        """``record`` for a bulk write made outside the recorder (``ledger.bulk_insert``):
        the same leaves, nodes, tree state and redactions, but on PostgreSQL the log's
        rows go by one binary ``COPY`` instead of a statement each (the recorder's
        pipeline cannot carry a ``COPY``)."""
        if not stored_events:
            return
        cursor.execute(self._select_tree_sql)
        self._append(cursor, cursor, stored_events, notification_ids, copy=self.tables.postgres)

    def _append(
        self,
        cursor: Any,
        tree_state: Any,
        stored_events: Sequence[StoredEvent],
        notification_ids: Sequence[int],
        *,
        copy: bool,
    ) -> None:
        if len(notification_ids) != len(stored_events):
            raise RuntimeError("the recorder returned no notification id for some events")
        row = row_tuple(tree_state.fetchone())
        size, frontier = int(row[0]), merkle.Frontier.from_bytes(bytes(row[1]))
        previous = size
        rows = []
        completed: list[tuple[int, int, bytes]] = []
        postgres = self.tables.postgres
        for stored, notification_id in zip(stored_events, notification_ids, strict=True):
            recorded_at, actor_id = header_fields(stored.state)
            aggregate_id = stored.originator_id
            if not isinstance(aggregate_id, UUID):
                aggregate_id = UUID(str(aggregate_id))
            p_hash = payload_hash(stored.state)
            l_hash = leaf_hash_of(
                size,
                str(aggregate_id),
                stored.originator_version,
                stored.topic,
                recorded_at,
                actor_id,
                p_hash,
            )
            frontier.append(l_hash, completed)
            rows.append(
                (
                    size,
                    notification_id,
                    aggregate_id if postgres else aggregate_id.hex,
                    stored.originator_version,
                    stored.topic,
                    recorded_at,
                    actor_id,
                    p_hash,
                    l_hash,
                )
            )
            size += 1
        if copy:
            with cursor.copy(
                f"COPY {self.tables.log} (seq, notification_id, originator_id, "
                "originator_version, topic, recorded_at, actor_id, payload_hash, leaf_hash) "
                "FROM STDIN (FORMAT BINARY)"
            ) as stream:
                stream.set_types(
                    ["int8", "int8", "uuid", "int8", "text", "text", "text", "bytea", "bytea"]
                )
                for log_row in rows:
                    stream.write_row(log_row)
        else:
            cursor.executemany(self._insert_tree_sql, rows)
        nodes = [node for node in completed if node[0] >= NODE_LEVEL]
        if nodes:
            cursor.executemany(self._insert_nodes_sql, nodes)
        cursor.execute(self._update_tree_sql, (size, frontier.to_bytes(), frontier.root()))
        for seq, stored in enumerate(stored_events, start=previous):
            if stored.topic == REDACTED_TOPIC:
                self._apply_redaction(cursor, seq, stored.state)
        self._local.written = (previous, size)

    def read_ahead(self, new_cursor: Callable[[], Any], **_: Any) -> Any:
        """Ask for the tree state (locked) before ``record`` runs, so that the recorder
        can send the question with the insert (see ``ledger.recorders``); ``record``
        reads it from the cursor returned."""
        cursor = new_cursor()
        cursor.execute(self._select_tree_sql)
        return cursor

    def after_commit(self) -> Checkpoint | None:
        """Issue the periodic checkpoint if this thread's last write crossed a multiple
        of ``checkpoint_every`` and a signing key is configured (outside the transaction).
        """
        written = getattr(self._local, "written", None)
        self._local.written = None
        if written is None or self.checkpoint_every <= 0:
            return None
        before, after = written
        if before // self.checkpoint_every == after // self.checkpoint_every:
            return None
        if self.signing_key() is None:
            return None
        return self.issue_checkpoint()

    # ---- reading the tree -----------------------------------------------------------------

    @property
    def origin(self) -> str:
        rows = self.tables.fetchall(f"SELECT origin FROM {self.tables.tree} WHERE id = 1")
        return str(rows[0][0])

    def tree_head(self) -> tuple[int, bytes]:
        """(size, root) of the tree as the store holds it now."""
        rows = self.tables.fetchall(f"SELECT tree_size, root FROM {self.tables.tree} WHERE id = 1")
        return int(rows[0][0]), bytes(rows[0][1])

    def size_at(self, known_at: datetime) -> int:
        """The size of the tree as known at ``known_at`` (see ``ledger.integrity.as_of``)."""
        return size_at(self.tables, known_at)

    def as_of(self, known_at: datetime | None = None) -> LogAt:
        """The log as it stood at ``known_at`` (default: now): its size and root, and the
        signed checkpoints issued by then. The same for a given moment however much the
        log has grown since, so a record as known at T proves against the log of T."""
        if known_at is None:
            size, root = self.tree_head()
            return LogAt(size, root, tuple(self.checkpoints()))
        size = self.size_at(known_at)
        root = self.proof_builder(size).root(size)
        return LogAt(size, root, issued_by(self.checkpoints(), known_at, size))

    def leaf_hashes(self, start: int, end: int) -> list[bytes]:
        rows = self.tables.fetchall(
            f"SELECT leaf_hash FROM {self.tables.log} WHERE seq >= ? AND seq < ? ORDER BY seq",
            (start, end),
        )
        return [bytes(r[0]) for r in rows]

    def proof_builder(self, tree_size: int, *, every_leaf: bool = False) -> ProofBuilder:
        """A builder for many proofs against one tree size.

        Large subtrees come from the stored nodes, so a proof reads O(log n) nodes and
        at most a few hundred leaf hashes, whatever the size of the ledger.
        ``every_leaf``: proofs for all leaves will be asked for (an export), so read all
        leaves once and remember small subtrees too (each is then hashed once, not once
        per proof).
        """
        self.store_missing_nodes(tree_size)
        builder = ProofBuilder(
            self.leaf_hashes, direct=8 if every_leaf else 256, node=self._stored_node
        )
        if every_leaf:
            builder.preload(tree_size)
        return builder

    def _stored_node(self, level: int, index: int) -> bytes | None:
        if level < NODE_LEVEL:
            return None
        rows = self.tables.fetchall(self._select_node_sql, (level, index))
        return bytes(rows[0][0]) if rows else None

    def store_missing_nodes(self, tree_size: int) -> int:
        """Store the subtree nodes a ledger written before they existed lacks.

        Free once this log has seen them complete (proof builders call it every time),
        else one indexed count; when nodes are missing, one pass over the leaf hashes
        through the same ``Frontier`` the write path uses. Returns the number written.
        A read-only store is left as it is (proofs compute the missing nodes).
        """
        if self.read_only:
            return 0
        whole = tree_size >> NODE_LEVEL
        if whole <= self._nodes_complete_to:
            return 0
        have = self.tables.fetchall(
            f"SELECT COUNT(*) FROM {self.tables.nodes} WHERE level = ?", (NODE_LEVEL,)
        )
        if int(have[0][0]) >= whole:
            self._nodes_complete_to = whole
            return 0
        frontier = merkle.Frontier()
        written = 0
        end = whole << NODE_LEVEL
        for start in range(0, end, VERIFY_PAGE):
            completed: list[tuple[int, int, bytes]] = []
            for leaf in self.leaf_hashes(start, min(end, start + VERIFY_PAGE)):
                frontier.append(leaf, completed)
            nodes = [node for node in completed if node[0] >= NODE_LEVEL]
            with self.tables.write() as cur:
                cur.executemany(self._insert_nodes_sql, nodes)
            written += len(nodes)
        self._nodes_complete_to = whole
        return written

    def _entry_rows(self, where: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        oid = "originator_id::text" if self.tables.postgres else "originator_id"
        return self.tables.fetchall(
            f"SELECT seq, {oid}, originator_version, topic, recorded_at, actor_id, "
            f"payload_hash, leaf_hash FROM {self.tables.log} WHERE {where} ORDER BY seq",
            params,
        )

    def _oid_param(self, aggregate_id: UUID) -> Any:
        return str(aggregate_id) if self.tables.postgres else aggregate_id.hex

    def entries(self, aggregate_id: UUID) -> list[tuple[LeafHeader, bytes, bytes]]:
        """(header, payload hash, leaf hash) of every logged event of one aggregate."""
        rows = self._entry_rows("originator_id = ?", (self._oid_param(aggregate_id),))
        return [self._entry(r) for r in rows]

    @staticmethod
    def _entry(r: tuple[Any, ...]) -> tuple[LeafHeader, bytes, bytes]:
        header = LeafHeader(int(r[0]), UUID(uuid_text(r[1])), int(r[2]), r[3], r[4], r[5])
        return header, bytes(r[6]), bytes(r[7])

    def inclusion_proof(
        self,
        originator_id: UUID,
        originator_version: int,
        tree_size: int | None = None,
        *,
        builder: ProofBuilder | None = None,
    ) -> InclusionProof:
        """Proof that this event is in the tree of ``tree_size`` leaves (default: now)."""
        rows = self._entry_rows(
            "originator_id = ? AND originator_version = ?",
            (self._oid_param(originator_id), originator_version),
        )
        if not rows:
            raise LookupError(f"event {originator_id} v{originator_version} is not in the log")
        header, p_hash, l_hash = self._entry(rows[0])
        size = self.tree_head()[0] if tree_size is None else tree_size
        if header.seq >= size:
            raise LookupError(
                f"event {originator_id} v{originator_version} (seq {header.seq}) "
                f"is not in a tree of size {size}"
            )
        b = builder or self.proof_builder(size)
        return InclusionProof(
            seq=header.seq,
            tree_size=size,
            leaf_hash=l_hash,
            path=b.inclusion_path(header.seq, size),
            root=b.root(size),
            header=header,
            payload_hash=p_hash,
        )

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> ConsistencyProof:
        """Proof that the tree of ``old_size`` is a prefix of the tree of ``new_size``."""
        size = self.tree_head()[0] if new_size is None else new_size
        b = self.proof_builder(size)
        return ConsistencyProof(
            old_size=old_size,
            new_size=size,
            old_root=b.root(old_size),
            new_root=b.root(size),
            path=b.consistency(old_size, size),
        )

    # ---- checkpoints ----------------------------------------------------------------------

    @property
    def checkpoint_directory(self) -> Path:
        """Where issued checkpoints are published (``publish.published_directory``)."""
        return published_directory(self._published, self.key_directory)

    def use_key_directory(self, directory: str | Path | None) -> None:
        """Look for the signing key in ``directory`` (None keeps the current setting)."""
        if directory is not None:
            self.key_directory = key_dir(directory)
            self._signing_key = None

    def signing_key(self) -> SigningKey | None:
        if self._signing_key is None:
            self._signing_key = load_signing_key(self.key_directory)
        return self._signing_key

    def verifier_key(self) -> VerifierKey | None:
        key = self.signing_key()
        if key is not None:
            return key.verifier
        return load_verifier_key(self.key_directory)

    def issue_checkpoint(self) -> Checkpoint:
        """Sign the current tree head, keep the checkpoint in the store and send it out
        (``send_out``: witnesses, then the checkpoint directory).

        A read-only store (a copy opened ``mode=ro``, which read commands get) is not
        written: the checkpoint is signed and sent out all the same, so that a reviewer
        exporting bundles from a copy signs them with their key and keeps the published
        record, but it is held by this log, not stored. Asked again for the same tree head
        and key, the log returns the checkpoint it holds (one signature, one publication,
        for all the bundles of one export).
        """
        key = self.signing_key()
        if key is None:
            raise NoSigningKey(
                f"未配置签名密钥，请先运行 `ledger keys` / no signing key in {self.key_directory}; "
                "run `ledger keys` first"
            )
        size, root = self.tree_head()
        if self.read_only:
            held = self._unstored.get((size, root, key.verifier.key_id))
            if held is not None:
                return held
        issued_at = self.clock().isoformat()
        checkpoint = sign_checkpoint(key, self.origin, size, root, issued_at)
        if self.read_only:
            self._unstored[(size, root, key.verifier.key_id)] = checkpoint
            self.send_out(checkpoint)
            return checkpoint
        upsert = "ON CONFLICT (tree_size, key_id) DO NOTHING"
        with self.tables.write() as cur:
            cur.execute(
                self.tables.sql(
                    f"INSERT INTO {self.tables.checkpoints} (tree_size, key_id, key_name, origin, "
                    f"root, signature, note, issued_at) VALUES (?,?,?,?,?,?,?,?) {upsert}"
                ),
                (
                    size,
                    checkpoint.key_id.hex(),
                    checkpoint.key_name,
                    checkpoint.origin,
                    root,
                    checkpoint.signature,
                    checkpoint.signed_note(),
                    issued_at,
                ),
            )
        self.send_out(checkpoint)
        return checkpoint

    @property
    def witness_policy(self) -> WitnessPolicy:
        """The witnesses checkpoints are submitted to (``$LEDGER_WITNESSES``)."""
        if self._witness_policy is None:
            self._witness_policy = WitnessPolicy.configured()
        return self._witness_policy

    def use_witnesses(self, policy: WitnessPolicy) -> None:
        self._witness_policy = policy

    def send_out(self, checkpoint: Checkpoint) -> SignedNote:
        """Have ``checkpoint`` cosigned by the configured witnesses (cosignatures are
        stored; on a read-only store, held by this log), then publish it with them to the
        checkpoint directory."""
        note = SignedNote(
            checkpoint.origin,
            checkpoint.tree_size,
            checkpoint.root,
            (NoteSignature(checkpoint.key_name, checkpoint.key_id, checkpoint.signature),),
        )
        try:
            policy = self.witness_policy
        except (CheckpointError, OSError, ValueError) as e:
            LOG.warning("witnesses not configured correctly: %s", e)
            policy = WitnessPolicy()
        added = []
        for witness in policy.witnesses:
            if witness.url is None:
                continue
            old = self._last_cosigned(witness.key.key_id.hex(), checkpoint.tree_size)
            cosignature = submit(
                witness, note, old, lambda size: self.consistency_proof(size, note.tree_size).path
            )
            if cosignature is not None:
                added.append(cosignature)
        if added and self.read_only:
            held = self._unstored_cosignatures.setdefault(checkpoint.tree_size, {})
            held.update((c.key_id, c) for c in added)
        elif added:
            with self.tables.write() as cur:
                cur.executemany(
                    self.tables.sql(
                        f"INSERT INTO {self.tables.cosignatures} (tree_size, key_id, line) "
                        "VALUES (?,?,?) ON CONFLICT (tree_size, key_id) DO NOTHING"
                    ),
                    [(checkpoint.tree_size, c.key_id.hex(), c.line()) for c in added],
                )
        note = SignedNote(note.origin, note.tree_size, note.root, (*note.signatures, *added))
        try:
            publish(self.checkpoint_directory, note)
        except OSError as e:
            LOG.warning("checkpoint not published to %s: %s", self.checkpoint_directory, e)
        return note

    def _last_cosigned(self, key_id: str, below_or_at: int) -> int:
        rows = self.tables.fetchall(
            f"SELECT MAX(tree_size) FROM {self.tables.cosignatures} "
            "WHERE key_id = ? AND tree_size <= ?",
            (key_id, below_or_at),
        )
        return int(rows[0][0] or 0)

    def cosignatures(self, tree_size: int) -> list[NoteSignature]:
        """The witnesses' cosignature lines stored for the checkpoint of ``tree_size``
        (and, on a read-only store, those this log holds for it)."""
        rows = self.tables.fetchall(
            f"SELECT line FROM {self.tables.cosignatures} WHERE tree_size = ? ORDER BY key_id",
            (tree_size,),
        )
        found = [NoteSignature.from_line(str(r[0])) for r in rows]
        stored = [s for s in found if s is not None]
        held = self._unstored_cosignatures.get(tree_size)
        if held:
            have = {s.key_id for s in stored}
            stored += [s for key_id, s in sorted(held.items()) if key_id not in have]
        return stored

    def latest_note(self) -> SignedNote | None:
        """The latest checkpoint as a signed note with its stored cosignatures."""
        checkpoint = self.latest_checkpoint()
        return None if checkpoint is None else self.note_for(checkpoint)

    def note_for(self, checkpoint: Checkpoint) -> SignedNote:
        """``checkpoint`` as a signed note with the witnesses' stored cosignatures."""
        own = NoteSignature(checkpoint.key_name, checkpoint.key_id, checkpoint.signature)
        return SignedNote(
            checkpoint.origin,
            checkpoint.tree_size,
            checkpoint.root,
            (own, *self.cosignatures(checkpoint.tree_size)),
        )

    def checkpoints(self) -> list[Checkpoint]:
        """Every stored checkpoint, oldest (smallest tree) first."""
        rows = self.tables.fetchall(
            f"SELECT origin, tree_size, root, key_name, key_id, signature, issued_at "
            f"FROM {self.tables.checkpoints} ORDER BY tree_size, issued_at"
        )
        return [
            Checkpoint(
                str(r[0]),
                int(r[1]),
                bytes(r[2]),
                str(r[3]),
                bytes.fromhex(r[4]),
                bytes(r[5]),
                str(r[6]),
            )
            for r in rows
        ]

    def latest_checkpoint(self) -> Checkpoint | None:
        found = self.checkpoints()
        return found[-1] if found else None

    # ---- verification ---------------------------------------------------------------------

    def redactions_for(self, seqs: Iterable[int]) -> dict[int, dict[str, Any]]:
        """What the logged redaction events say of the given sequence numbers (legal
        basis, fields, who, when, the payload hash after blanking, the event's seq)."""
        wanted = set(seqs)
        return {
            seq: {
                "reason": r.legal_basis,
                "fields": list(r.fields),
                "actor_id": r.actor_id,
                "redacted_at": r.redacted_at,
                "payload_hash": r.payload_hash.hex(),
                "redaction_seq": r.event_seq,
            }
            for seq, r in self.logged_redactions().items()
            if seq in wanted
        }

    def logged_redactions(self) -> dict[int, LoggedRedaction]:
        """Every redaction the log records, by target seq (later ones merged in)."""
        t = self.tables
        join = "e.notification_id" if t.postgres else "e.rowid"
        rows = self.tables.fetchall(
            f"SELECT l.seq, e.state FROM {t.log} l JOIN {t.events} e "
            f"ON {join} = l.notification_id WHERE l.topic = ? ORDER BY l.seq",
            (REDACTED_TOPIC,),
        )
        found: dict[int, LoggedRedaction] = {}
        for seq, state in rows:
            logged = logged_redaction(int(seq), bytes(state))
            if logged is not None:
                found[logged.target_seq] = merge(found.get(logged.target_seq), logged)
        return found

    def prepare_redaction(
        self,
        aggregate_id: UUID,
        version: int,
        *,
        fields: Sequence[str],
        legal_basis: str,
        ctx: Context,
    ) -> RedactionRecord:
        """The redaction event for blanking ``fields`` of one recorded event.

        Saving it (``HazardLedger.redact``) blanks the stored payload in the same
        transaction (``record``). The leaf keeps the hash of the original payload, so
        every proof still verifies, and ``verify`` accepts the blanked payload because
        a logged, signed event committed to exactly its hash.
        """
        chosen = checked_fields(fields, legal_basis)
        rows = self._entry_rows(
            "originator_id = ? AND originator_version = ?", (self._oid_param(aggregate_id), version)
        )
        if not rows:
            raise LookupError(f"event {aggregate_id} v{version} is not in the log")
        seq, topic = int(rows[0][0]), str(rows[0][3])
        if topic == REDACTED_TOPIC:
            raise RedactionRefused("a redaction record cannot itself be redacted")
        state = stored_events_by_seq(self, [seq]).get(seq)
        if state is None:
            raise LookupError(f"event {aggregate_id} v{version} is missing from the store")
        blanked = blank(state, topic, chosen)
        return new_record(
            ctx,
            target_id=aggregate_id,
            target_version=version,
            target_seq=seq,
            fields=chosen,
            legal_basis=legal_basis,
            blanked=blanked,
        )

    def _apply_redaction(self, cursor: Any, redaction_seq: int, state: bytes) -> None:
        """Blank the target of a ``Redacted`` event being stored, in its transaction."""
        t = self.tables
        logged = logged_redaction(redaction_seq, state)
        if logged is None:
            raise RuntimeError("a redaction event that cannot be read")
        cursor.execute(
            t.sql(
                f"SELECT e.{t.event_id}, e.state, e.topic FROM {t.log} l JOIN {t.events} e "
                f"ON e.{t.event_id} = l.notification_id WHERE l.seq = ?"
            ),
            (logged.target_seq,),
        )
        found = cursor.fetchone()
        if found is None:
            raise RuntimeError(f"redaction of seq {logged.target_seq}: no such event")
        nid, target_state, topic = row_tuple(found)
        blanked = blank(bytes(target_state), str(topic), logged.fields)
        if payload_hash(blanked) != logged.payload_hash:
            raise RuntimeError(
                f"redaction of seq {logged.target_seq}: the event changed since it was prepared"
            )
        cursor.execute(
            t.sql(f"UPDATE {t.events} SET state = ? WHERE {t.event_id} = ?"), (blanked, nid)
        )
        cursor.execute(
            t.sql(f"SELECT fields FROM {t.redactions} WHERE seq = ?"), (logged.target_seq,)
        )
        earlier = cursor.fetchone()
        fields = logged.fields
        if earlier is not None:
            fields = tuple(dict.fromkeys((*str(row_tuple(earlier)[0]).split(","), *fields)))
        row = LoggedRedaction(
            logged.target_seq,
            fields,
            logged.legal_basis,
            logged.actor_id,
            logged.redacted_at,
            logged.payload_hash,
            redaction_seq,
        ).row()
        cursor.execute(
            t.sql(
                f"INSERT INTO {t.redactions} (seq, reason, fields, actor_id, redacted_at) "
                "VALUES (?,?,?,?,?) ON CONFLICT (seq) DO UPDATE SET reason = excluded.reason, "
                "fields = excluded.fields, actor_id = excluded.actor_id, "
                "redacted_at = excluded.redacted_at"
            ),
            row,
        )

    def redacted_seqs(self) -> set[int]:
        return {
            int(r[0]) for r in self.tables.fetchall(f"SELECT seq FROM {self.tables.redactions}")
        }

    def verify(
        self,
        progress: Progress | None = None,
        verifier: VerifierKey | None = None,
        *,
        workers: int | None = None,
        keys: Sequence[VerifierKey] | None = None,
        extra_sizes: Iterable[int] = (),
        page_size: int | None = None,
    ) -> VerifyReport:
        """Recompute every leaf from the stored events, then the tree, and compare.

        Checks, in sequence order: no sequence number is missing; each logged event
        still exists with the same aggregate, version and type; its payload still has
        the committed hash (or was redacted on record); the payload's recorded time
        and actor match the header; the recomputed leaf equals the logged one. Then:
        no event escaped the log; the recomputed root matches the stored tree state and
        every signed checkpoint, whose signatures are checked when a key is known.

        Leaves, and the subtrees of each page's whole blocks of ``2**NODE_LEVEL``
        leaves, are recomputed in ``workers`` processes (default: one per core, up to
        four, for logs of ``PARALLEL_PAGES`` pages or more); the block roots are joined
        here, in order. ``page_size``: sequence numbers per page (tests make it small
        to exercise many pages; a multiple of ``2**NODE_LEVEL`` hashes blocks in the
        workers, anything else hashes the whole tree here).

        ``keys``: check checkpoint signatures with these keys (a trust root configured
        outside the store) instead of the key directory's; checkpoints signed by none of
        them are listed in ``report.untrusted``. ``extra_sizes``: also compute the roots
        of these prefixes (checkpoints kept elsewhere), in ``report.prefix_roots``.

        Passing proves internal consistency only: whoever can write the store can also
        recompute it. ``ledger.integrity.trust`` judges the result against a trust root.
        """
        started = time.perf_counter()
        t = self.tables
        report = VerifyReport()
        checkpoints = self.checkpoints()
        stored_size, stored_root = self.tree_head()
        last_seq = self._max_seq_now()  # after the tree head: the log is at least as long
        total = max(stored_size, last_seq + 1)
        page_size = page_size or VERIFY_PAGE
        starts = range(0, last_seq + 1, page_size)
        if workers is None:
            workers = min(os.cpu_count() or 1, 4) if len(starts) >= PARALLEL_PAGES else 1
        extra = list(extra_sizes)
        roots = PrefixRoots(
            [stored_size, *(c.tree_size for c in checkpoints), *extra], block_bits=NODE_LEVEL
        )
        failures = report.failures

        def fail(
            code: str,
            seq: int | None,
            oid: str | None = None,
            version: int | None = None,
            detail: str = "",
        ) -> None:
            if len(failures) < MAX_FAILURES:
                failures.append(Failure(code, seq, oid, version, detail))

        expected = 0
        matched = 0  # logged rows whose event exists
        last_id: int | None = -1  # their events' last id, while the ids rise through the log
        redactions: dict[int, LoggedRedaction] = {}

        def redacted() -> dict[int, bytes]:
            # Read while the worker processes start and take on the first pages.
            redactions.update(self.logged_redactions())
            return {seq: r.payload_hash for seq, r in redactions.items()}

        with PageReader(t, self.events_table, workers) as reader:
            pages = reader.pages(
                starts, page_size, redacted, block_bits=NODE_LEVEL, sizes=roots.wanted
            )
            for start, page in zip(starts, pages, strict=True):
                if page.first_seq is not None:
                    if page.first_seq != expected:
                        fail("SEQ_GAP", expected, detail=f"next logged seq is {page.first_seq}")
                    expected = page.next_seq
                failures.extend(page.failures[: MAX_FAILURES - len(failures)])
                report.redacted.extend(page.redacted)
                leaves = page.leaves
                done = 0
                if page.block_roots and page.contiguous and roots.count == start:
                    # The page's blocks are the tree's blocks: take their roots as hashed.
                    roots.extend_blocks(page.block_roots, page.tails)
                    done = len(page.block_roots) << NODE_LEVEL
                roots.extend([leaves[i : i + 32] for i in range(done, len(leaves), 32)])
                report.events_checked += page.count
                matched += page.count - page.missing
                if page.count and last_id is not None:
                    rising = page.ids_rising and page.first_id > last_id
                    last_id = page.last_id if rising else None
                if progress is not None:
                    progress(report.events_checked, total)
        with t.connect() as conn:
            self._check_unlogged(conn.cursor(), fail, matched if last_id is not None else None)
        check_redaction_rows(self, redactions, fail)
        recomputed_roots = roots.finish()
        report.prefix_roots = recomputed_roots
        self._check_nodes(roots.levels, fail)
        report.tree_size = roots.count
        report.root = recomputed_roots.get(roots.count, merkle.root([]))
        if stored_size != roots.count:
            fail(
                "TREE_SIZE_MISMATCH",
                None,
                detail=f"tree state says {stored_size}, log has {roots.count}",
            )
        elif report.root != stored_root:
            fail(
                "ROOT_MISMATCH",
                None,
                detail=f"stored {stored_root.hex()}, recomputed {report.root.hex()}",
            )
        if keys is None:
            key = verifier or self.verifier_key()
            known = [] if key is None else [key]
        else:
            known = list(keys)
        previous_good = 0
        for checkpoint in checkpoints:
            report.checkpoints_checked += 1
            key = next((k for k in known if k.key_id == checkpoint.key_id), None)
            if key is None and keys is not None:
                report.untrusted.append(checkpoint)
            if key is not None:
                report.signatures_checked += 1
                if not checkpoint.verify(key):
                    fail(
                        "CHECKPOINT_SIGNATURE_INVALID",
                        None,
                        detail=f"tree size {checkpoint.tree_size}",
                    )
            got = recomputed_roots.get(checkpoint.tree_size)
            if got is None:
                fail(
                    "CHECKPOINT_BEYOND_LOG",
                    None,
                    detail=f"checkpoint for {checkpoint.tree_size} events, log has {roots.count}",
                )
            elif got != checkpoint.root:
                fail(
                    "CHECKPOINT_MISMATCH",
                    None,
                    detail=f"checkpoint for {checkpoint.tree_size} events: a change lies between "
                    f"seq {previous_good} and seq {checkpoint.tree_size - 1}",
                )
            else:
                previous_good = checkpoint.tree_size
        report.seconds = time.perf_counter() - started
        return report

    def _check_nodes(self, levels: list[list[bytes]], fail: Callable[..., None]) -> None:
        """Every stored subtree node equals the one recomputed from the events (a node
        missing is not a failure: proofs compute it, and ``store_missing_nodes`` adds it).
        """
        for level, index, stored in self.tables.fetchall(
            f"SELECT level, idx, hash FROM {self.tables.nodes} ORDER BY level, idx"
        ):
            row = level - NODE_LEVEL
            first, last = index << level, ((index + 1) << level) - 1
            if row >= len(levels) or index >= len(levels[row]):
                fail("NODE_BEYOND_LOG", None, detail=f"node for seq {first}..{last}")
            elif bytes(stored) != levels[row][index]:
                fail("NODE_MISMATCH", None, detail=f"node for seq {first}..{last}")

    def _max_seq_now(self) -> int:
        found = self.tables.fetchall(f"SELECT MAX(seq) FROM {self.tables.log}")[0][0]
        return -1 if found is None else int(found)

    def _check_unlogged(self, cur: Any, fail: Callable[..., None], logged: int | None) -> None:
        """Every event has a log row. ``logged``: the number of log rows read that name
        an existing event, each a different one; when the store holds exactly that many
        events, none can be missing from the log and the search below is skipped."""
        t = self.tables
        if logged is not None:
            cur.execute(f"SELECT COUNT(*) FROM {t.events}")
            if int(cur.fetchone()[0]) == logged:
                return
        oid = "e.originator_id::text" if t.postgres else "e.originator_id"
        cur.execute(
            f"SELECT {oid}, e.originator_version FROM {t.events} e "
            f"LEFT JOIN {t.log} l ON l.notification_id = e.{t.event_id} "
            f"WHERE l.seq IS NULL ORDER BY e.{t.event_id} LIMIT {MAX_FAILURES}"
        )
        for e_oid, e_ver in cur.fetchall():
            fail("UNLOGGED_EVENT", None, uuid_text(e_oid), int(e_ver))


def check_redaction_rows(
    log: IntegrityLog, logged: dict[int, LoggedRedaction], fail: Callable[..., None]
) -> None:
    """The redactions table holds exactly what the logged redaction events derive."""
    rows = log.tables.fetchall(
        f"SELECT seq, reason, fields, actor_id, redacted_at FROM {log.tables.redactions}"
    )
    have = {int(r[0]): (int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows}
    for seq in sorted(set(have) | set(logged)):
        if seq not in logged:
            fail("REDACTION_UNRECORDED", seq, detail="a redactions row without its logged event")
        elif seq not in have:
            fail(
                "REDACTION_ROW_MISSING", seq, detail=f"redaction event seq {logged[seq].event_seq}"
            )
        elif have[seq] != logged[seq].row():
            fail(
                "REDACTION_ROW_CHANGED",
                seq,
                detail=f"row {have[seq][1:]}, event seq {logged[seq].event_seq} says "
                f"{logged[seq].row()[1:]}",
            )


def stored_events_by_seq(log: IntegrityLog, seqs: Iterable[int]) -> dict[int, bytes]:
    """The stored payload bytes of the given sequence numbers (for bundles)."""
    t = log.tables
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    join = "e.notification_id" if t.postgres else "e.rowid"
    out: dict[int, bytes] = {}
    with t.connect() as conn:
        cur = conn.cursor()
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            marks = ",".join(["?"] * len(chunk))
            cur.execute(
                t.sql(
                    f"SELECT l.seq, e.state FROM {t.log} l JOIN {t.events} e "
                    f"ON {join} = l.notification_id WHERE l.seq IN ({marks})"
                ),
                chunk,
            )
            for seq, state in cur.fetchall():
                out[int(seq)] = bytes(state)
    return out
