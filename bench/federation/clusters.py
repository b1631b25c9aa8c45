"""PostgreSQL clusters of our own, on their own ports and data directories under /tmp.

Never the shared server on 5432: each cluster is made by ``initdb`` in a fresh directory,
listens on 127.0.0.1 on a free port with its socket in that directory, and is stopped
and removed by whoever started it. ``initdb`` refuses to run as root, so as root every
server program runs as the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
SMALL = {  # a machine shared with others: small caches, few connections
    "shared_buffers": "64MB",
    "max_connections": "40",
    "wal_level": "logical",
    "max_wal_senders": "10",
    "max_replication_slots": "10",
    "hot_standby": "on",
    "fsync": "on",
}


def available() -> str | None:
    """Why clusters cannot be made here, or None when they can."""
    if not (BIN / "initdb").exists():
        return f"initdb not found in {BIN} (set PG_BIN)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    subprocess.run(_as_server_user(command), check=True, capture_output=True, text=True)


@dataclass
class Cluster:
    """One PostgreSQL server: a data directory and a port."""

    name: str
    port: int = field(default_factory=free_port)
    directory: Path = field(init=False)

    def __post_init__(self) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix=f"ledger-federation-{self.name}-"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(self.directory, entry.pw_uid, entry.pw_gid)

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def dsn(self, dbname: str = "postgres", schema: str | None = None) -> str:
        tail = f"?schema={schema}" if schema else ""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{dbname}{tail}"

    def init(self) -> Cluster:
        _run(
            [
                str(BIN / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        return self

    def start(self) -> Cluster:
        options = " ".join(f"-c {k}={v}" for k, v in SMALL.items())
        options += f" -p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        _run(
            [
                str(BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.directory / "log"),
                "-o",
                options,
                "-w",
                "start",
            ]
        )
        return self

    def replica(self, name: str) -> Cluster:
        """A streaming replica of this server (hot standby), started."""
        standby = Cluster(name)
        _run(
            [
                str(BIN / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "-D",
                str(standby.data),
                "-R",
                "-X",
                "stream",
                "--no-sync",
                "--checkpoint=fast",  # else it waits for a spread checkpoint (minutes)
            ]
        )
        return standby.start()

    def sql(self, statement: str, dbname: str = "postgres") -> list[tuple[Any, ...]]:
        import psycopg

        with psycopg.connect(self.dsn(dbname), autocommit=True) as conn:
            cur = conn.execute(statement)
            return list(cur.fetchall()) if cur.description else []

    def stop_and_remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(
                _as_server_user(
                    [str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"]
                ),
                capture_output=True,
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)


def wait_replayed(primary: Cluster, standby: Cluster, timeout: float = 60) -> float:
    """Wait until the standby has replayed everything the primary has written; seconds."""
    start = time.perf_counter()
    target = primary.sql("SELECT pg_current_wal_lsn()::text")[0][0]
    while time.perf_counter() - start < timeout:
        done = standby.sql(f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")[0][0]
        if done:
            return time.perf_counter() - start
        time.sleep(0.02)
    raise TimeoutError(f"{standby.name} did not replay {target} in {timeout} s")
