"""Planner statistics for the ledger's own tables on PostgreSQL.

A case's timeline is one index lookup. Without statistics for the events table (never
analysed: after a bulk load, before autovacuum gets to it, or on a server running
without autovacuum) PostgreSQL's default estimates take every aggregate to have a
large share of the rows, and at ten million events plan that lookup as a parallel scan
compiled by JIT: tens of milliseconds for six rows instead of a fraction of one
(``docs/performance.md`` has the figures). So the ledger analyses the tables it writes
when they hold rows and have never been analysed, and after a bulk import.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ledger.store import Store

NEVER_ANALYSED_FROM = 10_000  # rows; smaller tables are cheap whatever the plan


def analyse(
    store: Store, tables: Sequence[str], *, only_if_never: bool = False, conn: Any = None
) -> list[str]:
    """ANALYZE the named tables of the store's schema; returns those analysed.

    ``only_if_never``: only tables with ``NEVER_ANALYSED_FROM`` rows or more that have
    no statistics yet (a cheap catalogue query decides). ``conn``: an autocommit
    connection to use (default: a new one).
    """
    if not store.is_postgres or not tables:
        return []
    from psycopg import sql

    if conn is None:
        with store.connect_postgres() as own:
            return analyse(store, tables, only_if_never=only_if_never, conn=own)
    chosen = list(tables)
    if only_if_never:
        rows = conn.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE schemaname = %s "
            "AND relname = ANY(%s) AND last_analyze IS NULL AND last_autoanalyze IS NULL "
            "AND n_live_tup >= %s",
            (store.schema, chosen, NEVER_ANALYSED_FROM),
        ).fetchall()
        chosen = [r[0] for r in rows]
    for name in chosen:
        conn.execute(
            sql.SQL("ANALYZE {}.{}").format(sql.Identifier(store.schema), sql.Identifier(name))
        )
    return chosen
