"""The national feed: each province's notification log folded into the national store.

One ``Follower`` per province reads that province's log on its streaming replica
(``ProvinceLog``: the provincial primary is never asked) and writes the same read models
as the province keeps into the province's schema on the national server, with the
follower's own guarantees: a batch of rows and its position commit in one transaction,
a killed feed resumes after its last committed batch, and two feeds of one province
never apply the same batch. A model whose version changed is rebuilt from the first
event of that province; the national views are dropped for that time and recreated
after it (``NationalStore.drop_views``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import psycopg
from eventsourcing.persistence import PersistenceError

from projections.base import Projection
from projections.db import ReadStore
from projections.follower import SLOT_SUFFIX, Follower

from .national import NationalStore, province_schema
from .source import ProvinceLog

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Province:
    """A provincial platform: its two-digit code and where its log can be read."""

    code: str
    source: str
    """A ``postgresql://`` DSN (with ``?schema=``) of the province's replica, or of its
    primary where it has none."""

    def __post_init__(self) -> None:
        province_schema(self.code)  # refuses anything but two digits


@dataclass(frozen=True)
class FeedFigures:
    """One province's feed in one pass: how much, how fast, how far behind."""

    province: str
    events: int
    seconds: float
    position: int
    head: int
    error: str | None = None
    """Why the province was not fed this pass (its replica could not be read)."""

    @property
    def lag_events(self) -> int:
        """Events the province had recorded (on its replica) that the nation lacks."""
        return max(self.head - self.position, 0)

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


class NationalFeed:
    """Feeds every province into the national store; one process, provinces in turn."""

    def __init__(
        self,
        national: NationalStore,
        provinces: Sequence[Province],
        projections: Sequence[Projection],
        *,
        batch_size: int = 2000,
    ) -> None:
        codes = [p.code for p in provinces]
        if len(set(codes)) != len(codes):
            raise ValueError("province: 同一省份不能重复接入 / a province is fed once")
        self.national = national
        self.provinces = list(provinces)
        self.projections = list(projections)
        self.batch_size = batch_size
        self._logs: dict[str, ProvinceLog] = {}
        self._followers: dict[str, Follower] = {}
        self._views_current = False
        self._viewed: frozenset[str] = frozenset()

    def _follower(self, province: Province) -> tuple[ProvinceLog, Follower]:
        if province.code not in self._followers:
            log = ProvinceLog(province.source)
            target = ReadStore(self.national.province_store(province.code))
            self._logs[province.code] = log
            self._followers[province.code] = Follower(
                log.as_ledger(), self.projections, batch_size=self.batch_size, read_store=target
            )
        return self._logs[province.code], self._followers[province.code]

    def _needs_build(self, follower: Follower) -> bool:
        """Whether catching up will swap tables (a new version or an unfinished build),
        which the national views over them would forbid."""
        for p in self.projections:
            live = follower.tracking(p.name)
            if live is not None and live[1] != p.version:
                return True
            if follower.tracking(p.name + SLOT_SUFFIX["build"]) is not None:
                return True
        return False

    def feed_once(self) -> list[FeedFigures]:
        """Bring every province up to its log's head as read now; the figures of each.

        A province that cannot be read (its replica down) is reported with its error
        and skipped: the others are fed, and it is caught up on a later pass."""
        figures = []
        for province in self.provinces:
            try:
                figures.append(self._feed(province))
            except (psycopg.OperationalError, PersistenceError) as error:
                self._forget(province.code)
                logger.warning("province %s not fed this pass: %s", province.code, error)
                figures.append(FeedFigures(province.code, 0, 0.0, 0, 0, error=str(error)))
        fed = frozenset(f.province for f in figures if f.error is None) | self._viewed
        if fed != self._viewed or not self._views_current:
            # Views are laid when a province's tables first exist and again after a
            # rebuild; not on every pass, which would lock the readers out each time.
            self.national.refresh_views(sorted(fed), self.projections)
            self._viewed = fed
            self._views_current = True
        return figures

    def _feed(self, province: Province) -> FeedFigures:
        source, follower = self._follower(province)
        head = source.head()
        if self._needs_build(follower):
            self.national.drop_views(self.projections)
            self._views_current = False
        started = time.perf_counter()
        events = follower.catch_up()
        seconds = time.perf_counter() - started
        position = min(
            (row[0] for p in self.projections if (row := follower.tracking(p.name))),
            default=0,
        )
        head = max(head, position)
        self.national.record_position(province.code, source.store.describe(), position, head)
        return FeedFigures(province.code, events, seconds, position, head)

    def _forget(self, code: str) -> None:
        """Close what was opened for a province, to open afresh on the next pass."""
        follower = self._followers.pop(code, None)
        if follower is not None:
            follower.close()
        source = self._logs.pop(code, None)
        if source is not None:
            source.close()

    def follow(
        self, *, should_stop: Callable[[], bool] = lambda: False, interval: float = 0.5
    ) -> None:
        """Feed until ``should_stop``; a pass that found nothing new waits ``interval``
        (a standby cannot LISTEN, so the replicas are polled)."""
        while not should_stop():
            if not any(f.events for f in self.feed_once()):
                time.sleep(interval)

    def close(self) -> None:
        for follower in self._followers.values():
            follower.close()
        for log in self._logs.values():
            log.close()
        self._followers.clear()
        self._logs.clear()
