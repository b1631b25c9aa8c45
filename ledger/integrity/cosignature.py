"""Witness cosignatures (C2SP tlog-cosignature, Ed25519) and the ``K of N`` policy.

A witness (another agency's instance, for example the city for its counties) cosigns a
checkpoint only after checking it is consistent with every earlier one it saw, so a
checkpoint carrying ``K`` valid cosignatures was seen, append-only, by ``K`` parties
outside the operator. A cosignature is a signed-note line whose key id is
``SHA-256(name || "\\n" || 0x04 || public key)[:4]`` and whose signature is an 8-byte
big-endian timestamp followed by the Ed25519 signature of::

    cosignature/v1
    time <timestamp>
    <the checkpoint body>

Witnesses are configured, never read from the store: ``LEDGER_WITNESSES`` (or a file)
lists ``[url] <vkey>`` entries, one per line or separated by ``;``, and
``LEDGER_WITNESS_QUORUM`` is ``K`` (default: every listed witness).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .signing import CheckpointError, NoteSignature, SigningKey

COSIGNATURE_ALGORITHM = b"\x04"
WITNESSES_ENV_VAR = "LEDGER_WITNESSES"
QUORUM_ENV_VAR = "LEDGER_WITNESS_QUORUM"


def cosigned_message(body: str, timestamp: int) -> bytes:
    """What an Ed25519 cosignature signs: header, time line, then the checkpoint body."""
    return f"cosignature/v1\ntime {timestamp}\n{body}".encode()


@dataclass(frozen=True, slots=True)
class CosignerKey:
    """A witness's public key and name (a C2SP vkey of signature type 0x04)."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        material = self.name.encode() + b"\n" + COSIGNATURE_ALGORITHM + self.public_key
        return hashlib.sha256(material).digest()[:4]

    def to_text(self) -> str:
        encoded = base64.b64encode(COSIGNATURE_ALGORITHM + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def from_text(cls, text: str) -> CosignerKey:
        try:
            name, hex_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error) as e:
            raise CheckpointError(f"not a witness key: {e}") from None
        if len(raw) != 33 or raw[:1] != COSIGNATURE_ALGORITHM:
            raise CheckpointError("not an Ed25519 cosignature key (type 0x04)")
        key = cls(name, raw[1:])
        if key.key_id.hex() != hex_id.lower():
            raise CheckpointError("witness key id does not match its key")
        return key

    @classmethod
    def of(cls, key: SigningKey) -> CosignerKey:
        return cls(key.name, key.verifier.public_key)

    def timestamp_of(self, body: str, signature: NoteSignature) -> int | None:
        """The cosignature's time when ``signature`` is this key's valid one over ``body``."""
        if signature.name != self.name or signature.key_id != self.key_id:
            return None
        if len(signature.signature) != 8 + 64:
            return None
        timestamp = int.from_bytes(signature.signature[:8], "big")
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                signature.signature[8:], cosigned_message(body, timestamp)
            )
        except (InvalidSignature, ValueError):
            return None
        return timestamp


def cosign(key: SigningKey, body: str, timestamp: int) -> NoteSignature:
    """The witness ``key``'s cosignature line over a checkpoint body."""
    cosigner = CosignerKey.of(key)
    signature = key.sign(cosigned_message(body, timestamp))
    return NoteSignature(key.name, cosigner.key_id, timestamp.to_bytes(8, "big") + signature)


@dataclass(frozen=True, slots=True)
class WitnessEntry:
    """One configured witness: where to submit (None for a verifier) and its key."""

    url: str | None
    key: CosignerKey


@dataclass(frozen=True, slots=True)
class WitnessPolicy:
    """``quorum`` of the configured witnesses must cosign a checkpoint."""

    witnesses: tuple[WitnessEntry, ...] = ()
    quorum: int = 0

    @classmethod
    def parse(cls, text: str, quorum: int | None = None) -> WitnessPolicy:
        entries = []
        for item in text.replace(";", "\n").splitlines():
            words = item.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) > 2:
                raise CheckpointError(f"a witness entry is '[url] vkey': {item.strip()!r}")
            url = words[0] if len(words) == 2 else None
            entries.append(WitnessEntry(url, CosignerKey.from_text(words[-1])))
        chosen = len(entries) if quorum is None else quorum
        if not 0 <= chosen <= len(entries):
            raise CheckpointError(
                f"witness quorum {chosen} is not between 0 and the {len(entries)} witnesses"
            )
        return cls(tuple(entries), chosen)

    @classmethod
    def configured(cls, file: Path | None = None, quorum: int | None = None) -> WitnessPolicy:
        """From ``file`` if given, else ``$LEDGER_WITNESSES``; quorum likewise."""
        text = file.read_text() if file is not None else os.environ.get(WITNESSES_ENV_VAR, "")
        if quorum is None and os.environ.get(QUORUM_ENV_VAR):
            quorum = int(os.environ[QUORUM_ENV_VAR])
        return cls.parse(text, quorum)

    def cosigners(
        self, body: str, signatures: tuple[NoteSignature, ...] | list[NoteSignature]
    ) -> list[str]:
        """Names of the configured witnesses with a valid cosignature among ``signatures``."""
        found = []
        for entry in self.witnesses:
            if any(entry.key.timestamp_of(body, s) is not None for s in signatures):
                found.append(entry.key.name)
        return found

    def describe(self) -> str:
        return f"{self.quorum} of {len(self.witnesses)}"
