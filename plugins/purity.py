"""Watching a hook for what would make it impure: the clock, randomness, files, the network.

A hook is pure when the same arguments give the same answer on any day, on any machine;
the ledger relies on that when it replays history. Patching functions cannot see a
plugin that did ``from datetime import datetime`` before the patch, so the calls are
watched instead, with a profile function, for as long as the hook runs: every call the
hook makes, directly or through a library, is seen by the function called. Calls are
recorded, not refused, so a plugin that swallows an exception is caught all the same.
"""

from __future__ import annotations

import builtins
import os
import pathlib
import random
import socket
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from types import CodeType, FrameType
from typing import Any

#: Built-in functions that read the clock, randomness, files or the network.
_BUILTINS: dict[int, str] = {
    id(builtins.open): "open()",
    id(os.open): "os.open()",
    id(os.urandom): "os.urandom()",
    id(time.time): "time.time()",
    id(time.time_ns): "time.time_ns()",
}

#: Clock-reading class methods of ``date`` and ``datetime`` (``datetime.now()``).
_CLOCK_METHODS = frozenset({"now", "utcnow", "today"})

#: Python functions that do the same, by their code object.
_FUNCTIONS: dict[CodeType, str] = {
    uuid.uuid1.__code__: "uuid.uuid1()",
    uuid.uuid4.__code__: "uuid.uuid4()",
    pathlib.Path.open.__code__: "Path.open()",
    pathlib.Path.read_text.__code__: "Path.read_text()",
    pathlib.Path.read_bytes.__code__: "Path.read_bytes()",
    socket.socket.__init__.__code__: "socket.socket()",
}

#: The module-level functions of ``random`` are methods of this shared instance.
_SHARED_RANDOM = random._inst
_RANDOM_FILE = random.__file__


def _where(frame: FrameType | None) -> str:
    if frame is None:
        return "?"
    return f"{frame.f_code.co_filename}:{frame.f_lineno}"


def _impure(frame: FrameType, event: str, arg: Any) -> str | None:
    """What the call starting here reaches for, or None when it is harmless."""
    if event == "c_call":
        if (name := _BUILTINS.get(id(arg))) is not None:
            return name
        owner = getattr(arg, "__self__", None)
        if owner is _SHARED_RANDOM:
            return f"random.{arg.__name__}()"
        if isinstance(owner, type) and issubclass(owner, date) and arg.__name__ in _CLOCK_METHODS:
            return f"{owner.__name__}.{arg.__name__}()"
        return None
    if event == "call":
        code = frame.f_code
        if (name := _FUNCTIONS.get(code)) is not None:
            return name
        if code.co_filename == _RANDOM_FILE and frame.f_locals.get("self") is _SHARED_RANDOM:
            return f"random.{code.co_name}()"
    return None


@contextmanager
def watching() -> Iterator[list[str]]:
    """Record, in call order, every impure call made in the ``with`` block.

    Each entry reads ``"datetime.now() at my_sector/__init__.py:42"``, naming the line
    that made the call (a library's own line when the hook went through one).
    """
    found: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        name = _impure(frame, event, arg)
        if name is not None:
            caller = frame if event == "c_call" else frame.f_back
            found.append(f"{name} at {_where(caller)}")

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        yield found
    finally:
        sys.setprofile(previous)
