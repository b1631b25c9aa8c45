"""Short links for printed documents: ``GET /p/{leaf-hash-prefix}`` and its clients.

A document too long for one QR code carries a linked seal (``seal.LINK_MAGIC``): every
proof but not the payloads. The link answers one logged event by the first
``LINK_PREFIX_HEX`` hex digits of its leaf hash: its leaf header, its stored payload (the
text the paper was derived from), and its inclusion proof under the latest signed
checkpoint. Verifiers check the payload against the hash sealed on paper, so the answer
proves itself and the service need not be trusted. 128 bits of leaf hash make the link
as hard to guess as a random token: whoever holds the paper (or could already read the
case) can follow it, nobody can enumerate the ledger through it. Decision 0030.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

import orjson

from ledger.application import HazardLedger
from ledger.integrity.leaf import LeafHeader, payload_hash
from ledger.integrity.log import stored_events_by_seq
from ledger.integrity.tables import LEAF_KEY, LEAF_KEY_BYTES

from .seal import LINK_PREFIX_HEX, Fetch, Seal, SealedEvent

#: A short link's key: at least ``LINK_PREFIX_HEX`` hex digits of a leaf hash, at most all.
PREFIX_PATTERN = f"^[0-9a-f]{{{LINK_PREFIX_HEX},64}}$"
_PREFIX = re.compile(PREFIX_PATTERN)
assert LINK_PREFIX_HEX >= 2 * LEAF_KEY_BYTES, "a short link must reach the indexed key"

#: The log rows a prefix names: one probe of the leaf-key index (a short link is public,
#: so its cost must not grow with the ledger), then the whole prefix compared.
LEAF_PREFIX_WHERE = f"{LEAF_KEY} = ? AND leaf_hash >= ? AND leaf_hash <= ?"


@dataclass(frozen=True, slots=True)
class LinkAnswer:
    """One logged event as its short link answers it."""

    header: LeafHeader
    leaf_hash: bytes
    payload_hash: bytes
    payload: bytes | None
    tree_size: int | None
    path: tuple[bytes, ...]
    note: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "leaf_hash": self.leaf_hash.hex(),
            "header": self.header.as_dict(),
            "payload_hash": self.payload_hash.hex(),
            # The stored JSON text; null once redacted (its bytes are gone).
            "payload": None if self.payload is None else self.payload.decode("utf-8"),
            "tree_size": self.tree_size,
            "path": [node.hex() for node in self.path],
            "checkpoint": self.note,
        }


def find_leaf(ledger: HazardLedger, prefix: str) -> LinkAnswer | None:
    """The one logged event whose leaf hash starts with ``prefix`` (lower-case hex, at
    least ``LINK_PREFIX_HEX`` digits), proved under the latest checkpoint; ``None`` for a
    malformed prefix, no match, or (never in practice) several."""
    if not _PREFIX.match(prefix):
        return None
    low = bytes.fromhex(prefix.ljust(64, "0"))
    high = bytes.fromhex(prefix.ljust(64, "f"))
    log = ledger.integrity
    rows = log._entry_rows(LEAF_PREFIX_WHERE, (low[:LEAF_KEY_BYTES], low, high))
    if len(rows) != 1:
        return None
    header, p_hash, l_hash = log._entry(rows[0])
    stored = stored_events_by_seq(log, [header.seq]).get(header.seq)
    payload = stored if stored is not None and payload_hash(stored) == p_hash else None
    checkpoint = log.latest_checkpoint()
    note = log.latest_note()
    if checkpoint is None or note is None or header.seq >= checkpoint.tree_size:
        return LinkAnswer(header, l_hash, p_hash, payload, None, (), None)
    path = tuple(
        log.proof_builder(checkpoint.tree_size).inclusion_path(header.seq, checkpoint.tree_size)
    )
    return LinkAnswer(header, l_hash, p_hash, payload, checkpoint.tree_size, path, note.text())


def _prefix(event: SealedEvent) -> str:
    return event.leaf_hash.hex()[:LINK_PREFIX_HEX]


def local_fetch(ledger: HazardLedger) -> Fetch:
    """The payloads a linked seal names, from this ledger (the service verifying a
    paper answers its own short links without a network round trip)."""

    def fetch(seal: Seal, event: SealedEvent) -> bytes | None:
        found = find_leaf(ledger, _prefix(event))
        return None if found is None else found.payload

    return fetch


def online_fetch(base_url: str, timeout: float = 10.0) -> Fetch:
    """The payloads a linked seal names, from the service at ``base_url`` (``GET
    /p/{prefix}``); any failure is "no answer", judged by the verifier."""
    base = base_url.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"--online: 须为 http(s) 地址 / not an http(s) address: {base_url!r}")

    def fetch(seal: Seal, event: SealedEvent) -> bytes | None:
        request = urllib.request.Request(
            f"{base}/p/{_prefix(event)}", headers={"Accept": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                body = orjson.loads(response.read(1 << 20))
        except (urllib.error.URLError, OSError, ValueError):
            return None
        payload = body.get("payload") if isinstance(body, dict) else None
        return payload.encode("utf-8") if isinstance(payload, str) else None

    return fetch
