"""Who did it: the identity recorded on every event.

The actor comes from the authenticated identity (a token, the CLI's configured user),
never from a request body, and is stored as a structured object so that an
accountability review can group and compare actors without parsing free text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """The parts people play (see DOMAIN.md, "Who uses the ledger")."""

    INSPECTOR = "inspector"  # 执法检查人员、网格员、专家
    ENTERPRISE = "enterprise"  # 生产经营单位
    DEPARTMENT = "department"  # 行业主管部门
    GOVERNMENT = "government"  # 属地政府、安委办
    AUDITOR = "auditor"  # 督查组、纪委监委、事故调查组
    ADMIN = "admin"
    SYSTEM = "system"  # imports and sensors, always with the person who ran them


@dataclass(frozen=True, slots=True)
class Actor:
    """A person acting in a role for an organisation.

    ``id`` is stable across name changes (an employee number, an ID-card hash, or the
    ledger user name); ``organisation`` is the department name or the enterprise's
    unified social credit code.
    """

    id: str
    name: str
    role: Role
    organisation: str = ""

    def __post_init__(self) -> None:
        if not self.id.strip():
            raise ValueError("actor id must not be empty")
        object.__setattr__(self, "role", Role(self.role))

    def label(self) -> str:
        org = f" ({self.organisation})" if self.organisation else ""
        return f"{self.name}{org}"
