"""The model a route documents for its 200 answer, and a check that an answer fits it.

``api.response_models`` declares what each read sends; routes that serialise with
orjson name their model in ``responses={200: {"model": M}}``, the others in
``response_model``. This finds either, so a test can validate what was really sent.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from pydantic import TypeAdapter


def documented_models(app: FastAPI) -> dict[str, TypeAdapter[Any]]:
    """Path → the model its GET route documents for 200 (routes with one only)."""
    found: dict[str, TypeAdapter[Any]] = {}
    for path, route in _api_routes(app.routes, ""):
        if "GET" not in route.methods:
            continue
        model = route.response_model or route.responses.get(200, {}).get("model")
        if model is not None:
            found[path] = TypeAdapter(model)
    return found


def _api_routes(routes: Any, prefix: str) -> Iterator[tuple[str, APIRoute]]:
    """Every API route with its full path, through included routers of any depth."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            context = getattr(route, "include_context", None)
            yield from _api_routes(
                original.routes, prefix + str(getattr(context, "prefix", "") or "")
            )
        elif isinstance(route, APIRoute):
            yield prefix + route.path, route


def check_answer(models: dict[str, TypeAdapter[Any]], route: str, body: Any) -> None:
    """Fail, naming the route and the field, unless ``body`` fits the route's model."""
    assert route in models, f"GET {route} documents no model for its 200 answer"
    models[route].validate_python(body)


__all__ = ["check_answer", "documented_models"]
