"""The campaign's tables (专项整治三年行动报表): one fact row per hazard, action,
inspection and accident, summed for any region prefix over any span of business days.

The county and city reports (``../shared/seeds``) count hazards by sector and by who
found them (自查 / 部门检查 / 举报 / 专家), listings (挂牌督办) by sector and level,
enforcement by kind with 户数 (distinct enterprises) beside counts and amounts, the
inspection effort (检查单位, 检查次数, 出动人次, 帮扶指导) and accidents against the same
span a year before (同比) or the average of earlier years — for a month, a quarter, a
year or the campaign so far (自 2020 年 4 月以来累计). Those spans do not follow months,
so each fact keeps its business *day* (China Standard Time) and every figure is a
``SUM``/``COUNT(DISTINCT …)`` over a day range, asked through ``Reads.campaign`` with the
viewer's scope and both clocks like every read.

"Rectified" means closed by the business moment asked for (``valid_at``): each hazard
keeps when it was closed, so the same history answers "as it stood on 29 March".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from ledger.accident import Accident
from ledger.enforcement import QUANTITY_KINDS, ActionKind, EnforcementAction
from ledger.hazard import HazardCase, Source
from ledger.inspection import Inspection, InspectionType
from ledger.scope import Scope

from .base import CHINA_TIME, Projection, Rows, Table, id_text, ts
from .queries import ReadModels, change, checked_region, officials_only, rate, scope_where

TEXT, INT = "TEXT", "INTEGER"

HAZARDS = Table(
    "campaign_hazards",
    (
        ("case_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("day", TEXT),
        ("enterprise_code", TEXT),
        ("source", TEXT),
        ("major", INT),
        ("on_spot", INT),
        ("deadline", INT),
        ("closed_at", TEXT),
        ("listing_level", TEXT),
        ("listed_day", TEXT),
        ("delisted_at", TEXT),
    ),
    key=("case_id",),
    indexes=(("day", "region_code"),),
)
CLOSURES = Table(
    "campaign_closures",
    (("case_id", TEXT), ("closed_at", TEXT), ("reopened_at", TEXT)),
    key=("case_id", "closed_at"),
)
"""Each time a hazard was closed (on the spot or after verification) until it was
reopened, so "rectified" can be asked for any business moment, across reopenings."""
ACTIONS = Table(
    "campaign_actions",
    (
        ("action_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("day", TEXT),
        ("enterprise_code", TEXT),
        ("kind", TEXT),
        ("fine_fen", INT),
        ("revoked", INT),
        ("quantity_milli", INT),
        ("unit", TEXT),
    ),
    key=("action_id",),
    indexes=(("day", "region_code"),),
)
INSPECTIONS = Table(
    "campaign_inspections",
    (
        ("inspection_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("day", TEXT),
        ("enterprise_code", TEXT),
        ("inspection_type", TEXT),
        ("team_size", INT),
        ("devices_checked", INT),
    ),
    key=("inspection_id",),
    indexes=(("day", "region_code"),),
)
ACCIDENTS = Table(
    "campaign_accidents",
    (
        ("accident_id", TEXT),
        ("region_code", TEXT),
        ("sector", TEXT),
        ("day", TEXT),
        ("enterprise_code", TEXT),
        ("level", TEXT),
        ("deaths", INT),
        ("serious_injuries", INT),
        ("direct_loss_fen", INT),
    ),
    key=("accident_id",),
    indexes=(("day", "region_code"),),
)

#: Who found a hazard, as the reports group it. ``sensor`` (科技手段检测) alerts come from
#: the departments' monitoring platforms, so they count with the departments' checks.
SOURCE_GROUPS: dict[str, tuple[Source, ...]] = {
    "self": (Source.SELF_INSPECTION,),
    "department": (
        Source.GRID_PATROL,
        Source.COUNTY_VERIFICATION,
        Source.UNANNOUNCED_INSPECTION,
        Source.ROUTINE_INSPECTION,
        Source.SENSOR,
    ),
    "public_report": (Source.PUBLIC_REPORT,),
    "expert": (Source.EXPERT_DIAGNOSIS,),
}
GROUP_OF = {source.value: group for group, sources in SOURCE_GROUPS.items() for source in sources}

#: Kinds counted one column each in the enforcement table, in the reports' order.
KIND_COLUMNS: tuple[ActionKind, ...] = (
    ActionKind.PENALTY,
    ActionKind.DIRECTIVE,
    ActionKind.RECTIFICATION_ORDER,
    ActionKind.STOP_WORK,
    ActionKind.INSPECTION_NOTICE,
    ActionKind.WARNING_LETTER,
    ActionKind.EXPOSURE,
    ActionKind.SUMMONS,
    ActionKind.JOINT_PUNISHMENT,
    ActionKind.CIRCULAR,
    ActionKind.BAN,
    ActionKind.CONFISCATION,
    ActionKind.SEAL_UP,
    ActionKind.POLICE_TRANSFER,
)
#: 曝光、约谈、联合惩戒: the reports count the enterprises these reached together.
DISCIPLINE_KINDS: tuple[ActionKind, ...] = (
    ActionKind.EXPOSURE,
    ActionKind.SUMMONS,
    ActionKind.JOINT_PUNISHMENT,
)

TABLES = ("sources", "listings", "enforcement", "effort", "accidents")


def day_of(value: datetime) -> str:
    """The business day (YYYY-MM-DD, China Standard Time) of a moment."""
    return value.astimezone(CHINA_TIME).date().isoformat()


class CampaignFacts(Projection):
    """One row per hazard, action, inspection and accident, with its business day."""

    name = "campaign"
    version = 3  # 3: actions keep what a confiscation or seizure took (quantity, unit)
    tables = (HAZARDS, CLOSURES, ACTIONS, INSPECTIONS, ACCIDENTS)
    handles = frozenset(
        {
            HazardCase.Reported,
            HazardCase.Graded,
            HazardCase.RectifiedOnSpot,
            HazardCase.Assigned,
            HazardCase.Closed,
            HazardCase.Reopened,
            HazardCase.Listed,
            HazardCase.Delisted,
            Inspection.Recorded,
            EnforcementAction.Issued,
            EnforcementAction.Revoked,
            Accident.Recorded,
        }
    )

    def fold(self, event: Any, rows: Rows) -> None:
        cls = type(event)
        if cls is HazardCase.Reported:
            rows.put(
                "campaign_hazards",
                HAZARDS.empty_row(
                    case_id=id_text(event.originator_id),
                    region_code=event.region_code,
                    sector=event.sector,
                    day=day_of(event.occurred_at),
                    enterprise_code=event.enterprise_code,
                    source=str(event.source),
                    major=0,
                    on_spot=0,
                    deadline=0,
                ),
            )
        elif cls in _CASE_EVENTS:
            self._case_step(event, cls, rows)
        elif cls is Inspection.Recorded:
            rows.put(
                "campaign_inspections",
                INSPECTIONS.empty_row(
                    inspection_id=id_text(event.originator_id),
                    region_code=event.region_code,
                    sector=event.sector,
                    day=day_of(event.occurred_at),
                    enterprise_code=event.enterprise_code,
                    inspection_type=str(event.inspection_type),
                    team_size=len(event.team),
                    devices_checked=event.devices_checked,
                ),
            )
        elif cls is EnforcementAction.Issued:
            fine = event.fine_amount
            quantity = event.quantity
            rows.put(
                "campaign_actions",
                ACTIONS.empty_row(
                    action_id=id_text(event.originator_id),
                    region_code=event.region_code,
                    sector=event.sector,
                    day=day_of(event.occurred_at),
                    enterprise_code=event.enterprise_code,
                    kind=str(event.kind),
                    fine_fen=0 if fine is None else int((fine * 100).to_integral_value()),
                    revoked=0,
                    quantity_milli=(
                        0 if quantity is None else int((quantity * 1000).to_integral_value())
                    ),
                    unit=event.unit,
                ),
            )
        elif cls is EnforcementAction.Revoked:
            action = rows.get("campaign_actions", (id_text(event.originator_id),))
            if action is not None:
                action["revoked"] = 1
                rows.put("campaign_actions", action)
        elif cls is Accident.Recorded:
            rows.put(
                "campaign_accidents",
                ACCIDENTS.empty_row(
                    accident_id=id_text(event.originator_id),
                    region_code=event.region_code,
                    sector=event.sector,
                    day=day_of(event.occurred_at),
                    enterprise_code=event.enterprise_code,
                    level=str(event.level),
                    deaths=event.deaths,
                    serious_injuries=event.serious_injuries,
                    direct_loss_fen=int((event.direct_loss * 100).to_integral_value()),
                ),
            )

    def _case_step(self, event: Any, cls: type, rows: Rows) -> None:
        case = rows.get("campaign_hazards", (id_text(event.originator_id),))
        if case is None:
            return
        H = HazardCase
        if cls is _GRADED:
            major = int(str(event.grade) == "major")
            if case["major"] == major:
                return  # nothing changes
            case["major"] = major
        elif cls is _ON_SPOT or cls is _CLOSED:
            case["on_spot"] = int(cls is _ON_SPOT) | case["on_spot"]
            case["closed_at"] = ts(event.occurred_at)
            rows.put(
                "campaign_closures",
                CLOSURES.empty_row(case_id=case["case_id"], closed_at=case["closed_at"]),
            )
        elif cls is _ASSIGNED:
            if case["deadline"] == 1:
                return  # nothing changes
            case["deadline"] = 1
        elif cls is H.Reopened:
            closure = rows.get("campaign_closures", (case["case_id"], case["closed_at"]))
            if closure is not None:
                closure["reopened_at"] = ts(event.occurred_at)
                rows.put("campaign_closures", closure)
            case["closed_at"] = None
        elif cls is H.Listed:
            case["listing_level"] = str(event.level)
            if case["listed_day"] is None:
                case["listed_day"] = day_of(event.occurred_at)
            case["delisted_at"] = None
        elif cls is H.Delisted:
            case["delisted_at"] = ts(event.occurred_at)
        rows.put("campaign_hazards", case)


_CASE_EVENTS = frozenset(
    v for v in vars(HazardCase).values() if isinstance(v, type) and issubclass(v, HazardCase.Event)
)
_GRADED, _ON_SPOT = HazardCase.Graded, HazardCase.RectifiedOnSpot
_CLOSED, _ASSIGNED = HazardCase.Closed, HazardCase.Assigned


# ---- periods -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Period:
    """A span of business days, both ends included, with the label people read."""

    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()}—{self.end.isoformat()}"

    def years_before(self, years: int) -> Period:
        """The same span ``years`` earlier (29 February becomes the 28th)."""
        return Period(_shift(self.start, -years), _shift(self.end, -years))


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


def parse_period(text: str) -> Period:
    """``2026-03`` (a month), ``2026-Q1`` (a quarter), ``2026`` (a year) or
    ``2020-04-01..2022-12-31`` (any span of days, both included)."""
    value = text.strip()
    try:
        if ".." in value:
            first, last = value.split("..", 1)
            return _checked(date.fromisoformat(first), date.fromisoformat(last))
        if len(value) == 4 and value.isdigit():
            year = int(value)
            return Period(date(year, 1, 1), date(year, 12, 31))
        if len(value) == 7 and value[4:6].upper() == "-Q" and value[6] in "1234":
            year, quarter = int(value[:4]), int(value[6])
            start = date(year, 3 * quarter - 2, 1)
            return Period(start, _month_end(date(year, 3 * quarter, 1)))
        if len(value) == 7 and value[4] == "-":
            start = date(int(value[:4]), int(value[5:7]), 1)
            return Period(start, _month_end(start))
    except ValueError:
        pass
    raise ValueError(
        f"period: 统计期应为 YYYY-MM、YYYY-Qn、YYYY 或 起始日..截止日（{text!r}）"
        " / a period is YYYY-MM, YYYY-Qn, YYYY or FROM..TO"
    )


def period_between(start: date, end: date) -> Period:
    """``--from``/``--to``: any span of days, both included."""
    return _checked(start, end)


def _checked(start: date, end: date) -> Period:
    if end < start:
        raise ValueError("to: 截止日早于起始日 / the period ends before it starts")
    return Period(start, end)


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


# ---- the questions -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Ask:
    """One question of the campaign's tables: where, which span, which cumulative start,
    which hazard source group, at which business moment — and the viewer's scope."""

    scope: Scope
    region: str
    period: Period
    since: date | None
    source: str | None
    moment: datetime
    baseline_years: int = 0


def source_codes(source: str | None) -> tuple[str, ...]:
    """The ledger's source codes a ``--source`` names: a group or one source."""
    if not source:
        return ()
    if source in SOURCE_GROUPS:
        return tuple(s.value for s in SOURCE_GROUPS[source])
    try:
        return (Source(source).value,)
    except ValueError:
        choices = ", ".join([*SOURCE_GROUPS, *(s.value for s in Source)])
        raise ValueError(
            f"source: 未知的隐患来源“{source}” / unknown source {source!r}; one of {choices}"
        ) from None


def campaign_table(models: ReadModels, table: str, ask: Ask) -> dict[str, Any]:
    """One of ``TABLES`` for ``ask``: rows per sector (and level, for listings), a total
    row, and with ``ask.since`` the cumulative figures from that day to the period's end."""
    officials_only(ask.scope)
    build = _BUILDERS.get(table)
    if build is None:
        raise ValueError(
            f"table: 未知的报表“{table}” / unknown table {table!r}; one of {', '.join(TABLES)}"
        )
    region = checked_region(ask.region)
    source_codes(ask.source)  # refuse an unknown source before reading anything
    where, params = scope_where(ask.scope, region, enterprise_column=None)
    query = _Query(models, where, params, ask)
    rows, total = build(query, ask.period)
    answer: dict[str, Any] = {
        "table": table,
        "region": region or ask.scope.region_prefix,
        "from": ask.period.start.isoformat(),
        "to": ask.period.end.isoformat(),
        "at": ask.moment.isoformat(),
        "source": ask.source,
        "rows": rows,
        "total": total,
    }
    if ask.since is not None:
        if ask.since > ask.period.end:
            raise ValueError("since: 累计起始日晚于统计期 / since is after the period")
        cumulative_rows, cumulative_total = build(query, Period(ask.since, ask.period.end))
        answer["since"] = ask.since.isoformat()
        answer["cumulative"] = {"rows": cumulative_rows, "total": cumulative_total}
    return answer


class _Query:
    """SQL over one fact table inside the scope and region, for one span of days."""

    def __init__(self, models: ReadModels, where: list[str], params: list[Any], ask: Ask):
        self.models = models
        self.where = where
        self.params = params
        self.ask = ask

    def rows(
        self,
        table: str,
        select: str,
        period: Period,
        *,
        select_params: Sequence[Any] = (),
        day_column: str = "day",
        extra: Sequence[str] = (),
        group: str = "sector",
        sources: bool = False,
    ) -> list[tuple[Any, ...]]:
        physical = self.models._table("campaign", table)
        where = [f"{day_column} >= ?", f"{day_column} <= ?", *self.where, *extra]
        # The SELECT's own parameters come first: they stand before the WHERE.
        params: list[Any] = [*select_params, period.start.isoformat(), period.end.isoformat()]
        params += self.params
        codes = source_codes(self.ask.source) if sources else ()
        if codes:
            where.append(f"source IN ({', '.join('?' for _ in codes)})")
            params += codes
        grouping = f" GROUP BY {group} ORDER BY {group}" if group else ""
        head = f"{group}, " if group else ""
        return self.models._q(
            f"SELECT {head}{select} FROM {physical} h WHERE {' AND '.join(where)}{grouping}",
            params,
        )


Built = tuple[list[dict[str, Any]], dict[str, Any]]


def _closed(q: _Query) -> tuple[str, list[Any]]:
    """SQL for "closed at the business moment, not reopened since" (about the hazard row
    ``h``) and its parameters."""
    closures = q.models._table("campaign", "campaign_closures")
    at = ts(q.ask.moment)
    return (
        f"EXISTS (SELECT 1 FROM {closures} k WHERE k.case_id = h.case_id "
        "AND k.closed_at <= ? AND (k.reopened_at IS NULL OR k.reopened_at > ?))",
        [at, at],
    )


def _sources(q: _Query, period: Period) -> Built:
    closed, at = _closed(q)
    groups = [g for g in SOURCE_GROUPS if not q.ask.source or g == GROUP_OF.get(q.ask.source)]
    if q.ask.source in SOURCE_GROUPS:
        groups = [q.ask.source]
    select = ["COUNT(*)", f"SUM(CASE WHEN {closed} THEN 1 ELSE 0 END)"]
    select += ["SUM(major)", f"SUM(CASE WHEN major = 1 AND {closed} THEN 1 ELSE 0 END)"]
    params: list[Any] = [*at, *at]
    for group in groups:
        codes = ", ".join(f"'{s.value}'" for s in SOURCE_GROUPS[group])
        select.append(f"SUM(CASE WHEN source IN ({codes}) THEN 1 ELSE 0 END)")
        select.append(f"SUM(CASE WHEN source IN ({codes}) AND {closed} THEN 1 ELSE 0 END)")
        params += at
    select += ["SUM(on_spot)", "SUM(deadline)", "COUNT(DISTINCT enterprise_code)"]

    def figures(values: Sequence[Any]) -> dict[str, Any]:
        v = [int(x or 0) for x in values]
        out: dict[str, Any] = {
            "hazards_found": v[0],
            "rectified": v[1],
            "rectification_rate": rate(v[1], v[0]),
            "major_found": v[2],
            "major_rectified": v[3],
        }
        for i, group in enumerate(groups):
            out[f"{group}_found"] = v[4 + 2 * i]
            out[f"{group}_rectified"] = v[5 + 2 * i]
        tail = 4 + 2 * len(groups)
        out["rectified_on_spot"] = v[tail]
        out["deadline_rectifications"] = v[tail + 1]
        out["units_with_hazards"] = v[tail + 2]
        return out

    text = ", ".join(select)
    rows = q.rows("campaign_hazards", text, period, select_params=params, sources=True)
    (whole,) = q.rows(
        "campaign_hazards", text, period, select_params=params, sources=True, group=""
    )
    return [{"sector": r[0], **figures(r[1:])} for r in rows], {"sector": "*", **figures(whole)}


def _listings(q: _Query, period: Period) -> Built:
    """Hazards listed for supervision in the span, by sector and level: how many, how
    many are closed, and how many are still listed at the moment."""
    closed, at = _closed(q)
    still = "(delisted_at IS NULL OR delisted_at > ?)"
    select = (
        f"COUNT(*), SUM(CASE WHEN {closed} THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {still} THEN 1 ELSE 0 END)"
    )
    out: list[dict[str, Any]] = []
    found = q.rows(
        "campaign_hazards",
        select,
        period,
        select_params=(*at, ts(q.ask.moment)),
        day_column="listed_day",
        extra=("listing_level IS NOT NULL",),
        group="sector, listing_level",
        sources=True,
    )
    totals = [0, 0, 0]
    for sector, level, listed, done, standing in found:
        figures = [int(x or 0) for x in (listed, done, standing)]
        totals = [a + b for a, b in zip(totals, figures, strict=True)]
        out.append({"sector": sector, "level": level, **_listing_figures(figures)})
    return out, {"sector": "*", "level": None, **_listing_figures(totals)}


def _listing_figures(v: Sequence[int]) -> dict[str, Any]:
    listed, done, standing = v
    return {
        "listed": listed,
        "listed_rectified": done,
        "still_listed": standing,
        "listed_rectification_rate": rate(done, listed),
    }


def _enforcement(q: _Query, period: Period) -> Built:
    """Documents by kind (revoked ones do not count), 户数 per kind, the fines' amount,
    the enterprises 曝光、约谈、联合惩戒 reached together, and every enterprise acted on."""
    select: list[str] = []
    for kind in KIND_COLUMNS:
        select.append(f"SUM(CASE WHEN kind = '{kind.value}' THEN 1 ELSE 0 END)")
        select.append(f"COUNT(DISTINCT CASE WHEN kind = '{kind.value}' THEN enterprise_code END)")
    discipline = ", ".join(f"'{k.value}'" for k in DISCIPLINE_KINDS)
    select += [
        f"COUNT(DISTINCT CASE WHEN kind = '{ActionKind.PENALTY.value}' AND fine_fen > 0 "
        "THEN enterprise_code END)",
        "SUM(fine_fen)",
        f"COUNT(DISTINCT CASE WHEN kind IN ({discipline}) THEN enterprise_code END)",
        "COUNT(*)",
        "COUNT(DISTINCT enterprise_code)",
    ]

    def figures(values: Sequence[Any]) -> dict[str, Any]:
        v = [int(x or 0) for x in values]
        out: dict[str, Any] = {}
        for i, kind in enumerate(KIND_COLUMNS):
            out[kind.value] = v[2 * i]
            out[f"{kind.value}_units"] = v[2 * i + 1]
        tail = 2 * len(KIND_COLUMNS)
        out["fined_units"] = v[tail]
        out["fines_amount"] = str(Decimal(v[tail + 1]) / 100)
        out["disciplined_units"] = v[tail + 2]
        out["documents_issued"] = v[tail + 3]
        out["units_acted_on"] = v[tail + 4]
        return out

    text = ", ".join(select)
    rows = q.rows("campaign_actions", text, period, extra=("revoked = 0",))
    (whole,) = q.rows("campaign_actions", text, period, extra=("revoked = 0",), group="")
    amounts = _quantities(q, period)
    return (
        [{"sector": r[0], **figures(r[1:]), **amounts.get(r[0], {})} for r in rows],
        {"sector": "*", **figures(whole), **amounts.get("*", {})},
    )


def _quantities(q: _Query, period: Period) -> dict[str, dict[str, str]]:
    """What confiscations and seizures took, per sector and in total, as the reports
    write it: the sum per unit, units joined ("158箱", "158箱、2.5吨"); empty when none."""
    kinds = ", ".join(f"'{k.value}'" for k in sorted(QUANTITY_KINDS))
    extra = ("revoked = 0", f"kind IN ({kinds})", "quantity_milli > 0")
    found: dict[str, dict[str, list[str]]] = {}
    by_sector = q.rows(
        "campaign_actions", "SUM(quantity_milli)", period, extra=extra, group="sector, kind, unit"
    )
    in_total = q.rows(
        "campaign_actions", "SUM(quantity_milli)", period, extra=extra, group="kind, unit"
    )
    for sector, kind, unit, milli in [*by_sector, *(("*", *r) for r in in_total)]:
        found.setdefault(sector, {}).setdefault(kind, []).append(f"{_milli(milli)}{unit}")
    out: dict[str, dict[str, str]] = {}
    for sector, per_kind in found.items():
        out[sector] = {k.value + "_quantity": "" for k in QUANTITY_KINDS}
        out[sector].update({f"{kind}_quantity": "、".join(t) for kind, t in per_kind.items()})
    return out


def _milli(value: Any) -> str:
    """Thousandths as the plain number people write (158, 2.5)."""
    amount = Decimal(int(value or 0)) / 1000
    return format(amount.normalize(), "f") if amount % 1 else str(int(amount))


def _effort(q: _Query, period: Period) -> Built:
    """检查单位 (distinct enterprises inspected), 检查次数, 出动人次 (the team members of
    every inspection), devices checked, 帮扶指导 visits and the enterprises they reached."""
    guidance = InspectionType.GUIDANCE.value
    text = (
        "COUNT(DISTINCT enterprise_code), COUNT(*), SUM(team_size), SUM(devices_checked), "
        f"SUM(CASE WHEN inspection_type = '{guidance}' THEN 1 ELSE 0 END), "
        f"COUNT(DISTINCT CASE WHEN inspection_type = '{guidance}' THEN enterprise_code END)"
    )

    def figures(values: Sequence[Any]) -> dict[str, Any]:
        v = [int(x or 0) for x in values]
        keys = (
            "units_inspected",
            "inspections",
            "person_times",
            "devices_checked",
            "guidance_visits",
            "guidance_units",
        )
        return dict(zip(keys, v, strict=True))

    rows = q.rows("campaign_inspections", text, period)
    (whole,) = q.rows("campaign_inspections", text, period, group="")
    return [{"sector": r[0], **figures(r[1:])} for r in rows], {"sector": "*", **figures(whole)}


ACCIDENT_FIGURES = ("count", "deaths", "serious_injuries", "direct_loss")


def _accidents(q: _Query, period: Period) -> Built:
    """Accidents (起数, deaths, serious injuries, direct loss) per sector, the same span a
    year before and the change (同比); with ``baseline_years`` also the average of that
    many earlier years' same span and the change against it."""
    text = "COUNT(*), SUM(deaths), SUM(serious_injuries), SUM(direct_loss_fen)"

    def per_sector(span: Period) -> dict[str, list[int]]:
        found = {
            r[0]: [int(x or 0) for x in r[1:]] for r in q.rows("campaign_accidents", text, span)
        }
        (whole,) = q.rows("campaign_accidents", text, span, group="")
        found["*"] = [int(x or 0) for x in whole]
        return found

    now = per_sector(period)
    before = per_sector(period.years_before(1))
    years = q.ask.baseline_years
    earlier = [per_sector(period.years_before(n)) for n in range(1, years + 1)]
    out: list[dict[str, Any]] = []
    total: dict[str, Any] = {}
    for sector in sorted(set(now) | set(before) | {s for e in earlier for s in e}):
        row = _accident_row(sector, now, before, earlier)
        if sector == "*":
            total = row
        else:
            out.append(row)
    return out, total


def _accident_row(
    sector: str,
    now: dict[str, list[int]],
    before: dict[str, list[int]],
    earlier: list[dict[str, list[int]]],
) -> dict[str, Any]:
    zero = [0, 0, 0, 0]
    current = now.get(sector, zero)
    previous = before.get(sector, zero)
    row: dict[str, Any] = {"sector": sector}
    row.update(_accident_figures(current, ""))
    row.update(_accident_figures(previous, "previous_year_"))
    for i, key in enumerate(ACCIDENT_FIGURES):
        row[f"{key}_change"] = change(Decimal(current[i]), Decimal(previous[i]))
    if earlier:
        sums = [sum(e.get(sector, zero)[i] for e in earlier) for i in range(4)]
        averages = [Decimal(s) / len(earlier) for s in sums]
        for i, key in enumerate(ACCIDENT_FIGURES):
            average = averages[i] / 100 if key == "direct_loss" else averages[i]
            row[f"{key}_baseline"] = float(round(average, 2))
            row[f"{key}_baseline_change"] = change(Decimal(current[i]), averages[i])
    return row


def _accident_figures(v: Sequence[int], prefix: str) -> dict[str, Any]:
    return {
        f"{prefix}count": v[0],
        f"{prefix}deaths": v[1],
        f"{prefix}serious_injuries": v[2],
        f"{prefix}direct_loss": str(Decimal(v[3]) / 100),
    }


_BUILDERS: dict[str, Callable[[_Query, Period], Built]] = {
    "sources": _sources,
    "listings": _listings,
    "enforcement": _enforcement,
    "effort": _effort,
    "accidents": _accidents,
}
