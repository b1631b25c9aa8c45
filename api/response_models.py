"""What the read routes send: one model per JSON answer, so the OpenAPI document says
what a client receives.

Routes that serialise with orjson for speed keep doing so and name their model in
``responses={200: {"model": ...}}``; ``tests/api_tests/test_response_models.py``
validates real answers against these models on both stores, so a field added to a read
without its model here fails there. ``extra="forbid"``: a model lists every field sent.
Moments are ISO 8601 strings with a zone; days are ``YYYY-MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .schemas import CaseView, TimelineEvent


class Sent(BaseModel):
    """A response body: every field it carries is declared."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# -- the register and its statistics ---------------------------------------------------


class RegisterRow(Sent):
    """One case of the hazard register (问题隐患清单), a row of the read model."""

    case_id: str
    enterprise_code: str
    enterprise_name: str
    region_code: str
    sector: str
    location: str
    description: str
    details: dict[str, Any]
    source: str
    found_by: str
    found_at: datetime
    found_month: str
    recorded_at: datetime
    status: str
    grade: str | None
    criteria: str | None = Field(description="Cited criteria, comma-separated")
    catalogue_edition: str | None
    has_plan: int | None
    deadline: datetime | None
    assigned_enterprise: str | None
    assigned_department: str | None
    assigned_at: datetime | None
    extensions: int | None
    listing_level: str | None
    listing_authority: str | None
    listed_at: datetime | None
    delisted_at: datetime | None
    escalations: int | None
    rectification_reported_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    closure_kind: str | None
    closed_on_time: int | None
    reopen_count: int | None
    last_event_at: datetime
    version: int
    overdue: bool
    overdue_days: int


class RegisterPage(Sent):
    """A page of the register, newest first; ``next_cursor`` fetches the next one."""

    items: list[RegisterRow]
    next_cursor: str | None
    at: datetime


class RegisterCount(Sent):
    """How many cases of the register match the filters."""

    total: int


class MonthlyFigures(Sent):
    """One sector's line (or the total) of the monthly report."""

    sector: str
    units_inspected: int
    inspections: int
    devices_checked: int
    hazards_found: int
    rectified_on_spot: int
    deadline_rectifications: int
    rectified: int
    rectification_rate: float | None
    major_found: int
    major_rectified: int
    major_open: int
    overdue: int
    fines_count: int
    fines_amount: str
    stop_work_notices: int
    directives: int
    documents_issued: int


class AccidentFigures(Sent):
    """Accidents of a period: counts, casualties, loss (元), by level."""

    count: int
    deaths: int
    serious_injuries: int
    direct_loss: str
    by_level: dict[str, int]


class AccidentChange(Sent):
    """Change against the same period a year before (null without a base)."""

    count: float | None
    deaths: float | None
    serious_injuries: float | None
    direct_loss: float | None


class MonthlyAccidents(AccidentFigures):
    """The month's accidents with last year's same month."""

    previous_year: AccidentFigures
    change: AccidentChange


class MonthlyReport(Sent):
    """The monthly summary per sector and in total (``totals`` repeats ``total``)."""

    region: str
    region_name: str
    month: str
    at: datetime
    sectors: list[MonthlyFigures]
    total: MonthlyFigures
    totals: MonthlyFigures
    accidents: MonthlyAccidents


class TrendMonth(Sent):
    month: str
    hazards_found: int
    rectified: int


class Trend(Sent):
    """Hazards found and rectified per month of a year."""

    year: int
    at: datetime
    months: list[TrendMonth]


class RankingComponents(Sent):
    """The parts of the dynamic evaluation index (动态评价指数)."""

    rectification: float
    not_overdue: float
    timeliness: float
    zero_clearance: float
    enforcement: float


class RankingRow(Sent):
    unit: str
    unit_name: str | None = Field(None, description="The division's name (by region/township)")
    rank: int
    index: float
    hazards_found: int
    rectified: int
    deadline_rectifications: int
    overdue: int
    closed_on_time: int
    major_open: int
    actions: int
    components: RankingComponents


class Rankings(Sent):
    """Units ranked by the dynamic evaluation index."""

    rows: list[RankingRow]


class MeasureRow(Sent):
    """One institutional measure (制度措施)."""

    measure_id: str
    title: str
    category: str
    owner_department: str
    region_code: str
    due: str | None
    timetable: str
    added_at: datetime
    status: str
    progress_reports: int
    last_progress: str | None
    last_progress_at: datetime | None
    completed_at: datetime | None
    overdue: bool


class Measures(Sent):
    items: list[MeasureRow]


# -- the campaign's tables -------------------------------------------------------------

Row = TypeVar("Row", bound=Sent)


class CampaignSpan(Sent, Generic[Row]):
    rows: list[Row]
    total: Row


class CampaignTable(CampaignSpan[Row], Generic[Row]):
    """A campaign table for a region and period; with ``since``, the cumulative one."""

    table: str
    region: str
    from_: date = Field(alias="from")
    to: date
    at: datetime
    source: str | None
    since: date | None = None
    cumulative: CampaignSpan[Row] | None = None


class SourcesRow(Sent):
    sector: str
    hazards_found: int
    rectified: int
    rectification_rate: float | None
    major_found: int
    major_rectified: int
    self_found: int
    self_rectified: int
    department_found: int
    department_rectified: int
    public_report_found: int
    public_report_rectified: int
    expert_found: int
    expert_rectified: int
    rectified_on_spot: int
    deadline_rectifications: int
    units_with_hazards: int


class ListingsRow(Sent):
    sector: str
    level: str | None
    listed: int
    listed_rectified: int
    still_listed: int
    listed_rectification_rate: float | None


class EnforcementRow(Sent):
    """Documents per kind and the units they named (``<kind>_units``)."""

    model_config = ConfigDict(extra="allow")  # one count pair per action kind

    sector: str
    fined_units: int
    fines_amount: str
    disciplined_units: int
    documents_issued: int
    units_acted_on: int


class EffortRow(Sent):
    sector: str
    units_inspected: int
    inspections: int
    person_times: int
    devices_checked: int
    guidance_visits: int
    guidance_units: int


class AccidentsRow(Sent):
    sector: str
    count: int
    deaths: int
    serious_injuries: int
    direct_loss: str
    previous_year_count: int
    previous_year_deaths: int
    previous_year_serious_injuries: int
    previous_year_direct_loss: str
    count_change: float | None
    deaths_change: float | None
    serious_injuries_change: float | None
    direct_loss_change: float | None


class SourcesTable(CampaignTable[SourcesRow]):
    """Hazards found and rectified by who found them."""


class ListingsTable(CampaignTable[ListingsRow]):
    """Listed (挂牌督办) hazards by level."""


class EnforcementTable(CampaignTable[EnforcementRow]):
    """Enforcement documents by kind."""


class EffortTable(CampaignTable[EffortRow]):
    """Inspections, person-times and guidance visits."""


class AccidentsTable(CampaignTable[AccidentsRow]):
    """Accidents against the year before."""


CAMPAIGN_TABLES: dict[str, type[Sent]] = {
    "sources": SourcesTable,
    "listings": ListingsTable,
    "enforcement": EnforcementTable,
    "effort": EffortTable,
    "accidents": AccidentsTable,
}


# -- records: enterprises, inspections, enforcement, risk points, public reports ---------


class PersonView(Sent):
    id: str
    name: str
    phone: str


class PrincipalTerm(Sent):
    """A principal person in charge from ``start`` until ``end`` (null: still)."""

    person: PersonView
    start: datetime
    end: datetime | None


class EnterpriseView(Sent):
    """An enterprise with its principals over time; ``version`` is its ETag."""

    credit_code: str
    name: str
    region_code: str
    sectors: list[str]
    address: str
    principals: list[PrincipalTerm]
    version: int


class InspectionView(Sent):
    """An inspection with the hazards it found."""

    id: str
    enterprise_code: str
    region_code: str
    sector: str
    inspection_type: str
    team: list[str]
    location: str
    devices_checked: int
    inspected_at: datetime
    hazard_ids: list[str]
    version: int


class InspectionRow(Sent):
    """An inspection of the day's list, with how many hazards it found so far."""

    inspection_id: str
    enterprise_code: str
    enterprise_name: str
    region_code: str
    sector: str
    day: date
    inspected_at: datetime
    inspection_type: str
    location: str
    team: list[str]
    recorded_by: str
    devices_checked: int
    hazards_found: int


class ActionView(Sent):
    """An enforcement action's state; ``version`` is its ETag."""

    id: str
    version: int
    kind: str
    document_number: str
    enterprise_code: str
    region_code: str
    sector: str
    department: str
    case_ids: list[str]
    legal_basis: str
    fine_amount: str | None
    description: str
    issued_at: datetime
    status: str
    executed_at: datetime | None
    amount_paid: str | None
    ended_at: datetime | None


class LinkedAction(Sent):
    """An enforcement action that names a case."""

    action_id: str
    kind: str
    document_number: str
    department: str
    issued_at: datetime
    status: str
    amount_paid_fen: int | None
    ended_at: datetime | None
    fine_amount: str | None
    device_code: str
    site_part: str


class ControlView(Sent):
    """A control (管控措施) on a risk point."""

    id: str
    description: str
    retired: bool


class OpenHazard(Sent):
    """An open case citing a risk point's control."""

    case_id: str
    control_id: str | None
    status: str
    grade: str | None
    description: str
    found_at: datetime


class RiskPointRow(Sent):
    """A risk point of the list, with its open hazards."""

    risk_point_id: str
    enterprise_code: str
    region_code: str
    sector: str
    name: str
    location: str
    level: str
    level_zh: str
    level_en: str
    level_rank: int
    colour: str
    colour_zh: str
    colour_en: str
    hazard_source_level: int | None
    hazard_source_level_zh: str | None
    hazard_source_level_en: str | None
    controls: list[ControlView]
    active_controls: int
    registered_at: datetime
    assessed_at: datetime
    open_hazards: list[OpenHazard]


class HazardSourceView(Sent):
    """A major hazard source (重大危险源) and its three 包保责任人."""

    level: int
    principal: PersonView
    technical: PersonView
    operational: PersonView


class Citation(Sent):
    case_id: str
    control_id: str | None


class RiskPointView(Sent):
    """One risk point with every hazard that cited it; ``version`` is its ETag."""

    id: str
    version: int
    enterprise_code: str
    region_code: str
    sector: str
    name: str
    location: str
    level: str
    level_zh: str
    level_en: str
    colour: str
    colour_zh: str
    colour_en: str
    controls: list[ControlView]
    hazard_source: HazardSourceView | None
    registered_at: datetime
    assessed_at: datetime
    cited: list[Citation]


class PublicReportRow(Sent):
    """A public report (群众举报) of the list, without its reporter."""

    report_id: str
    enterprise_code: str
    region_code: str
    sector: str
    channel: str
    content: str
    receiving_organisation: str
    received_at: datetime
    status: str
    status_zh: str
    status_en: str
    verified_at: datetime | None
    concluded_at: datetime | None
    reasons: str | None
    case_id: str | None
    reward_amount: str | None
    rewarded_at: datetime | None
    anonymous: bool
    identity_erased: bool


class PublicReportView(Sent):
    """One public report, without its reporter; ``version`` is its ETag."""

    id: str
    version: int
    enterprise_code: str
    region_code: str
    sector: str
    channel: str
    content: str
    receiving_organisation: str
    received_at: datetime
    status: str
    status_zh: str
    status_en: str
    findings: str | None
    reasons: str | None
    case_id: str | None
    concluded_at: datetime | None
    reward_amount: str | None
    anonymous: bool
    identity_erased: bool
    identity_reads: int


# -- audit findings and grading advice --------------------------------------------------


class EventRef(Sent):
    """An event a finding rests on."""

    aggregate_id: str
    version: int
    event: str
    occurred_at: datetime
    recorded_at: datetime


class Finding(Sent):
    """What an audit rule found, in both languages, with its evidence."""

    rule: str
    severity: str
    message_zh: str
    message_en: str
    subject_id: str | None
    events: list[EventRef]


class Suggestion(Sent):
    code: str
    text_zh: str
    gist_en: str
    reason_zh: str
    reason_en: str


class Suggestions(Sent):
    """Criteria the hazard's facts appear to match: advice to the grader only."""

    case_id: str
    sector: str
    suggestions: list[Suggestion]


# -- integrity: proofs and checkpoints ---------------------------------------------------


class EventProof(Sent):
    """An event's proof status against the latest signed checkpoint."""

    version: int
    verified: bool
    seq: int
    status: str
    against: str
    label_zh: str
    label_en: str


class Proofs(Sent):
    events: list[EventProof]


class CheckpointView(Sent):
    """A signed checkpoint (tree head) and its signed note."""

    origin: str
    tree_size: int
    root: str
    key_name: str
    key_id: str
    signature: str
    issued_at: str
    note: str


class WitnessPolicy(Sent):
    quorum: int
    witnesses: list[str]
    met: bool


class LatestCheckpoint(CheckpointView):
    """The latest checkpoint with its witnesses' cosignatures."""

    cosigned_by: list[str]
    witness_policy: WitnessPolicy


class LeafHeaderView(Sent):
    seq: int
    aggregate_id: str
    version: int
    event_type: str
    recorded_at: str
    actor_id: str


class ShortLinkAnswer(Sent):
    """A printed paper's event: leaf, stored payload (null once redacted), inclusion
    proof and the checkpoint note it is proven under."""

    leaf_hash: str
    header: LeafHeaderView
    payload_hash: str
    payload: str | None
    tree_size: int
    path: list[str]
    checkpoint: str


# -- the accountability review -----------------------------------------------------------


class InclusionProof(Sent):
    seq: int
    tree_size: int
    leaf_hash: str
    path: list[str]
    root: str
    header: LeafHeaderView
    payload_hash: str


class ProofResult(Sent):
    """An event's inclusion proof and whether it verified (``unavailable``/``missing``
    carry no proof)."""

    status: str
    proof: InclusionProof | None = None


class ReviewEvent(TimelineEvent):
    """A timeline row in the review: which record, and against the incident moment."""

    model_config = ConfigDict(extra="forbid")

    aggregate_id: str
    after_incident: bool
    recorded_after_incident: bool
    proof: ProofResult


class ReviewEventRef(EventRef):
    proof: ProofResult


class ReviewFinding(Finding):
    events: list[ReviewEventRef]  # type: ignore[assignment]


class ReviewEnterprise(Sent):
    credit_code: str
    name: str
    region_code: str
    sectors: list[str]
    address: str
    events: list[ReviewEvent]


class CaseAtIncident(CaseView):
    """A case's state at the incident moment, with its status named in Chinese and
    English."""

    model_config = ConfigDict(extra="forbid")

    status_zh: str
    status_en: str


class Step(BaseModel):
    """Who did a step of a case and when; the step's own fields follow (a grading's
    grade, an extension's new deadline …)."""

    model_config = ConfigDict(extra="allow")

    at: datetime
    recorded_at: datetime
    by: str
    by_id: str
    version: int


class ReviewHazard(Sent):
    id: str
    description: str
    location: str
    sector: str
    source: str
    found_at: datetime
    found_by: str
    reported_by: str
    recorded_at: datetime
    known_before_incident: bool
    grade: str | None
    criteria: list[str]
    state_at_incident: CaseAtIncident
    state_known_at_incident: CaseAtIncident | None
    differences: list[str]
    gradings: list[Step]
    assignments: list[Step]
    extensions: list[Step]
    listings: list[Step]
    escalations: list[Step]
    rectifications: list[Step]
    verifications: list[Step]
    closures: list[Step]
    events: list[ReviewEvent]


class ReviewAction(Sent):
    id: str
    kind: str
    kind_zh: str
    kind_en: str
    document_number: str
    department: str
    legal_basis: str
    fine_amount: str | None
    issued_at: datetime
    issued_by: str
    status_at_incident: str
    suspending: bool
    in_force_at_incident: bool
    held: bool | None
    breach_cases: list[str | None]
    case_ids: list[str]
    events: list[ReviewEvent]


class ReviewInspection(Sent):
    id: str
    type: str
    inspected_at: datetime
    recorded_at: datetime
    recorded_by: str
    team: list[str]
    summary: str
    hazards: list[str]
    events: list[ReviewEvent]


class ChainLink(Sent):
    """A link of the responsibility chain and who held it then (and as known then)."""

    link: str
    link_zh: str
    link_en: str
    organisation: str
    title: str
    region_code: str | None = Field(None, description="A supervising post's division")
    sector: str | None = Field(None, description="A supervising post's sector")
    holder: PersonView | None
    holder_as_known_at_incident: PersonView | None
    differs: bool
    events: list[ReviewEvent]


class RuleUsed(Sent):
    code: str
    title_zh: str
    title_en: str
    parameters: dict[str, Any]


class ReviewCheckpoint(Sent):
    origin: str
    tree_size: int
    root: str
    key_name: str
    signed_note: str


class Consistency(Sent):
    verified: bool
    proof: dict[str, Any]


class ReviewIntegrity(Sent):
    """Tree head, latest checkpoint and the consistency proof between them."""

    available: bool
    reason_zh: str | None = None
    reason_en: str | None = None
    tree_size: int | None = None
    root: str | None = None
    checkpoint: ReviewCheckpoint | None = None
    consistency: Consistency | None = None


class AccidentSummary(Sent):
    id: str
    happened_at: datetime
    enterprise_code: str
    region_code: str
    sector: str
    place: str
    description: str
    deaths: int
    serious_injuries: int
    direct_loss: str
    level: str
    level_zh: str
    level_en: str


class Review(Sent):
    """The accountability review (``format=json``): what was known, done and due about
    an enterprise at the incident moment, every row with its inclusion proof."""

    report: str
    version: int
    generated_at: datetime
    incident_at: datetime
    enterprise: ReviewEnterprise
    hazards: list[ReviewHazard]
    hazards_found_after_incident: int
    enforcement: list[ReviewAction]
    inspections: list[ReviewInspection]
    responsibility_chain: list[ChainLink]
    late_entries: list[ReviewEvent]
    findings: list[ReviewFinding]
    rules: list[RuleUsed]
    integrity: ReviewIntegrity
    accident: AccidentSummary | None = None


# -- system: who am I, plugins, snapshots, labels ---------------------------------------


class Me(Sent):
    """The authenticated user and what the permission table lets the role do."""

    username: str
    name: str
    role: str
    organisation: str
    region_prefix: str
    sectors: list[str]
    enterprise_code: str | None
    may: list[str]


class PluginInfo(Sent):
    name: str
    version: str
    origin: str
    hooks: list[str]
    sectors: list[str]


class Listing(Sent):
    required: bool
    grace_days: int
    basis_zh: str
    basis_en: str


class GeneralCategory(Sent):
    code: str
    name_zh: str
    name_en: str


class DetailField(Sent):
    """A sector's detail field (e.g. 燃气 premises) and its choices' names."""

    name: str
    label_zh: str
    label_en: str
    kind: str
    required: bool
    choices: list[str]
    choice_labels: dict[str, dict[str, str]]


class CatalogueInfo(Sent):
    standard: str
    document: str
    edition: str
    effective_from: date
    effective_to: date | None
    count: int
    composite_rules: int
    elements: int
    unverified: int


class SectorInfo(Sent):
    code: str
    name_zh: str
    name_en: str
    department: str
    department_en: str
    plugin: str
    plugin_version: str
    general_deadline_days: int
    major_deadline_days: int
    has_devices: bool
    major_grade_zh: str
    major_grade_en: str
    listing: Listing
    general_categories: list[GeneralCategory]
    details: list[DetailField]
    catalogues: list[CatalogueInfo]


class Plugins(Sent):
    """Loaded sector plugins and their sectors."""

    plugins: list[PluginInfo]
    sectors: list[SectorInfo]


class SnapshotStatus(Sent):
    """The read-model snapshot this process last started building."""

    state: str
    known_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None


class Labels(Sent):
    """Every code's name in one language, by kind of code."""

    lang: str
    labels: dict[str, dict[str, str]]


class UserRow(Sent):
    username: str
    name: str
    role: str
    organisation: str
    region_prefix: str
    sectors: list[str]
    enterprise_code: str | None
    expires_at: datetime | None
    revoked_at: datetime | None


class Users(Sent):
    items: list[UserRow]


def sends(model: Any) -> dict[int | str, dict[str, Any]]:
    """``responses`` entry naming the model of a route's 200 answer."""
    return {200: {"model": model, "description": "Successful Response"}}
