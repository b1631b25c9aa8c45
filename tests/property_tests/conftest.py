"""The generated history on both stores, built once per session and store.

``world`` is read by the time and scope properties and never written to; ``write_world``
is a second copy of the same history for the write matrix, whose refused commands must
record nothing (and whose wrongly accepted ones must not disturb the read properties).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .harness import World, build_world

STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(scope="session", params=STORES)
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from build_world(str(request.param), tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="session", params=STORES)
def write_world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    yield from build_world(str(request.param), tmp_path_factory.mktemp("write-world"))
