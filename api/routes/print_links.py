"""Printed papers over HTTP: short links and the verification of an uploaded paper.

``GET /p/{leaf_hash}`` is the short link a linked seal names (decision 0030): public like
``/checkpoint``, it answers one logged event by 32 to 64 hex digits of its leaf hash,
with its stored payload and its inclusion proof under the latest signed checkpoint; the
answer proves itself against the hash sealed on the paper. ``POST /verify-print`` takes
a photo, scan or PDF of a paper (the body, at most ``MAX_UPLOAD_BYTES``) and judges it
with the same verifier as ``ledger verify-print`` and the keys the server trusts
(``$LEDGER_TRUSTED_KEYS``, never its own signing key); a linked seal's content is read
from this ledger. ``GET /verify`` is the page that scans a code with the camera.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool
from starlette.responses import FileResponse, Response

from ledger.application import HazardLedger
from ledger.integrity.signing import CheckpointError
from ledger.integrity.trust import TrustRoot

from ..deps import ServicesDep
from ..documents.links import PREFIX_PATTERN, find_leaf, local_fetch
from ..documents.scan import scan
from ..documents.verify import verify_scanned
from ..problems import Problem
from ..response_models import ShortLinkAnswer, sends
from ..web import STATIC

router = APIRouter(tags=["integrity 存证"])

#: The largest paper accepted for verification, and its page count (a PDF is rendered
#: page by page at 300 dpi: the bounds keep one request's work small).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PAGES = 20

#: What an upload may be, by its first bytes (the Content-Type is not trusted).
_SUFFIX_BY_MAGIC = ((b"%PDF-", ".pdf"), (b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8\xff", ".jpg"))

LeafPrefix = Annotated[
    str,
    PathParam(
        pattern=PREFIX_PATTERN,
        description="The first 32 (up to 64) lower-case hex digits of the event's leaf hash.",
    ),
]


@router.get(
    "/p/{leaf_hash}",
    responses={
        404: {"description": "No logged event has this leaf hash prefix"},
        **sends(ShortLinkAnswer),
    },
)
async def short_link(services: ServicesDep, leaf_hash: LeafPrefix) -> Response:
    """A printed document's short link: the event's leaf header, stored payload and its
    inclusion proof under the latest signed checkpoint (public: the link is as hard to
    guess as a token, and the answer proves itself)."""
    found = await run_in_threadpool(find_leaf, services.ledger, leaf_hash)
    if found is None:
        raise Problem(
            404, "not-found", "没有与该短链接对应的账本记录", "no ledger event has this short link"
        )
    return Response(orjson.dumps(found.as_dict()), media_type="application/json")


@router.post(
    "/verify-print",
    responses={
        413: {"description": "The file is larger than 10 MB or has more than 20 pages"},
        415: {"description": "Not a PDF, PNG or JPEG"},
        503: {"description": "The server trusts no ledger key ($LEDGER_TRUSTED_KEYS)"},
    },
)
async def verify_print(request: Request, services: ServicesDep) -> Response:
    """Judge a photo, scan or PDF of a printed paper (the request body) as
    ``ledger verify-print`` does; the verdict in Chinese and English."""
    trust = _trust()
    body = await _body_up_to(request, MAX_UPLOAD_BYTES + 1)
    if len(body) > MAX_UPLOAD_BYTES:
        raise Problem(
            413, "too-large", "文件超过 10 MB 上限", "the file is larger than the 10 MB limit"
        )
    suffix = next((s for magic, s in _SUFFIX_BY_MAGIC if body.startswith(magic)), None)
    if suffix is None:
        raise Problem(
            415,
            "unsupported-media-type",
            "只接受 PDF、PNG 或 JPEG 文件",
            "only PDF, PNG or JPEG files are accepted",
        )
    ledger = services.ledger
    verdict = await run_in_threadpool(_judge, body, suffix, trust, ledger)
    return Response(orjson.dumps(verdict), media_type="application/json")


def _judge(body: bytes, suffix: str, trust: TrustRoot, ledger: HazardLedger) -> dict[str, Any]:
    """Scan the paper (off the event loop: rendering a PDF takes a moment) and judge it."""
    with tempfile.TemporaryDirectory(prefix="verify-print-") as folder:
        path = Path(folder) / f"paper{suffix}"
        path.write_bytes(body)
        try:
            scanned = scan(path, max_pages=MAX_PAGES)
        except ValueError as e:  # too many pages, or not a readable file
            raise Problem(
                413 if "pages" in str(e) else 415,
                "unreadable-paper",
                f"无法读取该文件（至多 {MAX_PAGES} 页的 PDF、PNG 或 JPEG）",
                f"the file cannot be read (a PDF of at most {MAX_PAGES} pages, PNG or JPEG)",
            ) from None
    verdict = verify_scanned(scanned, trust, fetch=local_fetch(ledger))
    return verdict.answer


def _trust() -> TrustRoot:
    """The keys this server trusts for papers: ``$LEDGER_TRUSTED_KEYS`` only."""
    try:
        trust = TrustRoot.configured()
    except (CheckpointError, OSError, ValueError):
        trust = TrustRoot.configured(setting="")
    if not trust.keys:
        raise Problem(
            503,
            "no-trusted-key",
            "服务端未配置受信任的账本公钥（LEDGER_TRUSTED_KEYS），无法核验文书",
            "the server trusts no ledger key (LEDGER_TRUSTED_KEYS): papers cannot be verified",
        )
    return trust


async def _body_up_to(request: Request, limit: int) -> bytes:
    """The request body, read no further than ``limit`` bytes."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk[: limit - len(body)]
        if len(body) >= limit:
            break
    return bytes(body)


@router.get("/verify", include_in_schema=False)
async def verify_page() -> FileResponse:
    """The page that reads a printed paper's QR code (camera, photo or PDF)."""
    return FileResponse(STATIC / "verify.html", media_type="text/html; charset=utf-8")
