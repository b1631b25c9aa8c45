"""``ledger import``: a hazard-ledger workbook in, every row judged by the ledger's rules.

Two passes over the file, both streaming (openpyxl's read-only mode), so a 100,000-row
workbook imports in bounded memory:

1. **Check.** Every row is turned into the same commands any other input would make —
   register the enterprise if it is new, report, grade, rectify on the spot or assign,
   file the plan, report the rectification, verify, close — and run against the case
   in memory, with the sector plugins' validators. Nothing is written. Any problem is
   reported by sheet, row, column and rule, and the file is refused as a whole.
2. **Record.** Only if the check found nothing, the same commands run again and their
   events are saved, a batch of rows per transaction.

A case's id derives from the enterprise's credit code and the workbook's hazard number
(隐患编号), so importing the same file again records nothing new, and a row that describes
later steps of a hazard already in the ledger records exactly those steps.

Who is recorded: the operator who runs the import is the authenticated person; the
people the workbook names (发现人, 复查人, …) are recorded as imported identities
``import:<operator>:<name>`` with the role ``system``, and every imported event carries
the justification "由台账导入" naming the file and the operator, so nobody can mistake an
import for a live entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson
from eventsourcing.persistence import IntegrityError
from openpyxl import load_workbook

from ledger.application import HazardLedger
from ledger.enterprise import Enterprise, Person
from ledger.errors import ConcurrentChange, LedgerError, NotFound, RuleViolated
from ledger.events import Context, LedgerAggregate
from ledger.hazard import HazardCase, RectificationPlan, Status
from ledger.identity import Actor, Role

from .columns import (
    BY_HEADER,
    BY_KEY,
    COLUMNS,
    GRADES_ZH,
    MODES_ZH,
    OUTCOMES_ZH,
    SECTORS_ZH,
    SHEET,
    SOURCES_ZH,
    STATUSES_ZH,
    WORKBOOK_TZ,
    Column,
)

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-api/workbook-case")

#: Which workbook column a violation's field refers to, for the report.
FIELD_COLUMNS = {
    "credit_code": "credit_code",
    "region_code": "region_code",
    "name": "enterprise_name",
    "principal": "principal",
    "sectors": "sector",
    "sector": "sector",
    "source": "source",
    "location": "location",
    "description": "description",
    "grade": "grade",
    "criteria": "criteria",
    "department": "department",
    "deadline": "deadline",
    "requirements": "requirements",
    "measures": "measures",
    "completed_at": "completed_at",
    "opinion": "opinion",
    "actor": "verifier",
    "plan": "plan_goal",
    "details": "details",
    "occurred_at": "found_at",
}


def case_id_for(credit_code: str, ref: str) -> UUID:
    """The case id of hazard number ``ref`` at the enterprise ``credit_code``."""
    return uuid5(_NAMESPACE, f"{credit_code}|{ref}")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One reason a file was refused: where it is and which rule it breaks."""

    sheet: str
    row: int
    column: str
    rule: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "rule": self.rule,
            "message_zh": self.message_zh,
            "message_en": self.message_en,
        }


@dataclass
class ImportReport:
    rows: int = 0
    cases_created: int = 0
    events_recorded: int = 0
    rows_already_recorded: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    recorded: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "cases_created": self.cases_created,
            "events_recorded": self.events_recorded,
            "rows_already_recorded": self.rows_already_recorded,
            "recorded": self.recorded,
            "problems": [p.as_dict() for p in self.problems],
        }


@dataclass
class Row:
    number: int
    values: dict[str, Any]

    def get(self, key: str) -> Any:
        return self.values.get(key)


class RowError(Exception):
    def __init__(self, problems: list[tuple[str, str, str, str]]) -> None:
        super().__init__(problems)
        self.problems = problems  # (column key, rule, zh, en)


def _parse_datetime(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        text = str(value).strip().replace("/", "-")
        moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=WORKBOOK_TZ)


def _convert(column: Column, raw: Any) -> Any:
    """The cell's value in the ledger's terms, or ValueError naming what is wrong."""
    if isinstance(raw, str):
        raw = raw.strip()
    if raw is None or raw == "":
        return None
    if column.kind == "datetime":
        try:
            return _parse_datetime(raw)
        except ValueError:
            raise ValueError("datetime") from None
    if column.kind == "choice":
        if str(raw) not in column.choices:
            raise ValueError("choice")
        return str(raw)
    if column.kind == "codes":
        return tuple(c.strip() for c in str(raw).replace("，", ",").split(",") if c.strip())
    if column.kind == "json":
        try:
            value = orjson.loads(str(raw))
        except orjson.JSONDecodeError:
            raise ValueError("json") from None
        if not isinstance(value, dict):
            raise ValueError("json")
        return value
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw)


_FORMAT_RULES = {
    "datetime": (
        "CELL_DATETIME",
        "日期时间格式不正确，应如 2026-03-03 09:30",
        "not a date and time",
    ),
    "choice": ("CELL_NOT_IN_LIST", "取值不在下拉列表中", "value is not one of the list"),
    "json": ("CELL_JSON", "应为 JSON 对象", "must be a JSON object"),
}


def read_rows(path: Path) -> Iterator[Row | RowError]:
    """Stream the ledger sheet's rows as parsed values (or the row's format errors)."""
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return
        columns = [BY_HEADER.get(str(h).strip()) if h is not None else None for h in header]
        missing = [c for c in COLUMNS if c.required and c not in columns]
        if missing:
            yield RowError(
                [
                    (
                        c.key,
                        "HEADER_MISSING",
                        f"表头缺少必填列“{c.header}”",
                        f"the header lacks the required column {c.header!r}",
                    )
                    for c in missing
                ]
            )
            return
        for number, cells in enumerate(rows, start=2):
            if cells is None or all(v is None or str(v).strip() == "" for v in cells):
                continue
            values: dict[str, Any] = {}
            problems = []
            for column, raw in zip(columns, cells, strict=False):
                if column is None:
                    continue
                try:
                    values[column.key] = _convert(column, raw)
                except ValueError as e:
                    rule, zh, en = _FORMAT_RULES[str(e)]
                    problems.append((column.key, rule, f"“{column.header}”{zh}", en))
            for column in COLUMNS:
                if (
                    column.required
                    and values.get(column.key) is None
                    and not any(p[0] == column.key for p in problems)
                ):
                    problems.append(
                        (
                            column.key,
                            "CELL_REQUIRED",
                            f"“{column.header}”为必填项",
                            f"{column.header} is required",
                        )
                    )
            if problems:
                error = RowError(problems)
                error.args = (number,)
                yield error
            else:
                yield Row(number, values)
    finally:
        wb.close()


def count_rows(path: Path) -> int:
    wb = load_workbook(path, read_only=True)
    try:
        ws = wb[SHEET] if SHEET in wb.sheetnames else wb.worksheets[0]
        return max(0, (ws.max_row or 1) - 1)
    finally:
        wb.close()


def sector_codes(ledger: HazardLedger) -> dict[str, str]:
    """Sector names a workbook may use, and their codes: the usual short names of the
    built-in sectors, then every loaded sector's Chinese name and code."""
    names = dict(SECTORS_ZH)
    for code, name_zh in (ledger.sectors.names_zh() if ledger.sectors else {}).items():
        names.setdefault(name_zh, code)
        names.setdefault(code, code)
    return names


class WorkbookImporter:
    """Imports one workbook into ``ledger`` on behalf of ``operator``."""

    def __init__(self, ledger: HazardLedger, operator: Actor, source_name: str) -> None:
        self.ledger = ledger
        self.operator = operator
        self.justification = f"由台账导入：{source_name}（导入人：{operator.name}）"
        self.sector_codes = sector_codes(ledger)

    # ---- identities and contexts ---------------------------------------------------

    def _actor(self, person: str | None, fallback: str) -> Actor:
        name = (person or "").strip() or fallback
        return Actor(
            f"import:{self.operator.id}:{name}",
            name,
            Role.SYSTEM,
            f"台账导入（{self.operator.name}）",
        )

    def _ctx(self, actor: Actor, occurred_at: datetime) -> Context:
        return Context(actor, occurred_at, self.ledger.clock(), self.justification)

    # ---- one row -------------------------------------------------------------------

    def _row_commands(
        self, row: Row, enterprises: dict[str, Enterprise]
    ) -> tuple[list[LedgerAggregate], bool, int]:
        """Run the row's commands in memory; return (aggregates, new case?, steps run)."""
        code = row.get("credit_code")
        sector = self.sector_codes.get(row.get("sector") or "")
        if sector is None:
            raise RowError(
                [
                    (
                        "sector",
                        "CELL_NOT_IN_LIST",
                        f"“行业领域”取值不在下拉列表中（可选：{'、'.join(self.sector_codes)}）",
                        "sector is not one of the registered sectors",
                    )
                ]
            )
        to_save: list[LedgerAggregate] = []
        enterprise = enterprises.get(code)
        if enterprise is None:
            try:
                enterprise = self.ledger.enterprise(code)
            except NotFound:
                principal = row.get("principal")
                if not principal:
                    raise RowError(
                        [
                            (
                                "principal",
                                "PRINCIPAL_REQUIRED",
                                "企业尚未登记，须填写“主要负责人”",
                                "the enterprise is not registered: name its principal",
                            )
                        ]
                    ) from None
                fields = {
                    "credit_code": code,
                    "name": row.get("enterprise_name"),
                    "region_code": row.get("region_code"),
                    "sectors": (sector,),
                    "principal": principal,
                }
                self.ledger.validate_command(
                    "register_enterprise", sector, fields, None, row.get("found_at")
                )
                enterprise = Enterprise.register(
                    self._ctx(self._actor(None, self.operator.name), row.get("found_at")),
                    credit_code=code,
                    name=row.get("enterprise_name"),
                    region_code=row.get("region_code"),
                    sectors=(sector,),
                    address="",
                    principal=Person(f"import:{code}:{principal}", principal),
                )
                to_save.append(enterprise)
            enterprises[code] = enterprise
        case_id = case_id_for(code, row.get("ref"))
        try:
            case = self.ledger.case(case_id)
            done = [type(e).__name__ for e in self.ledger.history(case_id)]
            new = False
        except NotFound:
            case, done, new = None, [], True
        steps = self._steps(row, sector)
        ran = 0
        for index, (_name, run) in enumerate(steps):
            if index < len(done):
                continue  # already recorded by an earlier import
            case = run(case, enterprise)
            ran += 1
        if ran and case is not None:
            to_save.append(case)
        expected = row.get("status")
        if expected and case is not None and case.status.value != STATUSES_ZH[expected]:
            raise RowError(
                [
                    (
                        "status",
                        "STATUS_MISMATCH",
                        f"“状态”填写为{expected}，但按各步骤应为“{_status_zh(case.status)}”",
                        f"status says {expected} but the steps give {case.status.value}",
                    )
                ]
            )
        return to_save, new, ran

    def _steps(
        self, row: Row, sector: str
    ) -> list[tuple[str, Callable[[HazardCase | None, Enterprise], HazardCase]]]:
        """The row's steps in order, each a function of the case so far."""
        g = row.get
        ledger = self.ledger
        steps: list[tuple[str, Callable[[HazardCase | None, Enterprise], HazardCase]]] = []
        found_at: datetime = g("found_at")
        finder = self._actor(g("found_by"), "发现人")
        details = g("details") or {}
        source = SOURCES_ZH[g("source")]

        def report(_: HazardCase | None, enterprise: Enterprise) -> HazardCase:
            fields = {
                "enterprise_code": enterprise.credit_code,
                "location": g("location"),
                "description": g("description"),
                "source": source,
                "details": details,
                "evidence": (),
            }
            ledger.validate_command("report_hazard", sector, fields, None, found_at)
            return HazardCase.report(
                self._ctx(finder, found_at),
                enterprise_code=enterprise.credit_code,
                enterprise_name=enterprise.name,
                region_code=enterprise.region_code,
                sector=sector,
                location=g("location"),
                description=g("description"),
                source=source,
                found_by=g("found_by"),
                details=details,
                case_id=case_id_for(enterprise.credit_code, g("ref")),
            )

        steps.append(("report", report))

        def on(
            case: HazardCase | None,
            name: str,
            fields: dict[str, Any],
            at: datetime | None = None,
        ) -> HazardCase:
            assert case is not None
            ledger.validate_command(name, sector, {**fields}, case, at)
            return case

        if g("grade"):
            grade = GRADES_ZH[g("grade")]
            criteria = g("criteria") or ()

            def do_grade(case: HazardCase | None, _: Enterprise) -> HazardCase:
                case = on(
                    case,
                    "grade_hazard",
                    {"grade": grade, "criteria": criteria, "catalogue_edition": None},
                    found_at,
                )
                case.grade_as(
                    self._ctx(finder, found_at),
                    grade=grade,
                    criteria=criteria,
                    catalogue_edition=ledger.edition_for(sector, criteria, found_at),
                )
                return case

            steps.append(("grade", do_grade))
        mode = MODES_ZH.get(g("mode") or "")
        if mode == "on_spot":
            moment = g("completed_at") or found_at

            def do_on_spot(case: HazardCase | None, _: Enterprise) -> HazardCase:
                case = on(case, "rectify_on_spot", {"measures": g("measures"), "evidence": ()})
                case.rectify_on_spot(self._ctx(finder, moment), measures=g("measures") or "")
                return case

            steps.append(("rectify_on_spot", do_on_spot))
            return steps
        if mode != "deadline":
            return steps
        assigned_at = g("assigned_at") or found_at
        assigner = self._actor(g("department"), "责任部门")

        def do_assign(case: HazardCase | None, _: Enterprise) -> HazardCase:
            case = on(
                case,
                "assign_rectification",
                {
                    "department": g("department"),
                    "deadline": g("deadline"),
                    "requirements": g("requirements"),
                },
            )
            if g("deadline") is None:
                raise RowError(
                    [
                        (
                            "deadline",
                            "CELL_REQUIRED",
                            "限期整改须填写“整改期限”",
                            "a deadline rectification needs a deadline",
                        )
                    ]
                )
            case.assign(
                self._ctx(assigner, assigned_at),
                department=g("department") or "",
                deadline=g("deadline"),
                requirements=g("requirements") or "",
            )
            return case

        steps.append(("assign", do_assign))
        plan_keys = (
            "plan_goal",
            "plan_methods",
            "plan_funds",
            "plan_people",
            "plan_time",
            "plan_safety",
        )
        if any(g(k) for k in plan_keys):
            plan = RectificationPlan(*(g(k) or "" for k in plan_keys))

            def do_plan(case: HazardCase | None, enterprise: Enterprise) -> HazardCase:
                case = on(case, "file_plan", {"plan": plan})
                case.file_plan(
                    self._ctx(self._actor(None, enterprise.name), assigned_at), plan=plan
                )
                return case

            steps.append(("plan", do_plan))
        if g("measures") or g("completed_at"):
            completed: datetime | None = g("completed_at")

            def do_report(case: HazardCase | None, enterprise: Enterprise) -> HazardCase:
                case = on(
                    case,
                    "report_rectification",
                    {"measures": g("measures"), "completed_at": completed, "evidence": ()},
                )
                reporter = self._actor(g("reported_by"), enterprise.name)
                case.report_rectification(
                    self._ctx(reporter, completed or assigned_at),
                    measures=g("measures"),
                    completed_at=completed,
                )
                return case

            steps.append(("report_rectification", do_report))
        if g("verified_at"):

            def do_verify(case: HazardCase | None, _: Enterprise) -> HazardCase:
                accepted = OUTCOMES_ZH.get(g("outcome") or "", False)
                opinion = g("opinion") or g("outcome") or ""
                case = on(case, "verify_rectification", {"accepted": accepted, "opinion": opinion})
                case.verify(
                    self._ctx(self._actor(g("verifier"), "复查人"), g("verified_at")),
                    accepted=accepted,
                    opinion=opinion,
                )
                return case

            steps.append(("verify", do_verify))
        if g("closed_at"):

            def do_close(case: HazardCase | None, _: Enterprise) -> HazardCase:
                case = on(case, "close_hazard", {})
                case.close(self._ctx(self._actor(g("closer"), "销号人"), g("closed_at")))
                return case

            steps.append(("close", do_close))
        return steps

    # ---- the two passes --------------------------------------------------------------

    def _problems(self, number: int, error: Exception) -> list[RowProblem]:
        def at(key: str, rule: str, zh: str, en: str) -> RowProblem:
            header = BY_KEY[key].header if key in BY_KEY else key
            return RowProblem(SHEET, number, header, rule, zh, en)

        if isinstance(error, RowError):
            return [at(*p) for p in error.problems]
        if isinstance(error, RuleViolated):
            return [
                at(
                    FIELD_COLUMNS.get(v.field.split(".")[0], v.field),
                    v.rule,
                    v.message_zh,
                    v.message_en,
                )
                for v in error.violations
            ]
        return [at("ref", "ROW_REFUSED", str(error), str(error))]

    def run(
        self,
        path: Path,
        *,
        record: bool = True,
        batch_rows: int = 500,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Check the whole file; record it only if every row passes (and ``record``)."""
        report = self._pass(path, save=False, batch_rows=batch_rows, progress=progress)
        if report.ok and record:
            report = self._pass(path, save=True, batch_rows=batch_rows, progress=progress)
            report.recorded = True
        return report

    def _pass(
        self,
        path: Path,
        *,
        save: bool,
        batch_rows: int,
        progress: Callable[[int], None] | None,
    ) -> ImportReport:
        report = ImportReport()
        seen: set[str] = set()
        enterprises: dict[str, Enterprise] = {}
        pending: dict[int, LedgerAggregate] = {}
        pending_rows = 0
        for item in read_rows(path):
            report.rows += 1
            if progress is not None:
                progress(1)
            if isinstance(item, RowError):
                number = item.args[0] if item.args and isinstance(item.args[0], int) else 1
                report.problems += self._problems(number, item)
                continue
            ref = f"{item.get('credit_code')}|{item.get('ref')}"
            if ref in seen:
                report.problems.append(
                    RowProblem(
                        SHEET,
                        item.number,
                        "隐患编号",
                        "DUPLICATE_REF",
                        "同一企业的隐患编号在本文件中重复",
                        "the hazard number repeats for this enterprise in the file",
                    )
                )
                continue
            seen.add(ref)
            try:
                aggregates, new, ran = self._row_commands(item, enterprises)
            except (LedgerError, RowError) as error:
                report.problems += self._problems(item.number, error)
                continue
            report.cases_created += int(new)
            report.rows_already_recorded += int(ran == 0)
            if not save:
                continue
            for aggregate in aggregates:
                pending[id(aggregate)] = aggregate
            pending_rows += 1
            if pending_rows >= batch_rows:
                report.events_recorded += self._save(list(pending.values()))
                pending, pending_rows = {}, 0
                enterprises.clear()
        if save and pending:
            report.events_recorded += self._save(list(pending.values()))
        return report

    def _save(self, aggregates: list[LedgerAggregate]) -> int:
        count = sum(len(a.pending_events) for a in aggregates)
        try:
            self.ledger.save(*aggregates)
        except IntegrityError as e:
            raise ConcurrentChange("workbook import", "batch", str(e)) from None
        return count


def _status_zh(status: Status) -> str:
    for zh, value in STATUSES_ZH.items():
        if value == status.value:
            return zh
    return status.value
