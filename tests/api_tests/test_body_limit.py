"""Request bodies are bounded before anything reads or parses them (``api.body_limit``):
a command body over 1 MB is refused 413 in Chinese and English, whether its length is
declared or streamed, and records nothing; the file routes keep their own larger bound."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from starlette.types import Message, Receive, Scope, Send

from api.body_limit import JSON_BODY_BYTES, MIB, BodyLimit, body_bound

from .conftest import Api, hazard_body


def _oversized(api: Api) -> bytes:
    body = hazard_body(api)
    body["description"] = "隐" * (JSON_BODY_BYTES // 3 + 1)  # 3 bytes each in UTF-8
    return orjson.dumps(body)


def test_a_command_body_over_the_bound_is_refused_in_both_languages(api: Api) -> None:
    data = _oversized(api)
    assert len(data) > JSON_BODY_BYTES
    before = api.ledger.recorder.max_notification_id()
    headers = api.headers("inspector", **{"Content-Type": "application/json"})
    zh = api.client.post("/hazards", content=data, headers=headers)
    en = api.client.post("/hazards", content=data, headers={**headers, "Accept-Language": "en"})
    assert api.ledger.recorder.max_notification_id() == before
    assert zh.status_code == en.status_code == 413, zh.text
    assert zh.headers["content-type"].startswith("application/problem+json")
    assert "1 MB" in zh.json()["detail"] and "请求体" in zh.json()["detail"]
    assert "larger than the 1 MB limit" in en.json()["detail"]
    assert zh.json()["type"].endswith("too-large")


def test_a_streamed_body_without_a_length_is_refused_too(api: Api) -> None:
    data = _oversized(api)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(data), 64 * 1024):
            yield data[start : start + 64 * 1024]

    headers = api.headers("inspector", **{"Content-Type": "application/json"})
    r = api.client.post("/hazards", content=chunks(), headers=headers)
    assert r.status_code == 413, r.text


def test_a_body_within_the_bound_is_judged_as_usual(api: Api) -> None:
    body = hazard_body(api)
    body["padding"] = "x" * (JSON_BODY_BYTES - 4096)  # near the bound, an unknown field
    r = api.post("inspector", "/hazards", body)
    assert r.status_code == 422, r.text  # the schema's answer, not the bound's


def test_file_routes_keep_their_own_larger_bound() -> None:
    assert body_bound("POST", "/hazards") == JSON_BODY_BYTES == MIB
    assert body_bound("POST", "/evidence") > 10 * MIB
    assert body_bound("POST", "/verify-print") > 10 * MIB
    assert body_bound("POST", "/bundles/verify") > 100 * MIB


def _call(app: Any, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> tuple[int, int]:
    """Drive ``app`` as a server would; answer (status, chunks the app was given)."""
    scope: Scope = {
        "type": "http",
        "method": "POST",
        "path": "/hazards",
        "headers": headers,
        "query_string": b"",
        "root_path": "",
        "scheme": "http",
        "server": ("test", 80),
    }
    given = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal given
        given += 1
        more = given < len(chunks)
        return {"type": "http.request", "body": chunks[given - 1], "more_body": more}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    return int(sent[0]["status"]), given


async def _reads_everything(scope: Scope, receive: Receive, send: Send) -> None:
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"{}"})


def test_a_declared_length_over_the_bound_is_refused_before_reading_a_byte() -> None:
    declared = [(b"content-length", str(80 * MIB).encode())]
    status, given = _call(BodyLimit(_reads_everything), declared, [b"x" * MIB] * 80)
    assert (status, given) == (413, 0)


@pytest.mark.parametrize("chunk", [64 * 1024, MIB // 2])
def test_a_streamed_body_is_cut_as_soon_as_it_passes_the_bound(chunk: int) -> None:
    chunks = [b"x" * chunk] * (80 * MIB // chunk)
    status, given = _call(BodyLimit(_reads_everything), [], chunks)
    assert status == 413
    assert given == JSON_BODY_BYTES // chunk + 1  # not one chunk more
