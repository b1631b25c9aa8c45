"""Writers to one SQLite file take turns: across processes, across threads, reentrantly."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from ledger.write_turns import write_turn


def _free(lock: Path) -> bool:
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_turn_excludes_other_processes_until_it_ends(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    lock = Path(f"{db}.write.lock")
    with write_turn(str(db)):
        assert lock.exists()
        assert oct(lock.stat().st_mode & 0o777) == oct(0o600)
        assert not _free(lock)
        with write_turn(str(db)):  # the same thread again: no deadlock
            assert not _free(lock)
        assert not _free(lock), "the outer turn still holds"
    assert _free(lock)


def test_another_thread_waits_for_the_turn(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    order: list[str] = []
    inside = threading.Event()

    def other() -> None:
        inside.wait()
        with write_turn(db):
            order.append("other")

    thread = threading.Thread(target=other)
    thread.start()
    with write_turn(db):
        inside.set()
        time.sleep(0.2)
        order.append("first")
    thread.join()
    assert order == ["first", "other"]


def test_a_process_waits_for_the_turn_of_another(tmp_path: Path) -> None:
    db = str(tmp_path / "ledger.db")
    with write_turn(db):
        waiter = subprocess.Popen(
            [
                sys.executable,
                "-c",
                textwrap.dedent(
                    f"""
                    import time
                    from ledger.write_turns import write_turn
                    print("ready", flush=True)
                    start = time.monotonic()
                    with write_turn({db!r}):
                        print(f"{{time.monotonic() - start:.3f}}", flush=True)
                    """
                ),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert waiter.stdout is not None
        assert waiter.stdout.readline().strip() == "ready"
        time.sleep(0.5)
    out, _ = waiter.communicate(timeout=30)
    assert float(out) >= 0.3, "the other process wrote while this one held the turn"
