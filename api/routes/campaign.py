"""The campaign's tables over HTTP, for the dashboard: ``GET /reports/campaign/{table}``.

One route per table (sources, listings, enforcement, effort, accidents), each parse,
call ``Reads.campaign`` with the user's scope and both clocks, return — the same answer
``ledger report TABLE --json`` prints. The period is ``period=2026-03`` (or ``2026-Q1``,
``2026``) or ``from``/``to`` days; ``since`` adds the cumulative figures.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from projections.campaign import TABLES, Period, parse_period, period_between

from ..problems import Problem
from ..response_models import CAMPAIGN_TABLES, sends
from ..security import StatisticsReader
from .reading import READ_MODEL_ERRORS, KnownAt, ReadsDep, ValidAt, answering, json_response

router = APIRouter(tags=["reports"])

Day = Annotated[date | None, Query(description="A business day, YYYY-MM-DD (Beijing time).")]


def _period(period: str | None, start: date | None, end: date | None) -> Period:
    if period:
        return parse_period(period)
    if start is None or end is None:
        raise Problem(
            422,
            "invalid-request",
            "请给出统计期 period（如 2026-03）或 from 与 to",
            "give a period (e.g. 2026-03) or from and to",
        )
    return period_between(start, end)


def _route(table: str) -> Callable[..., Awaitable[Response]]:
    async def campaign_table(
        reads: ReadsDep,
        user: StatisticsReader,
        period: Annotated[str | None, Query(description="2026-03, 2026-Q1 or 2026.")] = None,
        region: str | None = None,
        start: Annotated[date | None, Query(alias="from")] = None,
        end: Annotated[date | None, Query(alias="to")] = None,
        since: Day = None,
        source: Annotated[
            str | None, Query(description="self, department, public_report, expert or a code.")
        ] = None,
        baseline_years: Annotated[int, Query(ge=0, le=10)] = 0,
        known_at: KnownAt = None,
        valid_at: ValidAt = None,
    ) -> Response:
        with answering(known_at, valid_at):
            answer = reads.campaign(
                table,
                region,
                _period(period, start, end),
                scope=user.scope,
                since=since,
                source=source,
                baseline_years=baseline_years,
                known_at=known_at,
                valid_at=valid_at,
            )
        return json_response(answer)

    campaign_table.__name__ = f"campaign_{table}"
    campaign_table.__doc__ = f"The campaign's {table} table for a region and a period."
    return campaign_table


for _table in TABLES:
    router.add_api_route(
        f"/reports/campaign/{_table}",
        _route(_table),
        methods=["GET"],
        responses={**READ_MODEL_ERRORS, **sends(CAMPAIGN_TABLES[_table])},
    )
