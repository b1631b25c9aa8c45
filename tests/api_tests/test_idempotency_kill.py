"""``kill -9`` of a real server mid-request, then a retry with the same key: one record.

Best effort at the timing: each attempt kills the server at a different point of a
request's measured duration (before the claim, between claim and commit, after the
commit but before the answer reached the client), restarts it and retries. Whatever
point a kill hit, the request must end up recorded exactly once, and a retry of a
request whose first answer arrived must replay that answer. Which windows were hit is
reported, never asserted (the deterministic crash-window tests are
``test_idempotency_crash``).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
import pytest

from api.composition import Config, opened
from api.users import User
from ledger.codes import make_credit_code
from ledger.enterprise import Person
from ledger.hazard import HazardCase
from ledger.identity import Actor, Role
from ledger.sqlstore import SqlStore

ROOT = Path(__file__).resolve().parents[2]
REGION = "620826"
RESTAURANT = make_credit_code("92620826MA71KLLA0")
#: When each attempt's kill comes, as a fraction of one request's measured duration.
FRACTIONS = [0.1, 0.35, 0.6, 0.8, 0.95, 1.1]


def prepare(store: str) -> str:
    """One enterprise and an inspector; the inspector's token."""
    now = datetime.now(tz=UTC)
    admin = Actor("kill-admin", "管理员", Role.ADMIN, "信息中心")
    with opened(Config(store=store)) as ledger:
        ledger.ledger.register_enterprise(
            admin,
            now,
            credit_code=RESTAURANT,
            name="城关镇某餐馆",
            region_code=REGION,
            sectors=["city_gas"],
            principal=Person("p1", "负责人"),
        )
        inspector = User("kill-insp", "张建国", Role.INSPECTOR, "城关镇", REGION)
        return ledger.users.add(inspector, now=now, valid_for=timedelta(hours=1))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(store: str, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``ledger serve`` in a session of its own (one group to kill), until it answers."""
    env = {**os.environ, "LEDGER_STORE": store, "PYTHONPATH": str(ROOT)}
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--no-follow"]
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from api.cli import main; main()", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        until = time.monotonic() + 60
        while not answers(port):
            assert proc.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < until, "the server did not start"
            time.sleep(0.1)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


def answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/health")
        return connection.getresponse().status == 200
    except OSError:
        return False


#: One moment for every request: a retry must send the very same body.
OCCURRED_AT = datetime.now(tz=UTC).replace(microsecond=0).isoformat()


def post(port: int, token: str, key: str, location: str) -> tuple[int, dict[str, str], Any]:
    body = {
        "occurred_at": OCCURRED_AT,
        "enterprise_code": RESTAURANT,
        "sector": "city_gas",
        "location": location,
        "description": "燃气软管穿墙敷设",
        "source": "grid_patrol",
        "details": {"premises": "restaurant", "leak_alarm_installed": False},
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(
        "POST",
        "/hazards",
        orjson.dumps(body),
        {
            "Authorization": f"Bearer {token}",
            "Idempotency-Key": key,
            "Content-Type": "application/json",
        },
    )
    response = connection.getresponse()
    headers = {k.lower(): v for k, v in response.getheaders()}
    return response.status, headers, orjson.loads(response.read() or b"null")


def cases_at(store: str) -> Counter[str]:
    """How many hazard cases were recorded at each location."""
    with opened(Config(store=store)) as ledger:
        app = ledger.ledger
        table = getattr(app.recorder, "events_table_name", "stored_events")
        rows = SqlStore(app.recorder.datastore).fetchall(  # type: ignore[attr-defined]
            f"SELECT originator_id FROM {{schema}}.{table}"
            " WHERE originator_version = 1 AND topic LIKE ?",
            [f"{HazardCase.__module__}:{HazardCase.__qualname__}.%"],
        )
        found: Counter[str] = Counter()
        for row in rows:
            case: HazardCase = app.repository.get(UUID(str(row["originator_id"])))
            found[case.location] += 1
        return found


def killed_mid_request(
    port: int, proc: subprocess.Popen[bytes], token: str, key: str, after: float
) -> Any:
    """Send the request, kill the server ``after`` seconds; the answer if one arrived."""
    heard: dict[str, Any] = {}

    def send() -> None:
        with suppress(OSError, http.client.HTTPException):  # died with the server
            heard["answer"] = post(port, token, key, key)

    sender = threading.Thread(target=send)
    sender.start()
    time.sleep(after)
    os.killpg(proc.pid, signal.SIGKILL)
    sender.join(timeout=30)
    return heard.get("answer")


def retried(port: int, token: str, key: str) -> tuple[int, dict[str, str], Any]:
    """The retry a client makes; a claim its live owner still holds answers 409 a moment."""
    for _ in range(50):
        answer = post(port, token, key, key)
        if answer[0] != 409:
            break
        time.sleep(0.2)
    return answer


def test_a_killed_server_never_records_a_retried_request_twice(
    store_url: str, tmp_path: Path
) -> None:
    token = prepare(store_url)
    port = free_port()
    log = tmp_path / "server.log"
    outcomes: Counter[str] = Counter()
    duration = 0.0
    first: Any = None
    keys = [f"kill-{n}" for n in range(len(FRACTIONS))]
    # Each server retries the request the previous one was killed in, then is killed
    # in the next; the first measures a request, the last only retries.
    for n in range(len(keys) + 1):
        with server(store_url, port, log) as proc:
            if n == 0:
                assert post(port, token, "warm-up", "warm-up")[0] == 201
                started = time.perf_counter()  # a request on a warm server, as killed ones are
                assert post(port, token, "measure", "measure")[0] == 201
                duration = time.perf_counter() - started
            else:
                status, headers, body = retried(port, token, keys[n - 1])
                assert status == 201, body
                replayed = headers.get("idempotent-replay") == "true"
                if first is not None:
                    outcomes["answered before the kill"] += 1
                    assert replayed and body == first[2]  # the answer the client had
                elif replayed:
                    outcomes["recorded, killed before it answered"] += 1
                else:
                    outcomes["killed before it recorded"] += 1
            if n < len(keys):
                first = killed_mid_request(port, proc, token, keys[n], duration * FRACTIONS[n])
    found = cases_at(store_url)
    print(f"kill -9 outcomes: {dict(outcomes)}")
    assert {key: found[key] for key in keys} == {key: 1 for key in keys}


pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")
