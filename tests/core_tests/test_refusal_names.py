"""A refusal names the role and the action as people call them, in Chinese and English,
never by their codes (``inspector``, ``close_hazard``) — for every role and action of
the table."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ledger.commands import CloseHazard
from ledger.identity import Role
from ledger.permissions import PERMISSIONS, NotPermitted, action_name, allowed, require

CODE = re.compile(r"[a-z]+_[a-z_]+")


@given(st.sampled_from(list(Role)), st.sampled_from(list(PERMISSIONS)))
def test_every_refusal_names_role_and_action_without_codes(role: Role, action: object) -> None:
    if allowed(role, action):  # type: ignore[arg-type]
        return
    try:
        require(role, action)  # type: ignore[arg-type]
    except NotPermitted as refused:
        zh, en = refused.message("zh"), refused.message("en")
    else:
        raise AssertionError("not refused")
    name = action_name(action)  # type: ignore[arg-type]
    assert name not in zh
    assert "_" not in name or name not in en  # ``escalate`` is also the English word
    assert f"“{role.value}”" not in zh and not CODE.search(zh)
    assert not CODE.search(en) and not re.search(r"[\u4e00-\u9fff]", en)


def test_the_inspector_closing_a_hazard_reads_plainly() -> None:
    try:
        require(Role.INSPECTOR, CloseHazard)
    except NotPermitted as refused:
        assert refused.message("zh") == "执法检查人员无权执行“隐患销号”"
        assert refused.message("en") == "a user with the role inspector may not close a hazard"
        assert refused.action == "close_hazard"  # the code stays for programs
