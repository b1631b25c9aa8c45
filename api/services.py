"""What one API process holds: the composed ledger plus the HTTP service's own parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.application import HazardLedger
from ledger.sqlstore import SqlStore
from plugins import Sectors

from .composition import Config, open_ledger
from .hot_reads import VersionProbe
from .idempotency import IdempotencyStore
from .snapshots import SnapshotBuilder
from .users import UserDirectory


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
    def build(cls, ledger: HazardLedger, config: Config | None = None) -> Services:
        """Services around ``ledger``, composed as ``api.composition`` composes every
        entry point: its own sectors, or (if it has none) the configured ones."""
        composed = open_ledger(config or Config(), ledger=ledger)
        sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
        return cls(
            sectors=composed.sectors,
            snapshots=SnapshotBuilder(ledger, composed.sectors),
            ledger=ledger,
            users=composed.users,
            idempotency=IdempotencyStore(sql),
            metrics=Metrics(),
        )
