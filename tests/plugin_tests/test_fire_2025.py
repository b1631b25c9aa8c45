"""GB 35181-2025: the catalogue holds the published text, and fire is graded by the edition
in force on the business day (2017 before 2025-11-01, 2025 from then on)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.application import HazardLedger
from ledger.commands import GradeHazard
from ledger.errors import RuleViolated
from plugins import Facts, Sectors
from plugins.builtin.catalogues.fire import FIRE_2017, FIRE_2025, annex_a_met
from plugins.catalogue import Criterion
from tests.conftest import FakeClock
from tests.support import INSPECTOR, RESTAURANT_CODE, register_restaurant

CST = timezone(timedelta(hours=8))
LAST_2017 = datetime(2025, 10, 31, 23, 59, tzinfo=CST)
FIRST_2025 = datetime(2025, 11, 1, 0, 0, tzinfo=CST)
SOURCE = Path(__file__).parent / "data" / "CRITERIA-FIRE-2025.md"
SHARED = Path(__file__).parents[3] / "shared" / "CRITERIA-FIRE-2025.md"
ELEMENTS = tuple(e.code for e in FIRE_2025.elements)


# ---- the text ------------------------------------------------------------------------


def norm(text: str) -> str:
    """The file's conventions: typesetting whitespace and the tilde do not count."""
    return re.sub(r"\s+", "", text).replace("～", "~").removeprefix("注：")


def parsed_clauses() -> dict[str, str]:
    """Every clause of chapters 3-6 and Annex A in the file: {clause: normalised text}."""
    text = SOURCE.read_text(encoding="utf-8")
    found: dict[str, str] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        head, _, body = section.partition("\n")
        if not head.startswith(("Chapter 3", "Chapter 4", "Chapter 5", "Chapter 6", "Annex A")):
            continue
        block = re.search(r"```text\n(.*?)```", body, re.S)
        assert block is not None, head
        lines = block.group(1).splitlines()
        parent = ""
        for i, line in enumerate(lines):
            if re.fullmatch(r"3\.\d+", line):
                name = lines[i + 1].split("\u3000")[0]
                note = (
                    lines[i + 3] if lines[i + 3 : i + 4] and lines[i + 3].startswith("注") else ""
                )
                found[line] = norm(name + lines[i + 2]) + norm(note)
            elif m := re.match(r"^([0-9A]+(?:\.[0-9]+)+)\u3000(.*)$", line):
                parent = m.group(1)
                found[parent] = norm(m.group(2))
            elif (m := re.match(r"^([a-z])）(.*)$", line)) and parent:
                found[f"{parent} {m.group(1)})"] = norm(m.group(2))
            elif parent == "A.4" and line.startswith("符合"):
                found["A.4"] = norm(line)  # the rule's lead-in, under its title 判定规则
    return found


def encoded_clauses() -> list[tuple[str, str]]:
    """(clause, normalised text) of everything the 2025 catalogue holds, groups aside."""
    c = FIRE_2025
    held = [(i.clause, norm(i.text_zh)) for i in c.items()]
    held += [(p.clause, norm(p.text_zh)) for p in c.provisions]
    held += [(e.clause, norm(e.text_zh)) for e in c.exclusions]
    held += [(t.clause, norm(t.name_zh + t.definition_zh + t.note_zh)) for t in c.terms]
    return held


def test_the_vendored_text_is_the_shared_one() -> None:
    if not SHARED.exists():
        pytest.skip("the shared criteria folder is not beside this checkout")
    assert SOURCE.read_bytes() == SHARED.read_bytes()


def test_every_clause_is_encoded_exactly_once_with_its_text() -> None:
    clauses = parsed_clauses()
    headings = {k: v for k, v in clauses.items() if re.fullmatch(r"(5\.\d|6\.\d|A\.[123])", k)}
    leaves = {k: v for k, v in clauses.items() if k not in headings}
    held = encoded_clauses()
    assert sorted(k for k, _ in held) == sorted(leaves)  # once each, nothing more
    assert dict(held) == leaves
    groups = {
        norm(i.group) for i in (*FIRE_2025.criteria, *FIRE_2025.elements, *FIRE_2025.findings)
    }
    assert groups == set(headings.values())
    assert len(FIRE_2025.criteria) == 30 and len(ELEMENTS) == 35 and len(FIRE_2025.findings) == 11


def test_codes_follow_clauses_and_never_reuse_a_2017_code() -> None:
    for item in FIRE_2025.items():
        assert item.code == "FIRE-" + item.clause.replace(" ", "-").rstrip(")"), item.code
    assert not {i.code for i in FIRE_2025.items()} & {i.code for i in FIRE_2017.items()}
    assert FIRE_2025.lineage == FIRE_2017.lineage == "GB 35181"


# ---- judging, without a store --------------------------------------------------------


@pytest.fixture(scope="module")
def sectors() -> Sectors:
    return Sectors.load(load_entry_points=False)


@dataclass
class Subject:
    """A reported hazard as the validator sees it: its declared details."""

    details: dict[str, Any] = field(default_factory=dict)


def judge(
    sectors: Sectors,
    on: datetime,
    *codes: str,
    grade: str = "major",
    details: dict[str, Any] | None = None,
) -> list[str]:
    command = GradeHazard(occurred_at=on, case_id=uuid4(), grade=grade, criteria=codes)
    violations = sectors.validate(command, sector="fire", subject=Subject(details or {}))  # type: ignore[arg-type]
    for v in violations:
        assert v.message_zh and v.message_en and v.message_zh != v.message_en
    return [v.rule for v in violations]


def test_the_edition_changes_at_midnight_china_time(sectors: Sectors) -> None:
    assert judge(sectors, LAST_2017, "FIRE-D05") == []
    assert judge(sectors, FIRST_2025, "FIRE-D05") == ["CRITERION_UNKNOWN"]
    assert judge(sectors, LAST_2017, "FIRE-5.2-c") == ["CRITERION_UNKNOWN"]
    assert judge(sectors, FIRST_2025, "FIRE-5.2-c") == []
    assert sectors.edition_for("fire", ["FIRE-D05"], LAST_2017) == "GB 35181-2017"
    assert sectors.edition_for("fire", ["FIRE-5.2-c"], FIRST_2025) == "GB 35181-2025"
    # 2025-10-31 16:00 UTC is already 1 November in China
    assert judge(sectors, FIRST_2025.astimezone(UTC), "FIRE-5.2-c") == []


def test_a_2017_item_cited_in_2026_is_refused_naming_its_edition(sectors: Sectors) -> None:
    command = GradeHazard(
        occurred_at=datetime(2026, 2, 20, tzinfo=CST),
        case_id=uuid4(),
        grade="major",
        criteria=("FIRE-D05",),
    )
    (violation,) = sectors.validate(command, sector="fire", subject=Subject())  # type: ignore[arg-type]
    assert "GB 35181-2017" in violation.message_zh and "2025-10-31" in violation.message_zh
    assert "GB 35181-2017" in violation.message_en


@settings(max_examples=60, deadline=None)
@given(cited=st.lists(st.sampled_from(ELEMENTS), max_size=12))
def test_the_composite_rule_needs_six_distinct_elements(sectors: Sectors, cited: list[str]) -> None:
    rules = judge(sectors, FIRST_2025, "FIRE-4.1-c", *cited)
    assert (rules == []) == (len(set(cited)) >= 6)
    if len(set(cited)) < 6:
        assert rules == ["COMPOSITE_NOT_MET"]


def test_elements_alone_are_not_a_major_hazard(sectors: Sectors) -> None:
    assert judge(sectors, FIRST_2025, *ELEMENTS[:8]) == ["COMPOSITE_RULE_REQUIRED"]
    assert judge(sectors, FIRST_2025, *ELEMENTS[:2], grade="general") == []


@settings(max_examples=40, deadline=None)
@given(revision=st.booleans(), law=st.booleans(), stopped=st.booleans(), on_spot=st.booleans())
def test_the_4_2_exclusions_refuse_a_major_grade(
    sectors: Sectors, revision: bool, law: bool, stopped: bool, on_spot: bool
) -> None:
    details = {
        "standard_revision_only": revision,
        "required_by_law": law,
        "stopped_no_fire_risk": stopped,
        "rectified_on_the_spot": on_spot,
    }
    excluded = (revision and not law) or stopped or on_spot
    rules = judge(sectors, FIRST_2025, "FIRE-5.1-a", details=details)
    assert rules == (["EXCLUDED_FROM_MAJOR"] if excluded else [])
    assert judge(sectors, FIRST_2025, "FIRE-6.3.2", grade="general", details=details) == []


def test_an_exclusion_refusal_quotes_the_clause(sectors: Sectors) -> None:
    command = GradeHazard(
        occurred_at=FIRST_2025, case_id=uuid4(), grade="major", criteria=("FIRE-5.1-a",)
    )
    subject = Subject({"stopped_no_fire_risk": True})
    (v,) = sectors.validate(command, sector="fire", subject=subject)  # type: ignore[arg-type]
    assert "4.2 b)" in v.message_zh
    assert "建筑、场所已停产停业或停止使用且经现场检查确认无现实火灾风险" in v.message_zh


def test_direct_elements_fit_the_declared_premises(sectors: Sectors) -> None:
    hotel = {"premises_kind": "宾馆"}
    assert judge(sectors, FIRST_2025, "FIRE-5.2-c", details=hotel) == []
    assert judge(sectors, FIRST_2025, "FIRE-5.1-d", details=hotel) == []  # 5.1: any premises
    assert judge(sectors, FIRST_2025, "FIRE-5.4-a", details=hotel) == [
        "CRITERION_PREMISES_MISMATCH"
    ]
    factory = {"premises_kind": "劳动密集型企业厂房、仓库"}
    assert judge(sectors, FIRST_2025, "FIRE-5.4-a", details=factory) == []
    assert judge(sectors, FIRST_2025, "FIRE-5.3-b", details=factory) == [
        "CRITERION_PREMISES_MISMATCH"
    ]


@given(
    findings=st.lists(st.sampled_from([f.code for f in FIRE_2025.findings]), max_size=6),
    required=st.integers(1, 3),
)
def test_annex_a_rule(findings: list[str], required: int) -> None:
    systems = {f[5:8] for f in findings}
    expected = len(systems) >= required and len(set(findings)) >= required
    assert annex_a_met(findings, required) == expected


def test_annex_a_findings_go_with_their_element(sectors: Sectors) -> None:
    two = {"required_fire_systems": 2}
    assert judge(sectors, FIRST_2025, "FIRE-5.1-a", "FIRE-A.3.1") == ["ANNEX_A_NEEDS_CRITERION"]
    assert judge(sectors, FIRST_2025, "FIRE-5.2-d", "FIRE-A.3.1", details=two) == [
        "ANNEX_A_NOT_MET"
    ]
    assert judge(sectors, FIRST_2025, "FIRE-5.2-d", "FIRE-A.3.1", "FIRE-A.3.2", details=two) == [
        "ANNEX_A_NOT_MET"
    ]
    assert judge(sectors, FIRST_2025, "FIRE-5.2-d", "FIRE-A.3.1", "FIRE-A.1.1", details=two) == []


def test_suggestions_use_the_edition_in_force(sectors: Sectors) -> None:
    facts = Facts("fire", "一楼", "安全出口被货物堵塞")
    before = [s.code for s in sectors.suggest(facts, on=LAST_2017)]
    after = [s.code for s in sectors.suggest(facts, on=FIRST_2025)]
    assert before == ["FIRE-D05"]
    assert set(after) == {"FIRE-5.2-c", "FIRE-5.3-b"}
    hotel = Facts("fire", "一楼", "安全出口被货物堵塞", {"premises_kind": "宾馆"})
    assert [s.code for s in sectors.suggest(hotel, on=FIRST_2025)] == ["FIRE-5.2-c"]


# ---- on both stores ------------------------------------------------------------------


@pytest.fixture
def app(store_url: str, clock: FakeClock, sectors: Sectors) -> Iterator[HazardLedger]:
    ledger = HazardLedger(store_url, clock=clock, sectors=sectors)
    register_restaurant(ledger, clock.advance(minutes=1))
    yield ledger
    ledger.close()


def report(app: HazardLedger, on: datetime, details: dict[str, Any]) -> UUID:
    return app.report_hazard(
        INSPECTOR,
        on,
        enterprise_code=RESTAURANT_CODE,
        sector="fire",
        location="一楼",
        description="安全出口被货物堵塞",
        source="routine_inspection",
        details=details,
    )


def test_a_grade_records_the_edition_of_its_business_day(
    app: HazardLedger, clock: FakeClock
) -> None:
    october = datetime(2025, 10, 20, 10, tzinfo=CST)
    clock.now = october + timedelta(hours=1)
    old = report(app, october, {})
    app.grade_hazard(INSPECTOR, october, old, grade="major", criteria=["FIRE-D05"])
    assert app.case(old).catalogue_edition == "GB 35181-2017"
    on = datetime(2026, 3, 1, 10, tzinfo=CST)
    clock.now = on + timedelta(hours=1)
    new = report(app, on, {"premises_kind": "商店、集贸市场"})
    app.grade_hazard(INSPECTOR, on, new, grade="major", criteria=["FIRE-5.2-c"])
    assert app.case(new).catalogue_edition == "GB 35181-2025"


def test_refusals_record_nothing(app: HazardLedger, clock: FakeClock) -> None:
    on = clock.advance(minutes=1)
    case = report(app, on, {"stopped_no_fire_risk": True})
    head = app.recorder.max_notification_id()
    for codes in (["FIRE-D05"], ["FIRE-5.1-a"], ["FIRE-4.1-c", *ELEMENTS[:5]]):
        with pytest.raises(RuleViolated):
            app.grade_hazard(INSPECTOR, on, case, grade="major", criteria=codes)
    assert app.recorder.max_notification_id() == head
    app.grade_hazard(INSPECTOR, on, case, grade="general", criteria=["FIRE-6.3.2"])
    assert app.case(case).criteria == ("FIRE-6.3.2",)


def test_the_catalogue_model_holds_premises_only_on_criteria() -> None:
    assert all(isinstance(c, Criterion) for c in FIRE_2025.criteria)
    assert {c.clause[:3] for c in FIRE_2025.criteria if c.premises} == {"5.2", "5.3", "5.4", "5.5"}
