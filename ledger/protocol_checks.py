"""Python 3.12's cached protocol members, on Python 3.11.

The event-sourcing library checks ``isinstance(event, CanMutateProtocol)`` for every
event it replays into an aggregate and ``isinstance(obj, DomainEventProtocol)`` /
``CollectEventsProtocol`` for everything it saves. On Python 3.11 each such check
recomputes the protocol's member names by walking its MRO (``typing._get_protocol_attrs``),
about 11-17 µs a check measured here: more than judging a report's bounds, paid for
every event of every case read and several times per command. Python 3.12 computes the
names once, when the protocol class is made; this does the same on 3.11 by remembering
them per class on first use. The answers of ``isinstance`` do not change: a protocol's
members are fixed by its class body.
"""

from __future__ import annotations

import sys
import typing
import weakref
from collections.abc import Callable
from typing import Any


def install() -> None:
    """Remember protocol members per class (Python 3.11 only; idempotent)."""
    if sys.version_info >= (3, 12):
        return
    compute: Callable[[type], Any] = getattr(typing, "_get_protocol_attrs", None)  # type: ignore[assignment]
    if compute is None or getattr(compute, "remembers", False):
        return
    known: weakref.WeakKeyDictionary[type, Any] = weakref.WeakKeyDictionary()

    def remembered(cls: type) -> Any:
        try:
            return known[cls]
        except KeyError:
            attrs = known[cls] = frozenset(compute(cls))
            return attrs

    remembered.remembers = True  # type: ignore[attr-defined]
    typing._get_protocol_attrs = remembered  # type: ignore[attr-defined]
