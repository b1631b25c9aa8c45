"""``ledger serve --workers N``: every worker gets connections, however they arrive.

With one shared listening socket, the worker whose loop wakes first accepts every
connection that is waiting; clients that connect together and keep their connections
then all land on one worker. ``api.serving`` gives each worker a socket of its own on
the same address (``SO_REUSEPORT``), and the kernel spreads connections across them.
"""

from __future__ import annotations

import http.client
import io
import os
import pickle
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

import pytest

from api.serving import BALANCED, WorkerSocket

from .test_idempotency_kill import free_port

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not BALANCED, reason="SO_REUSEPORT balances only on Linux")


def as_a_worker_gets_it(sock: socket.socket) -> socket.socket:
    """``sock`` through the pickler that hands sockets to spawned worker processes."""
    buffer = io.BytesIO()
    ForkingPickler(buffer, pickle.HIGHEST_PROTOCOL).dump(sock)
    got = pickle.loads(buffer.getvalue())
    assert isinstance(got, socket.socket)
    return got


def test_each_worker_opens_its_own_socket_and_the_kernel_spreads_connections() -> None:
    with ExitStack() as stack:
        parent = stack.enter_context(WorkerSocket(socket.AF_INET, socket.SOCK_STREAM))
        parent.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        parent.bind(("127.0.0.1", 0))
        workers = [stack.enter_context(as_a_worker_gets_it(parent)) for _ in range(2)]
        for sock in workers:
            assert sock.fileno() != parent.fileno()
            assert sock.getsockname() == parent.getsockname()
            assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 1
            sock.listen(64)
            sock.setblocking(False)
        clients = [
            stack.enter_context(socket.create_connection(parent.getsockname())) for _ in range(64)
        ]
        accepted = [0, 0]
        deadline = time.monotonic() + 10
        while sum(accepted) < len(clients) and time.monotonic() < deadline:
            ready, _, _ = select.select(workers, [], [], 0.5)
            for sock in ready:
                conn, _ = sock.accept()
                stack.enter_context(conn)
                accepted[workers.index(sock)] += 1
        # The parent's socket never listens, so it takes none of them.
        assert sum(accepted) == len(clients)
        # Hashed by address: all 64 on one socket would happen once in 2**63 runs.
        assert min(accepted) > 0, accepted


@contextmanager
def served(store: Path, port: int, workers: int) -> Iterator[subprocess.Popen[bytes]]:
    env = {**os.environ, "LEDGER_STORE": str(store), "PYTHONPATH": str(ROOT)}
    args = ["serve", "--port", str(port), "--workers", str(workers), "--no-follow"]
    proc = subprocess.Popen(
        [sys.executable, "-c", "from api.cli import main; main()", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        until = time.monotonic() + 90
        # Every worker listening (a worker still starting takes no connections yet).
        while listening(port) < workers or not healthy(port):
            assert proc.poll() is None, "the server exited"
            assert time.monotonic() < until, "the server did not start"
            time.sleep(0.1)
        yield proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def healthy(port: int) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def tcp_sockets(table: str) -> list[tuple[int, str, str]]:
    """Local port, state and inode of each TCP socket in a ``/proc/.../net/tcp`` table."""
    rows = []
    for line in Path(table).read_text().splitlines()[1:]:
        parts = line.split()
        rows.append((int(parts[1].rsplit(":", 1)[1], 16), parts[3], parts[9]))
    return rows


def listening(port: int) -> int:
    """Sockets listening on ``port`` (state 0A): one per worker that has started."""
    return sum(p == port and state == "0A" for p, state, _ in tcp_sockets("/proc/net/tcp"))


def children(pid: int) -> list[int]:
    """The server's processes: those of its session (it leads one of its own)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == pid or int(fields[4]) == pid:  # parent or group
            found.append(int(stat.parent.name))
    return found


def connections_held(pid: int, port: int) -> int:
    """Established connections to ``port`` that process ``pid`` holds open."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return sum(
        p == port and state == "01" and inode in inodes
        for p, state, inode in tcp_sockets(f"/proc/{pid}/net/tcp")
    )


def test_serve_with_two_workers_answers_on_both(tmp_path: Path) -> None:
    """32 keep-alive clients connecting at once: each worker serves some of them."""
    port = free_port()
    with served(tmp_path / "ledger.db", port, workers=2) as proc, ExitStack() as stack:
        clients = []
        for _ in range(32):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            stack.callback(connection.close)
            connection.connect()
            clients.append(connection)
        for connection in clients:
            connection.request("GET", "/health")
        for connection in clients:
            assert connection.getresponse().read() is not None
        held = {pid: connections_held(pid, port) for pid in children(proc.pid)}
        serving = [n for n in held.values() if n]
        assert sum(serving) == 32, held
        assert len(serving) == 2, held
