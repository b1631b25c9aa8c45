"""Many report POSTs at once, through the ASGI app (both stores).

Requests that arrive together share group commits (``ledger.group_commit``); whatever
the grouping, every 201 answers a case the store holds at that version, an out-of-scope
report is refused 404 and records nothing, valid reports grouped with refused ones are
still recorded, and a keyed request sent twice at once is recorded once.
"""

from __future__ import annotations

import asyncio
from typing import Any
from uuid import UUID

import orjson

from ledger.hazard import HazardCase
from tests.core_tests.test_idempotent_answers import records

from .conftest import FAR_AWAY, RESTAURANT, Api, hazard_body


async def post(app: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    """One request through the ASGI app itself: (status, parsed body)."""
    raw = orjson.dumps(body)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"content-length", str(len(raw)).encode()),
            *((k.lower().encode(), v.encode()) for k, v in headers.items()),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    sent = False
    answer: dict[str, Any] = {"body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": raw, "more_body": False}
        await asyncio.Event().wait()  # the client stays connected
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            answer["status"] = message["status"]
        elif message["type"] == "http.response.body":
            answer["body"] += message.get("body", b"")

    await app(scope, receive, send)
    return answer["status"], orjson.loads(answer["body"]) if answer["body"] else None


def test_concurrent_reports_are_each_answered_after_their_commit(api: Api) -> None:
    app = api.client.app
    before = records(api.ledger, HazardCase)
    valid, refused, keys = 40, 12, 6

    async def burst() -> list[tuple[str, Any]]:
        calls: list[tuple[str, Any]] = []
        for n in range(valid):
            calls.append(
                ("valid", post(app, "/hazards", hazard_body(api), api.headers("inspector")))
            )
            if n < refused:
                far = hazard_body(api, FAR_AWAY)
                calls.append(("refused", post(app, "/hazards", far, api.headers("inspector"))))
        for k in range(keys):
            keyed = api.headers("inspector", **{"Idempotency-Key": f"burst-{k}"})
            body = hazard_body(api, RESTAURANT)
            calls += [(f"key-{k}", post(app, "/hazards", body, keyed)) for _ in range(2)]
        answers = await asyncio.gather(*(call for _, call in calls))
        return [(kind, answer) for (kind, _), answer in zip(calls, answers, strict=True)]

    answers = asyncio.run(burst())
    recorded: set[UUID] = set()
    by_key: dict[str, list[Any]] = {}
    for kind, (status, body) in answers:
        if kind == "valid":
            assert status == 201, body
        elif kind == "refused":
            assert status == 404, body
            continue
        else:
            assert status in (201, 409), body  # 409: the same request still being processed
            by_key.setdefault(kind, []).append(body if status == 201 else None)
        if status == 201:
            case = api.ledger.repository.get(UUID(body["id"]))
            assert case.version >= body["version"] == 1
            recorded.add(case.id)
    for bodies in by_key.values():
        ids = {b["id"] for b in bodies if b is not None}
        assert len(ids) == 1  # a replay answers the first attempt's record, never a second
    assert len(recorded) == valid + keys
    assert records(api.ledger, HazardCase) == before + valid + keys
    report = api.ledger.integrity.verify()
    assert not report.failures and report.events_checked == report.tree_size
