"""Questions asked of the read models: filtered registers, boards, reports, rankings.

Every question takes the viewer's ``scope`` (required) and narrows its SQL to it, so
that filters, counts, sums and pages are computed inside the scope: a page is full after
filtering, and a cursor is built from the last row the viewer may see. Transaction time
(``known_at``) selects the snapshot tables a ``ReadModels`` reads; business time
(``valid_at``, default: ``known_at``, else now) is the moment overdue is computed for.
Lists are ordered stably (newest found first, then case id) and paginated by an opaque
cursor that encodes the last row's sort key, so pages neither skip nor repeat rows while
new hazards arrive.

``projections.reads.Reads`` is the entry every caller uses; this module is its
read-model half.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import orjson

from ledger.codes import COUNTY_DIGITS, TOWNSHIP_DIGITS, VILLAGE_DIGITS, region_name
from ledger.scope import Scope
from ledger.store import Store

from .base import ts
from .db import ReadStore
from .follower import SLOT_SUFFIX, TRACKING
from .register import REGISTER
from .statistics import COUNTERS

OVERDUE_STATUSES = ("assigned", "reopened")  # as HazardCase.is_overdue
NOT_DISMISSED = "status <> 'dismissed'"  # a dismissed false alarm counts as no hazard


class ReadModelMissing(LookupError):
    """The read model has not been built (run ``ledger project`` or ``ledger rebuild``)."""


class NotForEnterprises(PermissionError):
    """Figures summed over many enterprises are not answered to an enterprise's scope.

    The statistics tables have no enterprise column, so they cannot be narrowed to one
    enterprise; rather than answer with other enterprises' figures, they refuse.
    """

    message_zh = "统计报表面向监管部门"
    message_en = "statistics are for supervising officials"

    def __init__(self) -> None:
        super().__init__(self.message_en)


def officials_only(scope: Scope) -> None:
    """Refuse an enterprise-bound scope (see ``NotForEnterprises``)."""
    if scope.enterprise_code:
        raise NotForEnterprises


@dataclass(frozen=True)
class RegisterFilter:
    """Filters of the hazard register; all optional, combined with AND."""

    sector: str | None = None
    region: str | None = None  # prefix of the 6-digit region code: "62", "6208", "620826"
    enterprise: str | None = None
    status: tuple[str, ...] = ()
    grade: str | None = None
    found_from: datetime | None = None  # inclusive
    found_to: datetime | None = None  # exclusive
    overdue: bool | None = None
    listed: bool | None = None


@dataclass
class Page:
    items: list[dict[str, Any]]
    next_cursor: str | None
    at: str
    extra: dict[str, Any] = field(default_factory=dict)


def encode_cursor(found_at: str, case_id: str) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([found_at, case_id])).decode()


def decode_cursor(cursor: str) -> tuple[str, str]:
    try:
        found_at, case_id = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
        return str(found_at), str(case_id)
    except Exception as e:
        raise ValueError(f"cursor: not a cursor of this list (分页游标无效): {e}") from None


def is_overdue(row: dict[str, Any], at: datetime) -> bool:
    """As ``HazardCase.is_overdue``: past the deadline and not yet reported rectified."""
    return (
        row["status"] in OVERDUE_STATUSES
        and row["deadline"] is not None
        and at > datetime.fromisoformat(row["deadline"])
    )


def overdue_days(row: dict[str, Any], at: datetime) -> int:
    if not is_overdue(row, at):
        return 0
    return (at - datetime.fromisoformat(row["deadline"])).days


def prefix_end(prefix: str) -> str:
    """The first code after every code starting with ``prefix`` (digits only)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def rate(numerator: int, denominator: int) -> float | None:
    return None if denominator == 0 else round(numerator / denominator, 4)


def change(now: Decimal, before: Decimal) -> float | None:
    """Year-on-year change (同比): +0.25 is up 25%; None when there was nothing before."""
    return None if before == 0 else round(float((now - before) / before), 4)


def checked_region(region: str | None) -> str:
    """A requested region prefix ("" for none), refused unless it is 1 to 12 digits
    (any prefix of a county, township or village code)."""
    if not region:
        return ""
    if not region.isdigit() or len(region) > VILLAGE_DIGITS:
        raise ValueError("region: 区划代码前缀应为1至12位数字 / a region prefix is 1 to 12 digits")
    return region


def check_month(month: str) -> None:
    try:
        datetime.strptime(month, "%Y-%m")
    except ValueError:
        raise ValueError("month: 月份格式应为YYYY-MM / month must be YYYY-MM") from None


def scope_where(
    scope: Scope,
    region: str | None = None,
    *,
    region_column: str = "region_code",
    sector_column: str | None = "sector",
    enterprise_column: str | None = "enterprise_code",
) -> tuple[list[str], list[Any]]:
    """SQL conditions for "in the viewer's scope and in the requested region".

    Both region prefixes apply (a request outside the scope finds nothing, exactly as a
    region with no records); sectors and the enterprise narrow only tables that have
    those columns — the callers of tables without them refuse enterprise scopes first.
    """
    where: list[str] = []
    params: list[Any] = []
    for prefix in dict.fromkeys((scope.region_prefix, checked_region(region))):
        if prefix:
            # A range, not LIKE: both stores can use an index on the region column.
            where.append(f"{region_column} >= ? AND {region_column} < ?")
            params += [prefix, prefix_end(prefix)]
    if scope.sectors and sector_column is not None:
        chosen = sorted(scope.sectors)
        where.append(f"{sector_column} IN ({', '.join('?' for _ in chosen)})")
        params += chosen
    if scope.enterprise_code and enterprise_column is not None:
        where.append(f"{enterprise_column} = ?")
        params.append(scope.enterprise_code)
    return where, params


def _sql_where(where: list[str]) -> str:
    return " WHERE " + " AND ".join(where) if where else ""


class ReadModels:
    """Read access to the read models of one store (live, or as known at a moment).

    ``known_at`` picks the snapshot tables built by ``ledger rebuild --known-at`` (or
    ``POST /snapshots``); without a snapshot for exactly that moment every question
    raises ``ReadModelMissing`` rather than answer from the live tables.
    """

    def __init__(self, store: Store, *, known_at: datetime | None = None) -> None:
        self.db = ReadStore(store)
        self.conn = self.db.connect()
        self.known_at = known_at
        self.suffix = SLOT_SUFFIX["asof"] if known_at is not None else ""
        self._checked: set[str] = set()

    def close(self) -> None:
        self.conn.close()

    def _q(self, text: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.db.execute(self.conn, text, tuple(params)).fetchall())

    def _table(self, projection: str, table: str) -> str:
        """The physical table, after checking the projection is built (at known_at)."""
        if projection not in self._checked:
            name = projection + self.suffix
            found = None
            if self.db.table_exists(self.conn, TRACKING):
                found = self._q(f"SELECT known_at FROM {TRACKING} WHERE name = ?", (name,))
            if not found:
                raise ReadModelMissing(
                    f"read model {projection} is not built"
                    + (f" as known at {self.known_at.isoformat()}" if self.known_at else "")
                    + " (读模型尚未生成，请先运行 ledger project / ledger rebuild)"
                )
            if self.known_at is not None and found[0][0] != ts(self.known_at):
                raise ReadModelMissing(
                    f"read model {projection} was rebuilt as known at {found[0][0]}, not "
                    f"{ts(self.known_at)}: run ledger rebuild --known-at "
                    f"{self.known_at.isoformat()}"
                )
            self._checked.add(projection)
        return table + self.suffix

    def moment(self, valid_at: datetime | None) -> datetime:
        """The business moment figures are computed for: ``valid_at``, else the
        transaction time read (``known_at``), else now."""
        if valid_at is not None:
            return valid_at
        return self.known_at if self.known_at is not None else datetime.now(tz=UTC)

    # ---- the hazard register --------------------------------------------------------

    def _register_where(
        self, f: RegisterFilter, scope: Scope, at: datetime
    ) -> tuple[list[str], list[Any]]:
        where, params = scope_where(scope, f.region)
        for column, value in (
            ("sector", f.sector),
            ("enterprise_code", f.enterprise),
            ("grade", f.grade),
        ):
            if value:
                where.append(f"{column} = ?")
                params.append(value)
        if f.status:
            where.append(f"status IN ({', '.join('?' for _ in f.status)})")
            params.extend(f.status)
        if f.found_from is not None:
            where.append("found_at >= ?")
            params.append(ts(f.found_from))
        if f.found_to is not None:
            where.append("found_at < ?")
            params.append(ts(f.found_to))
        overdue_sql = "status IN ('assigned', 'reopened') AND deadline IS NOT NULL AND deadline < ?"
        if f.overdue is True:
            where.append(overdue_sql)
            params.append(ts(at))
        elif f.overdue is False:
            where.append(f"NOT ({overdue_sql})")
            params.append(ts(at))
        if f.listed is True:
            where.append("listing_level IS NOT NULL AND delisted_at IS NULL")
        elif f.listed is False:
            where.append("(listing_level IS NULL OR delisted_at IS NOT NULL)")
        return where, params

    def register(
        self,
        filters: RegisterFilter = RegisterFilter(),
        *,
        scope: Scope,
        valid_at: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> Page:
        """One page of the register inside ``scope``, newest found first, with overdue
        days at ``valid_at``. Scope is part of the query, so pages are full and the
        cursor is the last row the viewer sees."""
        if not 1 <= limit <= 1000:
            raise ValueError("limit: 每页条数应在1至1000之间 / limit must be 1..1000")
        moment = self.moment(valid_at)
        table = self._table("hazard_register", "hazard_register")
        where, params = self._register_where(filters, scope, moment)
        if cursor:
            found_at, case_id = decode_cursor(cursor)
            # A row value, not an OR: both stores then walk the (found_at, case_id) index
            # from the cursor instead of sorting every match.
            where.append("(found_at, case_id) < (?, ?)")
            params += [found_at, case_id]
        sql = f"SELECT {', '.join(REGISTER.column_names)} FROM {table}"
        selective = filters.enterprise or scope.enterprise_code or filters.listed is True
        if self.db.dialect == "sqlite" and not selective:
            # Newest first, one page: walking the found_at index backwards and filtering
            # stops after a page. SQLite's planner prefers the region index and sorts the
            # whole region instead (400 ms for a county at 1M events, against under 3 ms).
            # The exceptions are the filters selective enough to have an index of their own.
            sql += f" INDEXED BY ix_{table}_found_at_case_id"
        sql += _sql_where(where) + " ORDER BY found_at DESC, case_id DESC LIMIT ?"
        params.append(limit + 1)
        rows = [dict(zip(REGISTER.column_names, r, strict=True)) for r in self._q(sql, params)]
        more = len(rows) > limit
        rows = rows[:limit]
        for row in rows:
            row["overdue"] = is_overdue(row, moment)
            row["overdue_days"] = overdue_days(row, moment)
            row["details"] = orjson.loads(row["details"]) if row["details"] else {}
        next_cursor = encode_cursor(rows[-1]["found_at"], rows[-1]["case_id"]) if more else None
        return Page(rows, next_cursor, moment.isoformat())

    def count(
        self,
        filters: RegisterFilter = RegisterFilter(),
        *,
        scope: Scope,
        valid_at: datetime | None = None,
    ) -> int:
        table = self._table("hazard_register", "hazard_register")
        where, params = self._register_where(filters, scope, self.moment(valid_at))
        return int(self._q(f"SELECT COUNT(*) FROM {table}" + _sql_where(where), params)[0][0])

    def listed_board(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        valid_at: datetime | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page:
        """挂牌督办: major hazards listed for supervision and not yet de-listed."""
        return self.register(
            RegisterFilter(region=region, listed=True),
            scope=scope,
            valid_at=valid_at,
            limit=limit,
            cursor=cursor,
        )

    def overdue_list(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        valid_at: datetime | None = None,
        limit: int = 200,
        cursor: str | None = None,
    ) -> Page:
        return self.register(
            RegisterFilter(region=region, overdue=True),
            scope=scope,
            valid_at=valid_at,
            limit=limit,
            cursor=cursor,
        )

    # ---- enterprise profile -------------------------------------------------------------

    def enterprise_profile(
        self, credit_code: str, *, scope: Scope, valid_at: datetime | None = None
    ) -> dict[str, Any]:
        """An enterprise with its hazard figures and enforcement, inside ``scope``: an
        enterprise the scope cannot see is not found, and only the sectors the scope
        sees are counted."""
        moment = self.moment(valid_at)
        ent_t = self._table("enforcement", "enterprises")
        act_t = self._table("enforcement", "enforcement_actions")
        reg_t = self._table("hazard_register", "hazard_register")
        cols = (
            "credit_code",
            "name",
            "region_code",
            "sectors",
            "address",
            "principal_name",
            "registered_at",
        )
        found = self._q(
            f"SELECT {', '.join(cols)} FROM {ent_t} WHERE credit_code = ?", (credit_code,)
        )
        profile: dict[str, Any] | None = dict(zip(cols, found[0], strict=True)) if found else None
        if profile is None or not (
            scope.sees_enterprise(region_code=profile["region_code"], enterprise_code=credit_code)
            and any(scope.sees_sector(s) for s in str(profile["sectors"]).split(","))
        ):
            raise LookupError(f"enterprise {credit_code} not in the read model")
        where, params = scope_where(scope)
        where.append("enterprise_code = ?")
        params.append(credit_code)
        stats = self._q(
            f"SELECT COUNT(*), "
            f"SUM(CASE WHEN status NOT IN ('closed', 'dismissed') THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN status <> 'closed' AND grade = 'major' THEN 1 ELSE 0 END), "
            f"SUM(reopen_count), "
            f"SUM(CASE WHEN status IN ('assigned', 'reopened') AND deadline < ? THEN 1 ELSE 0 END) "
            f"FROM {reg_t}" + _sql_where(where),
            [ts(moment), *params],
        )[0]
        # Repeats: a hazard reopened after closure, or a second hazard at the same place.
        same_place = self._q(
            f"SELECT COUNT(*) FROM (SELECT location FROM {reg_t}{_sql_where(where)} "
            f"GROUP BY location, sector HAVING COUNT(*) > 1) AS repeated",
            params,
        )[0][0]
        profile.update(
            hazards_total=int(stats[0] or 0),
            hazards_open=int(stats[1] or 0),
            major_open=int(stats[2] or 0),
            reopened=int(stats[3] or 0),
            overdue=int(stats[4] or 0),
            repeated_locations=int(same_place or 0),
        )
        acols = (
            "action_id",
            "kind",
            "document_number",
            "department",
            "issued_at",
            "status",
            "fine_fen",
            "amount_paid_fen",
            "ended_at",
        )
        actions = [
            dict(zip(acols, r, strict=True))
            for r in self._q(
                f"SELECT {', '.join(acols)} FROM {act_t}{_sql_where(where)} "
                f"ORDER BY issued_at, action_id",
                params,
            )
        ]
        for a in actions:
            a["fine_amount"] = str(Decimal(a.pop("fine_fen") or 0) / 100)
        profile["enforcement"] = actions
        profile["at"] = moment.isoformat()
        return profile

    # ---- measures list ---------------------------------------------------------------

    def measures(
        self,
        region: str | None = None,
        *,
        scope: Scope,
        status: str | None = None,
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """The measures list of the scope's region (measures belong to a region and an
        owner department, not to a sector or an enterprise)."""
        officials_only(scope)
        moment = self.moment(valid_at)
        table = self._table("measures", "measures")
        cols = (
            "measure_id",
            "title",
            "category",
            "owner_department",
            "region_code",
            "due",
            "timetable",
            "added_at",
            "status",
            "progress_reports",
            "last_progress",
            "last_progress_at",
            "completed_at",
        )
        where, params = scope_where(scope, region, sector_column=None, enterprise_column=None)
        if status:
            where.append("status = ?")
            params.append(status)
        sql = f"SELECT {', '.join(cols)} FROM {table}{_sql_where(where)} ORDER BY due, measure_id"
        out = [dict(zip(cols, r, strict=True)) for r in self._q(sql, params)]
        for m in out:
            due = datetime.fromisoformat(m["due"])
            m["overdue"] = m["status"] != "completed" and moment > due
        return out

    # ---- sector statistics: the monthly report -------------------------------------------

    def monthly_report(
        self,
        region: str | None,
        month: str,
        *,
        scope: Scope,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        """The seed-style monthly summary for a region prefix, per sector and in total,
        counting only the sectors and region the scope sees."""
        officials_only(scope)
        check_month(month)
        region = checked_region(region)
        moment = self.moment(valid_at)
        stats_t = self._table("sector_statistics", "sector_stats")
        units_t = self._table("sector_statistics", "stats_units")
        reg_t = self._table("hazard_register", "hazard_register")
        sums = ", ".join(f"SUM({c})" for c in COUNTERS)
        where, params = scope_where(scope, region, enterprise_column=None)
        inside = _sql_where(["month = ?", *where])
        per_sector: dict[str, dict[str, Any]] = {}
        for r in self._q(
            f"SELECT sector, {sums} FROM {stats_t}{inside} GROUP BY sector ORDER BY sector",
            [month, *params],
        ):
            per_sector[r[0]] = {c: int(v or 0) for c, v in zip(COUNTERS, r[1:], strict=True)}
        units = dict(
            self._q(
                f"SELECT sector, COUNT(DISTINCT enterprise_code) FROM {units_t}{inside} "
                f"GROUP BY sector",
                [month, *params],
            )
        )
        overdue_where = _sql_where(
            ["found_month = ?", *where, "status IN ('assigned', 'reopened')", "deadline < ?"]
        )
        overdue = dict(
            self._q(
                f"SELECT sector, COUNT(*) FROM {reg_t}{overdue_where} GROUP BY sector",
                [month, *params, ts(moment)],
            )
        )
        total_units = self._q(
            f"SELECT COUNT(DISTINCT enterprise_code) FROM {units_t}{inside}", [month, *params]
        )[0][0]
        rows = []
        total = dict.fromkeys(COUNTERS, 0)
        for sector, figures in per_sector.items():
            for c in COUNTERS:
                total[c] += figures[c]
            rows.append(
                self._figures(
                    sector, figures, int(units.get(sector, 0)), int(overdue.get(sector, 0))
                )
            )
        totals = self._figures("*", total, int(total_units or 0), sum(map(int, overdue.values())))
        return {
            "region": region or scope.region_prefix,
            "region_name": region_name(region or scope.region_prefix),
            "month": month,
            "at": moment.isoformat(),
            "sectors": rows,
            "total": totals,
            "accidents": self._accidents(month, where, params),
        }

    def _accidents(self, month: str, where: list[str], params: list[Any]) -> dict[str, Any]:
        """Accidents of ``month`` in the scope and region (起数, deaths, serious injuries,
        direct loss, by level), the same month a year before, and the change (同比)."""
        acc_t = self._table("sector_statistics", "stats_accidents")

        def figures(of_month: str) -> dict[str, Any]:
            inside = _sql_where(["month = ?", *where])
            (count, deaths, injuries, loss), *_ = self._q(
                f"SELECT COUNT(*), SUM(deaths), SUM(serious_injuries), SUM(direct_loss_fen) "
                f"FROM {acc_t}{inside}",
                [of_month, *params],
            )
            levels = dict(
                self._q(
                    f"SELECT level, COUNT(*) FROM {acc_t}{inside} GROUP BY level",
                    [of_month, *params],
                )
            )
            return {
                "count": int(count or 0),
                "deaths": int(deaths or 0),
                "serious_injuries": int(injuries or 0),
                "direct_loss": str(Decimal(int(loss or 0)) / 100),
                "by_level": {str(k): int(v) for k, v in sorted(levels.items())},
            }

        year, number = month.split("-")
        now, before = figures(month), figures(f"{int(year) - 1:04d}-{number}")
        return {
            **now,
            "previous_year": before,
            "change": {
                k: change(Decimal(now[k]), Decimal(before[k]))
                for k in ("count", "deaths", "serious_injuries", "direct_loss")
            },
        }

    def trend(
        self,
        region: str | None,
        year: int | None = None,
        *,
        scope: Scope,
        valid_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Hazards found and rectified per month of ``year`` (default: the moment's), up
        to the business moment: the dashboard's chart, from the same figures as the
        monthly report."""
        officials_only(scope)
        moment = self.moment(valid_at)
        year = year or moment.year
        months = []
        for m in range(1, 13):
            if datetime(year, m, 1, tzinfo=UTC) > moment:
                break
            label = f"{year}-{m:02d}"
            total = self.monthly_report(region, label, scope=scope, valid_at=moment)["total"]
            months.append(
                {
                    "month": label,
                    "hazards_found": total["hazards_found"],
                    "rectified": total["rectified"],
                }
            )
        return {"year": year, "at": moment.isoformat(), "months": months}

    def statistics(
        self,
        region: str | None,
        year: int,
        *,
        scope: Scope,
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """The monthly report for every month of ``year`` (月度分行业统计)."""
        return [
            self.monthly_report(region, f"{year}-{m:02d}", scope=scope, valid_at=valid_at)
            for m in range(1, 13)
        ]

    @staticmethod
    def _figures(sector: str, f: dict[str, int], units: int, overdue: int) -> dict[str, Any]:
        return {
            "sector": sector,
            "units_inspected": units,
            "inspections": f["inspections"],
            "devices_checked": f["devices_checked"],
            "hazards_found": f["hazards_found"],
            "rectified_on_spot": f["rectified_on_spot"],
            "deadline_rectifications": f["deadline_rectifications"],
            "rectified": f["rectified"],
            "rectification_rate": rate(f["rectified"], f["hazards_found"]),
            "major_found": f["major_found"],
            "major_rectified": f["major_rectified"],
            "major_open": f["major_found"] - f["major_rectified"],
            "overdue": overdue,
            "fines_count": f["fines_count"],
            "fines_amount": str(Decimal(f["fines_amount_fen"]) / 100),
            "stop_work_notices": f["stop_work_notices"],
            "directives": f["directives"],
            "documents_issued": f["documents_issued"],
        }

    # ---- the monthly ranking (动态评价指数) --------------------------------------------------

    def ranking(
        self,
        region: str | None,
        month: str,
        *,
        scope: Scope,
        by: str = "region",
        valid_at: datetime | None = None,
    ) -> list[dict[str, Any]]:
        """Counties (``by="region"``), townships (``by="township"``) or departments ranked
        by the dynamic evaluation index for ``month``, from the hazards and actions inside
        ``scope`` only. A township's unit is the 9-digit prefix of the places under it;
        enterprises registered at county level form the county's own unit (县直).

        See ``docs/read-models.md`` for the formula; every component is returned too.
        """
        if by not in RANKED_BY:
            raise ValueError(
                "by: 排名对象只能是region、township或department / "
                "by is region, township or department"
            )
        officials_only(scope)
        check_month(month)
        moment = self.moment(valid_at)
        reg_t = self._table("hazard_register", "hazard_register")
        act_t = self._table("enforcement", "enforcement_actions")
        where, params = scope_where(scope, region)
        unit, act_unit = ranking_units(by, scope)
        # A dismissed false alarm (误报核销) is no hazard found.
        ranked = ["found_month = ?", *where, f"{unit} IS NOT NULL", NOT_DISMISSED]
        hazards = self._q(
            f"SELECT {unit}, COUNT(*), "
            f"SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN deadline IS NOT NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN status IN ('assigned', 'reopened') AND deadline < ? "
            f"THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN closed_on_time IS NOT NULL THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN closed_on_time = 1 THEN 1 ELSE 0 END), "
            f"SUM(CASE WHEN grade = 'major' AND status <> 'closed' THEN 1 ELSE 0 END) "
            f"FROM {reg_t}{_sql_where(ranked)} "
            f"GROUP BY {unit}",
            [ts(moment), month, *params],
        )
        actions = dict(
            self._q(
                f"SELECT {act_unit}, COUNT(*) FROM {act_t}"
                f"{_sql_where(['issued_month = ?', *where, 'status <> ?'])} GROUP BY {act_unit}",
                [month, *params, "revoked"],
            )
        )
        out = []
        seen = set()
        for name, found, closed, deadlines, overdue, timed, on_time, major_open in hazards:
            seen.add(name)
            out.append(
                evaluation(
                    str(name),
                    int(found),
                    int(closed or 0),
                    int(deadlines or 0),
                    int(overdue or 0),
                    int(timed or 0),
                    int(on_time or 0),
                    int(major_open or 0),
                    int(actions.get(name, 0)),
                )
            )
        for name, count in actions.items():
            if name not in seen:
                out.append(evaluation(str(name), 0, 0, 0, 0, 0, 0, 0, int(count)))
        out.sort(key=lambda r: (-r["index"], r["unit"]))
        for i, r in enumerate(out, 1):
            r["rank"] = i
            if by != "department":
                r["unit_name"] = region_name(r["unit"])
        return out


#: What a ranking's unit is: the digits of the region code's prefix, or a department (None).
RANKED_BY: dict[str, int | None] = {
    "region": COUNTY_DIGITS,
    "township": TOWNSHIP_DIGITS,
    "department": None,
}


def ranking_units(by: str, scope: Scope) -> tuple[str, str]:
    """The SQL of a ranking's unit in the register and in the enforcement table.

    A region unit is never wider than the viewer's jurisdiction: a township official's
    ranking by county has the township as its one unit, not the county it cannot see."""
    digits = RANKED_BY[by]
    if digits is None:
        return "assigned_department", "department"
    unit = f"SUBSTR(region_code, 1, {max(digits, len(scope.region_prefix))})"
    return unit, unit


WEIGHTS = {
    "rectification": 0.35,
    "not_overdue": 0.20,
    "timeliness": 0.20,
    "zero_clearance": 0.15,
    "enforcement": 0.10,
}


def evaluation(
    unit: str,
    found: int,
    closed: int,
    deadlines: int,
    overdue: int,
    timed: int,
    on_time: int,
    major_open: int,
    actions: int,
) -> dict[str, Any]:
    """The dynamic evaluation index (动态评价指数) of one unit; see docs/read-models.md."""
    components = {
        "rectification": closed / found if found else 1.0,
        "not_overdue": 1 - overdue / deadlines if deadlines else 1.0,
        "timeliness": on_time / timed if timed else 1.0,
        "zero_clearance": 1 / (1 + major_open),
        "enforcement": min(1.0, actions / found) if found else (1.0 if actions else 0.0),
    }
    index = round(100 * sum(WEIGHTS[k] * v for k, v in components.items()), 2)
    return {
        "unit": unit,
        "index": index,
        "hazards_found": found,
        "rectified": closed,
        "deadline_rectifications": deadlines,
        "overdue": overdue,
        "closed_on_time": on_time,
        "major_open": major_open,
        "actions": actions,
        "components": {k: round(v, 4) for k, v in components.items()},
    }
