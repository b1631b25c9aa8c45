"""The web interface: a static single-page app served by the same FastAPI app.

Government networks are often isolated, so every script, style and the charting
library (uPlot, MIT, vendored under ``static/vendor``) ship inside the package; the page
loads nothing from elsewhere. The page signs in with the same bearer tokens as the API
and reads only through the API, so it sees exactly the user's scope.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import FileResponse

STATIC = Path(__file__).parent / "static"

router = APIRouter(include_in_schema=False)


@router.get("/")
async def home() -> FileResponse:
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/field")
async def field() -> FileResponse:
    """The inspector's page for a phone: today's inspections, quick hazard entry with the
    camera, submissions kept on the phone and retried until the service answers."""
    return FileResponse(STATIC / "field.html", media_type="text/html; charset=utf-8")


def mount(app: FastAPI) -> None:
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
