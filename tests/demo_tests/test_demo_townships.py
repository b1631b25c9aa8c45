"""The demo county's townships, their leaders' posts changing hands, and the fire as an
accident the review starts from."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from eventsourcing.utils import get_topic

from api.demo.generator import TOWNSHIP_HANDOVERS, CountyYear
from ledger.accident import AccidentLevel
from ledger.application import HazardLedger
from ledger.division_lists import TOWNSHIPS
from ledger.enterprise import Enterprise
from ledger.responsibility import Duty
from ledger.scope import Scope
from projections.reads import Reads

CHENGGUAN = "620826100"


def test_the_demo_county_has_its_townships_posts_and_accident(tmp_path: Path) -> None:
    moment = [datetime(2026, 1, 1, tzinfo=UTC)]
    ledger = HazardLedger(str(tmp_path / "county.db"), clock=lambda: moment[0])
    try:
        planted = CountyYear(
            ledger,
            lambda t: moment.__setitem__(0, t),
            hazards=200,
            until=datetime(2026, 8, 1, tzinfo=UTC),
        ).run()
        # Every enterprise sits in a real township of 静宁县 (NBS 2023 list).
        regions = {
            ledger.mapper.to_domain_event(n).region_code  # type: ignore[attr-defined]
            for n in ledger.recorder.select_notifications(
                None, 10_000, topics=[get_topic(Enterprise.Registered)]
            )
        }
        assert regions and regions <= set(TOWNSHIPS)
        assert CHENGGUAN in regions and len(regions) > 1

        # 城关镇's leader changed hands before the fire; the county's post is another one.
        month, day = TOWNSHIP_HANDOVERS["城关镇"]
        handover = datetime(2026, month, day, 9, tzinfo=planted.incident_at.tzinfo)
        post = ledger.post(Duty.GOVERNMENT_LEADER, CHENGGUAN)
        before = post.holder_on(handover - timedelta(days=1))
        after = post.holder_on(planted.incident_at)
        assert before is not None and after is not None and before != after
        county = ledger.post(Duty.GOVERNMENT_LEADER, "620826").holder_on(planted.incident_at)
        assert county is not None and county not in (before, after)

        # The fire is an accident; the review from it names the township's leader of the day.
        assert planted.accident_id is not None
        accident = ledger.accident(planted.accident_id)
        assert accident.level is AccidentLevel.GENERAL and accident.region_code == CHENGGUAN
        report = Reads(ledger).accident_review(planted.accident_id, scope=Scope.everything())
        assert report["incident_at"] == planted.incident_at.isoformat()
        leaders = {
            link["region_code"]: link["holder"]["name"]
            for link in report["responsibility_chain"]
            if link["link"] == "government_leader"
        }
        assert leaders == {CHENGGUAN: after.name, "620826": county.name}
        assert ledger.integrity.verify().ok
    finally:
        ledger.close()
