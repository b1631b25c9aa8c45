"""The conformance kit catches what it promises to: a hook that reads the clock, draws a
random number, reads a file or opens a socket, however it got hold of the function; and
a read model whose fold keeps state, changes its mind on a stored row, or writes what
its table cannot hold. Each plugin here is deliberately broken in one way."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import socket
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ledger.errors import Violation
from ledger.read_model_spec import ReadModelSpec
from plugins.authoring import (
    Command,
    DetailField,
    ReportColumn,
    SectorPluginConformance,
    SectorSpec,
    hookimpl,
)
from plugins.memory_fold import FoldProblem
from plugins.testing import ImpureHook

MINING = SectorSpec(
    "mining",
    "矿山",
    "Mining",
    "矿山安全监管部门",
    "Mine safety authority",
    details=(DetailField("shaft", "井筒编号", "shaft number", example="1"),),
)


def kit(**hooks: Callable[..., Any]) -> SectorPluginConformance:
    """A conformance case for a 'mining' plugin made of these hook implementations."""
    hooks.setdefault("ledger_sectors", lambda: (MINING,))
    plugin = SimpleNamespace(**{name: hookimpl(fn) for name, fn in hooks.items()})

    class Case(SectorPluginConformance):
        pass

    Case.plugin = plugin
    Case.name = "mining"
    return Case()


def reading(what: Callable[[], object]) -> Callable[[Command], Sequence[Violation]]:
    """A ``ledger_validate`` that calls ``what`` and swallows whatever it raises."""

    def validate(command: Command) -> Sequence[Violation]:
        with contextlib.suppress(Exception):
            what()
        return ()

    return validate


def _open(path: Path) -> None:
    with open(path, encoding="utf-8") as f:
        f.read()


def _path_open(path: Path) -> None:
    with path.open(encoding="utf-8") as f:
        f.read()


THIS = Path(__file__)
IMPURE: dict[str, tuple[Callable[[], object], str]] = {
    "datetime.now": (lambda: datetime.now(), "datetime.now()"),
    "datetime.now(tz)": (lambda: datetime.now(tz=dt.UTC), "datetime.now()"),
    "datetime.utcnow": (lambda: datetime.utcnow(), "datetime.utcnow()"),
    "datetime.today": (lambda: datetime.today(), "datetime.today()"),
    "date.today": (lambda: date.today(), "date.today()"),
    "module datetime": (lambda: dt.datetime.now(), "datetime.now()"),
    "time.time": (lambda: time.time(), "time.time()"),
    "time.time_ns": (lambda: time.time_ns(), "time.time_ns()"),
    "random.random": (lambda: random.random(), "random.random()"),
    "random.randint": (lambda: random.randint(1, 6), "random.randint()"),
    "random.choice": (lambda: random.choice("abc"), "random.choice()"),
    "random.shuffle": (lambda: random.shuffle([1, 2, 3]), "random.shuffle()"),
    "uuid.uuid4": (lambda: uuid.uuid4(), "uuid.uuid4()"),
    "uuid.uuid1": (lambda: uuid.uuid1(), "uuid.uuid1()"),
    "os.urandom": (lambda: os.urandom(4), "os.urandom()"),
    "open": (lambda: _open(THIS), "open()"),
    "Path.read_text": (lambda: THIS.read_text(encoding="utf-8"), "Path.read_text()"),
    "Path.read_bytes": (lambda: THIS.read_bytes(), "Path.read_bytes()"),
    "Path.open": (lambda: _path_open(THIS), "Path.open()"),
    "socket": (lambda: socket.socket().close(), "socket.socket()"),
}


@pytest.mark.parametrize("impurity", sorted(IMPURE))
def test_an_impure_validator_is_caught_naming_the_call_and_its_line(impurity: str) -> None:
    what, named = IMPURE[impurity]
    case = kit(ledger_validate=reading(what))
    with pytest.raises(ImpureHook) as caught:
        case.check_hooks_are_pure(case.sectors_under_test())
    message = str(caught.value)
    assert message.startswith(f"hook ledger_validate called {named} at "), message
    assert __file__ in message or "pathlib" in message or "socket" in message, message


@pytest.mark.parametrize(
    "hook",
    ["ledger_sectors", "ledger_catalogues", "ledger_audit_rules", "ledger_report_columns"],
)
def test_every_hook_is_watched(hook: str) -> None:
    def impure(*args: Any, **kwargs: Any) -> Sequence[Any]:
        datetime.now()
        return (MINING,) if hook == "ledger_sectors" else ()

    case = kit(**{hook: impure})
    with pytest.raises(ImpureHook, match=rf"hook {hook} called datetime\.now\(\)"):
        case.check_hooks_are_pure(case.sectors_under_test())


def test_a_suggestion_from_the_clock_is_caught() -> None:
    case = kit(ledger_suggest_criteria=lambda facts: (time.time(), ())[1])
    with pytest.raises(ImpureHook, match=r"ledger_suggest_criteria called time\.time\(\)"):
        case.check_hooks_are_pure(case.sectors_under_test())


def test_a_pure_plugin_passes_and_a_seeded_generator_is_no_impurity() -> None:
    def validate(command: Command) -> Sequence[Violation]:
        rng = random.Random(7)  # its own seeded generator: the same answer every time
        rng.random()
        datetime(2024, 1, 1).isoformat()
        return ()

    case = kit(ledger_validate=validate)
    case.check_hooks_are_pure(case.sectors_under_test())


def test_answers_that_differ_between_two_calls_are_caught() -> None:
    calls: list[int] = []

    def drifting() -> Sequence[ReportColumn]:
        calls.append(1)
        return (ReportColumn("mining", "shaft", f"井筒{len(calls)}", "Shaft"),)

    case = kit(ledger_report_columns=drifting)
    with pytest.raises(AssertionError, match="ledger_report_columns answered differently"):
        case.check_hooks_are_pure(case.sectors_under_test())


# ---- read models --------------------------------------------------------------------

Fold = Callable[[Mapping[str, Any], Callable[[Any], dict[str, Any] | None]], Iterable[Any]]


def model(fold: Fold, columns: Sequence[tuple[str, str]] = (), **options: Any) -> ReadModelSpec:
    return ReadModelSpec(
        name="mining_cases",
        version=1,
        columns=(("case_id", "TEXT"), *columns),
        key=("case_id",),
        fold=fold,
        **options,
    )


def check(spec: ReadModelSpec, tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    case = kit(ledger_read_models=lambda: (spec,))
    case.check_read_models(case.sectors_under_test(), tmp_path)


def test_a_well_behaved_read_model_passes(tmp_path: Path) -> None:
    def fold(event: Mapping[str, Any], current: Any) -> Iterable[Any]:
        if event["type"] == "HazardCase.Reported":
            yield ("upsert", {"case_id": event["aggregate_id"], "grade": ""})
        elif event["type"] == "HazardCase.Graded" and current((event["aggregate_id"],)):
            yield ("upsert", {"case_id": event["aggregate_id"], "grade": event["grade"]})

    check(model(fold, (("grade", "TEXT"),)), tmp_path)


def test_a_fold_that_keeps_state_between_runs_is_caught(tmp_path: Path) -> None:
    seen: list[str] = []

    def fold(event: Mapping[str, Any], current: Any) -> Iterable[Any]:
        if event["type"] == "HazardCase.Reported":
            seen.append(event["aggregate_id"])
            yield ("upsert", {"case_id": event["aggregate_id"], "n": len(seen)})

    with pytest.raises(AssertionError, match="a second time"):
        check(model(fold, (("n", "INTEGER"),)), tmp_path)


def test_a_fold_that_treats_a_stored_row_differently_is_caught(tmp_path: Path) -> None:
    def fold(event: Mapping[str, Any], current: Any) -> Iterable[Any]:
        key = event["aggregate_id"]
        if event["type"] == "HazardCase.Reported":
            yield ("upsert", {"case_id": key, "open": True, "steps": 0})
            return
        row = current((key,))
        if row is not None and row["open"] is True:  # a stored row says 1, not True
            yield ("upsert", {**row, "steps": row["steps"] + 1})

    with pytest.raises(AssertionError, match="batches of 3"):
        check(model(fold, (("open", "INTEGER"), ("steps", "INTEGER"))), tmp_path)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"case_id": "x", "grade": 3}, "column grade is TEXT"),
        ({"case_id": "x", "grade": {"a": 1}}, "column grade is TEXT"),
        ({"case_id": "x", "surprise": 1}, "undeclared columns"),
        ({"grade": "major"}, "without its key"),
    ],
)
def test_a_row_the_table_cannot_hold_is_caught(
    tmp_path: Path, row: dict[str, Any], problem: str
) -> None:
    def fold(event: Mapping[str, Any], current: Any) -> Iterable[Any]:
        if event["type"] == "HazardCase.Reported":
            yield ("upsert", row)

    with pytest.raises(FoldProblem, match=problem):
        check(model(fold, (("grade", "TEXT"),)), tmp_path)


def test_an_unknown_event_type_or_change_is_caught(tmp_path: Path) -> None:
    with pytest.raises(FoldProblem, match="unknown event types"):
        check(model(lambda e, c: (), events=("HazardCase.Exploded",)), tmp_path / "a")
    with pytest.raises(FoldProblem, match="unknown change 'insert'"):
        check(model(lambda e, c: [("insert", {"case_id": "x"})]), tmp_path / "b")
