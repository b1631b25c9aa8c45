"""Files and directories that no process of a test can write, whoever runs it.

Mode bits (0444, 0555) do not stop root, which test containers often run as: for root
the immutable attribute (``chattr +i``) is set as well, which stops root too. Where
neither holds (root on a file system without the attribute, or without the capability
to set it), ``unwritable`` says so, and a test that needs the kernel to refuse skips.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path


def _refused(path: Path) -> bool:
    """Whether the kernel now refuses to write ``path`` (or to add a file to it)."""
    if path.is_dir():
        try:
            fd, name = tempfile.mkstemp(dir=path)
        except OSError:
            return True
        os.close(fd)
        os.unlink(name)
        return False
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError:
        return True
    os.close(fd)
    return False


def _chattr(flag: str, paths: list[Path]) -> None:
    if paths and shutil.which("chattr") is not None:
        subprocess.run(
            ["chattr", flag, *map(str, paths)], check=False, capture_output=True, timeout=30
        )


@contextlib.contextmanager
def unwritable(*paths: Path) -> Iterator[bool]:
    """Make each of ``paths`` (files 0444, directories 0555; not their contents) unwritable
    for the block, and set them back after it. Yields whether the kernel now refuses
    every write to them."""
    modes = {path: path.stat().st_mode & 0o7777 for path in paths}
    root = os.geteuid() == 0
    try:
        for path in paths:
            path.chmod(0o555 if path.is_dir() else 0o444)
        if root:
            _chattr("+i", list(paths))
        yield all(_refused(path) for path in paths)
    finally:
        if root:
            _chattr("-i", list(paths))
        for path, mode in modes.items():
            path.chmod(mode)
