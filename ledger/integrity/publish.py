"""Checkpoints leave the store: a directory of notes, and witnesses that cosign them.

Every checkpoint the log issues is written, as C2SP tlog-checkpoint text with its
signature and any cosignatures, to ``$LEDGER_CHECKPOINT_DIR`` — by default the
``checkpoints`` directory inside the key directory, so that wherever a key signs, its
checkpoints are kept outside the store without further setup (``published_directory``)
and ``ledger verify`` finds them there (``<size>.checkpoint``,
never overwritten by a smaller tree, plus ``checkpoint``, the latest) so that a copy
exists that a rewrite of the database does not touch, and is submitted to the
configured witnesses (C2SP tlog-witness ``add-checkpoint``) with a consistency proof
from the size each witness last cosigned. Neither may stop the ledger: a failure is
logged and the checkpoint stays valid without it.
"""

from __future__ import annotations

import base64
import logging
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from pathlib import Path

from .cosignature import WitnessEntry
from .signing import NoteSignature, SignedNote

LOG = logging.getLogger(__name__)
LATEST = "checkpoint"
SUFFIX = ".checkpoint"
SIZE_CONTENT_TYPE = "text/x.tlog.size"
SUBMIT_TIMEOUT = 5.0

ProofFor = Callable[[int], list[bytes]]


#: The published directory's name inside the key directory, when none is configured.
BESIDE_KEY = "checkpoints"


def published_directory(configured: str | Path | None, key_directory: Path) -> Path:
    """Where checkpoints are published: the configured directory (``--checkpoint-dir``,
    ``$LEDGER_CHECKPOINT_DIR``), else ``<key directory>/checkpoints``.

    The one rule for both sides: the log publishes there, and ``ledger verify`` compares
    with what it finds there, so a store cut back to an older signed checkpoint is caught
    by the default commands.
    """
    return Path(configured).expanduser() if configured else key_directory / BESIDE_KEY


def _write_atomically(path: Path, text: str) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def publish(directory: Path, note: SignedNote) -> Path:
    """Write ``note`` to ``directory``; ``checkpoint`` moves only forward in size."""
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{note.tree_size:012d}{SUFFIX}"
    _write_atomically(target, note.text())
    latest = directory / LATEST
    try:
        from .signing import parse_note

        current = parse_note(latest.read_text(encoding="utf-8")).tree_size
    except (OSError, ValueError):
        current = -1
    if note.tree_size >= current:
        _write_atomically(latest, note.text())
    return target


def add_checkpoint_body(old_size: int, proof: Sequence[bytes], note: str) -> bytes:
    """The tlog-witness ``add-checkpoint`` request body."""
    lines = [f"old {old_size}\n", *(base64.b64encode(p).decode() + "\n" for p in proof), "\n"]
    return ("".join(lines) + note).encode()


def post(url: str, body: bytes, timeout: float = SUBMIT_TIMEOUT) -> tuple[int, str, str]:
    """POST ``body`` to ``<url>/add-checkpoint``: (status, content type, text)."""
    request = urllib.request.Request(
        url.rstrip("/") + "/add-checkpoint",
        data=body,
        method="POST",
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), e.read().decode(errors="replace")


def submit(
    witness: WitnessEntry, note: SignedNote, old_size: int, proof_for: ProofFor
) -> NoteSignature | None:
    """Ask one witness to cosign ``note``; its cosignature, or None (logged why).

    ``old_size`` is the size the witness last cosigned as far as the ledger knows; when
    the witness says otherwise (409 with its size) the request is made once more from
    that size, as the protocol intends.
    """
    assert witness.url is not None
    for _ in range(2):
        proof = proof_for(old_size) if 0 < old_size < note.tree_size else []
        try:
            status, kind, text = post(
                witness.url, add_checkpoint_body(old_size, proof, note.text())
            )
        except (OSError, ValueError) as e:
            LOG.warning("witness %s unreachable: %s", witness.url, e)
            return None
        if status == 200:
            for line in text.splitlines():
                signature = NoteSignature.from_line(line)
                if signature and witness.key.timestamp_of(note.body, signature) is not None:
                    return signature
            LOG.warning("witness %s answered without a valid cosignature", witness.url)
            return None
        if status == 409 and kind == SIZE_CONTENT_TYPE and text.strip().isdigit():
            known = int(text.strip())
            if known != old_size and known <= note.tree_size:
                old_size = known
                continue
        LOG.warning(
            "witness %s refused tree size %d: %d %s",
            witness.url,
            note.tree_size,
            status,
            text.strip(),
        )
        return None
    return None
