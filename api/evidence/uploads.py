"""Who uploaded each evidence file, and when: the record that lets the uploader cite it.

A file is stored once under its hash, however many people upload it, so the uploads are
kept apart from the bytes: one row per file and uploader, in the ledger's own store (the
same SQLite file or PostgreSQL schema), so a backup carries them with the events. An
upload records no event; the command citing the file is what enters the ledger.
"""

from __future__ import annotations

from datetime import datetime

from ledger.sqlstore import SqlStore

_DDL = [
    "CREATE TABLE IF NOT EXISTS {schema}.evidence_uploads ("
    " sha256 TEXT NOT NULL,"
    " uploader TEXT NOT NULL,"
    " uploaded_at TEXT NOT NULL,"
    " PRIMARY KEY (sha256, uploader))",
]


class Uploads:
    """The uploads of evidence files, by file and by the uploading actor's id."""

    def __init__(self, sql: SqlStore) -> None:
        self.sql = sql
        self._ready = False

    def _table(self) -> None:
        # Created on first use, so that merely opening a ledger writes nothing.
        if not self._ready:
            self.sql.script(_DDL)
            self._ready = True

    def record(self, sha256: str, uploader: str, at: datetime) -> None:
        """Note that ``uploader`` uploaded the file (the first upload's moment is kept)."""
        self._table()
        self.sql.execute(
            "INSERT INTO {schema}.evidence_uploads (sha256, uploader, uploaded_at) "
            "VALUES (?, ?, ?) ON CONFLICT (sha256, uploader) DO NOTHING",
            [sha256, uploader, at.isoformat()],
        )

    def uploaded_by(self, sha256: str, uploader: str) -> bool:
        """Whether ``uploader`` ever uploaded the file."""
        self._table()
        row = self.sql.fetchone(
            "SELECT 1 AS found FROM {schema}.evidence_uploads WHERE sha256 = ? AND uploader = ?",
            [sha256, uploader],
        )
        return row is not None
