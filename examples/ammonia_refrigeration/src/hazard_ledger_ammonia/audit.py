"""``AUD-AMMONIA-MAJOR-OPEN``: a major ammonia hazard was still open at the incident."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from plugins.authoring import Dossier, EventRef, Finding, Parameter, Severity

SECTOR = "ammonia_refrigeration"


class MajorAmmoniaHazardOpen:
    """A major ammonia hazard known before the incident and not closed by then.

    Why: the 2013 ammonia disasters happened at plants whose ammonia hazards were on
    record and unresolved; the review must put such a hazard first.
    """

    code = "AUD-AMMONIA-MAJOR-OPEN"
    title_zh = "涉氨重大隐患事发时未消除"
    title_en = "Major ammonia hazard still open at the incident"
    description = (
        "A hazard of the ammonia refrigeration sector graded major before the incident "
        "and not closed before it. Anchor: 工贸企业重大事故隐患判定标准."
    )
    parameters: Sequence[Parameter] = ()

    def check(self, dossier: Dossier) -> Iterable[Finding]:
        cut = dossier.incident_at
        for case_id, history in dossier.cases.items():
            known = [e for e in history if e.timestamp <= cut and e.occurred_at <= cut]
            if not known or getattr(known[0], "sector", None) != SECTOR:
                continue
            grades = [e for e in known if type(e).__name__ == "Graded"]
            closed = any(type(e).__name__ == "Closed" for e in known)
            if grades and str(getattr(grades[-1], "grade", "")) == "major" and not closed:
                yield Finding(
                    self.code,
                    Severity.HIGH,
                    f"涉氨重大隐患（{getattr(known[0], 'location', '')}）于"
                    f"{_day(grades[-1].occurred_at)}定级，事发时仍未消除",
                    f"major ammonia hazard ({getattr(known[0], 'location', '')}) graded "
                    f"{_day(grades[-1].occurred_at)} was still open at the incident",
                    (EventRef.of(known[0]), EventRef.of(grades[-1])),
                    case_id,
                )


def _day(moment: datetime) -> str:
    return moment.date().isoformat()
