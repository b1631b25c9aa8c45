"""Read-model snapshots "as known at" a moment, built on request for the "as of" control.

The register and the statistics answer "as the ledger knew it at T" from snapshot
tables that a rebuild with ``known_at=T`` fills (``ledger rebuild --known-at``). The web
interface's "as of" control asks for one here instead of sending officials to a shell.
There is one snapshot slot per store, so a build replaces the previous snapshot; builds
run one at a time per process, in a background thread, because a large ledger takes
minutes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ledger.application import HazardLedger
from plugins import Sectors


@dataclass
class SnapshotBuilder:
    """Builds one snapshot at a time and remembers how the last build went."""

    ledger: HazardLedger
    sectors: Sectors
    known_at: datetime | None = None
    state: str = "idle"
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _thread: threading.Thread | None = None

    def start(self, known_at: datetime) -> bool:
        """Begin building the snapshot at ``known_at``; False if another build is running."""
        with self._lock:
            if self.state == "building":
                return self.known_at == known_at
            self.known_at, self.state, self.error = known_at, "building", ""
            self.started_at, self.finished_at = datetime.now(tz=UTC), None
        self._thread = threading.Thread(target=self._build, name="snapshot", daemon=True)
        self._thread.start()
        return True

    def close(self, timeout: float = 60.0) -> None:
        """Wait for a build under way (the application is stopping)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _build(self) -> None:
        from projections.follower import Follower

        from .composition import read_models

        try:
            follower = Follower(self.ledger, read_models(self.sectors))
            try:
                follower.rebuild(known_at=self.known_at)
            finally:
                follower.close()
            outcome, error = "ready", ""
        except Exception as e:  # reported to the caller, who may try again
            logging.getLogger(__name__).exception("snapshot build failed")
            outcome, error = "failed", f"{type(e).__name__}: {e}"
        with self._lock:
            self.state, self.error = outcome, error
            self.finished_at = datetime.now(tz=UTC)

    def status(self) -> dict[str, Any]:
        with self._lock:
            return {
                "state": self.state,
                "known_at": self.known_at.isoformat() if self.known_at else None,
                "started_at": self.started_at.isoformat() if self.started_at else None,
                "finished_at": self.finished_at.isoformat() if self.finished_at else None,
                "error": self.error or None,
            }
