"""Writers that load a case, wait for each other, then save: a race made certain.

The pause sits in a validator, which the ledger runs after loading the case and before
saving it, so every writer holds the same version when it tries to save. Used from
threads and from separate processes (importable, picklable, no closures).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from ledger.application import HazardLedger
from ledger.commands import Command
from ledger.errors import ConcurrentChange, Violation
from ledger.identity import Actor, Role


class WaitForOthers:
    """A validator that blocks until every writer has loaded the case."""

    def __init__(self, barrier: Any) -> None:
        self.barrier = barrier

    def __call__(self, command: Command, *, sector: str, subject: Any) -> Iterable[Violation]:
        self.barrier.wait(timeout=60)
        return ()


def attempt(ledger: HazardLedger, command: str, case_id: UUID, actor: Actor, at: datetime) -> str:
    """Issue ``command``; report "saved" or "conflict"."""
    try:
        if command == "verify":
            ledger.verify_rectification(actor, at, case_id, accepted=True, opinion="整改到位")
        elif command == "extend":
            current = ledger.case(case_id).deadline
            assert current is not None
            ledger.extend_deadline(
                actor,
                at,
                case_id,
                new_deadline=current + timedelta(days=10),
                reason=f"{actor.name}批准延期",
                approver=actor.name,
            )
        else:
            raise ValueError(command)
    except ConcurrentChange:
        return "conflict"
    return "saved"


def process_writer(
    store_url: str, command: str, case_id: UUID, n: int, at: datetime, barrier: Any, results: Any
) -> None:
    """Entry point of a writer process: its own application, its own connections."""
    actor = Actor(f"dept-{100 + n}", f"复查员{n}", Role.DEPARTMENT, "静宁县住建局")
    ledger = HazardLedger(store_url, clock=lambda: at, validators=[WaitForOthers(barrier)])
    try:
        results.put((n, attempt(ledger, command, case_id, actor, at)))
    except BaseException as e:  # report, do not hang the parent
        results.put((n, f"error: {e!r}"))
    finally:
        ledger.close()
