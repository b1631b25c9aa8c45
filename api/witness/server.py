"""HTTP edge of a witness: ``POST /add-checkpoint``, answered by ``ledger.integrity.witness``.

A witness is small, rarely called and must keep its state on its own, so it runs in the
standard library's threading HTTP server rather than the ledger's web service; every
decision is the core's (``Witness.add_checkpoint``), this module only moves bytes.
"""

from __future__ import annotations

from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ledger.integrity.witness import MAX_REQUEST, Witness


def make_server(witness: Witness, host: str, port: int) -> ThreadingHTTPServer:
    """A server bound to ``host:port`` (0: any free port) answering for ``witness``."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/add-checkpoint":
                self._send(404, "text/plain; charset=utf-8", "not found\n")
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_REQUEST:
                self._send(413, "text/plain; charset=utf-8", "request too large\n")
                return
            reply = witness.add_checkpoint(self.rfile.read(length))
            self._send(reply.status, reply.content_type, reply.text)

        def _send(self, status: int, content_type: str, text: str) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the witness's state directory is its record."""

    return ThreadingHTTPServer((host, port), Handler)
