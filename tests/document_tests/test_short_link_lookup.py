"""A short link is answered by one probe of the leaf-key index, on both stores: the
route is public, so what one request costs must not grow with the ledger. Every prefix
of every leaf (32 to 64 hex digits) still finds exactly its event."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.documents.links import LEAF_PREFIX_WHERE, find_leaf
from ledger.application import HazardLedger
from tests.conftest import FakeClock
from tests.support import register_restaurant, report_case


def test_the_lookup_is_an_index_probe(ledger: HazardLedger) -> None:
    tables = ledger.integrity.tables
    where = tables.sql(LEAF_PREFIX_WHERE)
    query = f"SELECT seq FROM {tables.log} WHERE {where} ORDER BY seq"
    params = (b"\x00" * 16, b"\x00" * 32, b"\xff" * 32)
    if tables.postgres:
        with tables.connect() as conn:
            conn.execute("SET enable_seqscan = off")  # a tiny table: ask what it can use
            plan = " ".join(str(r[0]) for r in conn.execute(f"EXPLAIN {query}", params))
    else:
        with tables.connect() as conn:
            plan = " ".join(str(r[3]) for r in conn.execute(f"EXPLAIN QUERY PLAN {query}", params))
    assert "integrity_log_leaf_key" in plan, plan


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_every_prefix_finds_its_event(
    ledger: HazardLedger, clock: FakeClock, data: st.DataObject
) -> None:
    rows = ledger.integrity._entry_rows("1 = 1", ())
    if not rows:  # the ledger lives for all the examples: record once
        register_restaurant(ledger, clock.now)
        report_case(ledger, clock.now)
        rows = ledger.integrity._entry_rows("1 = 1", ())
    header, _, leaf = ledger.integrity._entry(data.draw(st.sampled_from(rows)))
    length = data.draw(st.integers(min_value=32, max_value=64))
    found = find_leaf(ledger, leaf.hex()[:length])
    assert found is not None and found.header.seq == header.seq
    # a prefix no leaf has is not found
    other = bytes(b ^ 0xFF for b in leaf[:16]).hex()
    if not any(bytes(r[7]).hex().startswith(other) for r in rows):
        assert find_leaf(ledger, other) is None
