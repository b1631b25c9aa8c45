"""What an evidence file may be: JPEG, PNG or PDF, at most 10 MB, judged by its bytes.

The declared content type and the file name are the uploader's word; the first bytes
are the file's. A file is refused with the ledger's usual Chinese/English violation
before anything is stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ledger.errors import refuse
from ledger.evidence import citation as citation  # the one reading of a citation

LIMIT_BYTES = 10 * 1024 * 1024
"""A phone photo is 2–6 MB; a scanned page at 300 dpi well under 10 MB."""

#: Leading bytes of each accepted kind, and its media type.
MEDIA_TYPES: dict[bytes, str] = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"%PDF-": "application/pdf",
}


@dataclass(frozen=True, slots=True)
class Accepted:
    """A file that may be stored: its hash, kind and size."""

    sha256: str
    media_type: str
    size: int

    @property
    def citation(self) -> str:
        """How a command cites it in ``evidence``."""
        return f"sha256:{self.sha256}"


def media_type_of(data: bytes) -> str | None:
    """The kind of file ``data`` is, from its first bytes; None when not accepted."""
    for magic, media_type in MEDIA_TYPES.items():
        if data.startswith(magic):
            return media_type
    return None


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def accept(data: bytes) -> Accepted:
    """The file's hash and kind, or the violation that refuses it."""
    if not data:
        raise refuse("EVIDENCE_EMPTY", "file", "证据文件为空", "the evidence file is empty")
    if len(data) > LIMIT_BYTES:
        limit, size = LIMIT_BYTES // 1048576, len(data) / 1048576
        raise refuse(
            "EVIDENCE_TOO_LARGE",
            "file",
            f"证据文件不能超过 {limit} MB（本文件超过 {size:.1f} MB）",
            f"an evidence file may be at most {limit} MB (this one is over {size:.1f} MB)",
        )
    media_type = media_type_of(data)
    if media_type is None:
        raise refuse(
            "EVIDENCE_TYPE",
            "file",
            "证据文件只能是 JPEG、PNG 照片或 PDF 扫描件",
            "an evidence file must be a JPEG or PNG photo or a PDF scan",
        )
    return Accepted(digest_of(data), media_type, len(data))
