"""Which department a hazard may be assigned to (双重交办): the names the ledger knows.

A rectification is assigned at once to the sector's competent department, and the
department rankings group hazards by the name written on the assignment, so "静宁县住建局"
and "静宁县住房和城乡建设局" would be two departments. The ledger already records who the
competent departments are: every post of a department's official in charge
(``ResponsibilityPost``, duty ``department_official``) names its organisation for a
sector and a division. Those are the known departments of a hazard: the organisations
of its sector's department posts at the enterprise's division and every division above
it (a township's hazard may go to the county's department).

Where the region has such posts, an assignment must name one of them (spaces aside) and
is recorded under that exact name; another name is refused with the closest known one
suggested. Where it has none, the name is free text as before, so a county that has not
set up its posts loses nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from uuid import UUID

from .codes import jurisdictions
from .errors import refuse
from .responsibility import Duty, ResponsibilityPost, post_id

FindPosts = Callable[
    [type[ResponsibilityPost], Sequence[UUID]], Sequence[ResponsibilityPost | None]
]


def known_departments(find_each: FindPosts, region_code: str, sector: str) -> list[str]:
    """The organisations of the sector's department posts covering ``region_code``,
    nearest division first, each once (the posts are asked for together)."""
    divisions = jurisdictions(region_code)
    ids = [post_id(Duty.DEPARTMENT_OFFICIAL, division, sector) for division in divisions]
    names: list[str] = []
    for post in find_each(ResponsibilityPost, ids):
        if post is not None and post.organisation not in names:
            names.append(post.organisation)
    return names


def _plain(name: str) -> str:
    return "".join(name.split())


def checked_department(department: str, known: list[str]) -> str:
    """The name to record for ``department``: the known name it matches (spaces aside),
    or ``department`` itself when nothing is known; refused when it matches none."""
    if not known or not department.strip():
        return department  # the hazard's own rule refuses a blank department
    for name in known:
        if _plain(name) == _plain(department):
            return name
    closest = max(
        known, key=lambda name: difflib.SequenceMatcher(None, _plain(department), name).ratio()
    )
    listed = "、".join(known)
    raise refuse(
        "DEPARTMENT_UNKNOWN",
        "department",
        f"“{department.strip()}”不是本地区登记的该行业主管部门，应为“{closest}”"
        + (f"（本地区登记的：{listed}）" if len(known) > 1 else ""),
        f"{department.strip()!r} is not a competent department registered for this region "
        f"and sector; did you mean {closest!r}?"
        + (f" (registered: {', '.join(known)})" if len(known) > 1 else ""),
    )


def department_for(find_each: FindPosts, region_code: str, sector: str, department: str) -> str:
    """``checked_department`` against the known departments of the hazard's place."""
    return checked_department(department, known_departments(find_each, region_code, sector))
