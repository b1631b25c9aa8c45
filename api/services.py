"""What one API process holds: the composed ledger plus the HTTP service's own parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.application import HazardLedger
from ledger.group_commit import GroupCommitter
from ledger.sqlstore import SqlStore
from plugins import Sectors

from .composition import Config, open_ledger
from .hot_reads import Lookups
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
    committer: GroupCommitter
    """Where routes send commands: concurrent requests share durable commits (its
    writer thread starts with the first command and stops in ``close``)."""

    _lookups: Lookups | None = None

    def lookups(self) -> Lookups:
        """The per-request questions of tokens and case versions, on a connection of
        their own (``api.hot_reads.Lookups``), made on first use."""
        if self._lookups is None:
            self._lookups = Lookups(self.ledger)
        return self._lookups

    def close(self) -> None:
        """Release what this process opened besides the ledger (the caller closes that),
        answering every command already queued first."""
        self.committer.close()
        self.snapshots.close()
        if self._lookups is not None:
            self._lookups.close()
            self._lookups = None

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
            committer=GroupCommitter(ledger),
        )
