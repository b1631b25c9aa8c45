"""Which files an event cites: the SHA-256s in its ``evidence`` field.

An event names the photos and scans it rests on in ``evidence``. An entry
``sha256:<64 hex>`` (or the bare hex) names a file by its content, so the event's leaf
in the integrity log commits to the file's exact bytes; any other entry (a note, an
older reference) names no file and is kept as written. Decided here once: the HTTP
evidence routes, the bundle export and the offline bundle check all read citations so.

Who may cite a file is decided here too (``check_citations``): a file is cited only if it
was uploaded and the actor either uploaded it or can already see an event citing it.
Otherwise citing a hash would open the file to whoever cites it, or tell whether a file
somebody else uploaded is in the store. The ledger does not know where files live, so
the composition root hands it an ``EvidenceCheck``; a ledger without one (the Python API
of a trusted caller) accepts citations as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from .errors import refuse
from .identity import Actor
from .scope import Scope

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


class EvidenceCheck(Protocol):
    """Whether an actor acting in a scope may cite a file (by its hex SHA-256)."""

    def may_cite(self, digest: str, actor: Actor, scope: Scope) -> bool:
        """True if the file is stored and ``actor`` uploaded it or sees an event citing it."""
        ...


def check_citations(
    evidence: Iterable[str], actor: Actor, scope: Scope, checker: EvidenceCheck | None
) -> None:
    """Refuse a command citing a file ``actor`` may not cite (``EVIDENCE_UNKNOWN``).

    The refusal is the same whether the file was never uploaded or belongs to somebody
    out of sight, so a refusal tells nothing about other people's files. Entries that
    name no file are notes and are not checked.
    """
    if checker is None:
        return
    for entry in evidence:
        digest = citation(entry)
        if digest is not None and not checker.may_cite(digest, actor, scope):
            raise refuse(
                "EVIDENCE_UNKNOWN",
                "evidence",
                f"未找到证据文件 sha256:{digest}，请先上传该文件再引用",
                f"no evidence file sha256:{digest} was found; upload the file before citing it",
            )
