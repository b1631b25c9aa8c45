"""The report taken before FastAPI answers exactly as the declared route does.

Two applications on two identically seeded stores get the same requests: one with
``HotWrites`` in front, one without it. Whatever a request is — a good report, a bad
or missing token, a body that does not parse or validate, a refusal by the ledger, an
idempotency key, a precondition, a language — both must answer with the same status,
headers and body (ids aside: they are chosen by the server), and record the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import Settings, create_app
from api.hot_writes import HotWrites
from ledger.application import HazardLedger
from plugins import Sectors
from tests.conftest import FakeClock, new_store_url

from .conftest import FAR_AWAY, RESTAURANT, USERS

UUID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
REFERENCE = re.compile(rb"[0-9a-f]{12}")


class Served:
    """One application on its own store, seeded like every other."""

    def __init__(self, store_url: str, clock: FakeClock, *, hot: bool) -> None:
        self.ledger = HazardLedger(
            store_url, clock=clock, sectors=Sectors.load(load_entry_points=False)
        )
        app = create_app(Settings(store=store_url, clock=clock), ledger=self.ledger)
        if not hot:
            kept = [m for m in app.user_middleware if cast(Any, m.cls) is not HotWrites]
            app.user_middleware = kept
        self.client = TestClient(app)
        self.client.__enter__()
        users = app.state.services.users
        # Tokens are random: each store holds its own, the test maps one to the other.
        self.tokens = {key: users.add(user, now=clock.now) for key, user in USERS.items()}
        for code, region in ((RESTAURANT, "620826"), (FAR_AWAY, "620825")):
            r = self.client.post(
                "/enterprises",
                json={
                    "occurred_at": clock.now.isoformat(),
                    "credit_code": code,
                    "name": "某单位",
                    "region_code": region,
                    "sectors": ["city_gas"],
                    "principal": {"id": f"p-{code[-4:]}", "name": "负责人"},
                },
                headers={"Authorization": f"Bearer {self.tokens['admin']}"},
            )
            assert r.status_code == 201, r.text

    def close(self) -> None:
        self.client.__exit__(None, None, None)
        self.ledger.close()


@pytest.fixture
def pair(store_kind: str, tmp_path: Any, clock: FakeClock) -> Iterator[tuple[Served, Served]]:
    from tests.conftest import drop_schema, postgres_dsn

    (tmp_path / "hot").mkdir()
    (tmp_path / "plain").mkdir()
    hot_url, hot_schema = new_store_url(store_kind, tmp_path / "hot")
    plain_url, plain_schema = new_store_url(store_kind, tmp_path / "plain")
    hot = Served(hot_url, clock, hot=True)
    plain = Served(plain_url, clock, hot=False)
    try:
        yield hot, plain
    finally:
        hot.close()
        plain.close()
        dsn = postgres_dsn()
        for schema in (hot_schema, plain_schema):
            if schema and dsn:
                drop_schema(dsn, schema)


def _body(clock: FakeClock, code: str, change: str) -> Any:
    body: dict[str, Any] = {
        "occurred_at": clock.now.isoformat(),
        "enterprise_code": code,
        "sector": "city_gas",
        "location": "后厨",
        "description": "燃气软管穿墙敷设",
        "source": "grid_patrol",
        "details": {"premises": "restaurant", "leak_alarm_installed": False},
    }
    if change == "missing field":
        del body["location"]
    elif change == "wrong type":
        body["location"] = 12
    elif change == "extra field":
        body["colour"] = "red"
    elif change == "future":
        body["occurred_at"] = (clock.now + timedelta(days=3)).isoformat()
    elif change == "no zone":
        body["occurred_at"] = clock.now.replace(tzinfo=None).isoformat()
    elif change == "unknown sector":
        body["sector"] = "nowhere"
    elif change == "too long":
        body["description"] = "长" * 6000
    elif change == "NUL":
        body["description"] = "a\x00b"
    elif change == "bad details":
        body["details"] = {"premises": 5}
    elif change == "array":
        return [body]
    elif change == "wide integer":
        body["details"] = {"premises": "restaurant", "n": 2**64}
    elif change == "infinity":
        body["details"] = {"premises": "restaurant", "n": float("inf")}
    elif change == "lone surrogate":
        body["location"] = "\ud800"
    elif change == "deep":
        body["details"] = {"premises": "restaurant", "x": "DEEP"}
    return body


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    who=st.sampled_from(
        ["inspector", "enterprise", "far_inspector", "auditor", "department", None, "bogus"]
    ),
    code=st.sampled_from([RESTAURANT, FAR_AWAY, "91620826MA7UNKNOWN", "not-a-code"]),
    change=st.sampled_from(
        [
            "none",
            "none",
            "missing field",
            "wrong type",
            "extra field",
            "future",
            "no zone",
            "unknown sector",
            "too long",
            "NUL",
            "bad details",
            "array",
            "wide integer",
            "infinity",
            "lone surrogate",
            "deep",
            "not json",
            "empty",
        ]
    ),
    content_type=st.sampled_from(
        ["application/json", "application/json; charset=utf-8", "text/plain", None]
    ),
    key=st.sampled_from([None, "fresh", "again", "bad key"]),
    if_match=st.sampled_from([None, None, "*", '"3"']),
    lang=st.sampled_from([None, "en", "zh-CN"]),
)
def test_the_hot_path_answers_as_the_route_does(
    pair: tuple[Served, Served],
    clock: FakeClock,
    who: str | None,
    code: str,
    change: str,
    content_type: str | None,
    key: str | None,
    if_match: str | None,
    lang: str | None,
) -> None:
    clock.advance(seconds=1)
    if change == "not json":
        content = b'{"occurred_at": '
    elif change == "empty":
        content = b""
    else:
        content = json.dumps(_body(clock, code, change)).encode()  # any width, NaN too
        # Nested deeper than Python's parser recurses (written as text: the encoder
        # recurses as deep).
        content = content.replace(b'"DEEP"', b"[" * 3000 + b"1" + b"]" * 3000)
    answers = []
    for served in pair:
        headers = {}
        if who == "bogus":
            headers["Authorization"] = "Bearer not-a-token"
        elif who is not None:
            headers["Authorization"] = f"Bearer {served.tokens[who]}"
        if content_type:
            headers["Content-Type"] = content_type
        if key:
            headers["Idempotency-Key"] = {
                "fresh": f"k-{clock.now.timestamp()}",
                "again": "the-same-key",
                "bad key": "two words",
            }[key]
        if if_match:
            headers["If-Match"] = if_match
        if lang:
            headers["Accept-Language"] = lang
        r = served.client.post("/hazards", content=content, headers=headers)
        body = REFERENCE.sub(b"<ref>", UUID.sub(b"<id>", r.content))
        answers.append(
            (
                r.status_code,
                r.headers.get("content-type"),
                r.headers.get("content-language"),
                "etag" in r.headers,
                body,
            )
        )
    assert answers[0] == answers[1]
    hot, plain = pair
    assert hot.ledger.integrity.tree_head()[0] == plain.ledger.integrity.tree_head()[0]
