"""Sealed personal data: encrypted at rest in events, erasable without touching them.

A public report's reporter (举报人) must be kept confidential (安全生产法 Art. 73-74), and
a reporter may ask to be forgotten. Events are immutable and every one is committed to
by the integrity log, so the identity is stored in the event only as ciphertext, under
an envelope:

* each sealed record gets its own 256-bit data key (AES-256-GCM, the record's id as
  associated data, so a ciphertext moved to another record does not open);
* the data key is stored wrapped (AES-GCM again) by the master key, which lives in the
  key directory outside the store, next to the checkpoint signing key; so a copy of the
  database alone never reveals an identity;
* the wrapped data key is kept in the store's ``sealed_keys`` table, written in the same
  transaction as the event that seals (an insert listener, like the integrity log's
  leaves), and destroyed in the same transaction as the event that records the erasure
  (crypto-shredding). The event, its payload hash and every Merkle proof stay as they
  were; the ciphertext simply no longer opens.

Backups of the store taken before an erasure still hold the wrapped key; they open only
with the master key, which backups of the store do not contain.
"""

from __future__ import annotations

import base64
import os
import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.persistence import StoredEvent

from .errors import LedgerError
from .integrity.signing import key_dir
from .integrity.tables import Tables

if TYPE_CHECKING:
    from .application import HazardLedger

MASTER_KEY_FILE = "sealed-master.key"
_NONCE_BYTES = 12


@dataclass(frozen=True, slots=True)
class Sealed:
    """Ciphertext as stored in an event: whose key opens it, the nonce and the text
    (both base64)."""

    key_id: UUID
    nonce: str
    ciphertext: str


class SealedUnavailable(LedgerError):
    """A sealed value cannot be opened: its key was erased, or the master key is not
    in this key directory."""

    def __init__(self, erased: bool, message_zh: str, message_en: str) -> None:
        self.erased = erased
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(message_en)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class Vault:
    """Seals and opens values for one store with the master key of one key directory.

    ``seal`` keeps the new wrapped data key in memory until the event that carries the
    ciphertext is inserted (``on_insert``, inside that write transaction); ``erase``
    likewise marks a key for destruction by the event that records the erasure.
    """

    def __init__(
        self, store_tables: Tables, directory: Path, *, sealing_topic: str, erasing_topic: str
    ) -> None:
        self.tables = store_tables
        self.directory = directory
        self.sealing_topic = sealing_topic
        self.erasing_topic = erasing_topic
        self._pending: dict[UUID, bytes] = {}
        #: Where data keys and nonces come from. A generator that must replay the same
        #: history byte for byte (the demo county) gives a seeded source; nothing else may.
        self.random_bytes: Callable[[int], bytes] = os.urandom
        self._lock = threading.Lock()
        prefix = f'"{store_tables.store.schema}".' if store_tables.postgres else ""
        self.table = f"{prefix}sealed_keys"
        blob = "bytea" if store_tables.postgres else "BLOB"
        with store_tables.write() as cur:
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} ("
                "key_id TEXT PRIMARY KEY, "
                f"wrapped {blob}, "
                "erased INTEGER NOT NULL DEFAULT 0)"
            )

    # ---- the master key, outside the store ----------------------------------------------

    def _master(self, *, create: bool) -> bytes:
        path = self.directory / MASTER_KEY_FILE
        if path.exists():
            return path.read_bytes()
        if not create:
            raise SealedUnavailable(
                False,
                f"密钥目录{self.directory}中没有举报人信息主密钥，无法解密",
                f"no master key for sealed data in {self.directory}; cannot decrypt",
            )
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        key = AESGCM.generate_key(bit_length=256)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key

    # ---- sealing and opening -------------------------------------------------------------

    def seal(self, key_id: UUID, plaintext: bytes) -> Sealed:
        """Encrypt ``plaintext`` under a new data key for record ``key_id``."""
        data_key = self.random_bytes(32)
        aad = key_id.bytes
        nonce = self.random_bytes(_NONCE_BYTES)
        ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, aad)
        wrap_nonce = os.urandom(_NONCE_BYTES)
        wrapped = wrap_nonce + AESGCM(self._master(create=True)).encrypt(wrap_nonce, data_key, aad)
        with self._lock:
            self._pending[key_id] = wrapped
        return Sealed(key_id, _b64(nonce), _b64(ciphertext))

    def _row(self, key_id: UUID) -> tuple[Any, ...] | None:
        # A connection per look-up, closed at once: identities are read rarely, and a
        # kept connection would hold one of PostgreSQL's few slots for every ledger.
        with self.tables.connect() as conn:
            cur = conn.cursor()
            cur.execute(
                self.tables.sql(f"SELECT wrapped, erased FROM {self.table} WHERE key_id = ?"),
                (str(key_id),),
            )
            row = cur.fetchone()
        return tuple(row) if row is not None else None

    def open(self, sealed: Sealed) -> bytes:
        """The plaintext, or ``SealedUnavailable`` when its key was erased or the master
        key is missing."""
        row = self._row(sealed.key_id)
        if row is None or row[1] or row[0] is None:
            raise SealedUnavailable(
                True,
                "举报人身份信息已按申请删除（密钥已销毁），无法恢复",
                "the reporter's identity was erased on request (its key destroyed)",
            )
        wrapped = bytes(row[0])
        aad = sealed.key_id.bytes
        try:
            data_key = AESGCM(self._master(create=False)).decrypt(
                wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:], aad
            )
            return AESGCM(data_key).decrypt(
                base64.b64decode(sealed.nonce), base64.b64decode(sealed.ciphertext), aad
            )
        except InvalidTag:
            raise SealedUnavailable(
                False,
                "主密钥与该记录不匹配，无法解密举报人信息",
                "the master key in this key directory does not open this record",
            ) from None

    def is_erased(self, key_id: UUID) -> bool:
        row = self._row(key_id)
        return row is None or bool(row[1])

    # ---- inside the write transaction ----------------------------------------------------

    def on_insert(
        self,
        cursor: Any,
        stored_events: Sequence[StoredEvent],
        notification_ids: Sequence[int],
        **kwargs: Any,
    ) -> None:
        """Store the wrapped key of each sealing event, destroy it for each erasure."""
        sql = self.tables.sql
        for event in stored_events:
            oid = (
                event.originator_id
                if isinstance(event.originator_id, UUID)
                else UUID(str(event.originator_id))
            )
            if event.topic == self.sealing_topic:
                with self._lock:
                    wrapped = self._pending.pop(oid, None)
                if wrapped is not None:
                    cursor.execute(
                        sql(f"INSERT INTO {self.table} (key_id, wrapped, erased) VALUES (?, ?, 0)"),
                        (str(oid), wrapped),
                    )
            elif event.topic == self.erasing_topic:
                cursor.execute(
                    sql(f"UPDATE {self.table} SET wrapped = NULL, erased = 1 WHERE key_id = ?"),
                    (str(oid),),
                )


_VAULTS: weakref.WeakKeyDictionary[Any, Vault] = weakref.WeakKeyDictionary()
_VAULTS_LOCK = threading.Lock()


def vault_for(ledger: HazardLedger, *, sealing_topic: str, erasing_topic: str) -> Vault:
    """The ledger's vault, made (and its insert listener added) on first use.

    The master key is looked up in the ledger's key directory (the one its checkpoint
    signing key lives in), read at each use so that a configured directory applies.
    """
    with _VAULTS_LOCK:
        vault = _VAULTS.get(ledger)
        if vault is None:
            vault = Vault(
                Tables(ledger.store),
                _directory(ledger),
                sealing_topic=sealing_topic,
                erasing_topic=erasing_topic,
            )
            ledger.add_insert_listener(vault.on_insert)
            _VAULTS[ledger] = vault
        vault.directory = _directory(ledger)
        return vault


def _directory(ledger: HazardLedger) -> Path:
    try:
        return Path(ledger.integrity.key_directory)
    except RuntimeError:
        return key_dir()
