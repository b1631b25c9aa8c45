"""Every request sees the store as committed: a revoked token is refused at the next
request, and a change recorded elsewhere shows in the next timeline read — on both
stores, across app instances and processes, and after the hot path's connection broke."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from api.app import Settings, create_app
from api.services import Services
from ledger.application import HazardLedger
from plugins import Sectors
from tests.conftest import FakeClock

from .conftest import FAR_AWAY, Api, report

ROOT = Path(__file__).resolve().parents[2]
FAR = quote("2100-01-01T00:00:00+00:00")


def timeline(client: TestClient, token: str, case_id: str, *, fast: bool = True) -> Any:
    """The hot path's read, or (``fast=False``) the same read through FastAPI's route."""
    query = "" if fast else f"?known_at={FAR}"
    return client.get(
        f"/hazards/{case_id}/timeline{query}", headers={"Authorization": f"Bearer {token}"}
    )


def in_another_process(store: str, script: str) -> None:
    env = {**os.environ, "LEDGER_STORE": store, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


async def get_status(app: Any, path: str, token: str) -> int:
    """GET ``path`` straight through the ASGI interface (so that many run at once on one
    event loop) and answer the status."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"test"), (b"authorization", f"Bearer {token}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "app": app,
    }
    statuses: list[int] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(scope, receive, send)
    return statuses[0]


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def test_a_revoked_token_is_refused_at_the_next_request(api: Api) -> None:
    case_id = report(api)
    token = api.tokens["department"]
    for fast in (True, False):
        assert timeline(api.client, token, case_id, fast=fast).status_code == 200
    assert api.post("admin", "/users/dept/revoke", {}).status_code == 200
    for fast in (True, False):
        assert timeline(api.client, token, case_id, fast=fast).status_code == 401


def test_a_reissued_token_replaces_the_old_one_at_once(api: Api) -> None:
    case_id = report(api)
    old = api.tokens["department"]
    assert timeline(api.client, old, case_id).status_code == 200
    answer = api.post("admin", "/users/dept/reissue", {"valid_days": 30})
    assert answer.status_code == 200, answer.text
    new = answer.json()["token"]
    for fast in (True, False):
        assert timeline(api.client, old, case_id, fast=fast).status_code == 401
        assert timeline(api.client, new, case_id, fast=fast).status_code == 200


def test_a_revocation_through_another_app_instance_holds_in_this_one(
    api: Api, store_url: str, clock: FakeClock
) -> None:
    case_id = report(api)
    token = api.tokens["department"]
    assert timeline(api.client, token, case_id).status_code == 200
    other_ledger = HazardLedger(
        store_url, clock=clock, sectors=Sectors.load(load_entry_points=False)
    )
    other = create_app(Settings(store=store_url, clock=clock), ledger=other_ledger)
    try:
        with TestClient(other) as second:
            assert timeline(second, token, case_id).status_code == 200
            revoked = second.post(
                "/users/dept/revoke", headers={"Authorization": f"Bearer {api.tokens['admin']}"}
            )
            assert revoked.status_code == 200
            assert timeline(second, token, case_id).status_code == 401
        for fast in (True, False):
            assert timeline(api.client, token, case_id, fast=fast).status_code == 401
    finally:
        other_ledger.close()


def test_a_revocation_by_another_process_holds_at_the_next_request(
    api: Api, store_url: str
) -> None:
    case_id = report(api)
    token = api.tokens["department"]
    assert timeline(api.client, token, case_id).status_code == 200
    in_another_process(
        store_url,
        "import sys\nfrom api.cli import main\nsys.argv = ['ledger', 'users', 'revoke', 'dept']\n"
        "main()\n",
    )
    for fast in (True, False):
        assert timeline(api.client, token, case_id, fast=fast).status_code == 401


def test_an_event_recorded_by_another_process_shows_in_the_next_read(
    api: Api, store_url: str
) -> None:
    case_id = report(api)
    token = api.tokens["department"]
    before = timeline(api.client, token, case_id).json()
    assert [e["event"] for e in before] == ["Reported"]
    in_another_process(
        store_url,
        "from datetime import UTC, datetime\nfrom uuid import UUID\n"
        "from ledger.application import HazardLedger\nfrom tests.support import INSPECTOR\n"
        f"ledger = HazardLedger({store_url!r})\n"
        f"ledger.grade_hazard(INSPECTOR, datetime.now(tz=UTC), UUID({case_id!r}), "
        "grade='general')\nledger.close()\n",
    )
    after = timeline(api.client, token, case_id)
    assert [e["event"] for e in after.json()] == ["Reported", "Graded"]
    assert after.json() == timeline(api.client, token, case_id, fast=False).json()


def test_a_broken_connection_is_replaced_and_answers_stay_current(api: Api) -> None:
    case_id = report(api)
    token = api.tokens["department"]
    assert timeline(api.client, token, case_id).status_code == 200
    lookups = services_of(api.client).lookups()
    if api.ledger.store.is_postgres:
        # The hot paths' asynchronous connection and the bearer check's own.
        pids = [c.info.backend_pid for c in (lookups.conn, lookups.aconn) if c is not None]
        assert lookups.aconn is not None
        with api.ledger.store.connect_postgres() as admin:
            for pid in pids:
                admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    else:
        lookups.conn.close()  # its next use fails as a lost connection does
    graded = api.post(
        "department", f"/hazards/{case_id}/grade", {"occurred_at": api.now(), "grade": "general"}
    )
    assert graded.status_code in (200, 201), graded.text
    after = timeline(api.client, token, case_id)
    assert after.status_code == 200
    assert [e["event"] for e in after.json()] == ["Reported", "Graded"]
    assert api.post("admin", "/users/dept/revoke", {}).status_code == 200
    lookups.close()  # and once more, between two requests
    for fast in (True, False):
        assert timeline(api.client, token, case_id, fast=fast).status_code == 401


def test_without_the_hot_path_connection_the_full_application_answers(api: Api) -> None:
    """When the store cannot be asked on the hot path's own connection, the request goes
    on to the full application, which reads through the ledger's pool."""
    case_id = report(api)
    token = api.tokens["department"]
    lookups = services_of(api.client).lookups()

    def unreachable() -> Any:
        raise OSError("the store is unreachable")

    async def unreachable_async() -> Any:
        raise OSError("the store is unreachable")

    lookups.close()
    lookups._connect = unreachable  # type: ignore[method-assign]
    lookups._connect_async = unreachable_async  # type: ignore[method-assign]
    answer = timeline(api.client, token, case_id)
    assert answer.status_code == 200
    assert [e["event"] for e in answer.json()] == ["Reported"]
    assert api.post("admin", "/users/dept/revoke", {}).status_code == 200
    assert timeline(api.client, token, case_id).status_code == 401


def test_requests_asked_together_each_get_their_own_answer(api: Api) -> None:
    """Reads arriving together are asked in one statement on PostgreSQL: every answer
    must still be the one its own token and case call for."""
    mine = report(api)
    far = report(api, "far_inspector", FAR_AWAY)
    assert api.post("admin", "/users/insp/revoke", {}).status_code == 200
    tokens = {who: api.tokens[who] for who in ("department", "inspector", "far_inspector")}
    tokens["stranger"] = "hl_nobody"
    asked = [(who, case) for who in tokens for case in (mine, far)] * 3
    expected = {
        (who, case): timeline(api.client, tokens[who], case, fast=False).status_code
        for who, case in set(asked)
    }
    assert expected[("department", mine)] == 200 and expected[("far_inspector", far)] == 200
    assert expected[("inspector", mine)] == 401 and expected[("department", far)] == 404

    lookups = services_of(api.client).lookups()
    batches: list[int] = []
    ask_waiting = lookups._ask_waiting

    async def recording() -> None:
        batches.append(len(lookups.waiting))
        await ask_waiting()

    lookups._ask_waiting = recording  # type: ignore[method-assign]

    async def all_at_once() -> list[int]:
        return list(
            await asyncio.gather(
                *(
                    get_status(api.client.app, f"/hazards/{case}/timeline", tokens[who])
                    for who, case in asked
                )
            )
        )

    assert asyncio.run(all_at_once()) == [expected[q] for q in asked]
    if api.ledger.store.is_postgres:
        assert max(batches) > 1
