"""The composition root: the one place a running ledger is put together.

Every entry point — ``ledger serve``, every ``ledger`` command, the demo, the workbook
importer, the benchmark scripts — gets its ledger, its sector plugins, its read models
and its accounts from here, so that a setting (which store, which plugins, which key
directory) means the same thing everywhere and sectors are loaded in exactly one place
(``load_configured_sectors``). The layers below (``ledger``, ``plugins``,
``projections``) never discover anything themselves: they are handed what this module
built.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from ledger.application import Clock, HazardLedger, system_clock
from plugins import Sectors, load_sectors
from projections.base import Projection
from projections.follower import Follower
from projections.registry import all_projections

from .evidence.sight import CitationCheck
from .users import UserDirectory, directory_for


@dataclass(frozen=True)
class Config:
    """What decides how a ledger is opened; the same for the service and the CLI."""

    store: str | None = None
    """A SQLite file path or a ``postgresql://`` DSN (default: ``ledger.db`` here)."""
    plugins: tuple[str, ...] | None = None
    """Load only these sector plugins (default: every installed one)."""
    key_dir: str | None = None
    """Where the checkpoint signing key lives (default: the ledger's own rule)."""
    clock: Clock = system_clock


@functools.lru_cache(maxsize=16)
def _sectors(plugins: tuple[str, ...] | None) -> Sectors:
    return load_sectors(plugins)


def load_configured_sectors(plugins: Collection[str] | None = None) -> Sectors:
    """The sector plugins a configuration names: the only place plugins are loaded.

    Without a selection, ``$LEDGER_PLUGINS`` (comma-separated names) is the selection, read
    here, so that a deployment pins its plugins without changing code. Loading is pure
    (hooks are declarations), so one ``Sectors`` per selection is shared by every ledger
    opened in this process; the cache is keyed by the selection itself, never by what the
    environment happened to say when it was first filled.
    """
    if plugins is None and (named := os.environ.get("LEDGER_PLUGINS", "").strip()):
        plugins = [n.strip() for n in named.split(",") if n.strip()]
    return _sectors(None if plugins is None else tuple(sorted(plugins)))


def read_models(sectors: Sectors) -> list[Projection]:
    """The read models a ledger with these sectors keeps: built-ins, then the plugins'."""
    return all_projections(sectors.read_models)


def read_models_for(plugins: Collection[str] | None) -> list[Projection]:
    """``read_models`` by plugin names: picklable, for rebuild worker processes."""
    return read_models(load_configured_sectors(plugins))


def projection_factory(plugins: Collection[str] | None) -> functools.partial[list[Projection]]:
    """A picklable callable that rebuilds the read-model list in another process."""
    return functools.partial(read_models_for, None if plugins is None else tuple(plugins))


@dataclass
class Ledger:
    """An opened ledger with everything configured around it."""

    config: Config
    ledger: HazardLedger
    sectors: Sectors
    users: UserDirectory

    def read_models(self) -> list[Projection]:
        return read_models(self.sectors)

    def follower(self, **options: Any) -> Follower:
        """A follower of every configured read model on this ledger."""
        return Follower(self.ledger, self.read_models(), **options)

    def close(self) -> None:
        self.ledger.close()


def open_ledger(config: Config, *, ledger: HazardLedger | None = None) -> Ledger:
    """Open the configured store with its sectors, read models and accounts.

    ``ledger`` wraps one the caller opened (tests, embedding); its own sectors are kept
    when it has them, otherwise the configured ones are used.
    """
    if ledger is None:
        sectors = load_configured_sectors(config.plugins)
        ledger = HazardLedger(config.store, clock=config.clock, sectors=sectors)
    else:
        sectors = (
            ledger.sectors
            if isinstance(ledger.sectors, Sectors)
            else load_configured_sectors(config.plugins)
        )
    if config.key_dir:
        ledger.integrity.use_key_directory(config.key_dir)
    ledger.evidence_check = CitationCheck(ledger)
    return Ledger(config=config, ledger=ledger, sectors=sectors, users=directory_for(ledger))


@contextmanager
def opened(config: Config) -> Iterator[Ledger]:
    """``open_ledger`` for the length of a ``with`` block."""
    opened_ledger = open_ledger(config)
    try:
        yield opened_ledger
    finally:
        opened_ledger.close()
