"""Division codes below the county: 6, 9 and 12 digits, judged by the installed lists.

The expectations come from the shipped CSV extracts of the NBS 2023 list (read here, not
through ``ledger.division_lists``), so the generated module and the judge check each other.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.codes import (
    PROVINCE_PREFIXES,
    jurisdictions,
    region_code_violations,
    region_name,
    validate_region_code,
)
from ledger.errors import RuleViolated
from ledger.scope import Scope

SHARED = Path(__file__).resolve().parents[3] / "shared" / "regions"


def _listed(name: str) -> dict[str, str]:
    path = SHARED / name
    if not path.exists():  # the extracts live beside the repository; the module ships them
        from ledger import division_lists

        return dict(division_lists.TOWNSHIPS if "townships" in name else division_lists.VILLAGES)
    with path.open(encoding="utf-8") as f:
        return {row["code"]: row["name"] for row in csv.DictReader(f)}


TOWNSHIPS = _listed("regions-620826-townships-nbs2023.csv")
VILLAGES = _listed("regions-620826-villages-nbs2023.csv")

digits = st.text(alphabet="0123456789", min_size=3, max_size=3)
other_county = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCE_PREFIXES - {"62"})),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)


def test_the_lists_are_the_countys() -> None:
    assert len(TOWNSHIPS) == 25 and len(VILLAGES) == 347
    assert TOWNSHIPS["620826100"] == "城关镇" and TOWNSHIPS["620826107"] == "甘沟镇"


@pytest.mark.parametrize("code", sorted(TOWNSHIPS) + sorted(VILLAGES)[::7])
def test_every_listed_township_and_village_is_accepted(code: str) -> None:
    assert region_code_violations(code) == []
    assert region_name(code) == (TOWNSHIPS.get(code) or VILLAGES[code])


@settings(max_examples=300)
@given(digits)
def test_an_unlisted_township_of_the_county_is_refused_by_name(part: str) -> None:
    code = "620826" + part
    violations = region_code_violations(code, "enterprise.region_code")
    if code in TOWNSHIPS:
        assert violations == []
        return
    (violation,) = violations
    assert violation.field == "enterprise.region_code"
    if part == "000":
        assert violation.rule == "REGION_CODE_LEVEL"
    else:
        assert violation.rule == "REGION_TOWNSHIP_UNKNOWN"
        assert code in violation.message_zh and "乡镇" in violation.message_zh
        assert code in violation.message_en and "township" in violation.message_en
    with pytest.raises(RuleViolated):
        validate_region_code(code)


@settings(max_examples=300)
@given(st.sampled_from(sorted(TOWNSHIPS)), digits)
def test_a_village_code_must_be_in_its_townships_list(township: str, part: str) -> None:
    code = township + part
    rules = [v.rule for v in region_code_violations(code)]
    if code in VILLAGES:
        assert rules == []
    else:
        assert rules == (["REGION_CODE_LEVEL"] if part == "000" else ["REGION_VILLAGE_UNKNOWN"])


@settings(max_examples=200)
@given(other_county, digits, digits)
def test_other_counties_are_judged_by_shape(county: str, town: str, village: str) -> None:
    """No division list is installed for them: any well-shaped code is accepted."""
    for code in (county, county + town, county + town + village):
        rules = [v.rule for v in region_code_violations(code)]
        if code != county and code.endswith("000"):
            assert rules == ["REGION_CODE_LEVEL"]
        else:
            assert rules == []


@given(st.text(alphabet="0123456789a ", max_size=14).filter(lambda s: len(s) not in (6, 9, 12)))
def test_other_lengths_are_refused(code: str) -> None:
    (violation,) = region_code_violations(code)
    assert violation.rule == "REGION_CODE_FORMAT"
    assert "9" in violation.message_zh and "12" in violation.message_en


def test_the_mca_numbering_is_not_the_lists() -> None:
    """民政部 numbers 甘沟镇 620826105, which is 古城镇 in the statistical list; 620826224
    (MCA's 三合乡) is no township of the statistical list at all."""
    assert region_name("620826105") == "古城镇"
    assert [v.rule for v in region_code_violations("620826224")] == ["REGION_TOWNSHIP_UNKNOWN"]


def test_jurisdictions_run_from_the_village_up() -> None:
    assert jurisdictions("620826100201") == [
        "620826100201",
        "620826100",
        "620826",
        "620800",
        "620000",
    ]
    assert jurisdictions("620826100") == ["620826100", "620826", "620800", "620000"]
    assert jurisdictions("620826") == ["620826", "620800", "620000"]


@given(st.sampled_from(sorted(VILLAGES)))
def test_every_jurisdiction_of_a_place_is_a_scope_that_sees_it(village: str) -> None:
    for code in jurisdictions(village)[:3]:
        scope = Scope(region_prefix=code)
        assert scope.sees(region_code=village, sector="fire", enterprise_code="")
    other = next(t for t in TOWNSHIPS if not village.startswith(t))
    assert not Scope(region_prefix=other).sees(
        region_code=village, sector="fire", enterprise_code=""
    )
