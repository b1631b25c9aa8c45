"""Typed FastAPI dependencies: what a route may ask for by type.

A route names ``ServicesDep`` and ``CurrentUser`` in its signature instead of reaching
into ``request.app.state``, so that what it depends on is visible, typed, and the same
for every route.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from .security import CurrentUser
from .services import Services


async def get_services(request: Request) -> Services:
    """The process's services, built by the composition root at start-up (``async``: a
    plain function would be run in the thread pool, a thread hop on every request)."""
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]

__all__ = ["CurrentUser", "ServicesDep", "get_services"]
