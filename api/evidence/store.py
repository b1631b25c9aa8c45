"""Where evidence files live: beside the events, so one backup carries both.

``EvidenceStore`` is the interface (an object store can come later behind it); a SQLite
ledger keeps files in a directory beside its file (``ledger.db.evidence/ab/cdef…``), a
PostgreSQL ledger in a table of its schema. Files are written once under their hash and
never changed, so writing the same photo twice stores it once.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

from ledger.application import HazardLedger
from ledger.sqlstore import SqlStore

from .files import Accepted, media_type_of


class EvidenceStore(Protocol):
    """Content-addressed files: put bytes, get them back by their SHA-256."""

    def put(self, data: bytes, accepted: Accepted) -> None: ...

    def get(self, sha256: str) -> bytes | None: ...

    def has(self, sha256: str) -> bool:
        """Whether the file is stored (without reading it)."""
        ...


class DirectoryEvidence:
    """Files in a directory, two-level by hash (``ab/cdef…``), private to the owner."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def put(self, data: bytes, accepted: Accepted) -> None:
        target = self.path(accepted.sha256)
        if target.exists():
            return
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # write aside and rename: a reader never sees half a file
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None


class TableEvidence:
    """Files in a table of the ledger's own PostgreSQL schema."""

    TABLE = "{schema}.evidence_files"

    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql
        sql.script(
            [
                f"CREATE TABLE IF NOT EXISTS {self.TABLE} (sha256 TEXT PRIMARY KEY, "
                "media_type TEXT NOT NULL, size BIGINT NOT NULL, content BYTEA NOT NULL, "
                "stored_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            ]
        )

    def put(self, data: bytes, accepted: Accepted) -> None:
        self.sql.execute(
            f"INSERT INTO {self.TABLE} (sha256, media_type, size, content) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (sha256) DO NOTHING",
            [accepted.sha256, accepted.media_type, accepted.size, data],
        )

    def has(self, sha256: str) -> bool:
        row = self.sql.fetchone(f"SELECT 1 AS found FROM {self.TABLE} WHERE sha256 = ?", [sha256])
        return row is not None

    def get(self, sha256: str) -> bytes | None:
        row = self.sql.fetchone(f"SELECT content FROM {self.TABLE} WHERE sha256 = ?", [sha256])
        return None if row is None else bytes(row["content"])


def evidence_store(ledger: HazardLedger) -> EvidenceStore:
    """The evidence store that goes with this ledger's store."""
    store = ledger.store
    if store.is_postgres:
        return TableEvidence(SqlStore(ledger.recorder.datastore))  # type: ignore[attr-defined]
    return DirectoryEvidence(Path(f"{store.path}.evidence"))


__all__ = ["DirectoryEvidence", "EvidenceStore", "TableEvidence", "evidence_store", "media_type_of"]
