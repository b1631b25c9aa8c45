"""Which cases cite an evidence file: the events are the only record of that.

A file is shown only to someone who may see a case whose events cite it, so the
question is asked of the events themselves (their stored JSON holds the hash as text),
and each citing case then goes through the read layer's scope like any case read.
"""

from __future__ import annotations

from uuid import UUID

from ledger.application import HazardLedger
from ledger.sqlstore import SqlStore


def citing_aggregates(ledger: HazardLedger, sha256: str) -> list[UUID]:
    """Ids of the aggregates with an event whose payload names ``sha256``."""
    sql = SqlStore(ledger.recorder.datastore)  # type: ignore[attr-defined]
    needle = sha256.encode()
    if sql.dialect == "postgres":
        condition = "position(?::bytea in state) > 0"
    else:
        condition = "instr(state, ?) > 0"
    events = ledger.own_tables()[0]
    rows = sql.fetchall(
        f"SELECT DISTINCT originator_id FROM {{schema}}.{events} WHERE {condition}", [needle]
    )
    return [UUID(str(row["originator_id"])) for row in rows]
