"""The read models' follower in a process of its own, started by the API worker that
holds the store's follower lease (``api.app``).

Folding new events into the read models is Python work done in bursts; in a worker it
held the interpreter's lock against the requests' event loop and the group committer,
and its batches of a second's events held the store's write turn long enough to stop
the commits queued behind them: report POSTs on SQLite had p99 of 140-200 ms with the
follower in the worker and 11-14 ms without it. Here the folding has an interpreter
of its own, and a batch a fifth of a second long is short to write.

The process ends when its parent does (it watches its parent's pid), and the worker
starts a new one if it ends early. Its lease stays with the worker, so exactly one
follows per store.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from projections.follower import Follower

    from .composition import Ledger

#: Seconds between catch-ups: short batches hold the write turn briefly.
INTERVAL = 0.2
#: Events written per transaction. Writing a batch holds the store's write turn, and the
#: report POSTs' commits queue behind it: at 3,000 reports/s a catch-up's 600 events in
#: one transaction held the turn 65-110 ms on a loaded machine, in transactions of 250
#: 29-34 ms, for the same CPU per event within the noise. A catch-up still reaches the
#: head of the log: it writes batch after batch.
BATCH = 250


def follower(composed: Ledger) -> Follower:
    """The follower of ``composed``'s read models, in transactions of ``BATCH`` events."""
    return composed.follower(batch_size=BATCH)


def main(argv: list[str]) -> None:
    from .composition import Config, open_ledger

    settings = json.loads(argv[0])
    parent = os.getppid()
    plugins = settings.get("plugins")
    composed = open_ledger(
        Config(
            store=settings.get("store"),
            plugins=None if plugins is None else tuple(plugins),
            key_dir=settings.get("key_dir"),
        )
    )
    folds = follower(composed)
    try:
        while os.getppid() == parent:
            try:
                folds.catch_up()
            except Exception:  # a store hiccup: try again on the next tick
                logging.getLogger(__name__).exception("read-model follower failed; retrying")
            time.sleep(INTERVAL)
    finally:
        folds.close()
        composed.close()


if __name__ == "__main__":
    main(sys.argv[1:])
