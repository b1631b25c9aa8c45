"""``/docs`` and ``/redoc`` from assets shipped in the package: they work offline.

FastAPI's default pages load Swagger UI, ReDoc, a favicon and fonts from CDNs, so on an
isolated government network they stay blank. Swagger UI (Apache-2.0) and ReDoc (MIT)
are vendored with their licences under ``api/web/static/vendor``, like the charting
library, and these pages point at them and at nothing else.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.responses import HTMLResponse

VENDOR = "/static/vendor"
OPENAPI = "/openapi.json"
OAUTH2_REDIRECT = "/docs/oauth2-redirect"
TITLE = "hazard-ledger API 接口文档"

router = APIRouter(include_in_schema=False)


@router.get("/docs")
async def swagger_ui() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=OPENAPI,
        title=TITLE,
        swagger_js_url=f"{VENDOR}/swagger-ui-bundle.js",
        swagger_css_url=f"{VENDOR}/swagger-ui.css",
        swagger_favicon_url=f"{VENDOR}/swagger-ui-favicon.png",
        oauth2_redirect_url=OAUTH2_REDIRECT,
        # no badge that would ask validator.swagger.io about the description
        swagger_ui_parameters={"validatorUrl": None},
    )


@router.get(OAUTH2_REDIRECT)
async def swagger_ui_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


@router.get("/redoc")
async def redoc() -> HTMLResponse:
    return get_redoc_html(
        openapi_url=OPENAPI,
        title=TITLE,
        redoc_js_url=f"{VENDOR}/redoc.standalone.js",
        redoc_favicon_url=f"{VENDOR}/swagger-ui-favicon.png",
        with_google_fonts=False,
    )


def install(app: FastAPI) -> None:
    """Serve the offline pages (the app must be built with ``docs_url=None`` and
    ``redoc_url=None`` so FastAPI does not add its CDN ones)."""
    app.include_router(router)
