"""Rebuilding read models in several processes at once.

A rebuild is bound by Python's single core: decoding events and folding them into rows.
Read models are independent of one another, so ``rebuild_in_parallel`` splits them into
groups and rebuilds each group in its own process, each reading the log itself. Every
group keeps the guarantees of ``Follower.rebuild``: its own build tables, position
committed with its rows, and a swap only when it is complete. On SQLite the processes
take turns at the file's write lock, one short batch transaction at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context

from .base import Projection

#: Builds the read-model list inside a worker process; must be picklable (a module-level
#: function or a ``functools.partial`` of one), since workers are spawned.
ProjectionFactory = Callable[[], list[Projection]]

#: Rough relative rebuild cost of the built-in read models, from rebuilding each alone
#: on a 300,000-event store (register and statistics dominate); plugin models count 1.
#: Only used to balance the groups.
COST = {"hazard_register": 5, "sector_statistics": 5, "enforcement": 1, "measures": 1}


def balanced_groups(names: Sequence[str], workers: int) -> list[list[str]]:
    """Split ``names`` into ``workers`` groups of about equal cost (largest first)."""
    groups: list[list[str]] = [[] for _ in range(max(1, min(workers, len(names))))]
    loads = [0] * len(groups)
    for name in sorted(names, key=lambda n: -COST.get(n, 1)):
        lightest = loads.index(min(loads))
        groups[lightest].append(name)
        loads[lightest] += COST.get(name, 1)
    return [g for g in groups if g]


def _rebuild_group(
    store: str,
    names: list[str],
    known_at: datetime | None,
    batch_size: int | None,
    factory: ProjectionFactory,
) -> int:
    from ledger.application import HazardLedger

    from .follower import REBUILD_BATCH, Follower

    ledger = HazardLedger(store, integrity=False)
    try:
        chosen = [p for p in factory() if p.name in names]
        follower = Follower(ledger, chosen, batch_size=batch_size or REBUILD_BATCH)
        try:
            return follower.rebuild(known_at=known_at)
        finally:
            follower.close()
    finally:
        ledger.close()


def rebuild_in_parallel(
    store: str,
    names: Sequence[str],
    *,
    workers: int,
    known_at: datetime | None = None,
    batch_size: int | None = None,
    factory: ProjectionFactory,
) -> int:
    """Rebuild ``names`` in ``workers`` processes; returns the events each one read."""
    groups = balanced_groups(names, workers)
    with ProcessPoolExecutor(len(groups), mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_rebuild_group, store, group, known_at, batch_size, factory)
            for group in groups
        ]
        return max(f.result() for f in futures)
