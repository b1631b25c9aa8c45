"""Whose jurisdiction a reader or a writer acts in: the one definition of scope.

Every read and every command takes a ``Scope``, so that no entry point can forget it:
outside its scope a thing does not exist for that viewer (the same answer as for an id
nobody ever used), so a caller cannot probe for what it may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Scope:
    """A jurisdiction: a region-code prefix, optionally some sectors, optionally one
    enterprise (an enterprise user sees only its own)."""

    region_prefix: str = ""
    sectors: frozenset[str] = field(default_factory=frozenset)
    enterprise_code: str = ""

    @classmethod
    def everything(cls) -> Scope:
        """No limit: the local operator at the terminal, a system job."""
        return cls()

    @property
    def unlimited(self) -> bool:
        return not (self.region_prefix or self.sectors or self.enterprise_code)

    def sees(self, *, region_code: str, sector: str, enterprise_code: str) -> bool:
        """Whether something in this region, sector and enterprise is in scope."""
        if not region_code.startswith(self.region_prefix):
            return False
        if self.sectors and sector not in self.sectors:
            return False
        return not (self.enterprise_code and enterprise_code != self.enterprise_code)

    def sees_enterprise(self, *, region_code: str, enterprise_code: str) -> bool:
        """Whether an enterprise (which may work in several sectors) is in scope at all."""
        if not region_code.startswith(self.region_prefix):
            return False
        return not (self.enterprise_code and enterprise_code != self.enterprise_code)

    def sees_sector(self, sector: str) -> bool:
        return not self.sectors or sector in self.sectors
