"""Writers to one SQLite file take turns in the kernel, not in SQLite's busy handler.

SQLite lets one writer in at a time. A writer that finds the lock taken is put to sleep
by SQLite's busy handler for 1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, then 100 ms at a
time, and may find the lock taken again when it wakes: under concurrent writers (the
group committers of several workers, the read-model follower) a write could wait far
longer than any other write took, and the slowest requests waited a hundred
milliseconds and more for a lock that had been free most of that time. Each write
transaction of the ledger therefore first takes its turn with ``flock`` on a file
beside the store (``<store>.write.lock``): a waiter is woken the moment the writer
before it finishes, and only then asks SQLite for its lock, which it then finds free
(writers that do not take turns here — another program — are still kept apart by
SQLite's own lock). Within a process the turn is reentrant per thread.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator

_turns: dict[str, _Turns] = {}
_turns_lock = threading.Lock()


class _Turns:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.thread_lock = threading.RLock()
        self.depth = 0


def _for(path: str) -> _Turns | None:
    given = os.path.abspath(path)  # no filesystem call per write: only the first resolves
    turns = _turns.get(given)
    if turns is not None:
        return turns
    key = os.path.realpath(given)
    with _turns_lock:
        turns = _turns.get(key)
        if turns is None:
            try:
                fd = os.open(f"{key}.write.lock", os.O_CREAT | os.O_RDWR, 0o600)
            except OSError:
                return None  # nowhere to put the file: SQLite's own lock still holds
            turns = _turns[key] = _Turns(fd)
        _turns[given] = turns
        return turns


@contextlib.contextmanager
def write_turn(path: str) -> Iterator[None]:
    """Hold the turn to write the SQLite file at ``path`` (an in-memory store or an
    unwritable directory: no turn is needed or possible, SQLite's lock decides)."""
    turns = None if path in ("", ":memory:") or "mode=memory" in path else _for(path)
    if turns is None:
        yield
        return
    import fcntl

    with turns.thread_lock:
        if turns.depth == 0:
            fcntl.flock(turns.fd, fcntl.LOCK_EX)
        turns.depth += 1
        try:
            yield
        finally:
            turns.depth -= 1
            if turns.depth == 0:
                fcntl.flock(turns.fd, fcntl.LOCK_UN)
