"""Sectors and their criterion catalogues, and grading suggestions for a hazard."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter

from plugins import Facts

from ..deps import ServicesDep
from ..response_models import Plugins, Suggestions
from ..security import CurrentUser
from .common import READ_ERRORS
from .reading import KnownAt, ReadsDep, answering

router = APIRouter(tags=["sectors 行业领域"])


@router.get("/plugins", response_model=Plugins, responses=READ_ERRORS)
async def plugins(services: ServicesDep, user: CurrentUser) -> dict[str, Any]:
    """Loaded sector plugins, their sectors, detail fields and catalogue editions."""
    return services.sectors.describe()


@router.get("/hazards/{case_id}/suggestions", response_model=Suggestions, responses=READ_ERRORS)
async def suggestions(
    services: ServicesDep,
    reads: ReadsDep,
    case_id: UUID,
    user: CurrentUser,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """Criteria of the catalogue in force that the hazard's facts appear to match, from
    the case as recorded by ``known_at`` and the catalogue in force then.

    Advice to the grader only: nothing is recorded, and the grade stays the grader's.
    """
    with answering(known_at):
        case = reads.hazard(case_id, scope=user.scope, known_at=known_at)
    facts = Facts(case.sector, case.location, case.description, dict(case.details))
    found = services.sectors.suggest(facts, on=known_at or services.ledger.clock())
    catalogues = services.sectors.catalogues.get(case.sector, ())

    def text(code: str) -> tuple[str, str]:
        for catalogue in catalogues:
            item = catalogue.get(code)
            if item is not None:
                return item.text_zh, item.gist_en
        return "", ""

    return {
        "case_id": str(case_id),
        "sector": case.sector,
        "suggestions": [
            {
                "code": s.code,
                "text_zh": text(s.code)[0],
                "gist_en": text(s.code)[1],
                "reason_zh": s.reason_zh,
                "reason_en": s.reason_en,
            }
            for s in found
        ],
    }
