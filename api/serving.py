"""Serving the HTTP API with uvicorn, its workers each listening on a socket of its own.

uvicorn's worker processes share one listening socket, and a worker's event loop, woken
by connections arriving together, accepts every one that is waiting. Clients that open
their connections at once and keep them (a reverse proxy's pool, a load generator, a
county's batch of field tablets reconnecting) then all land on one worker, and the
others idle: measured with 16 keep-alive clients on two workers, one worker served every
request in some runs. Here each worker opens its own socket on the same address with
``SO_REUSEPORT``, and the kernel spreads new connections across the workers' sockets by
their addresses; the parent binds the address first, without listening, so that a port
already taken fails at once, in the parent, as before. Where the platform has no
balancing ``SO_REUSEPORT`` (anything but Linux), workers share the parent's socket as
uvicorn does by itself.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from typing import Any

import uvicorn
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

logger = logging.getLogger("uvicorn.error")

#: Whether the kernel spreads connections across sockets sharing a port (Linux 3.9+).
BALANCED = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


class WorkerSocket(socket.socket):
    """The address every worker listens on: bound in the parent, never listening there.

    uvicorn hands its sockets to each worker process it starts by pickling them; this
    one pickles as its address, so each worker (including one started again after a
    crash) unpickles a new socket of its own, bound to the same address with
    ``SO_REUSEPORT``, which uvicorn's server then listens on.
    """

    def __reduce__(self) -> tuple[Any, tuple[int, tuple[Any, ...]]]:
        return (reuse_port_socket, (int(self.family), self.getsockname()))


def reuse_port_socket(family: int, address: tuple[Any, ...]) -> socket.socket:
    """A TCP socket bound to ``address`` with ``SO_REUSEPORT`` (not yet listening)."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind(address)
    return sock


def serve(
    app: str,
    *,
    host: str,
    port: int,
    workers: int = 1,
    factory: bool = False,
    log_level: str = "info",
    access_log: bool = True,
) -> None:
    """Serve the ASGI application at import path ``app`` (see the module docstring)."""
    options: dict[str, Any] = {
        "factory": factory,
        "host": host,
        "port": port,
        "workers": workers,
        "log_level": log_level,
        "access_log": access_log,
    }
    if workers <= 1 or not BALANCED:
        uvicorn.run(app, **options)
        return
    config = uvicorn.Config(app, **options)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = WorkerSocket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        logger.error(error)
        sys.exit(STARTUP_FAILURE)
    where = f"[{host}]" if family == socket.AF_INET6 else host
    logger.info(
        "Uvicorn running on http://%s:%d with %d workers, each on its own socket",
        where,
        sock.getsockname()[1],
        workers,
    )
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()


def main(argv: list[str] | None = None) -> None:
    """``python -m api.serving APP --host H --port P --workers N [--factory]``: what
    ``ledger serve`` runs, for the benchmarks to serve any application the same way."""
    parser = argparse.ArgumentParser(prog="python -m api.serving")
    parser.add_argument("app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--factory", action="store_true")
    parser.add_argument("--log-level", default="info")
    parser.add_argument("--no-access-log", action="store_true")
    args = parser.parse_args(argv)
    serve(
        args.app,
        host=args.host,
        port=args.port,
        workers=args.workers,
        factory=args.factory,
        log_level=args.log_level,
        access_log=not args.no_access_log,
    )


if __name__ == "__main__":
    main()
