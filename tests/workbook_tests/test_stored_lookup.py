"""The workbook import learns which records exist in one query per block of rows."""

from __future__ import annotations

from uuid import uuid4

from ledger.application import HazardLedger
from ledger.enterprise import enterprise_id
from ledger.hazard import HazardCase
from ledger.stored_ids import PER_QUERY, stored_aggregates
from tests.conftest import FakeClock
from tests.support import RESTAURANT_CODE, assigned_case


def test_stored_aggregates_names_exactly_the_records_with_events(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    strangers = [uuid4() for _ in range(PER_QUERY + 3)]  # more than one query's worth
    wanted = [*strangers, case_id, enterprise_id(RESTAURANT_CODE), case_id]
    assert stored_aggregates(ledger.integrity, wanted) == {
        case_id,
        enterprise_id(RESTAURANT_CODE),
    }
    assert stored_aggregates(ledger.integrity, []) == set()


def test_a_unit_of_work_told_records_are_absent_keeps_those_it_has_read(
    ledger: HazardLedger, clock: FakeClock
) -> None:
    case_id = assigned_case(ledger, clock.now)
    new = uuid4()
    with ledger.batch(dry_run=True) as work:
        read = work.find(HazardCase, case_id)
        assert read is not None
        work.absent([new, case_id])
        assert work.find(HazardCase, new) is None
        assert work.find(HazardCase, case_id) is read
