"""What every read route shares: the read layer as a dependency, the two clocks as
query parameters, and the read layer's refusals as problem details.

A read route is parse, call, return: it names ``ReadsDep``, ``CurrentUser`` and the
``KnownAt``/``ValidAt`` parameters, calls one method of ``projections.reads.Reads`` with
``user.scope`` inside ``answering(known_at)``, and returns the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Any

import orjson
from fastapi import Depends, Query
from pydantic import AfterValidator, ValidationInfo
from starlette.responses import Response

from ledger.bounds import check_moment
from ledger.permissions import NotPermitted, require
from projections.queries import NotForEnterprises, ReadModelMissing
from projections.reads import Reads, ReviewNotForEnterprises

from ..deps import ServicesDep
from ..problems import Problem
from ..users import User
from .common import READ_ERRORS, problem_response_doc


def get_reads(services: ServicesDep) -> Reads:
    """The read layer over the process's ledger, with its sectors' audit rules."""
    return Reads(services.ledger, audit_rules=services.sectors.audit_rules)


ReadsDep = Annotated[Reads, Depends(get_reads)]


def _in_bounds(moment: datetime, info: ValidationInfo) -> datetime:
    return check_moment(info.field_name or "moment", moment)


#: A moment a query names: with a zone and within the ledger's range
#: (``ledger.bounds.check_moment``, the rule commands' moments keep), else a 422
#: naming the parameter.
Moment = Annotated[datetime, AfterValidator(_in_bounds)]

KnownAt = Annotated[
    Moment | None,
    Query(
        description="Transaction time: answer as recorded by this moment. Read models "
        "answer it from the snapshot built for exactly this moment (POST /snapshots)."
    ),
]
ValidAt = Annotated[
    Moment | None,
    Query(
        description="Business time: as it was in the world at this moment, and the moment "
        "overdue is computed for (default: known_at, else now)."
    ),
]

READ_MODEL_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    403: problem_response_doc("Statistics are for supervising officials"),
    409: problem_response_doc("No read-model snapshot for the known_at moment"),
    503: problem_response_doc("Read model not built yet; retry"),
}


def json_response(body: Any, **headers: str) -> Response:
    return Response(orjson.dumps(body, default=str), media_type="application/json", headers=headers)


def permit(user: User, action: str) -> None:
    """403 unless the one permission table (``ledger.permissions``) lets the user's role
    perform this read (``REVIEW``, ``READ_STATISTICS``)."""
    try:
        require(user.role, action)
    except NotPermitted as e:
        raise Problem(403, "forbidden", e.message_zh, e.message_en) from None


@contextmanager
def answering(known_at: datetime | None, valid_at: datetime | None = None) -> Iterator[None]:
    """Check both clocks carry a zone, and turn the read layer's refusals into problem
    details."""
    for name, moment in (("known_at", known_at), ("valid_at", valid_at)):
        if moment is not None and moment.tzinfo is None:
            raise Problem(422, "invalid-request", f"{name} 须带时区", f"{name} needs a time zone")
    try:
        yield
    except ReadModelMissing:
        if known_at is not None:
            raise Problem(
                409,
                "snapshot-missing",
                "尚无该时点的读模型快照，请先运行 ledger rebuild --known-at 该时点",
                "no read-model snapshot for that moment; run `ledger rebuild --known-at` first",
            ) from None
        raise Problem(
            503,
            "read-model-not-ready",
            "读模型尚未生成或正在重建，请稍后再试（ledger project / ledger rebuild）",
            "the read model is not built yet or is being rebuilt; retry shortly",
            headers={"retry-after": "5"},
        ) from None
    except (NotForEnterprises, ReviewNotForEnterprises) as e:
        raise Problem(403, "forbidden", e.message_zh, e.message_en) from None
    except LookupError:
        raise Problem(404, "not-found") from None
    except ValueError as e:
        raise Problem(422, "invalid-request", str(e), str(e), extra={"recorded": False}) from None


__all__ = [
    "READ_MODEL_ERRORS",
    "KnownAt",
    "Moment",
    "ReadsDep",
    "ValidAt",
    "answering",
    "get_reads",
    "json_response",
    "permit",
]
