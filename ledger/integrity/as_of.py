"""The integrity log as it stood at a moment: what a record "as known at T" proves against.

A read asked with ``known_at=T`` must answer as a copy of the ledger holding only what
existed at T would answer now, proofs included. Leaves are appended in the order events
are committed (the writer holds the store's write lock while it numbers them), and each
leaf's header carries the event's recording time, so the log at T is a prefix of today's:

* its size is that of the smallest tree holding every event recorded by T. A writer
  reads the clock before it takes the write lock, so two writers at the same moment
  may commit in the opposite order to their clock readings; the cut is then the last
  leaf recorded by T, so that every event a review at T shows has its proof. With one
  writer at a time (or writers apart) it is exactly the number of events recorded by T.
* its signed checkpoints are those issued by T. A checkpoint signs the head of the log
  when it is issued, so one of a smaller tree than the log at T was issued before the
  next leaf was appended, whatever clock stamped it (imported ones carry no stamp); one
  of exactly that size counts if its stamp is no later than T.

Everything here is read from the stored leaves and checkpoints, so the answer for a
given T does not change as the log grows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from .signing import Checkpoint
from .tables import Tables

PAGE = 10_000  # leaves read per query when looking back for the cut


@dataclass(frozen=True, slots=True)
class LogAt:
    """The log's size and root at one moment, and the checkpoints issued by then."""

    tree_size: int
    root: bytes
    checkpoints: tuple[Checkpoint, ...]  # oldest (smallest tree) first

    @property
    def latest_checkpoint(self) -> Checkpoint | None:
        return self.checkpoints[-1] if self.checkpoints else None


def not_after(stamp: str, moment: datetime) -> bool:
    """Whether an ISO 8601 time stamp (a leaf's recorded time, a checkpoint's issue
    time) is at or before ``moment``; a missing or unreadable stamp is not."""
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        return False
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when <= moment


def size_at(tables: Tables, known_at: datetime) -> int:
    """The size of the log as known at ``known_at``: one past the last leaf recorded by
    then (0 when none was).

    Reads back from the newest leaf until it meets one recorded by ``known_at``: exact
    whatever the order of the recording times, and costs the leaves recorded since.
    """
    if known_at.tzinfo is None:
        raise ValueError("known_at must carry a time zone")
    below: int | None = None
    while True:
        where, params = ("", ()) if below is None else ("WHERE seq < ? ", (below,))
        rows = tables.fetchall(
            f"SELECT seq, recorded_at FROM {tables.log} {where}ORDER BY seq DESC LIMIT {PAGE}",
            params,
        )
        for seq, recorded_at in rows:
            if not_after(str(recorded_at), known_at):
                return int(seq) + 1
        if len(rows) < PAGE:
            return 0
        below = int(rows[-1][0])


def issued_by(
    checkpoints: Iterable[Checkpoint], known_at: datetime, tree_size: int
) -> tuple[Checkpoint, ...]:
    """The checkpoints issued by ``known_at``, given the log's size then (order kept)."""
    return tuple(
        c
        for c in checkpoints
        if c.tree_size < tree_size
        or (c.tree_size == tree_size and not_after(c.issued_at, known_at))
    )
