"""A store-wide lease is held by one process at a time and freed when it ends."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from ledger.application import HazardLedger
from ledger.store import resolve_store, try_lease


def test_one_holder_at_a_time(store_url: str) -> None:
    HazardLedger(store_url).close()  # the store exists (its schema, on PostgreSQL)
    store = resolve_store(store_url)
    first = try_lease(store, "role")
    assert first is not None
    assert try_lease(store, "role") is None
    other = try_lease(store, "other-role")
    assert other is not None, "leases of different names are independent"
    first.release()
    first.release()  # releasing twice is harmless
    again = try_lease(store, "role")
    assert again is not None
    again.release()
    other.release()


def test_a_process_that_ends_frees_its_lease(store_url: str) -> None:
    HazardLedger(store_url).close()
    store = resolve_store(store_url)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from ledger.store import resolve_store, try_lease
                lease = try_lease(resolve_store({store_url!r}), "role")
                print("held" if lease else "refused", flush=True)
                time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        assert try_lease(store, "role") is None
    finally:
        holder.kill()
        holder.communicate()
    for _ in range(100):  # the server notices a dropped connection soon, not at once
        lease = try_lease(store, "role")
        if lease is not None:
            lease.release()
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the lease of a killed process was never freed")
