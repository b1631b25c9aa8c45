"""The composition root of the HTTP service: what one API process holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.application import HazardLedger
from ledger.sqlstore import SqlStore
from plugins import Sectors, load_sectors

from .hot_reads import VersionProbe
from .idempotency import IdempotencyStore
from .snapshots import SnapshotBuilder
from .users import UserDirectory, directory_for


@dataclass
class Metrics:
    """Counters exposed in Prometheus text format at /metrics."""

    requests: dict[tuple[str, int], int] = field(default_factory=dict)
    commands_recorded: int = 0
    commands_refused: int = 0

    def count(self, route: str, status: int) -> None:
        key = (route, status)
        self.requests[key] = self.requests.get(key, 0) + 1


@dataclass
class Services:
    ledger: HazardLedger
    users: UserDirectory
    idempotency: IdempotencyStore
    metrics: Metrics
    sectors: Sectors
    snapshots: SnapshotBuilder

    _probe: VersionProbe | None = None

    def version_probe(self) -> VersionProbe:
        """The fast path's connection for version checks, opened on first use."""
        if self._probe is None:
            self._probe = VersionProbe(self.ledger)
        return self._probe

    def close(self) -> None:
        """Release what this process opened besides the ledger (the caller closes that)."""
        self.snapshots.close()
        if self._probe is not None:
            self._probe.close()
            self._probe = None

    @classmethod
    def build(cls, ledger: HazardLedger) -> Services:
        """Services around ``ledger``; its sectors, or (if it has none) the installed ones."""
        sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
        sectors = ledger.sectors if isinstance(ledger.sectors, Sectors) else load_sectors()
        return cls(
            sectors=sectors,
            snapshots=SnapshotBuilder(ledger, sectors),
            ledger=ledger,
            users=directory_for(ledger),
            idempotency=IdempotencyStore(sql),
            metrics=Metrics(),
        )
