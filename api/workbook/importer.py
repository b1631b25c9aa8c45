"""``ledger import``: a hazard-ledger workbook in, every row judged by the ledger's rules.

One pass over the file (python-calamine reads one sheet at a time, see ``read_rows``;
the events wait in a spool file):

Every row is turned into the same command objects any other input makes
(``ledger.commands``) — register the enterprise if it is new, report, grade, rectify on
the spot or assign, file the plan, report the rectification, verify, close — and executed
in one unit of work (``ledger.unit_of_work``), so each is judged once, by the one command
path, against the state the earlier rows left. Any problem is reported by sheet, row,
column and rule, the later rows are still judged (every problem of the file is reported
at once), and the file is refused as a whole: nothing is written. Only if no row was
refused are the rows' events, spooled as they were judged (``EventSpool``), written to
the store, ``CHUNK_EVENTS`` to a transaction.

A case's id derives from the enterprise's credit code and the workbook's hazard number
(隐患编号) — or, when a new hazard's number is left blank, from the facts its report
fixes (sector, time found, location, description) — so importing the same file again
records nothing new, and a row that describes later steps of a hazard already in the
ledger records exactly those steps.

Besides the 隐患台账 sheet, every sheet named after a loaded sector (the template writes
one per sector) is read: its rows are that sector's hazards, and its detail columns,
headed by the fields' Chinese names, hold Chinese choice names and 是/否 instead of JSON.

Who is recorded: the operator who runs the import is the authenticated person; the
people the workbook names (发现人, 复查人, …) are recorded as imported identities
``import:<operator>:<name>`` with the role ``system``, and every imported event carries
the justification "由台账导入" naming the file and the operator, so nobody can mistake an
import for a live entry.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any, TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson
from eventsourcing.persistence import IntegrityError, StoredEvent
from openpyxl import load_workbook
from python_calamine import CalamineSheet, CalamineWorkbook

from ledger import bulk_insert
from ledger import commands as c
from ledger.application import HazardLedger
from ledger.enterprise import Enterprise, Person, enterprise_id
from ledger.errors import ConcurrentChange, LedgerError, PluginError, RuleViolated
from ledger.hazard import HazardCase, RectificationPlan, Status
from ledger.identity import Actor, Role
from ledger.stored_ids import stored_aggregates
from ledger.unit_of_work import UnitOfWork
from plugins import Sectors
from plugins.spec import SectorSpec

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
from .details import (
    DetailCellError,
    cell_value,
    detail_columns,
    from_json,
    sheet_title,
)

_NAMESPACE = uuid5(NAMESPACE_URL, "https://hazard-api/workbook-case")
LOOKUP_ROWS = 500  # rows whose records are looked up in the store together
CHUNK_EVENTS = 10_000  # spooled events written in one transaction
T = TypeVar("T")

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


def generated_ref(sector: str, found_at: datetime, location: str, description: str) -> str:
    """The hazard number of a row that gives none: the facts its report fixes, which a
    later import of the same hazard (with more steps filled in) repeats unchanged."""
    facts = (
        sector,
        found_at.astimezone(UTC).isoformat(),
        " ".join(location.split()),
        " ".join(description.split()),
    )
    return "auto|" + "|".join(facts)


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
    sheet: str = SHEET
    detail_headers: Mapping[str, str] = field(default_factory=dict)
    """A sector sheet's detail field → its column header, to name it in a problem."""

    def get(self, key: str) -> Any:
        return self.values.get(key)


class RowError(Exception):
    def __init__(
        self, problems: list[tuple[str, str, str, str]], sheet: str = SHEET, number: int = 1
    ) -> None:
        super().__init__(problems)
        self.problems = problems  # (column key or header, rule, zh, en)
        self.sheet = sheet
        self.number = number


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


def read_rows(
    path: Path, sector_sheets: Mapping[str, SectorSpec] | None = None
) -> Iterator[Row | RowError]:
    """The rows of the ledger sheet, then of each sector's sheet, as parsed values (or
    the row's format errors). ``sector_sheets``: sheet title → the sector it holds.

    Read with python-calamine (Rust; about 13× less CPU per row than openpyxl's
    read-only parser, which was a third of the import's time). It holds one sheet's
    cells at a time in memory, about 2.3 KB per row of the ledger sheet's 35 columns;
    ``sheet_cells`` gives each cell the value openpyxl gave."""
    sector_sheets = sector_sheets or {}
    with CalamineWorkbook.from_path(str(path)) as wb:
        names = wb.sheet_names
        main = SHEET if SHEET in names else names[0]
        if main not in sector_sheets:
            yield from _sheet_rows(sheet_cells(wb.get_sheet_by_name(main)), main, None)
        for title in names:
            spec = sector_sheets.get(title)
            if spec is not None:
                yield from _sheet_rows(sheet_cells(wb.get_sheet_by_name(title)), title, spec)


#: Integers a float holds exactly; a whole number below this is read as an ``int``.
_EXACT = 2**53


def sheet_cells(sheet: CalamineSheet) -> Iterator[list[Any]]:
    """A sheet's rows from its first, each from column A, with the values openpyxl's
    reader gives: calamine starts a row at the first column holding data (the sheet's
    ``start``) and reads every number as a float, a date without a time as a ``date``
    and an empty cell as ``""``; openpyxl gives whole numbers as ``int``, every date as a
    ``datetime`` and an empty cell as ``None``. (An error cell such as ``#N/A`` is empty
    here; openpyxl gave its text.)"""
    start = sheet.start
    pad: list[Any] = [None] * (start[1] if start is not None else 0)
    for row in sheet.iter_rows():
        # Text, the commonest cell, without a call: ``_cell``'s first case inline.
        yield pad + [(v or None) if type(v) is str else _cell(v) for v in row]


def _cell(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float:
        return int(value) if value.is_integer() and -_EXACT < value < _EXACT else value
    if kind is date:
        return datetime(value.year, value.month, value.day)
    return value


def _sheet_rows(
    rows: Iterator[Sequence[Any]], title: str, spec: SectorSpec | None
) -> Iterator[Row | RowError]:
    """One sheet's rows; a sector sheet (``spec``) also reads its detail columns."""
    header = next(rows, None)
    if header is None:
        return
    details = {c.header: c for c in detail_columns(spec)} if spec is not None else {}
    names = [str(h).strip() if h is not None else "" for h in header]
    columns = [BY_HEADER.get(name) for name in names]
    detail_at = [details.get(name) for name in names]
    expected = [c for c in COLUMNS if c.required and not (spec is not None and c.key == "sector")]
    missing = [c for c in expected if c not in columns]
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
            ],
            title,
            1,
        )
        return
    detail_headers = {c.field.name: c.header for c in details.values()}
    required = [c for c in COLUMNS if c.required]
    for number, cells in enumerate(rows, start=2):
        if cells is None or all(v is None or str(v).strip() == "" for v in cells):
            continue
        values: dict[str, Any] = {}
        problems = []
        found: dict[str, Any] = {}
        for column, detail, raw in zip(columns, detail_at, cells, strict=False):
            if column is not None:
                try:
                    values[column.key] = None if raw is None else _convert(column, raw)
                except ValueError as e:
                    rule, zh, en = _FORMAT_RULES[str(e)]
                    problems.append((column.key, rule, f"“{column.header}”{zh}", en))
            elif detail is not None:
                try:
                    found[detail.field.name] = cell_value(detail.field, raw)
                except DetailCellError as e:
                    problems.append((detail.header, "CELL_NOT_IN_LIST", e.zh, e.en))
        if spec is not None:
            values["sector"] = spec.code
            values["details"] = {k: v for k, v in found.items() if v is not None}
        for column in required:
            if values.get(column.key) is None and not any(p[0] == column.key for p in problems):
                problems.append(
                    (
                        column.key,
                        "CELL_REQUIRED",
                        f"“{column.header}”为必填项，不能为空",
                        f"{column.header} is required and is empty",
                    )
                )
        if problems:
            yield RowError(problems, title, number)
        else:
            yield Row(number, values, title, detail_headers)


def count_rows(path: Path) -> int:
    """Rows the file may hold (for a progress bar): every sheet's but the template's
    reference sheets."""
    from .template import DETAILS_SHEET, LISTS_SHEET

    wb = load_workbook(path, read_only=True)
    try:
        return sum(
            max(0, (wb[title].max_row or 1) - 1)
            for title in wb.sheetnames
            if title not in (DETAILS_SHEET, LISTS_SHEET)
        )
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
        loaded = ledger.sectors
        self.specs: Mapping[str, SectorSpec] = loaded.specs if isinstance(loaded, Sectors) else {}
        self.sector_sheets = {sheet_title(spec): spec for spec in self.specs.values()}
        self._actors: dict[str, Actor] = {}
        self._enterprise_ids: dict[str, UUID] = {}

    # ---- identities ---------------------------------------------------

    def _actor(self, person: str | None, fallback: str) -> Actor:
        name = (person or "").strip() or fallback
        actor = self._actors.get(name)
        if actor is None:  # a workbook names few people, each on many rows
            actor = self._actors[name] = Actor(
                f"import:{self.operator.id}:{name}",
                name,
                Role.SYSTEM,
                f"台账导入（{self.operator.name}）",
            )
        return actor

    def _enterprise_id(self, credit_code: str) -> UUID:
        """``enterprise_id``, worked out once per enterprise (a uuid5 per row and use
        was a few per cent of the import)."""
        key = self._enterprise_ids.get(credit_code)
        if key is None:
            key = self._enterprise_ids[credit_code] = enterprise_id(credit_code)
        return key

    # ---- one row -------------------------------------------------------------------

    def _row(self, work: UnitOfWork, row: Row, case_id: UUID) -> tuple[bool, int]:
        """Execute the row's commands in ``work``; return (new case?, steps run)."""
        code = row.get("credit_code")
        sector = self.sector_codes.get(row.get("sector") or "")
        if sector is None:
            raise RowError(
                [
                    (
                        "sector",
                        "CELL_NOT_IN_LIST",
                        f"“行业领域”取值不在下拉列表中（可选：{'、'.join(self._sector_names())}）",
                        "sector is not one of the registered sectors",
                    )
                ]
            )
        enterprise = work.find(Enterprise, self._enterprise_id(code))
        if enterprise is None:
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
                )
            register = c.RegisterEnterprise(
                occurred_at=row.get("found_at"),
                justification=self.justification,
                credit_code=code,
                name=row.get("enterprise_name"),
                region_code=row.get("region_code"),
                sectors=(sector,),
                principal=Person(f"import:{code}:{principal}", principal),
            )
            work.execute(register, self._actor(None, self.operator.name))
            enterprise = work.find(Enterprise, self._enterprise_id(code))
            assert enterprise is not None
        existing = work.find(HazardCase, case_id)
        done = existing.version if existing is not None else 0
        ran = 0
        for index, step in enumerate(self._steps(row, sector, enterprise, case_id)):
            if index < done:
                continue  # already recorded by an earlier import
            work.execute(*step())
            ran += 1
        expected = row.get("status")
        case = work.find(HazardCase, case_id) if expected else None
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
        return existing is None, ran

    def _sector_names(self) -> list[str]:
        """The sector names to suggest: each loaded sector once, else the usual ones."""
        if self.specs:
            return list(dict.fromkeys(spec.name_zh for spec in self.specs.values()))
        return list(SECTORS_ZH)

    def _details(self, sector: str, given: Mapping[str, Any]) -> dict[str, Any]:
        """A row's details as recorded: Chinese keys and names of the JSON column mapped
        back (a sector sheet's columns are already)."""
        spec = self.specs.get(sector)
        return from_json(spec, given) if spec is not None else dict(given)

    def _case_id(self, row: Row) -> UUID:
        """The case the row describes: by its hazard number, or by its report's facts."""
        code = row.get("credit_code")
        ref = row.get("ref")
        if not ref:
            name = row.get("sector") or ""
            ref = generated_ref(
                self.sector_codes.get(name, name),
                row.get("found_at"),
                row.get("location") or "",
                row.get("description") or "",
            )
        return case_id_for(code, ref)

    def _steps(
        self, row: Row, sector: str, enterprise: Enterprise, case_id: UUID
    ) -> list[Callable[[], tuple[c.Command, Actor]]]:
        """The row's commands in order, each with the imported identity that gave it
        (built when its turn comes, so a step's own refusal names its row)."""
        g: Callable[[str], Any] = row.values.get  # the dict's own: many look-ups a row
        why = self.justification
        found_at: datetime = g("found_at")
        finder = self._actor(g("found_by"), "发现人")

        def report() -> tuple[c.Command, Actor]:
            command = c.ReportHazard(
                occurred_at=found_at,
                justification=why,
                enterprise_code=enterprise.credit_code,
                sector=sector,
                location=g("location"),
                description=g("description"),
                source=SOURCES_ZH[g("source")],
                found_by=g("found_by") or "",
                details=self._details(sector, g("details") or {}),
                case_id=case_id,
            )
            return command, finder

        steps: list[Callable[[], tuple[c.Command, Actor]]] = [report]
        if g("grade"):

            def grade() -> tuple[c.Command, Actor]:
                command = c.GradeHazard(
                    occurred_at=found_at,
                    grade=GRADES_ZH[g("grade")],
                    criteria=g("criteria") or (),
                    justification=why,
                    case_id=case_id,
                )
                return command, finder

            steps.append(grade)
        mode = MODES_ZH.get(g("mode") or "")
        if mode == "on_spot":

            def on_spot() -> tuple[c.Command, Actor]:
                moment = g("completed_at") or found_at
                command = c.RectifyOnSpot(
                    occurred_at=moment,
                    measures=g("measures") or "",
                    justification=why,
                    case_id=case_id,
                )
                return command, finder

            steps.append(on_spot)
            return steps
        if mode != "deadline":
            return steps
        assigned_at = g("assigned_at") or found_at

        def assign() -> tuple[c.Command, Actor]:
            if g("deadline") is None:
                raise RowError(
                    [
                        (
                            "deadline",
                            "DEADLINE_REQUIRED",
                            "限期整改须填写“整改期限”",
                            "a deadline rectification needs a deadline",
                        )
                    ]
                )
            command = c.AssignRectification(
                occurred_at=assigned_at,
                department=g("department") or "",
                deadline=g("deadline"),
                requirements=g("requirements") or "",
                justification=why,
                case_id=case_id,
            )
            return command, self._actor(g("department"), "责任部门")

        steps.append(assign)
        plan_keys = (
            "plan_goal",
            "plan_methods",
            "plan_funds",
            "plan_people",
            "plan_time",
            "plan_safety",
        )
        if any(g(k) for k in plan_keys):

            def plan() -> tuple[c.Command, Actor]:
                filed = RectificationPlan(*(g(k) or "" for k in plan_keys))
                command = c.FilePlan(
                    occurred_at=assigned_at, plan=filed, justification=why, case_id=case_id
                )
                return command, self._actor(None, enterprise.name)

            steps.append(plan)
        if g("measures") or g("completed_at"):

            def rectified() -> tuple[c.Command, Actor]:
                completed: datetime | None = g("completed_at")
                command = c.ReportRectification(
                    occurred_at=completed or assigned_at,
                    measures=g("measures"),
                    completed_at=completed,
                    justification=why,
                    case_id=case_id,
                )
                return command, self._actor(g("reported_by"), enterprise.name)

            steps.append(rectified)
        if g("verified_at"):

            def verify() -> tuple[c.Command, Actor]:
                accepted = OUTCOMES_ZH.get(g("outcome") or "", False)
                command = c.VerifyRectification(
                    occurred_at=g("verified_at"),
                    accepted=accepted,
                    opinion=g("opinion") or g("outcome") or "",
                    justification=why,
                    case_id=case_id,
                )
                return command, self._actor(g("verifier"), "复查人")

            steps.append(verify)
        if g("closed_at"):

            def close() -> tuple[c.Command, Actor]:
                command = c.CloseHazard(
                    occurred_at=g("closed_at"), justification=why, case_id=case_id
                )
                return command, self._actor(g("closer"), "销号人")

            steps.append(close)
        return steps

    # ---- the two passes --------------------------------------------------------------

    def _problems(self, row: Row | RowError, error: Exception) -> list[RowProblem]:
        sheet = row.sheet
        number = row.number
        detail_headers = row.detail_headers if isinstance(row, Row) else {}

        def at(key: str, rule: str, zh: str, en: str) -> RowProblem:
            header = BY_KEY[key].header if key in BY_KEY else key
            return RowProblem(sheet, number, header, rule, zh, en)

        def column_of(violation_field: str) -> str:
            head, _, rest = violation_field.partition(".")
            if head == "details" and rest in detail_headers:
                return detail_headers[rest]
            return FIELD_COLUMNS.get(head, violation_field)

        if isinstance(error, RowError):
            return [at(*p) for p in error.problems]
        if isinstance(error, RuleViolated):
            return [
                at(column_of(v.field), v.rule, v.message_zh, v.message_en) for v in error.violations
            ]
        if isinstance(error, PluginError):
            return [at("ref", "PLUGIN_ERROR", error.message("zh"), error.message("en"))]
        zh = getattr(error, "message_zh", None) or f"该行未能记录：{error}"
        return [at("ref", "ROW_REFUSED", zh, f"the row could not be recorded: {error}")]

    def run(
        self,
        path: Path,
        *,
        record: bool = True,
        progress: Callable[[int], None] | None = None,
    ) -> ImportReport:
        """Judge every row of the file once; record all of it, or nothing.

        The rows' commands run in one unit of work, each judged by the one command path
        against the state the earlier rows left; a refused row is reported and the later
        rows are still judged, so every problem of the file is reported at once. The
        events of the rows judged so far wait in a spool file (``EventSpool``), already
        in the form the store keeps; only when the last row has passed (and ``record``)
        are they written, ``CHUNK_EVENTS`` to a transaction."""
        report = ImportReport()
        seen: set[UUID] = set()
        work = UnitOfWork(self.ledger)
        to_stored = self.ledger.mapper.to_stored_event
        with EventSpool.opened() as spool:
            for block in _blocks(read_rows(path, self.sector_sheets), LOOKUP_ROWS):
                keyed = [
                    (item, None if isinstance(item, RowError) else self._case_id(item))
                    for item in block
                ]
                self._absent(work, keyed)
                for item, case_id in keyed:
                    report.rows += 1
                    if progress is not None:
                        progress(1)
                    if isinstance(item, RowError):
                        report.problems += self._problems(item, item)
                        continue
                    assert case_id is not None
                    if case_id in seen:
                        report.problems.append(_duplicate(item))
                        continue
                    seen.add(case_id)
                    try:
                        new, ran = self._row(work, item, case_id)
                    except (LedgerError, RowError) as error:
                        report.problems += self._problems(item, error)
                        continue
                    finally:
                        events = _taken(work, self._enterprise_id(item.get("credit_code")), case_id)
                    if record and report.ok:
                        spool.add([to_stored(e) for e in events])
                    report.cases_created += int(new)
                    report.rows_already_recorded += int(ran == 0)
            if record and report.ok:
                for chunk in spool.chunks(CHUNK_EVENTS):
                    report.events_recorded += self._write(chunk)
                report.recorded = True
        return report

    def _write(self, stored: list[StoredEvent]) -> int:
        """Save one chunk of the spooled events in one transaction, storing what
        ``HazardLedger.save`` would (the events, their leaves and every insert listener's
        rows, the after-commit step after it) but in bulk (``ledger.bulk_insert``: on
        PostgreSQL the events and leaves by ``COPY``); a racing writer's events become
        ``ConcurrentChange``, as for any command."""
        try:
            bulk_insert.insert_events(self.ledger, stored)
        except IntegrityError as e:
            first = stored[0]
            raise ConcurrentChange("HazardCase", first.originator_id, str(e)) from None
        self.ledger._notify([])
        return len(stored)

    def _absent(self, work: UnitOfWork, keyed: list[tuple[Row | RowError, UUID | None]]) -> None:
        """Tell ``work`` which of a block's cases and enterprises the store does not hold
        yet, learnt in one query (``ledger.stored_ids``) instead of one read each."""
        ids = {case_id for _, case_id in keyed if case_id is not None}
        ids.update(
            self._enterprise_id(item.get("credit_code"))
            for item, _ in keyed
            if isinstance(item, Row)
        )
        work.absent(ids - stored_aggregates(self.ledger.integrity, ids))


def _blocks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    block: list[T] = []
    for item in items:
        block.append(item)
        if len(block) >= size:
            yield block
            block = []
    if block:
        yield block


def _taken(work: UnitOfWork, enterprise_key: UUID, case_id: UUID) -> list[Any]:
    """The events a row's commands left pending (its enterprise's registration, then its
    case's steps), taken out of ``work``; the case itself is dropped from ``work``
    (no later row may touch it: a second row of one case is refused as a duplicate),
    the enterprise stays for the later rows that name it."""
    events: list[Any] = []
    enterprise = work.find(Enterprise, enterprise_key)
    if enterprise is not None:
        events += enterprise.collect_events()
    case = work.find(HazardCase, case_id)
    if case is not None:
        events += case.collect_events()
    work.forget(case_id)
    return events


class EventSpool:
    """The events of the rows judged so far, as the store will keep them, in a
    temporary file until the last row is judged (bounded memory: one row's events at a
    time are written out, one chunk at a time read back). Each row is a pickle of its
    own, length-prefixed: one pickler over the whole file with its memo cleared between
    rows would let a later row's back-references reach objects of an earlier one."""

    def __init__(self, file: IO[bytes]) -> None:
        self._file = file

    @classmethod
    @contextmanager
    def opened(cls) -> Iterator[EventSpool]:
        with tempfile.TemporaryFile(prefix="ledger-import-") as file:
            yield cls(file)

    def add(self, stored: list[StoredEvent]) -> None:
        """Keep one row's events (in order)."""
        if stored:
            data = pickle.dumps(
                [(s.originator_id, s.originator_version, s.topic, s.state) for s in stored],
                protocol=pickle.HIGHEST_PROTOCOL,
            )
            self._file.write(len(data).to_bytes(4, "little") + data)

    def chunks(self, size: int) -> Iterator[list[StoredEvent]]:
        """The events kept, in order, about ``size`` at a time (a row's events are never
        split between two chunks)."""
        file = self._file
        file.flush()
        file.seek(0)
        chunk: list[StoredEvent] = []
        while head := file.read(4):
            row = pickle.loads(file.read(int.from_bytes(head, "little")))
            chunk += [StoredEvent(*fields) for fields in row]
            if len(chunk) >= size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def _status_zh(status: Status) -> str:
    for zh, value in STATUSES_ZH.items():
        if value == status.value:
            return zh
    return status.value


def _duplicate(row: Row) -> RowProblem:
    """The second row of one hazard in a file (by number, or by its report's facts)."""
    if row.get("ref"):
        zh = "同一企业的隐患编号在本文件中重复"
        en = "the hazard number repeats for this enterprise in the file"
    else:
        zh = (
            "本文件中已有同一企业、行业、发现时间、部位和描述的隐患；"
            "如确为两处隐患，请填写隐患编号区分"
        )
        en = (
            "another row of the file reports the same enterprise, sector, time, location "
            "and description; give each a hazard number if they are two hazards"
        )
    return RowProblem(row.sheet, row.number, "隐患编号", "DUPLICATE_REF", zh, en)
