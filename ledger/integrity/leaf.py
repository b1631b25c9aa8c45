"""The leaf of the integrity log: a canonical header plus the hash of the payload.

Every stored event becomes one leaf of an RFC 9162 Merkle tree. The leaf does not hold
the payload itself, only its SHA-256, next to a small header that says which event it
is. A payload that must later be redacted (personal data, a court order) can therefore
be blanked while every proof over its leaf still verifies: the auditor sees that the
header and the hash were committed to, and that the content is gone.

Canonical encoding, version 1 (``docs/integrity.md`` restates it for auditors)::

    leaf = b"hazard-ledger/leaf/v1\\n"
           || lp(seq) || lp(aggregate_id) || lp(version) || lp(event_type)
           || lp(recorded_at) || lp(actor_id)
           || payload_hash                      (32 raw bytes, SHA-256 of the payload)

    lp(text) = uint32 big-endian byte length of utf8(text) || utf8(text)

* ``seq``: the gapless ledger sequence number, decimal ASCII, from 0; it equals the
  leaf's index in the tree.
* ``aggregate_id``: the aggregate's UUID, lowercase, hyphenated (36 characters).
* ``version``: the event's version within its aggregate, decimal ASCII.
* ``event_type``: the event's topic, e.g. ``ledger.hazard:HazardCase.Reported``.
* ``recorded_at``: the payload's ``timestamp`` string, verbatim (ISO 8601 with offset).
* ``actor_id``: the payload's ``actor.id`` string, verbatim ("" when there is none).

The Merkle leaf hash is then ``SHA-256(0x00 || leaf)`` as RFC 9162 section 2.1 says.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from uuid import UUID

import orjson

LEAF_PREFIX = b"hazard-ledger/leaf/v1\n"
_U32 = struct.Struct(">I")


@dataclass(frozen=True, slots=True)
class LeafHeader:
    """The fields of one event that its leaf commits to, besides the payload hash."""

    seq: int
    aggregate_id: UUID
    version: int
    event_type: str
    recorded_at: str
    actor_id: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "aggregate_id": str(self.aggregate_id),
            "version": self.version,
            "event_type": self.event_type,
            "recorded_at": self.recorded_at,
            "actor_id": self.actor_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LeafHeader:
        return cls(
            seq=int(data["seq"]),
            aggregate_id=UUID(str(data["aggregate_id"])),
            version=int(data["version"]),
            event_type=str(data["event_type"]),
            recorded_at=str(data["recorded_at"]),
            actor_id=str(data["actor_id"]),
        )


def _lp(text: str) -> bytes:
    raw = text.encode("utf-8")
    return _U32.pack(len(raw)) + raw


def encode_leaf(header: LeafHeader, payload_hash: bytes) -> bytes:
    """The canonical leaf bytes (see the module docstring for the exact layout)."""
    if len(payload_hash) != 32:
        raise ValueError("payload_hash must be 32 bytes (SHA-256)")
    return b"".join(
        (
            LEAF_PREFIX,
            _lp(str(header.seq)),
            _lp(str(header.aggregate_id)),
            _lp(str(header.version)),
            _lp(header.event_type),
            _lp(header.recorded_at),
            _lp(header.actor_id),
            payload_hash,
        )
    )


_LEAF_START = b"\x00" + LEAF_PREFIX  # RFC 9162's leaf prefix, then the encoding's own


@lru_cache(maxsize=4096)
def packed_field(text: str) -> bytes:
    """lp() of a value that repeats across events (versions, event types, actors)."""
    return _lp(text)


packed_length = _U32.pack  # the length half of lp(), for a value's encoded bytes


def leaf_hash_of(
    seq: int,
    aggregate_id: str,
    version: int,
    event_type: str,
    recorded_at: str,
    actor_id: str,
    payload_hash: bytes,
) -> bytes:
    """The Merkle leaf hash of ``encode_leaf``'s bytes, from the header as plain values.

    The write path, the import and ``verify`` run this once per event; it produces the
    same bytes as ``merkle.leaf_hash(encode_leaf(...))`` (a test holds them equal)
    without building a ``LeafHeader``, and packs repeating fields once.
    """
    seq_raw = str(seq).encode()
    oid_raw = aggregate_id.encode()
    rec_raw = recorded_at.encode()
    return hashlib.sha256(
        b"".join(
            (
                _LEAF_START,
                _U32.pack(len(seq_raw)),
                seq_raw,
                _U32.pack(len(oid_raw)),
                oid_raw,
                packed_field(str(version)),
                packed_field(event_type),
                _U32.pack(len(rec_raw)),
                rec_raw,
                packed_field(actor_id),
                payload_hash,
            )
        )
    ).digest()


def payload_hash(state: bytes) -> bytes:
    """SHA-256 of the stored payload bytes exactly as the store holds them."""
    return hashlib.sha256(state).digest()


def header_fields(state: bytes) -> tuple[str, str]:
    """(recorded_at, actor_id) read from a stored payload (orjson bytes, see mapper)."""
    data = orjson.loads(state)
    recorded_at = data.get("timestamp")
    actor = data.get("actor")
    actor_id = actor.get("id") if isinstance(actor, dict) else None
    return (
        recorded_at if isinstance(recorded_at, str) else "",
        actor_id if isinstance(actor_id, str) else "",
    )
