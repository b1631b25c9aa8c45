"""The feed reads a province from its streaming replica, on clusters of our own.

Starts a primary and a hot standby on free ports under /tmp (``bench/federation/clusters``;
never the shared server), records a hazard on the primary through the ledger, and feeds
the nation from the standby. Needs no shared server (the national database is on the
same cluster); skips only where ``initdb`` is missing.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.composition import Config, load_configured_sectors, open_ledger, read_models
from api.federation import NationalFeed, NationalStore, Province
from ledger.application import HazardLedger
from ledger.scope import Scope
from tests.conftest import FakeClock
from tests.support import register_restaurant

from .test_national_register import national_case_ids, report_case

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "federation"))

from clusters import Cluster, available, wait_replayed  # type: ignore[import-not-found, unused-ignore]

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def primary_and_standby() -> Iterator[tuple[Any, Any]]:
    why = available()
    if why:
        pytest.skip(f"no PostgreSQL cluster can be made here: {why}")
    started = []
    try:
        primary = Cluster("test-primary").init().start()
        started.append(primary)
        primary.sql("CREATE DATABASE ledger")
        primary.sql("CREATE DATABASE national")  # stands in for the national server
        standby = primary.replica("test-standby")
        started.append(standby)
        yield primary, standby
    finally:
        for cluster in reversed(started):
            cluster.stop_and_remove()


def test_a_province_is_fed_from_its_standby(
    primary_and_standby: tuple[Any, Any], clock: FakeClock
) -> None:
    primary, standby = primary_and_standby
    national = NationalStore(primary.dsn("national"))
    province = open_ledger(Config(store=primary.dsn("ledger", "prov_62"), clock=clock))
    try:
        register_restaurant(province.ledger, clock.now)
        case = report_case(province.ledger, clock.now)
    finally:
        province.close()
    wait_replayed(primary, standby)

    models = read_models(load_configured_sectors())
    feed = NationalFeed(national, [Province("62", standby.dsn("ledger", "prov_62"))], models)
    try:
        (figures,) = feed.feed_once()
    finally:
        feed.close()

    assert (figures.error, figures.events, figures.lag_events) == (None, 2, 0)
    assert national_case_ids(national, Scope.everything()) == {str(case)}


def test_the_ledger_itself_cannot_open_on_a_standby(primary_and_standby: tuple[Any, Any]) -> None:
    """Why the feed reads through ``ProvinceLog``: opening a ledger sets up its schema."""
    _, standby = primary_and_standby
    with pytest.raises(Exception, match=r"read-only transaction|recovery"):
        HazardLedger(standby.dsn("ledger", "prov_62")).close()
