"""The composition root of the HTTP service: what one API process holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from ledger.application import HazardLedger
from ledger.sqlstore import SqlStore

from .idempotency import IdempotencyStore
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

    @classmethod
    def build(cls, ledger: HazardLedger) -> Services:
        sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
        return cls(
            ledger=ledger,
            users=directory_for(ledger),
            idempotency=IdempotencyStore(sql),
            metrics=Metrics(),
        )
