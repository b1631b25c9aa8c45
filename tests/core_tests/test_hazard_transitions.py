"""Every command against every situation a case can be in: the state machine as a table.

Each cell is either the status the case moves to (lower case: the command is legal)
or the rule a refusal must name (upper case). The table is written out by hand from
DOMAIN.md's life of a hazard, not computed from the code under test. A refusal must
leave the store exactly as it was: same version, same events, same rows.
"""

from __future__ import annotations

import pytest

from ledger.application import HazardLedger
from ledger.errors import RuleViolated
from ledger.hazard import Status
from tests.conftest import FakeClock
from tests.core_tests.walk import COMMANDS, SITUATIONS, footprint, step, walk_to

G = "ILLEGAL_TRANSITION_GRADE"
OS = "ILLEGAL_TRANSITION_RECTIFY_ON_THE_SPOT"
AS = "ILLEGAL_TRANSITION_ASSIGN"
FP = "ILLEGAL_TRANSITION_FILE_A_PLAN_FOR"
IC = "ILLEGAL_TRANSITION_RECORD_INTERIM_CONTROLS_ON"
EX = "ILLEGAL_TRANSITION_EXTEND_THE_DEADLINE_OF"
LI = "ILLEGAL_TRANSITION_LIST"
ES = "ILLEGAL_TRANSITION_ESCALATE"
RR = "ILLEGAL_TRANSITION_REPORT_RECTIFICATION_OF"
FA = "ILLEGAL_TRANSITION_FILE_AN_ASSESSMENT_FOR"
VE = "ILLEGAL_TRANSITION_VERIFY"
RO = "ILLEGAL_TRANSITION_REOPEN"
CWA = "CLOSE_WITHOUT_ACCEPTANCE"
DU = "DISMISS_ONLY_UNGRADED"
DF = "DISMISS_ONLY_FALSE_ALARM"
ONLY_MAJOR = "LISTING_ONLY_MAJOR"


def _row(**cells: str) -> dict[str, str]:
    assert set(cells) == set(COMMANDS), set(COMMANDS) ^ set(cells)
    return cells


# fmt: off
_ASSIGNED_GENERAL = _row(
    grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS,
    file_plan="PLAN_ONLY_MAJOR", interim_controls="assigned", extend_deadline="assigned",
    list_county=ONLY_MAJOR, list_city=ONLY_MAJOR, delist="NOT_LISTED", escalate="assigned",
    report_rectification="rectification_reported", file_assessment=FA,
    verify_accept=VE, verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
)

_CLOSED = _row(
    grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan=FP,
    interim_controls=IC, extend_deadline=EX, list_county=LI, list_city=LI,
    delist="NOT_LISTED", escalate=ES, report_rectification=RR, file_assessment=FA,
    verify_accept=VE, verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen="reopened",
    dismiss=DU,
)

_REPORTED_LISTED = _row(
    grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS,
    file_plan="rectification_reported", interim_controls="rectification_reported",
    extend_deadline=EX, list_county="ALREADY_LISTED", list_city="rectification_reported",
    delist="DELIST_BEFORE_CLOSE", escalate="rectification_reported", report_rectification=RR,
    file_assessment="rectification_reported", verify_accept="LISTED_NEEDS_ASSESSMENT",
    verify_reject="LISTED_NEEDS_ASSESSMENT", verify_by_reporter="SELF_VERIFICATION",
    close=CWA, reopen=RO, dismiss=DU,
)

_REPORTED = _row(
    grade_general="graded", grade_major="graded", rectify_on_spot=OS, assign=AS,
    file_plan=FP, interim_controls="reported", extend_deadline=EX, list_county=LI,
    list_city=LI, delist="NOT_LISTED", escalate="reported", report_rectification=RR,
    file_assessment=FA, verify_accept=VE, verify_reject=VE, verify_by_reporter=VE,
    close=CWA, reopen=RO, dismiss=DF,
)

TABLE: dict[str, dict[str, str]] = {
    "reported": _REPORTED,
    # A sensor's alarm: the only report that can be dismissed as false, and only now.
    "sensor_reported": {**_REPORTED, "dismiss": "dismissed"},
    "dismissed": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan=FP,
        interim_controls=IC, extend_deadline=EX, list_county=LI, list_city=LI,
        delist="NOT_LISTED", escalate=ES, report_rectification=RR, file_assessment=FA,
        verify_accept=VE, verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO,
        dismiss=DU,
    ),
    "graded": _row(
        grade_general="graded", grade_major="graded", rectify_on_spot="closed",
        assign="assigned", file_plan="PLAN_ONLY_MAJOR", interim_controls="graded",
        extend_deadline=EX, list_county=ONLY_MAJOR, list_city=ONLY_MAJOR, delist="NOT_LISTED",
        escalate="graded", report_rectification=RR, file_assessment=FA, verify_accept=VE,
        verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "graded_major": _row(
        grade_general="graded", grade_major="graded", rectify_on_spot="ON_SPOT_ONLY_GENERAL",
        assign="assigned", file_plan="graded", interim_controls="graded", extend_deadline=EX,
        list_county="graded", list_city="graded", delist="NOT_LISTED", escalate="graded",
        report_rectification=RR, file_assessment=FA, verify_accept=VE, verify_reject=VE,
        verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "graded_major_listed": _row(
        grade_general="LISTED_CANNOT_DOWNGRADE", grade_major="graded",
        rectify_on_spot="ON_SPOT_ONLY_GENERAL", assign="assigned", file_plan="graded",
        interim_controls="graded", extend_deadline=EX, list_county="ALREADY_LISTED",
        list_city="graded", delist="DELIST_BEFORE_CLOSE", escalate="graded",
        report_rectification=RR, file_assessment=FA, verify_accept=VE, verify_reject=VE,
        verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "assigned": _ASSIGNED_GENERAL,
    "rejected": _ASSIGNED_GENERAL,
    "assigned_major_no_plan": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan="assigned",
        interim_controls="assigned", extend_deadline="assigned", list_county="assigned",
        list_city="assigned", delist="NOT_LISTED", escalate="assigned",
        report_rectification="MAJOR_NEEDS_PLAN", file_assessment=FA, verify_accept=VE,
        verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "assigned_major": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan="assigned",
        interim_controls="assigned", extend_deadline="assigned", list_county="assigned",
        list_city="assigned", delist="NOT_LISTED", escalate="assigned",
        report_rectification="rectification_reported", file_assessment=FA, verify_accept=VE,
        verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "assigned_listed": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan="assigned",
        interim_controls="assigned", extend_deadline="assigned", list_county="ALREADY_LISTED",
        list_city="assigned", delist="DELIST_BEFORE_CLOSE", escalate="assigned",
        report_rectification="rectification_reported", file_assessment=FA, verify_accept=VE,
        verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "rectification_reported": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS,
        file_plan="PLAN_ONLY_MAJOR", interim_controls="rectification_reported",
        extend_deadline=EX, list_county=ONLY_MAJOR, list_city=ONLY_MAJOR, delist="NOT_LISTED",
        escalate="rectification_reported", report_rectification=RR,
        file_assessment="ASSESSMENT_ONLY_LISTED", verify_accept="verified",
        verify_reject="assigned", verify_by_reporter="SELF_VERIFICATION", close=CWA, reopen=RO,
        dismiss=DU,
    ),
    "rectification_reported_listed": _REPORTED_LISTED,
    "assessment_filed": {
        **_REPORTED_LISTED, "verify_accept": "verified", "verify_reject": "assigned",
    },
    "verified": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan=FP,
        interim_controls="verified", extend_deadline=EX, list_county=ONLY_MAJOR,
        list_city=ONLY_MAJOR, delist="NOT_LISTED", escalate="verified",
        report_rectification=RR, file_assessment=FA, verify_accept=VE, verify_reject=VE,
        verify_by_reporter=VE, close="closed", reopen=RO, dismiss=DU,
    ),
    "verified_listed": _row(
        grade_general=G, grade_major=G, rectify_on_spot=OS, assign=AS, file_plan=FP,
        interim_controls="verified", extend_deadline=EX, list_county="ALREADY_LISTED",
        list_city="verified", delist="DELIST_BEFORE_CLOSE", escalate="verified",
        report_rectification=RR, file_assessment=FA, verify_accept=VE, verify_reject=VE,
        verify_by_reporter=VE, close="closed", reopen=RO, dismiss=DU,
    ),
    "closed": _CLOSED,
    "closed_on_spot": _CLOSED,
    "closed_listed": {**_CLOSED, "delist": "closed"},
    "delisted": _CLOSED,
    "reopened": _row(
        grade_general="graded", grade_major="graded", rectify_on_spot="closed",
        assign="assigned", file_plan="PLAN_ONLY_MAJOR", interim_controls="reopened",
        extend_deadline=EX, list_county=ONLY_MAJOR, list_city=ONLY_MAJOR, delist="NOT_LISTED",
        escalate="reopened", report_rectification=RR, file_assessment=FA, verify_accept=VE,
        verify_reject=VE, verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
    "reopened_listed": _row(
        grade_general="LISTED_CANNOT_DOWNGRADE", grade_major="graded",
        rectify_on_spot="ON_SPOT_ONLY_GENERAL", assign="assigned", file_plan="reopened",
        interim_controls="reopened", extend_deadline=EX, list_county="ALREADY_LISTED",
        list_city="reopened", delist="DELIST_BEFORE_CLOSE", escalate="reopened",
        report_rectification=RR, file_assessment=FA, verify_accept=VE, verify_reject=VE,
        verify_by_reporter=VE, close=CWA, reopen=RO, dismiss=DU,
    ),
}

#: The status each situation is in, so that a broken walk fails loudly, not silently.
SITUATION_STATUS = {
    "reported": "reported", "graded": "graded", "graded_major": "graded",
    "graded_major_listed": "graded", "assigned": "assigned", "rejected": "assigned",
    "assigned_major_no_plan": "assigned", "assigned_major": "assigned",
    "assigned_listed": "assigned", "rectification_reported": "rectification_reported",
    "rectification_reported_listed": "rectification_reported",
    "assessment_filed": "rectification_reported", "verified": "verified",
    "verified_listed": "verified", "closed": "closed", "closed_on_spot": "closed",
    "closed_listed": "closed", "delisted": "closed", "reopened": "reopened",
    "reopened_listed": "reopened", "sensor_reported": "reported", "dismissed": "dismissed",
}
# fmt: on

CELLS = [(s, c) for s in TABLE for c in COMMANDS]


def test_table_covers_every_situation_and_status() -> None:
    assert set(TABLE) == set(SITUATIONS) == set(SITUATION_STATUS)
    assert {Status(s) for s in SITUATION_STATUS.values()} == set(Status)
    for row in TABLE.values():
        assert set(row) == set(COMMANDS)


@pytest.mark.parametrize(("situation", "command"), CELLS, ids=[f"{s}-{c}" for s, c in CELLS])
def test_transition(ledger: HazardLedger, clock: FakeClock, situation: str, command: str) -> None:
    case_id = walk_to(ledger, clock, situation)
    assert ledger.case(case_id).status == SITUATION_STATUS[situation]
    before = footprint(ledger, case_id)
    expected = TABLE[situation][command]

    if expected.isupper():
        with pytest.raises(RuleViolated) as refused:
            step(ledger, clock, case_id, command)
        assert expected in [v.rule for v in refused.value.violations]
        for violation in refused.value.violations:
            assert violation.field and violation.message_zh and violation.message_en
        assert footprint(ledger, case_id) == before
        # A new application on the same store sees the same, untouched case.
        fresh = HazardLedger(ledger.store, clock=clock)
        try:
            assert footprint(fresh, case_id) == before
        finally:
            fresh.close()
    else:
        version = step(ledger, clock, case_id, command)
        after = ledger.case(case_id)
        assert after.status == expected
        assert version == after.version == before.version + 1
        history = ledger.history(case_id)
        assert len(history) == before.events + 1
        assert history[-1].timestamp == clock.now
        after_footprint = footprint(ledger, case_id)
        assert after_footprint.stored_rows == before.stored_rows + 1
