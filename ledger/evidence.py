"""Which files an event cites: the SHA-256s in its ``evidence`` field.

An event names the photos and scans it rests on in ``evidence``. An entry
``sha256:<64 hex>`` (or the bare hex) names a file by its content, so the event's leaf
in the integrity log commits to the file's exact bytes; any other entry (a note, an
older reference) names no file and is kept as written. Decided here once: the HTTP
evidence routes, the bundle export and the offline bundle check all read citations so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

CITATION = re.compile(r"^(?:sha256:)?([0-9a-f]{64})$")


def citation(text: str) -> str | None:
    """The hex SHA-256 a citation (``sha256:<hex>`` or the bare hex) names, or None."""
    found = CITATION.match(text.strip().lower())
    return found.group(1) if found else None


def cited_files(state: Mapping[str, Any]) -> tuple[list[str], int]:
    """The files an event's stored state cites, in order without repeats, and how many of
    its ``evidence`` entries name no file."""
    entries = state.get("evidence")
    files: list[str] = []
    other = 0
    for entry in entries if isinstance(entries, list) else ():
        digest = citation(entry) if isinstance(entry, str) else None
        if digest is None:
            other += 1
        elif digest not in files:
            files.append(digest)
    return files, other
