"""Signing keys and signed checkpoints, in the transparency-log note formats.

A checkpoint is the plain text of C2SP ``tlog-checkpoint``::

    <origin>
    <tree size, decimal>
    <root hash, standard base64>

signed as a C2SP ``signed-note`` with Ed25519: the note is the checkpoint text, a blank
line, and one line ``— <key name> <base64(key id || signature)>`` where the 4-byte key
id is ``SHA-256(key name || "\\n" || 0x01 || public key)[:4]``. Standard tooling for
transparency logs (for example Go's ``golang.org/x/mod/sumdb/note``) can check it with
the verifier key ``<name>+<key id hex>+<base64(0x01 || public key)>``.

The private key lives in a directory outside the store (``--key-dir``, else
``$LEDGER_KEY_DIR``, else ``~/.config/hazard-ledger/keys``) with mode 0600, so that a
copy of the database alone can never forge a checkpoint.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

KEY_DIR_ENV_VAR = "LEDGER_KEY_DIR"
DEFAULT_KEY_DIR = Path("~/.config/hazard-ledger/keys")
DEFAULT_KEY_NAME = "hazard-ledger"
PRIVATE_KEY_FILE = "ledger-signing.key"
PUBLIC_KEY_FILE = "ledger-signing.pub"
ED25519_ALGORITHM = b"\x01"
SIGNATURE_DASH = "\u2014"


class CheckpointError(ValueError):
    """A checkpoint or key that cannot be parsed or does not verify."""


def key_dir(setting: str | Path | None = None) -> Path:
    """Where the signing key lives: the setting, else ``$LEDGER_KEY_DIR``, else default."""
    chosen = setting or os.environ.get(KEY_DIR_ENV_VAR) or DEFAULT_KEY_DIR
    return Path(chosen).expanduser()


def key_id(name: str, public_key: bytes) -> bytes:
    """The 4-byte key id of the signed-note format."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519_ALGORITHM + public_key).digest()[:4]


@dataclass(frozen=True, slots=True)
class VerifierKey:
    """A public key with its name: what an auditor needs to check checkpoints."""

    name: str
    public_key: bytes

    @property
    def key_id(self) -> bytes:
        return key_id(self.name, self.public_key)

    def to_text(self) -> str:
        """``name+keyidhex+base64(0x01||pub)``, the signed-note verifier key string."""
        encoded = base64.b64encode(ED25519_ALGORITHM + self.public_key).decode()
        return f"{self.name}+{self.key_id.hex()}+{encoded}"

    @classmethod
    def from_text(cls, text: str) -> VerifierKey:
        try:
            name, hex_id, encoded = text.strip().split("+", 2)
            raw = base64.b64decode(encoded, validate=True)
        except (ValueError, binascii.Error) as e:
            raise CheckpointError(f"not a verifier key: {e}") from None
        if len(raw) != 33 or raw[:1] != ED25519_ALGORITHM:
            raise CheckpointError("not an Ed25519 verifier key")
        key = cls(name=name, public_key=raw[1:])
        if key.key_id.hex() != hex_id.lower():
            raise CheckpointError("verifier key id does not match its key")
        return key

    def verify(self, message: bytes, signature: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True, slots=True)
class SigningKey:
    """An Ed25519 private key and its name."""

    name: str
    private_key: Ed25519PrivateKey

    @property
    def verifier(self) -> VerifierKey:
        raw = self.private_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        return VerifierKey(self.name, raw)

    def sign(self, message: bytes) -> bytes:
        return self.private_key.sign(message)


def create_keys(
    directory: Path, name: str = DEFAULT_KEY_NAME, *, force: bool = False
) -> SigningKey:
    """Make a new key pair in ``directory`` (private file 0600); refuse to overwrite."""
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    private_path = directory / PRIVATE_KEY_FILE
    if private_path.exists() and not force:
        raise FileExistsError(f"a signing key already exists: {private_path}")
    key = SigningKey(name, Ed25519PrivateKey.generate())
    pem = key.private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    private_path.unlink(missing_ok=True)
    fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(f"# key name: {name}\n".encode() + pem)
    os.chmod(private_path, 0o600)
    (directory / PUBLIC_KEY_FILE).write_text(key.verifier.to_text() + "\n")
    return key


def load_signing_key(directory: Path) -> SigningKey | None:
    """The signing key in ``directory``, or None when there is none."""
    path = directory / PRIVATE_KEY_FILE
    if not path.exists():
        return None
    data = path.read_bytes()
    first, _, pem = data.partition(b"\n")
    if not first.startswith(b"# key name: "):
        raise CheckpointError(f"{path}: missing the key name line")
    name = first.removeprefix(b"# key name: ").decode().strip()
    private = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise CheckpointError(f"{path}: not an Ed25519 key")
    return SigningKey(name, private)


def load_verifier_key(directory: Path) -> VerifierKey | None:
    path = directory / PUBLIC_KEY_FILE
    if not path.exists():
        return None
    return VerifierKey.from_text(path.read_text())


def checkpoint_body(origin: str, tree_size: int, root: bytes) -> str:
    """The tlog-checkpoint text: origin, size, base64 root, each ending in newline."""
    if not origin or "\n" in origin:
        raise CheckpointError("origin must be one non-empty line")
    return f"{origin}\n{tree_size}\n{base64.b64encode(root).decode()}\n"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the log named ``origin`` had ``tree_size`` leaves and ``root``."""

    origin: str
    tree_size: int
    root: bytes
    key_name: str
    key_id: bytes
    signature: bytes
    issued_at: str = ""

    @property
    def body(self) -> str:
        return checkpoint_body(self.origin, self.tree_size, self.root)

    def signed_note(self) -> str:
        """The checkpoint as a signed note, ready to publish or hand to an auditor."""
        blob = base64.b64encode(self.key_id + self.signature).decode()
        return f"{self.body}\n{SIGNATURE_DASH} {self.key_name} {blob}\n"

    def verify(self, key: VerifierKey) -> bool:
        """True when ``key`` signed exactly this origin, size and root."""
        if key.name != self.key_name or key.key_id != self.key_id:
            return False
        return key.verify(self.body.encode(), self.signature)

    def as_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "tree_size": self.tree_size,
            "root": self.root.hex(),
            "key_name": self.key_name,
            "key_id": self.key_id.hex(),
            "signature": self.signature.hex(),
            "issued_at": self.issued_at,
            "note": self.signed_note(),
        }


def sign_checkpoint(
    key: SigningKey, origin: str, tree_size: int, root: bytes, issued_at: str = ""
) -> Checkpoint:
    body = checkpoint_body(origin, tree_size, root)
    return Checkpoint(
        origin=origin,
        tree_size=tree_size,
        root=root,
        key_name=key.name,
        key_id=key.verifier.key_id,
        signature=key.sign(body.encode()),
        issued_at=issued_at,
    )


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a signed note: ``— <name> base64(key id || signature)``."""

    name: str
    key_id: bytes
    signature: bytes

    def line(self) -> str:
        blob = base64.b64encode(self.key_id + self.signature).decode()
        return f"{SIGNATURE_DASH} {self.name} {blob}\n"

    @classmethod
    def from_line(cls, line: str) -> NoteSignature | None:
        """The signature of ``line``, or None when it is not a well-formed one."""
        parts = line.rstrip("\n").split(" ")
        if len(parts) != 3 or parts[0] != SIGNATURE_DASH or not parts[1]:
            return None
        try:
            blob = base64.b64decode(parts[2], validate=True)
        except binascii.Error:
            return None
        if len(blob) <= 4:
            return None
        return cls(parts[1], blob[:4], blob[4:])


@dataclass(frozen=True, slots=True)
class SignedNote:
    """A checkpoint note with every signature line it carries (log key, cosigners, others)."""

    origin: str
    tree_size: int
    root: bytes
    signatures: tuple[NoteSignature, ...]

    @property
    def body(self) -> str:
        return checkpoint_body(self.origin, self.tree_size, self.root)

    def checkpoints(self) -> list[Checkpoint]:
        """Each Ed25519-sized signature as a ``Checkpoint`` (cosignatures are longer)."""
        return [
            Checkpoint(self.origin, self.tree_size, self.root, s.name, s.key_id, s.signature)
            for s in self.signatures
            if len(s.signature) == 64
        ]

    def signed_by(self, key: VerifierKey) -> Checkpoint | None:
        """The checkpoint as signed by ``key``, if one of the lines is its valid signature."""
        for checkpoint in self.checkpoints():
            if checkpoint.verify(key):
                return checkpoint
        return None

    def text(self) -> str:
        return self.body + "\n" + "".join(s.line() for s in self.signatures)


def parse_note(note: str) -> SignedNote:
    """Read a checkpoint note and all its signature lines (C2SP signed-note)."""
    body, sep, signatures = note.partition("\n\n")
    if not sep:
        raise CheckpointError("signed note has no blank line before its signatures")
    lines = body.split("\n")
    if len(lines) < 3:
        raise CheckpointError("checkpoint needs origin, tree size and root lines")
    origin, size_text, root_text = lines[0], lines[1], lines[2]
    if not size_text.isdigit() or (size_text != "0" and size_text.startswith("0")):
        raise CheckpointError(f"tree size is not a number: {size_text!r}")
    try:
        root = base64.b64decode(root_text, validate=True)
    except binascii.Error:
        raise CheckpointError("root hash is not base64") from None
    if len(root) != 32:
        raise CheckpointError("root hash is not 32 bytes")
    if checkpoint_body(origin, int(size_text), root) != body + "\n":
        raise CheckpointError("checkpoint text is not in canonical form")
    found = [NoteSignature.from_line(line) for line in signatures.splitlines()]
    return SignedNote(origin, int(size_text), root, tuple(s for s in found if s is not None))


def parse_signed_note(note: str) -> Checkpoint:
    """Read a signed checkpoint note (the first Ed25519 signature line is used)."""
    found = parse_note(note).checkpoints()
    if not found:
        raise CheckpointError("signed note carries no Ed25519 signature")
    return found[0]
