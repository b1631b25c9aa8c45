"""Enterprises and their enforcement history: the base of the enterprise profile.

The profile itself (open hazards, repeats, enforcement) is a query joining these rows
with the hazard register (``queries.enterprise_profile``).
"""

from __future__ import annotations

from typing import Any

from ledger.enforcement import EnforcementAction
from ledger.enterprise import Enterprise

from .base import Projection, Rows, Table, id_text, month_of, ts
from .statistics import fen

TEXT, INT = "TEXT", "INTEGER"

ENTERPRISES = Table(
    "enterprises",
    (
        ("enterprise_id", TEXT),
        ("credit_code", TEXT),
        ("name", TEXT),
        ("region_code", TEXT),
        ("sectors", TEXT),
        ("address", TEXT),
        ("principal_name", TEXT),
        ("registered_at", TEXT),
    ),
    key=("enterprise_id",),
    indexes=(("credit_code",), ("region_code",)),
)
ACTIONS = Table(
    "enforcement_actions",
    (
        ("action_id", TEXT),
        ("enterprise_code", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("department", TEXT),
        ("kind", TEXT),
        ("document_number", TEXT),
        ("legal_basis", TEXT),
        ("fine_fen", INT),
        ("amount_paid_fen", INT),
        ("case_ids", TEXT),
        ("issued_at", TEXT),
        ("issued_month", TEXT),
        ("status", TEXT),
        ("executed_at", TEXT),
        ("ended_at", TEXT),
    ),
    key=("action_id",),
    indexes=(("enterprise_code", "issued_at"), ("issued_month", "region_code")),
)


class EnforcementRecords(Projection):
    name = "enforcement"
    version = 1
    tables = (ENTERPRISES, ACTIONS)
    handles = frozenset(
        {
            Enterprise.Registered,
            Enterprise.PrincipalChanged,
            Enterprise.DetailsChanged,
            EnforcementAction.Issued,
            EnforcementAction.Executed,
            EnforcementAction.Lifted,
            EnforcementAction.Revoked,
        }
    )

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        E, A = Enterprise, EnforcementAction
        if cls is E.Registered:
            rows.put(
                "enterprises",
                ENTERPRISES.empty_row(
                    enterprise_id=id_text(event.originator_id),
                    credit_code=event.credit_code,
                    name=event.name,
                    region_code=event.region_code,
                    sectors=",".join(event.sectors),
                    address=event.address,
                    principal_name=event.principal.name,
                    registered_at=ts(event.occurred_at),
                ),
            )
        elif cls in (E.PrincipalChanged, E.DetailsChanged):
            row = rows.get("enterprises", (id_text(event.originator_id),))
            if row is None:
                return
            if cls is E.PrincipalChanged:
                row["principal_name"] = event.principal.name
            else:
                row["name"], row["address"] = event.name, event.address
                row["sectors"] = ",".join(event.sectors)
            rows.put("enterprises", row)
        elif cls is A.Issued:
            rows.put(
                "enforcement_actions",
                ACTIONS.empty_row(
                    action_id=id_text(event.originator_id),
                    enterprise_code=event.enterprise_code,
                    region_code=event.region_code,
                    sector=event.sector,
                    department=event.department,
                    kind=str(event.kind),
                    document_number=event.document_number,
                    legal_basis=event.legal_basis,
                    fine_fen=fen(event.fine_amount),
                    amount_paid_fen=None,
                    case_ids=",".join(str(c) for c in event.case_ids),
                    issued_at=ts(event.occurred_at),
                    issued_month=month_of(event.occurred_at),
                    status="issued",
                ),
            )
        elif cls in (A.Executed, A.Lifted, A.Revoked):
            row = rows.get("enforcement_actions", (id_text(event.originator_id),))
            if row is None:
                return
            if cls is A.Executed:
                row["status"] = "executed"
                row["executed_at"] = ts(event.occurred_at)
                row["amount_paid_fen"] = (
                    None if event.amount_paid is None else fen(event.amount_paid)
                )
            else:
                row["status"] = "lifted" if cls is A.Lifted else "revoked"
                row["ended_at"] = ts(event.occurred_at)
            rows.put("enforcement_actions", row)
