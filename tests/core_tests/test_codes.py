"""GB 32100 unified social credit codes: every well-formed code validates, every typo fails.

The check character is recomputed here from the standard's own weight table, not from
``ledger.codes``, so the two implementations check each other.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.codes import (
    CREDIT_CODE_CHARSET,
    PROVINCE_PREFIXES,
    credit_code_violations,
    make_credit_code,
    validate_credit_code,
)
from ledger.errors import RuleViolated

# GB 32100-2015, Table 3: weights of positions 1..17 (3^(i-1) mod 31).
GB32100_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # I, O, S, V, Z are never used

charset_char = st.sampled_from(CHARSET)
region = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)
first17 = st.builds(
    lambda head, reg, org: head + reg + org,
    st.text(alphabet=CHARSET, min_size=2, max_size=2),
    region,
    st.text(alphabet=CHARSET, min_size=9, max_size=9),
)


def reference_check_char(head: str) -> str:
    total = sum(CHARSET.index(c) * w for c, w in zip(head, GB32100_WEIGHTS, strict=True))
    return CHARSET[(31 - total % 31) % 31]


def test_charset_is_the_standards() -> None:
    assert CREDIT_CODE_CHARSET == CHARSET
    assert not set("IOSVZ") & set(CREDIT_CODE_CHARSET)


@pytest.mark.parametrize(
    "code",
    [
        "91350100M000100Y43",  # 福耀玻璃工业集团股份有限公司
        "91110000600037341L",  # published on the national enterprise credit system
    ],
)
def test_published_codes_validate(code: str) -> None:
    assert credit_code_violations(code) == []
    assert validate_credit_code(code) == code
    assert reference_check_char(code[:17]) == code[17]


@settings(max_examples=300)
@given(first17)
def test_any_completed_code_validates(head: str) -> None:
    code = make_credit_code(head)
    assert code[17] == reference_check_char(head)
    assert credit_code_violations(code) == []


@settings(max_examples=300)
@given(first17, charset_char)
def test_any_other_check_character_fails_the_check(head: str, wrong: str) -> None:
    code = make_credit_code(head)
    if wrong == code[17]:
        return
    (violation,) = credit_code_violations(head + wrong, "enterprise_code")
    assert (violation.rule, violation.field) == ("CREDIT_CODE_CHECK", "enterprise_code")
    assert code[17] in violation.message_zh and code[17] in violation.message_en
    with pytest.raises(RuleViolated):
        validate_credit_code(head + wrong)


@settings(max_examples=200)
@given(first17, st.integers(min_value=0, max_value=16), st.sampled_from(CHARSET))
def test_a_single_changed_character_is_caught(head: str, position: int, new: str) -> None:
    """GB 32100's check detects every single-character substitution."""
    code = make_credit_code(head)
    if code[position] == new:
        return
    typo = code[:position] + new + code[position + 1 :]
    # Weights are non-zero modulo the prime 31, so any substitution moves the sum.
    assert [v.rule for v in credit_code_violations(typo)] == ["CREDIT_CODE_CHECK"]


@given(st.text(alphabet=CHARSET, max_size=30).filter(lambda s: len(s) != 18))
def test_wrong_length_is_named(code: str) -> None:
    (violation,) = credit_code_violations(code)
    assert violation.rule == "CREDIT_CODE_LENGTH"
    assert str(len(code)) in violation.message_en


@given(first17, st.integers(min_value=0, max_value=17), st.sampled_from("IOSVZiosab-* 中"))
def test_characters_outside_the_charset_are_named(head: str, position: int, bad: str) -> None:
    code = make_credit_code(head)
    typo = code[:position] + bad + code[position + 1 :]
    (violation,) = credit_code_violations(typo)
    assert violation.rule == "CREDIT_CODE_CHARSET"
    assert bad in violation.message_zh
    with pytest.raises(ValueError, match="not used"):
        make_credit_code(typo[:17] if position < 17 else head[:16] + bad)


@given(first17, st.sampled_from(["00", "10", "20", "39", "99"]))
def test_region_inside_the_code_must_be_a_province(head: str, prefix: str) -> None:
    code = make_credit_code(head[:2] + prefix + head[4:])
    (violation,) = credit_code_violations(code)
    assert violation.rule == "REGION_CODE_PROVINCE"
