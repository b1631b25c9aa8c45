"""Proofs over HTTP: per-event proof status, case bundles, checkpoints, bundle checks.

A case bundle carries the evidence files its events cite, taken from the ledger's
evidence store here, at the edge; the core (``ledger.integrity.bundle``) only hashes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from fastapi import APIRouter, Request
from starlette.responses import PlainTextResponse, Response

from ledger.integrity import NoSigningKey
from ledger.integrity.bundle import (
    MAX_BUNDLE_BYTES,
    BundleError,
    EvidenceUnavailable,
    export_bundle,
    verify_bundle,
)
from ledger.integrity.signing import Checkpoint, SignedNote
from ledger.integrity.status import proof_statuses

from ..deps import ServicesDep
from ..evidence import evidence_store
from ..problems import Problem, language
from ..response_models import CheckpointView, LatestCheckpoint, Proofs, sends
from ..security import CurrentUser
from ..services import Services
from .common import READ_ERRORS
from .reading import KnownAt, ReadsDep, answering

router = APIRouter(tags=["integrity 存证"])


def _json(body: Any, **headers: str) -> Response:
    return Response(orjson.dumps(body), media_type="application/json", headers=headers)


@router.get("/hazards/{case_id}/proofs", responses={**READ_ERRORS, **sends(Proofs)})
async def proofs(
    services: ServicesDep,
    case_id: UUID,
    user: CurrentUser,
    reads: ReadsDep,
    known_at: KnownAt = None,
) -> Response:
    """Proof status of each event of the case, against the latest signed checkpoint (as
    the log stood at ``known_at``, when given)."""
    with answering(known_at):
        reads.case(case_id, scope=user.scope, known_at=known_at)
    statuses = proof_statuses(services.ledger.integrity, case_id, known_at=known_at)
    events = [
        {
            "version": version,
            "verified": s.status in ("verified", "verified_unsigned"),
            **s.as_dict(),
        }
        for version, s in sorted(statuses.items())
    ]
    return _json({"events": events})


@router.get(
    "/hazards/{case_id}/bundle",
    responses={
        **READ_ERRORS,
        409: {"description": "A cited evidence file is missing, altered or too large"},
        503: {"description": "No signing key configured"},
    },
)
async def bundle(
    services: ServicesDep,
    case_id: UUID,
    user: CurrentUser,
    reads: ReadsDep,
    known_at: KnownAt = None,
) -> Response:
    """One file with the case's events, inclusion proofs, a signed checkpoint, the
    public key and the evidence files the events cite, checkable offline with
    ``ledger verify-bundle``; with ``known_at``, the bundle as it could have been
    exported then (the events recorded by then, proven against the log of then)."""
    with answering(known_at):
        reads.case(case_id, scope=user.scope, known_at=known_at)
    ledger = services.ledger
    try:
        data = export_bundle(
            ledger.integrity, case_id, files=evidence_store(ledger).get, known_at=known_at
        )
    except EvidenceUnavailable as e:
        raise Problem(409, "evidence-unavailable", e.message("zh"), e.message("en")) from None
    except (NoSigningKey, BundleError) as e:
        raise Problem(
            503,
            "no-signing-key",
            "服务端未配置检查点签名密钥（ledger keys），无法出具证据包",
            f"no checkpoint signing key is configured (ledger keys): {e}",
        ) from None
    return _json(
        data, **{"content-disposition": f'attachment; filename="case-{case_id}.bundle.json"'}
    )


@router.post("/bundles/verify", responses=READ_ERRORS)
async def check_bundle(request: Request, user: CurrentUser) -> Response:
    """Check a bundle (the request body) exactly as ``ledger verify-bundle`` does."""
    outcome = verify_bundle(await _body_up_to(request, MAX_BUNDLE_BYTES + 1))
    lang = language(request)
    return _json({**outcome.as_dict(), "summary": outcome.lines(lang)})


async def _body_up_to(request: Request, limit: int) -> bytes:
    """The request body, read no further than ``limit`` bytes (the check refuses more)."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk[: limit - len(body)]
        if len(body) >= limit:
            break
    return bytes(body)


def _issued(services: Services, known_at: datetime | None) -> tuple[Checkpoint, ...]:
    """The checkpoints issued by ``known_at`` (all, without it), oldest first."""
    with answering(known_at):
        return services.ledger.integrity.as_of(known_at).checkpoints


@router.get("/checkpoints", responses={**READ_ERRORS, **sends(list[CheckpointView])})
async def checkpoints(
    services: ServicesDep, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """Every signed checkpoint issued (by ``known_at``, when given), oldest first."""
    return _json([c.as_dict() for c in _issued(services, known_at)])


def _no_checkpoint() -> Problem:
    return Problem(404, "not-found", "尚未签发检查点", "no checkpoint has been issued yet")


def _latest_note(services: Services, known_at: datetime | None) -> tuple[Checkpoint, SignedNote]:
    issued = _issued(services, known_at)
    if not issued:
        raise _no_checkpoint()
    return issued[-1], services.ledger.integrity.note_for(issued[-1])


@router.get("/checkpoints/latest", responses={**READ_ERRORS, **sends(LatestCheckpoint)})
async def latest_checkpoint(
    services: ServicesDep, user: CurrentUser, known_at: KnownAt = None
) -> Response:
    """The latest signed checkpoint (issued by ``known_at``, when given; 404 when none
    was), with the witnesses that cosigned it and whether the configured ``K of N``
    witness policy holds."""
    checkpoint, note = _latest_note(services, known_at)
    policy = services.ledger.integrity.witness_policy
    cosigned_by = policy.cosigners(note.body, note.signatures)
    return _json(
        {
            **checkpoint.as_dict(),
            "note": note.text(),
            "cosigned_by": cosigned_by,
            "witness_policy": {
                "quorum": policy.quorum,
                "witnesses": [w.key.name for w in policy.witnesses],
                "met": len(cosigned_by) >= policy.quorum,
            },
        }
    )


@router.get(
    "/checkpoint",
    response_class=PlainTextResponse,
    responses={404: {"description": "No checkpoint issued yet"}},
)
async def checkpoint_note(services: ServicesDep, known_at: KnownAt = None) -> Response:
    """The latest checkpoint (issued by ``known_at``, when given) in C2SP
    tlog-checkpoint form (signed note with the witnesses' cosignatures), public like any
    transparency log's: it reveals a size and a hash."""
    _, note = _latest_note(services, known_at)
    return PlainTextResponse(note.text(), media_type="text/plain; charset=utf-8")
