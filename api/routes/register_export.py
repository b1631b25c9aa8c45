"""The whole filtered register, for the web page: how many cases match, and every one of
them as a CSV file streamed page by page.

The page shows 50 rows at a time; an official exporting "the register" means all of it,
under the filters on screen. Both routes take the same filters, scope and clocks as
``GET /register`` and write the same columns as ``ledger export register``
(``api.workbook.reports``), so the file from the page and the file from the CLI agree.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response, StreamingResponse

from projections.queries import Page, RegisterFilter

from ..response_models import RegisterCount, sends
from ..security import CurrentUser
from ..workbook.reports import csv_row, register_headers, register_rows
from .reading import READ_MODEL_ERRORS, KnownAt, Moment, ReadsDep, ValidAt, answering, json_response

router = APIRouter(tags=["read models 台账与统计"])

_PAGE = 500

Statuses = Annotated[list[str] | None, Query()]


def _filters(
    sector: str | None,
    region: str | None,
    enterprise: str | None,
    status: list[str] | None,
    grade: str | None,
    found_from: datetime | None,
    found_to: datetime | None,
    overdue: bool | None,
    listed: bool | None,
) -> RegisterFilter:
    return RegisterFilter(
        sector=sector,
        region=region,
        enterprise=enterprise,
        status=tuple(status or ()),
        grade=grade,
        found_from=found_from,
        found_to=found_to,
        overdue=overdue,
        listed=listed,
    )


@router.get("/register/count", responses={**READ_MODEL_ERRORS, **sends(RegisterCount)})
async def register_count(
    reads: ReadsDep,
    user: CurrentUser,
    sector: str | None = None,
    region: str | None = None,
    enterprise: str | None = None,
    status: Statuses = None,
    grade: str | None = None,
    found_from: Moment | None = None,
    found_to: Moment | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """How many cases of the register match the filters, inside the user's scope."""
    filters = _filters(
        sector, region, enterprise, status, grade, found_from, found_to, overdue, listed
    )
    with answering(known_at, valid_at):
        total = reads.register_count(
            filters, scope=user.scope, known_at=known_at, valid_at=valid_at
        )
    return json_response({"total": total})


@router.get(
    "/register/export",
    response_class=StreamingResponse,
    responses={
        **READ_MODEL_ERRORS,
        200: {
            "description": "The whole filtered register as CSV (UTF-8 with BOM), streamed",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
    },
)
async def register_export(
    reads: ReadsDep,
    user: CurrentUser,
    sector: str | None = None,
    region: str | None = None,
    enterprise: str | None = None,
    status: Statuses = None,
    grade: str | None = None,
    found_from: Moment | None = None,
    found_to: Moment | None = None,
    overdue: bool | None = None,
    listed: bool | None = None,
    known_at: KnownAt = None,
    valid_at: ValidAt = None,
) -> Response:
    """Every case matching the filters as CSV (UTF-8 with a byte-order mark, so Excel
    reads the Chinese), streamed a page at a time in bounded memory."""
    filters = _filters(
        sector, region, enterprise, status, grade, found_from, found_to, overdue, listed
    )

    def page(cursor: str | None) -> Page:
        return reads.register(
            filters,
            scope=user.scope,
            known_at=known_at,
            valid_at=valid_at,
            limit=_PAGE,
            cursor=cursor,
        )

    def pages(first: Page) -> Iterator[Page]:
        # Each page on its own connection: the response is iterated on worker threads,
        # and a SQLite connection belongs to the thread that opened it.
        current = first
        yield current
        while current.next_cursor:
            current = page(current.next_cursor)
            yield current

    with answering(known_at, valid_at):
        first = page(None)  # a missing snapshot is refused here, before streaming starts
    return StreamingResponse(
        _csv(pages(first)),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": "attachment; filename=hazard-register.csv"},
    )


def _csv(pages: Iterator[Page]) -> Iterator[bytes]:
    """The rows as ``ledger export register`` writes them to a .csv file."""
    columns = register_headers()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.title for c in columns])
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    for n, row in enumerate(register_rows(pages), 1):
        writer.writerow(csv_row(columns, row))
        if n % 500 == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()
