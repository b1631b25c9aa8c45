"""Soak: mixed HTTP load on a running server for a set time, watching errors, latency
over time and the server's memory.

    python bench/soak.py --store sqlite|postgres --minutes M [--workers 2] [--clients N]
                         [--interval S] [--rate R] [--dsn DSN] [--json FILE]

Prepares a small ledger (a few enterprises, users of several roles), starts ``ledger
serve`` on a free port of 127.0.0.1 and runs ``--clients`` threads against it until the
time is up. Each client reports hazards, walks its own cases through grading,
assignment, rectification, verification and closing with ``If-Match``, and reads cases,
timelines, the register, the monthly report and the rankings. Some POSTs carry an
``Idempotency-Key`` and are retried on purpose (at once, after dropping the connection,
or with a changed body); some steps send a stale ``If-Match``. Those refusals are the
expected 4xx; any other 4xx is unexpected.

Every ``--interval`` seconds a line gives the requests, the errors by class, p50/p99 per
request kind and the server processes' resident memory (VmRSS, VmHWM from /proc). At the
end: totals, samples of every 5xx and unexpected 4xx, memory growth from the first to
the last interval; the last output line is the same as JSON (also written to ``--json``).
Only loopback traffic; the load is paced to ``--rate`` requests/s (0: as fast as the
clients go) and stops by itself. A PostgreSQL store is a fresh schema, dropped at the end.
Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import orjson

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from scale import emit, percentiles  # noqa: E402
from suite import DEFAULT_DSN, drop  # noqa: E402

from api.composition import Config, opened  # noqa: E402
from api.users import User  # noqa: E402
from ledger.codes import make_credit_code  # noqa: E402
from ledger.enterprise import Person  # noqa: E402
from ledger.identity import Actor, Role  # noqa: E402

REGION = "620826"
SECTOR = "city_gas"
ENTERPRISES = [make_credit_code(f"91620826MA{i:02d}RKTA0") for i in range(1, 5)]
REQUEST_TIMEOUT_S = 30.0
TICKS_PER_S = os.sysconf("SC_CLK_TCK")
SAMPLES_KEPT = 5
ACTIVE_CASES = 30  # per client: beyond this a client moves its cases on before reporting
KINDS = [
    "report", "grade", "assign", "rectification", "verify", "close", "retry", "stale",
    "case", "timeline", "register", "monthly", "rankings",
]  # fmt: skip


# --- the ledger and the server ----------------------------------------------------------


@dataclass
class Tokens:
    inspectors: list[str]
    department: str
    government: str
    auditor: str
    enterprises: dict[str, str]


def prepare(store: str, clients: int) -> Tokens:
    """A small ledger: enterprises of one county in one sector, one user per role (one
    inspector per client), through the composition root like every entry point."""
    now = datetime.now(tz=UTC)
    admin = Actor("soak-admin", "压测管理员", Role.ADMIN, "信息中心")
    with opened(Config(store=store)) as ledger:
        for i, code in enumerate(ENTERPRISES, 1):
            ledger.ledger.register_enterprise(
                admin,
                now,
                credit_code=code,
                name=f"压测餐馆{i}",
                region_code=REGION,
                sectors=[SECTOR],
                principal=Person(f"p{i}", "负责人"),
            )

        def add(user: User) -> str:
            return ledger.users.add(user, now=now, valid_for=timedelta(days=2))

        return Tokens(
            inspectors=[
                add(User(f"soak-insp-{n}", f"检查员{n}", Role.INSPECTOR, "城关镇", REGION))
                for n in range(clients)
            ],
            department=add(
                User(
                    "soak-dept", "住建局", Role.DEPARTMENT, "县住建局", REGION, frozenset({SECTOR})
                )
            ),
            government=add(User("soak-gov", "安委办", Role.GOVERNMENT, "县安委办", REGION)),
            auditor=add(User("soak-aud", "督查组", Role.AUDITOR, "市纪委监委", REGION[:4])),
            enterprises={
                code: add(
                    User(
                        f"soak-ent-{i}",
                        f"企业{i}",
                        Role.ENTERPRISE,
                        "",
                        REGION,
                        enterprise_code=code,
                    )
                )
                for i, code in enumerate(ENTERPRISES, 1)
            },
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``ledger serve`` in a session of its own, so its processes are one group."""

    def __init__(self, store: str, workers: int, port: int, log: Path) -> None:
        self.port = port
        self.log_path = log
        # The server runs the code this script was started from, like the other benches.
        path = os.pathsep.join(filter(None, [str(BENCH.parent), os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "LEDGER_STORE": store, "PYTHONPATH": path}
        command = "from api.cli import main; main()"
        args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", command, *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def get(self, path: str, token: str | None = None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def wait_until(self, path: str, token: str | None, seconds: float) -> bool:
        """Poll until ``path`` answers 200 (bounded); False if it never did."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            if self.proc.poll() is not None:
                raise SystemExit(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if self.get(path, token) == 200:
                    return True
            except OSError:
                pass
            time.sleep(0.2)
        return False

    def alive(self) -> bool:
        return self.proc.poll() is None

    def memory(self) -> list[dict[str, Any]]:
        """Resident memory and CPU seconds so far of each process in the server's
        group, from /proc."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[2]) != self.proc.pid:
                    continue
                status = (stat.parent / "status").read_text().splitlines()
                cmdline = (stat.parent / "cmdline").read_bytes()
            except (OSError, ValueError, IndexError):
                continue
            kib = {
                line.split(":")[0]: int(line.split()[1])
                for line in status
                if line.startswith(("VmRSS:", "VmHWM:"))
            }
            pid = int(stat.parent.name)
            role = (
                "main"
                if pid == self.proc.pid
                else "tracker"
                if b"resource_tracker" in cmdline
                else "worker"
            )
            found.append(
                {
                    "pid": pid,
                    "role": role,
                    "rss_mib": round(kib.get("VmRSS", 0) / 1024, 1),
                    "hwm_mib": round(kib.get("VmHWM", 0) / 1024, 1),
                    "cpu_s": round((int(fields[11]) + int(fields[12])) / TICKS_PER_S, 2),
                }
            )
        return sorted(found, key=lambda p: (p["role"] != "main", p["pid"]))

    def stop(self) -> int | None:
        if self.alive():
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]

    def log_problems(self) -> dict[str, Any]:
        """The exceptions the server logged (each 5xx leaves a traceback), counted by
        their last line, with the end of the first traceback."""
        lines = self.log_path.read_text(errors="replace").splitlines()
        raised: Counter[str] = Counter()
        first: list[str] = []
        for i, line in enumerate(lines):
            if not line.startswith("Traceback (most recent call last)"):
                continue
            end = i + 1
            while end < len(lines) and lines[end].startswith((" ", "\t")):
                end += 1
            last = lines[end] if end < len(lines) else ""
            raised[last[:300]] += 1
            first = first or lines[max(i, end - 12) : end + 1]
        return {
            "tracebacks": sum(raised.values()),
            "exceptions": dict(raised.most_common(10)),
            "first_traceback_end": "\n".join(first) or None,
        }


# --- what was seen ----------------------------------------------------------------------


@dataclass
class Window:
    """Counts and latencies over a stretch of the run."""

    classes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: dict[str, list[float]] = field(default_factory=dict)

    def add(self, kind: str, status: int, outcome: str, ms: float | None) -> None:
        self.classes[outcome] += 1
        if status:
            self.statuses[status] += 1
        if ms is not None:
            self.latencies.setdefault(kind, []).append(ms)

    def figures(self, seconds: float) -> dict[str, Any]:
        requests = sum(self.classes.values())
        return {
            "requests": requests,
            "per_s": round(requests / seconds, 1) if seconds > 0 else 0.0,
            "errors": {
                c: self.classes[c]
                for c in ("4xx_expected", "4xx_unexpected", "5xx", "transport", "anomaly")
            },
            "statuses": {str(s): n for s, n in sorted(self.statuses.items())},
            "latency_ms": {
                kind: {"n": len(v), **{k: round(x, 2) for k, x in percentiles(v).items()}}
                for kind in KINDS
                if (v := self.latencies.get(kind))
            },
        }


class Stats:
    """What every client saw, per interval and in total (one lock; a few threads)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.window = Window()
        self.total = Window()
        self.samples: dict[str, list[dict[str, Any]]] = {
            "5xx": [],
            "4xx_unexpected": [],
            "transport": [],
            "anomaly": [],
        }

    def record(
        self,
        kind: str,
        method: str,
        path: str,
        status: int,
        ms: float | None,
        expect: frozenset[int],
        body: bytes = b"",
    ) -> str:
        if status == 0:
            outcome = "transport"
        elif status >= 500:
            outcome = "5xx"
        elif status in expect:
            outcome = "2xx" if status < 300 else "4xx_expected"
        elif status < 300:
            outcome = "anomaly"  # accepted where a refusal was due
        else:
            outcome = "4xx_unexpected"
        with self.lock:
            self.window.add(kind, status, outcome, ms)
            self.total.add(kind, status, outcome, ms)
            kept = self.samples.get(outcome)
            if kept is not None and len(kept) < SAMPLES_KEPT:
                kept.append(
                    {
                        "kind": kind,
                        "request": f"{method} {path}",
                        "status": status,
                        "body": body[:500].decode(errors="replace"),
                    }
                )
        return outcome

    def anomaly(self, kind: str, what: str) -> None:
        """Answered, but not as promised (a replay with another id, a version skipped)."""
        with self.lock:
            self.window.classes["anomaly"] += 1
            self.total.classes["anomaly"] += 1
            if len(self.samples["anomaly"]) < SAMPLES_KEPT:
                self.samples["anomaly"].append({"kind": kind, "what": what})

    def take_window(self) -> Window:
        with self.lock:
            window, self.window = self.window, Window()
        return window


# --- the clients ------------------------------------------------------------------------


@dataclass
class Case:
    id: str
    enterprise: str
    version: int = 1


STEPS = ["grade", "assign", "rectification", "verify", "close"]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else None


class Client(threading.Thread):
    """One connection, its own cases, a paced and bounded loop of mixed requests."""

    def __init__(
        self,
        n: int,
        port: int,
        tokens: Tokens,
        stats: Stats,
        shared_cases: list[str],
        stop: threading.Event,
        deadline: float,
        period_s: float,
        max_requests: int,
    ) -> None:
        super().__init__(name=f"soak-client-{n}", daemon=True)
        self.port = port
        self.tokens = tokens
        self.inspector = tokens.inspectors[n]
        self.stats = stats
        self.shared_cases = shared_cases
        self.stop_event = stop
        self.deadline = deadline
        self.period_s = period_s
        self.max_requests = max_requests
        self.rng = random.Random(n)
        self.cases: list[Case] = []
        self.conn = self.connect()
        self.next_at = time.monotonic()
        self.sent = 0

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT_S)

    # the loop

    def run(self) -> None:
        try:
            while self.sent < self.max_requests and not self.over():
                self.one_step()
        finally:
            self.conn.close()

    def over(self) -> bool:
        return self.stop_event.is_set() or time.monotonic() >= self.deadline

    def one_step(self) -> None:
        roll = self.rng.random()
        if roll < 0.55 and self.shared_cases:
            self.read()
        elif self.cases and (roll < 0.85 or len(self.cases) >= ACTIVE_CASES):
            self.advance(self.rng.choice(self.cases))
        else:
            self.report()

    def pace(self) -> None:
        """Hold to the client's share of ``--rate``; never build a backlog to catch up."""
        if self.period_s <= 0:
            return
        now = time.monotonic()
        self.next_at = max(self.next_at + self.period_s, now - 1.0)
        if self.next_at > now:
            self.stop_event.wait(min(self.next_at - now, max(0.0, self.deadline - now)))

    def send(
        self,
        kind: str,
        method: str,
        path: str,
        token: str,
        body: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        expect: frozenset[int] = frozenset({200}),
    ) -> Response | None:
        """One request on the kept-alive connection, timed and recorded; None when the
        connection failed (recorded as a transport error)."""
        self.pace()
        self.sent += 1
        all_headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        payload = None
        if body is not None:
            payload = orjson.dumps(body)
            all_headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.conn.request(method, path, body=payload, headers=all_headers)
            raw = self.conn.getresponse()
            data = raw.read()
        except (OSError, http.client.HTTPException) as error:
            self.stats.record(
                kind, method, path, 0, None, expect, f"{type(error).__name__}: {error}".encode()
            )
            self.conn.close()
            self.conn = self.connect()
            self.stop_event.wait(0.2)  # a dead server must not become a hot loop
            return None
        ms = (time.perf_counter() - started) * 1000
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        self.stats.record(kind, method, path, raw.status, ms, expect, data)
        if raw.status >= 500:
            # The server drops the connection after an unhandled error without saying
            # so; reconnecting keeps that from showing up as transport errors.
            self.conn.close()
            self.conn = self.connect()
        return response

    def abandon(self, path: str, token: str, body: dict[str, Any], key: str) -> None:
        """Send a POST and drop the connection before the answer, as a client whose
        network failed would; the retry that follows must not record it twice."""
        conn = self.connect()
        try:
            conn.request(
                "POST",
                path,
                body=orjson.dumps(body),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
        except OSError:
            pass
        finally:
            conn.close()
        self.sent += 1
        self.stop_event.wait(0.05)

    # the kinds of request

    def read(self) -> None:
        case_id = self.rng.choice(self.shared_cases)
        month = datetime.now(tz=UTC).strftime("%Y-%m")
        roll = self.rng.random()
        if roll < 0.3:
            self.send("case", "GET", f"/hazards/{case_id}", self.tokens.auditor)
        elif roll < 0.6:
            self.send("timeline", "GET", f"/hazards/{case_id}/timeline", self.tokens.auditor)
        elif roll < 0.8:
            self.send("register", "GET", f"/register?sector={SECTOR}", self.tokens.department)
        elif roll < 0.9:
            self.send("monthly", "GET", f"/reports/monthly?month={month}", self.tokens.government)
        else:
            self.send("rankings", "GET", f"/rankings?month={month}", self.tokens.government)

    def report(self) -> None:
        enterprise = self.rng.choice(ENTERPRISES)
        by_enterprise = self.rng.random() < 0.3
        token = self.tokens.enterprises[enterprise] if by_enterprise else self.inspector
        body = {
            "occurred_at": moment(),
            "enterprise_code": enterprise,
            "sector": SECTOR,
            "location": self.rng.choice(["后厨", "前厅", "储藏间"]),
            "description": "燃气软管穿墙敷设",
            "source": "self_inspection" if by_enterprise else "grid_patrol",
            "details": {"premises": "restaurant", "leak_alarm_installed": False},
        }
        created = frozenset({201})
        if self.rng.random() >= 0.4:
            response = self.send("report", "POST", "/hazards", token, body, expect=created)
        else:
            response = self.keyed("report", "/hazards", token, body, created)
        if response is not None and response.status == 201:
            case_id = str(response.json()["id"])
            self.cases.append(Case(case_id, enterprise))
            self.shared_cases.append(case_id)

    def advance(self, case: Case) -> None:
        """The case's next step, with ``If-Match``; sometimes a stale one first."""
        step = STEPS[case.version - 1]
        token, body = self.step_body(step, case)
        path = f"/hazards/{case.id}/{step}"
        if case.version > 1 and self.rng.random() < 0.03:
            stale = {"If-Match": f'"{case.version - 1}"'}
            self.send("stale", "POST", path, token, body, stale, frozenset({412}))
        headers = {"If-Match": f'"{case.version}"'}
        if self.rng.random() < 0.2:
            response = self.keyed(step, path, token, body, frozenset({200}), headers)
        else:
            response = self.send(step, "POST", path, token, body, headers)
        if response is None or response.status != 200:
            if response is not None:
                self.cases.remove(case)  # refused for a reason of its own: leave it be
            return
        version = int(response.json()["version"])
        if version != case.version + 1:
            self.stats.anomaly(step, f"{path}: version {case.version} became {version}")
        case.version = version
        if step == "close":
            self.cases.remove(case)

    def step_body(self, step: str, case: Case) -> tuple[str, dict[str, Any]]:
        """Who takes the step (the enterprise reports its own rectification, so the
        inspector may verify it), and what it sends."""
        now = datetime.now(tz=UTC)
        body: dict[str, Any] = {"occurred_at": moment()}
        token = self.inspector
        if step == "grade":
            body["grade"] = "general"
        elif step == "assign":
            body |= {
                "department": "县住建局",
                "deadline": (now + timedelta(days=15)).isoformat(),
                "requirements": "更换软管并加装套管",
            }
        elif step == "rectification":
            token = self.tokens.enterprises[case.enterprise]
            body |= {
                "measures": "已更换为金属软管并加装套管",
                "completed_at": (now - timedelta(minutes=1)).isoformat(),
            }
        elif step == "verify":
            body |= {"accepted": True, "opinion": "整改到位"}
        elif step == "close":
            token = self.tokens.department
        return token, body

    def keyed(
        self,
        kind: str,
        path: str,
        token: str,
        body: dict[str, Any],
        ok: frozenset[int],
        headers: dict[str, str] | None = None,
    ) -> Response | None:
        """A POST with an Idempotency-Key, retried on purpose in one of three ways: sent
        twice (the second is a replay), dropped and retried, or the key reused with
        another body (refused with 422). The outcome of the first recording is returned."""
        key = f"soak-{uuid4().hex}"
        keyed = {**(headers or {}), "Idempotency-Key": key}
        roll = self.rng.random()
        if roll < 0.15:
            self.abandon(path, token, body, key)
            response = None
            for _ in range(10):  # bounded: the dropped request may still be in flight
                response = self.send(
                    "retry", "POST", path, token, body, keyed, ok | frozenset({409})
                )
                if response is None or response.status != 409:
                    break
                self.stop_event.wait(0.1)
            return response
        first = self.send(kind, "POST", path, token, body, keyed, expect=ok)
        if first is None or first.status not in ok or roll >= 0.5:
            return first
        if roll < 0.45:
            again = self.send("retry", "POST", path, token, body, keyed, expect=ok)
            if again is not None and again.status in ok:
                same = again.body == first.body
                if not same or again.headers.get("idempotent-replay") != "true":
                    self.stats.anomaly("retry", f"{path}: retry was not a replay of the first")
        else:
            other = {**body, "occurred_at": moment(seconds=2)}
            self.send("retry", "POST", path, token, other, keyed, expect=frozenset({422}))
        return first


def moment(seconds: float = 1.0) -> str:
    """Business time just before now (the ledger refuses times in the future)."""
    return (datetime.now(tz=UTC) - timedelta(seconds=seconds)).isoformat()


# --- the run ----------------------------------------------------------------------------


def interval_line(elapsed: float, figures: dict[str, Any], memory: list[dict[str, Any]]) -> str:
    e = figures["errors"]
    kinds = " ".join(
        f"{k} {v['p50_ms']:.1f}/{v['p99_ms']:.0f}" for k, v in figures["latency_ms"].items()
    )
    rss = "+".join(f"{p['rss_mib']:.0f}" for p in memory)
    hwm = max((p["hwm_mib"] for p in memory), default=0.0)
    return (
        f"{elapsed:6.0f}s  {figures['requests']:,} req ({figures['per_s']:.0f}/s)  "
        f"4xx expected {e['4xx_expected']} unexpected {e['4xx_unexpected']}  "
        f"5xx {e['5xx']}  transport {e['transport']}  anomalies {e['anomaly']}  |  "
        f"p50/p99 ms: {kinds}  |  server RSS MiB {rss} (largest HWM {hwm:.0f}), "
        f"CPU {figures['server_cpu_pct']:.0f}%  |  load {figures['load_average']:.1f}"
    )


def total_rss(memory: list[dict[str, Any]]) -> float:
    return float(round(sum(p["rss_mib"] for p in memory), 1))


def growth(first: list[dict[str, Any]], last: list[dict[str, Any]]) -> dict[str, Any]:
    """Memory from the first interval to the last, per process and summed; a process
    that appeared or vanished (a worker restarted) is listed as such."""
    before = {p["pid"]: p for p in first}
    after = {p["pid"]: p for p in last}
    return {
        "first_total_rss_mib": total_rss(first),
        "last_total_rss_mib": total_rss(last),
        "growth_mib": round(total_rss(last) - total_rss(first), 1),
        "processes": [
            {
                "pid": pid,
                "role": (after.get(pid) or before[pid])["role"],
                "first_rss_mib": before[pid]["rss_mib"] if pid in before else None,
                "last_rss_mib": after[pid]["rss_mib"] if pid in after else None,
                "last_hwm_mib": after[pid]["hwm_mib"] if pid in after else None,
            }
            for pid in sorted(before.keys() | after.keys())
        ],
    }


def soak(args: argparse.Namespace, store: str, work: Path) -> dict[str, Any]:
    tokens = prepare(store, args.clients)
    server = Server(store, args.workers, free_port(), work / "server.log")
    try:
        if not server.wait_until("/health", None, 60):
            raise SystemExit(f"server did not answer /health:\n{server.log_tail()}")
        # The read models are followed in the server; the first reads wait for them.
        server.wait_until(f"/register?sector={SECTOR}", tokens.department, 30)
        return run_load(args, server, tokens)
    finally:
        exit_code = server.stop()
        if exit_code not in (0, -signal.SIGTERM):
            print(f"server exited with {exit_code}", file=sys.stderr)


def run_load(args: argparse.Namespace, server: Server, tokens: Tokens) -> dict[str, Any]:
    stats, stop = Stats(), threading.Event()
    shared_cases: list[str] = []
    seconds = args.minutes * 60
    start = time.monotonic()
    deadline = start + seconds
    period = args.clients / args.rate if args.rate > 0 else 0.0
    per_client = max(1, args.max_requests // args.clients)
    clients = [
        Client(n, server.port, tokens, stats, shared_cases, stop, deadline, period, per_client)
        for n in range(args.clients)
    ]
    print(
        f"soak: {args.store}, {args.workers} worker(s), {args.clients} clients, "
        f"{'unpaced' if period == 0 else f'{args.rate:g} req/s'}, {args.minutes:g} min, "
        f"a line every {args.interval:g} s",
        flush=True,
    )
    for client in clients:
        client.start()
    intervals: list[dict[str, Any]] = []
    last_tick = start

    cpu_before = sum(p["cpu_s"] for p in server.memory())

    def tick(now: float) -> None:
        nonlocal last_tick, cpu_before
        figures = stats.take_window().figures(now - last_tick)
        memory = server.memory()
        cpu = sum(p["cpu_s"] for p in memory)
        figures["server_cpu_pct"] = round(100 * (cpu - cpu_before) / (now - last_tick), 1)
        figures["load_average"] = round(os.getloadavg()[0], 2)  # the machine is shared
        elapsed = now - start
        intervals.append({"elapsed_s": round(elapsed, 1), **figures, "server": memory})
        print(interval_line(elapsed, figures, memory), flush=True)
        last_tick, cpu_before = now, cpu

    next_tick = start + args.interval
    while not stop.is_set():
        now = time.monotonic()
        if now >= deadline or not any(c.is_alive() for c in clients):
            break
        if not server.alive():
            print("the server exited during the run", flush=True)
            break
        if now >= next_tick:
            tick(now)
            next_tick += args.interval
        stop.wait(min(1.0, max(0.0, min(next_tick, deadline) - now)))
    stop.set()
    for client in clients:
        client.join(timeout=REQUEST_TIMEOUT_S + 5)
    now = time.monotonic()
    if now - last_tick >= 1.0 or not intervals:
        tick(now)
    elapsed = now - start
    try:
        events = orjson.loads(
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/health", timeout=5).read()
        )["events"]
    except (OSError, ValueError, KeyError):
        events = None
    return {
        "store": args.store,
        "workers": args.workers,
        "clients": args.clients,
        "rate_per_s": args.rate,
        "seconds": round(elapsed, 1),
        "events_in_store": events,
        "totals": stats.total.figures(elapsed),
        "samples": stats.samples,
        "memory": growth(intervals[0]["server"], intervals[-1]["server"]),
        "server_log": server.log_problems(),
        "intervals": intervals,
    }


def summary(result: dict[str, Any]) -> str:
    totals, memory = result["totals"], result["memory"]
    lines = [
        "",
        f"### Soak on {result['store']}: {result['seconds']:.0f} s, {result['workers']} "
        f"worker(s), {result['clients']} clients",
        "",
        f"requests {totals['requests']:,} ({totals['per_s']:.0f}/s), "
        f"events in the store at the end {result['events_in_store']}",
        "errors: " + ", ".join(f"{k} {v}" for k, v in totals["errors"].items()),
        "statuses: " + ", ".join(f"{k}: {v}" for k, v in totals["statuses"].items()),
        "",
        "| kind | requests | p50 ms | p99 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {kind} | {v['n']:,} | {v['p50_ms']:.2f} | {v['p99_ms']:.2f} | {v['max_ms']:.1f} |"
        for kind, v in totals["latency_ms"].items()
    ]
    lines += [
        "",
        f"server RSS (sum of processes) first interval {memory['first_total_rss_mib']} MiB, "
        f"last {memory['last_total_rss_mib']} MiB, growth {memory['growth_mib']:+} MiB",
    ]
    lines += [
        f"  {p['role']} {p['pid']}: {p['first_rss_mib']} → {p['last_rss_mib']} MiB "
        f"(HWM {p['last_hwm_mib']})"
        for p in memory["processes"]
    ]
    lines.append(
        "server CPU (and the machine's load average) per interval: "
        + ", ".join(
            f"{i['server_cpu_pct']:.0f}% ({i['load_average']:.1f})" for i in result["intervals"]
        )
    )
    log = result["server_log"]
    lines.append(f"server log: {log['tracebacks']} tracebacks")
    lines += [f"  {n} × {last}" for last, n in log["exceptions"].items()]
    if log["first_traceback_end"]:
        lines += [
            "  the first ends:",
            *("    " + x for x in log["first_traceback_end"].split("\n")),
        ]
    for outcome in ("5xx", "4xx_unexpected", "transport", "anomaly"):
        for sample in result["samples"][outcome]:
            lines.append(f"{outcome}: {orjson.dumps(sample).decode()}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--minutes", type=float, required=True, help="how long the load runs")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--clients", type=int, default=8, help="client threads (connections)")
    parser.add_argument("--interval", type=float, default=60.0, help="seconds between lines")
    parser.add_argument("--rate", type=float, default=100.0, help="requests/s in all; 0: unpaced")
    parser.add_argument("--max-requests", type=int, default=5_000_000, help="bound on requests")
    parser.add_argument("--dsn", default=DEFAULT_DSN, help="PostgreSQL server (fresh schema)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    if args.minutes <= 0 or args.clients < 1 or args.interval <= 0 or args.workers < 1:
        parser.error("--minutes, --interval, --clients and --workers must be positive")
    work = Path(tempfile.mkdtemp(prefix="ledger-soak-"))
    with store_for(args, work) as (store, schema):
        result = {"schema": schema, **soak(args, store, work)}
    print(summary(result), flush=True)
    if args.json:
        args.json.write_bytes(orjson.dumps(result, option=orjson.OPT_INDENT_2))
    emit(result)


@contextmanager
def store_for(args: argparse.Namespace, work: Path) -> Iterator[tuple[str, str | None]]:
    """A fresh store (a file in ``work`` or a new schema, also yielded), removed
    afterwards. The checkpoint key goes to ``work`` too, for the preparation and the
    server alike."""
    os.environ["LEDGER_KEY_DIR"] = str(work / "keys")
    schema = None
    if args.store == "sqlite":
        store = str(work / "ledger.db")
    else:
        schema = f"soak_{uuid4().hex[:10]}"
        store = f"{args.dsn}{'&' if '?' in args.dsn else '?'}schema={schema}"
    try:
        yield store, schema
    finally:
        if schema:
            drop("postgres", store, work)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
