"""The national read store: one schema per province, and national views over them.

Each province's read models are folded into a schema of its own on the national server
(``prov_<code>``), written only by that province's feed, so no row is ever written by
two feeds and a province can be dropped and fed again without touching the others. The
``national`` schema holds one view per read-model table, the ``UNION ALL`` of that
table in every fed province, and a tracking view naming a model built only when it is
built in every province. ``projections.queries.ReadModels`` (and so ``Reads``) reads
that schema exactly as it reads a province's: the registers, rankings and campaign
tables are answered by the same SQL, with the same scope and the same clocks. Region
codes begin with the province's two digits, so a national scope narrows by prefix as a
provincial one does.

Nothing here knows what the read models contain: the tables come from the projections.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from psycopg import sql

from ledger.application import HazardLedger, system_clock
from ledger.store import Store, resolve_store
from plugins import Sectors
from projections.base import Projection
from projections.follower import TRACKING
from projections.reads import Reads

NATIONAL_SCHEMA = "national"
SOURCES = "federation_sources"


def province_schema(code: str) -> str:
    """The national server's schema for one province's read models (``prov_62``)."""
    if not code.isdigit() or len(code) != 2:
        raise ValueError(
            f"province: 省级区划代码应为2位数字，而非“{code}” / a province code is two digits, "
            f"not {code!r}"
        )
    return f"prov_{code}"


@dataclasses.dataclass(frozen=True)
class _NationalView:
    """What ``Reads`` asks of a ledger for read-model questions: where the models are,
    the clock, and the sectors' audit rules. The nation records no events, so questions
    folded from events (a case's timeline) are asked of the province that holds it."""

    store: Store
    sectors: Sectors | None
    clock: Any = system_clock


class NationalStore:
    """The national server: province schemas, national views, and the feed's positions."""

    def __init__(self, dsn: str | Store, *, prefix: str = "") -> None:
        """``prefix`` goes before every schema name, so that several national stores
        (tests running side by side) can share one database."""
        self.prefix = prefix
        self.national_schema = prefix + NATIONAL_SCHEMA
        base = dsn if isinstance(dsn, Store) else resolve_store(dsn)
        if not base.is_postgres:
            raise ValueError(
                "the national store is a PostgreSQL database / 全国库须为 PostgreSQL 数据库"
            )
        self.base = base
        self.store = self._in_schema(self.national_schema)
        self.sources_table = f'"{self.national_schema}".{SOURCES}'
        with self._connect() as conn:
            conn.execute(
                sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(
                    sql.Identifier(self.national_schema)
                )
            )
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.sources_table} ("
                "province TEXT PRIMARY KEY, source TEXT NOT NULL, position BIGINT NOT NULL, "
                "head BIGINT NOT NULL, fed_at TIMESTAMPTZ NOT NULL)"
            )

    def _in_schema(self, schema: str) -> Store:
        return dataclasses.replace(self.base, schema=schema)

    def _connect(self) -> Any:
        return self.base.connect_postgres()

    def province_store(self, code: str) -> Store:
        """Where one province's read models are written on the national server (its
        schema is created here; the follower creates the tables)."""
        schema = self.schema_of(code)
        with self._connect() as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        return self._in_schema(schema)

    def schema_of(self, code: str) -> str:
        return self.prefix + province_schema(code)

    def record_position(self, code: str, source: str, position: int, head: int) -> None:
        """Remember how far a province has been fed and how far its log reached."""
        with self._connect() as conn:
            conn.execute(
                f"INSERT INTO {self.sources_table} (province, source, position, head, "
                "fed_at) VALUES (%s, %s, %s, %s, now()) ON CONFLICT (province) DO UPDATE SET "
                "source = excluded.source, position = excluded.position, "
                "head = excluded.head, fed_at = excluded.fed_at",
                (code, source, position, head),
            )

    def sources(self) -> list[dict[str, Any]]:
        """Every fed province with its position, its log's head then, and the lag."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT province, source, position, head, fed_at FROM {self.sources_table} "
                "ORDER BY province"
            ).fetchall()
        return [
            {
                "province": r[0],
                "source": r[1],
                "position": int(r[2]),
                "head": int(r[3]),
                "lag_events": int(r[3]) - int(r[2]),
                "fed_at": cast(datetime, r[4]).isoformat(),
            }
            for r in rows
        ]

    # ---- the national views -------------------------------------------------------------

    def _fed(self, conn: Any, codes: Iterable[str], table: str) -> list[str]:
        """The provinces whose schema holds ``table``."""
        found = conn.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = %s "
            "AND table_schema = ANY(%s)",
            (table, [self.schema_of(c) for c in codes]),
        ).fetchall()
        return sorted(str(r[0]) for r in found)

    def drop_views(self, projections: Sequence[Projection]) -> None:
        """Drop the national views (a province's model is about to be rebuilt: its tables
        are swapped, which the views would forbid). Until ``refresh_views``, national
        questions answer ``ReadModelMissing`` rather than from half the provinces."""
        with self._connect() as conn, conn.transaction():
            self._drop(conn, projections)

    def _drop(self, conn: Any, projections: Sequence[Projection]) -> None:
        names = [TRACKING] + [t.name for p in projections for t in p.tables]
        for name in names:
            conn.execute(
                sql.SQL("DROP VIEW IF EXISTS {}.{}").format(
                    sql.Identifier(self.national_schema), sql.Identifier(name)
                )
            )

    def refresh_views(self, codes: Sequence[str], projections: Sequence[Projection]) -> None:
        """(Re)create every national view over the provinces fed so far, in one
        transaction: readers see the old set of views or the new one."""
        with self._connect() as conn, conn.transaction():
            self._drop(conn, projections)
            tracked = self._fed(conn, codes, TRACKING)
            for projection in projections:
                current = self._current(conn, tracked, projection)
                for table in projection.tables:
                    self._union_view(conn, table.name, current)
            self._tracking_view(conn, tracked, projections)

    def _current(self, conn: Any, schemas: list[str], projection: Projection) -> list[str]:
        """The province schemas holding ``projection`` at its current version. A province
        left at another version (its replica was down while the others were rebuilt)
        is kept out of the views, and the tracking view then names the model as not
        built: the nation answers ``ReadModelMissing``, never from a mix of versions."""
        current = []
        for schema in schemas:
            row = conn.execute(
                sql.SQL("SELECT version FROM {}.{} WHERE name = %s").format(
                    sql.Identifier(schema), sql.Identifier(TRACKING)
                ),
                (projection.name,),
            ).fetchone()
            if row is not None and int(row[0]) == projection.version:
                current.append(schema)
        return current

    def _union_view(self, conn: Any, name: str, schemas: list[str]) -> None:
        if not schemas:
            return
        parts = [
            sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(s), sql.Identifier(name))
            for s in schemas
        ]
        conn.execute(
            sql.SQL("CREATE VIEW {}.{} AS ").format(
                sql.Identifier(self.national_schema), sql.Identifier(name)
            )
            + sql.SQL(" UNION ALL ").join(parts)
        )

    def _tracking_view(
        self, conn: Any, schemas: list[str], projections: Sequence[Projection]
    ) -> None:
        """A model counts as built nationally when every fed province has built it at
        the version this code folds (``ReadModels`` looks for its name here)."""
        if not schemas or not projections:
            return
        parts = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT name, position, version FROM {}.{} WHERE known_at IS NULL").format(
                sql.Identifier(s), sql.Identifier(TRACKING)
            )
            for s in schemas
        )
        versions = sql.SQL(", ").join(
            sql.SQL("({}, {})").format(sql.Literal(p.name), sql.Literal(p.version))
            for p in projections
        )
        conn.execute(
            sql.SQL(
                "CREATE VIEW {}.{} AS SELECT fed.name, max(fed.position) AS position, "
                "min(fed.version) AS version, NULL::text AS known_at FROM ("
            ).format(sql.Identifier(self.national_schema), sql.Identifier(TRACKING))
            + parts
            + sql.SQL(
                ") AS fed JOIN (VALUES {}) AS current (name, version) "
                "ON fed.name = current.name AND fed.version = current.version "
                "GROUP BY fed.name HAVING count(*) = {}"
            ).format(versions, sql.Literal(len(schemas)))
        )

    # ---- answering ----------------------------------------------------------------------

    def reads(self, sectors: Sectors | None = None) -> Reads:
        """The national questions: ``Reads`` over the national views, so the scope, the
        clocks and the SQL are those every province answers with."""
        view = _NationalView(self.store, sectors)
        return Reads(cast(HazardLedger, view), audit_rules=sectors.audit_rules if sectors else ())
