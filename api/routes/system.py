"""Health, metrics and who-am-I: what operators and clients check first."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import PlainTextResponse, Response

from ledger.permissions import permitted
from ledger.sqlstore import SqlStore
from projections import quarantine

from ..deps import ServicesDep
from ..response_models import Me
from ..schemas import Health
from ..security import CurrentUser
from .common import READ_ERRORS

router = APIRouter(tags=["system 系统"])


@router.get("/health", response_model=Health)
async def health(services: ServicesDep) -> Health:
    """Liveness and store reachability (no authentication: load balancers call it).

    "degraded" names the read models that set events aside: they are current, but
    without those events, until their fold is fixed and they are rebuilt.
    """
    aside = quarantine.counts(SqlStore(services.ledger.recorder.datastore))  # type: ignore[attr-defined]
    return Health(
        status="degraded" if aside else "ok",
        store=services.ledger.store.kind,
        events=services.ledger.recorder.max_notification_id() or 0,
        quarantined=aside,
    )


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(services: ServicesDep) -> Response:
    """Prometheus text exposition of request and command counters."""
    m = services.metrics
    lines = [
        "# HELP ledger_http_requests_total HTTP requests by route template and status.",
        "# TYPE ledger_http_requests_total counter",
    ]
    for (route, status), count in sorted(m.requests.items()):
        lines.append(f'ledger_http_requests_total{{route="{route}",status="{status}"}} {count}')
    lines += [
        "# HELP ledger_commands_recorded_total Commands recorded.",
        "# TYPE ledger_commands_recorded_total counter",
        f"ledger_commands_recorded_total {m.commands_recorded}",
        "# HELP ledger_commands_refused_total Commands refused (nothing recorded).",
        "# TYPE ledger_commands_refused_total counter",
        f"ledger_commands_refused_total {m.commands_refused}",
        "# HELP ledger_events Events in the ledger.",
        "# TYPE ledger_events gauge",
        f"ledger_events {services.ledger.recorder.max_notification_id() or 0}",
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")


@router.get("/me", response_model=Me, responses=READ_ERRORS)
async def me(user: CurrentUser) -> dict[str, object]:
    """The authenticated user: role, jurisdiction, and the actions the permission table
    lets the role perform (``may``: command type names and named actions), so a client
    offers only those; the ledger still judges every command."""
    return {**user.as_dict(), "may": permitted(user.role)}
