"""A witness (C2SP tlog-witness): cosign a log's checkpoint only if it extends the last.

The witness keeps, per log origin, the latest checkpoint it cosigned, in a state
directory of its own. ``add_checkpoint`` answers one request exactly as the protocol
says: 404 for an origin it does not know, 403 when no trusted log key signed the
checkpoint, 400 for a malformed request or an old size beyond the new one, 409 (with
its own size, ``text/x.tlog.size``) when the old size is not the one it cosigned or the
same size comes with another root, 422 when the consistency proof fails, else 200 with
its cosignature. Checking and recording the new state happen under one lock (threads
and processes), so that two requests can never roll the state back.

A forged history — even one signed with the log's real key — is refused here, because
it cannot be proven consistent with what the witness saw before; a checkpoint signed by
any other key is refused before that.
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ledger import merkle

from .cosignature import cosign
from .publish import SIZE_CONTENT_TYPE
from .signing import CheckpointError, SignedNote, SigningKey, parse_note
from .trust import TrustRoot

MAX_REQUEST = 64 * 1024
MAX_PROOF_LINES = 63
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Reply:
    """An HTTP answer: status, content type and body text."""

    status: int
    content_type: str
    text: str


def _refuse(status: int, why: str) -> Reply:
    return Reply(status, TEXT, why + "\n")


def parse_request(body: bytes) -> tuple[int, list[bytes], SignedNote]:
    """(old size, consistency proof, checkpoint) of an ``add-checkpoint`` body."""
    text = body.decode("utf-8")
    head, sep, note = text.partition("\n\n")
    if not sep:
        raise CheckpointError("no blank line after the old size and proof")
    lines = head.split("\n")
    old_line, proof_lines = lines[0], lines[1:]
    size_text = old_line.removeprefix("old ")
    if old_line == size_text or not size_text.isdigit() or size_text != str(int(size_text)):
        raise CheckpointError("the first line must be 'old <size>'")
    if len(proof_lines) > MAX_PROOF_LINES:
        raise CheckpointError("too many consistency proof lines")
    try:
        proof = [base64.b64decode(line, validate=True) for line in proof_lines]
    except binascii.Error:
        raise CheckpointError("a proof line is not base64") from None
    if any(len(p) != 32 for p in proof):
        raise CheckpointError("a proof line is not a SHA-256 hash")
    return int(size_text), proof, parse_note(note)


class Witness:
    """One witness: its key, the logs it follows, and its state directory."""

    def __init__(
        self,
        state: Path,
        key: SigningKey,
        logs: TrustRoot,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.state = state
        self.key = key
        self.logs = logs
        self.clock = clock
        self._lock = threading.Lock()
        state.mkdir(parents=True, exist_ok=True, mode=0o700)

    def _path(self, origin: str) -> Path:
        return self.state / (hashlib.sha256(origin.encode()).hexdigest()[:32] + ".checkpoint")

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        with self._lock, open(self.state / ".lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def latest(self, origin: str) -> SignedNote | None:
        """The latest checkpoint this witness cosigned for ``origin``."""
        path = self._path(origin)
        if not path.exists():
            return None
        return parse_note(path.read_text(encoding="utf-8"))

    def _record(self, note: SignedNote) -> None:
        path = self._path(note.origin)
        fd, temp = tempfile.mkstemp(dir=self.state, prefix=".tmp-")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(note.text())
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)

    def add_checkpoint(self, body: bytes) -> Reply:
        """Answer one ``add-checkpoint`` request (see the module docstring)."""
        if len(body) > MAX_REQUEST:
            return _refuse(413, "request too large")
        try:
            old, proof, note = parse_request(body)
        except (CheckpointError, UnicodeDecodeError, ValueError) as e:
            return _refuse(400, f"malformed request: {e}")
        if not any(k.origin in (None, note.origin) for k in self.logs.keys):
            return _refuse(404, "unknown log origin")
        if self.logs.accept(note) is None:
            return _refuse(403, "no signature of a trusted log key")
        if old > note.tree_size:
            return _refuse(400, "old size is beyond the checkpoint's size")
        with self._exclusive():
            seen = self.latest(note.origin)
            seen_size = seen.tree_size if seen is not None else 0
            if old != seen_size:
                return Reply(409, SIZE_CONTENT_TYPE, f"{seen_size}\n")
            if seen is not None and old == note.tree_size:
                if proof or seen.root != note.root:
                    return _refuse(409, "same tree size, different root")
            elif old == 0:
                if proof:
                    return _refuse(422, "a proof from size 0 must be empty")
            elif seen is None or not merkle.verify_consistency(
                old, note.tree_size, seen.root, note.root, proof
            ):
                return _refuse(422, "the consistency proof does not verify")
            timestamp = int(self.clock())
            self._record(SignedNote(note.origin, note.tree_size, note.root, note.signatures))
        return Reply(200, TEXT, cosign(self.key, note.body, timestamp).line())
