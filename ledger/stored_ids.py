"""Which of many aggregates the store already holds events of, in a few queries.

A bulk import creates many records; asking the repository for each one first (to learn
that it does not exist yet) is one read per record, on PostgreSQL one round trip. The
integrity log has one row per stored event, indexed by aggregate id and version, and is
written in the events' own transaction, so one indexed query per few hundred ids
answers for all of them (``UnitOfWork.absent`` takes the rest as new).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from .integrity.log import IntegrityLog

PER_QUERY = 500


def stored_aggregates(log: IntegrityLog, aggregate_ids: Iterable[UUID]) -> set[UUID]:
    """The ids among ``aggregate_ids`` that have at least one stored event."""
    t = log.tables
    wanted = list(dict.fromkeys(aggregate_ids))
    found: set[UUID] = set()
    for start in range(0, len(wanted), PER_QUERY):
        chunk = wanted[start : start + PER_QUERY]
        if t.postgres:
            rows = t.fetchall(
                f"SELECT DISTINCT originator_id::text FROM {t.log} WHERE originator_id = ANY(?)",
                (chunk,),
            )
        else:
            marks = ",".join("?" * len(chunk))
            rows = t.fetchall(
                f"SELECT DISTINCT originator_id FROM {t.log} WHERE originator_id IN ({marks})",
                [aggregate.hex for aggregate in chunk],
            )
        found.update(UUID(str(row[0])) for row in rows)
    return found
