"""Identifiers of the Chinese administration: credit codes and division codes.

统一社会信用代码 (GB 32100-2015) is 18 characters: registration authority (1), entity
type (1), administrative division (6), organisation code (9, GB 11714) and a check
character computed over the first 17 with weights 3^i mod 31. A wrong check character
is the commonest typing error in hand-kept ledgers, so the ledger refuses it.

Division codes name a jurisdiction at one of three levels: 6 digits for a county
(行政区划代码, GB/T 2260: province 2, prefecture 2, county 2), 9 for a township or
sub-district (乡镇/街道) and 12 for a village or community (村/社区), the national
statistical division codes (统计用区划代码) that extend the county code by 3 and 3 digits.
Codes below the county are judged by membership where the county's division list is
installed (``ledger.division_lists``) and by shape alone elsewhere; see decision 0021.
A code's prefix is its jurisdiction, so a scope of any length (``Scope.region_prefix``)
covers everything recorded below it.
"""

from __future__ import annotations

from .division_lists import EDITIONS, TOWNSHIPS, VILLAGES
from .errors import RuleViolated, Violation

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CHAR_VALUE = {ch: i for i, ch in enumerate(CREDIT_CODE_CHARSET)}
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

PROVINCE_PREFIXES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "  # noqa: SIM905
    "61 62 63 64 65 71 81 82".split()
)


def credit_code_check_char(first17: str) -> str:
    """The GB 32100 check character for the first 17 characters."""
    total = sum(_CHAR_VALUE[ch] * w for ch, w in zip(first17, _WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def credit_code_violations(code: str, field: str = "credit_code") -> list[Violation]:
    """Every way ``code`` fails GB 32100, named for an official to fix."""
    if len(code) != 18:
        return [
            Violation(
                "CREDIT_CODE_LENGTH",
                field,
                f"统一社会信用代码应为18位，实际为{len(code)}位",
                f"a unified social credit code has 18 characters, got {len(code)}",
            )
        ]
    bad = sorted({ch for ch in code if ch not in _CHAR_VALUE})
    if bad:
        return [
            Violation(
                "CREDIT_CODE_CHARSET",
                field,
                f"统一社会信用代码含有非法字符：{''.join(bad)}（不使用I、O、Z、S、V及小写字母）",
                f"invalid characters {''.join(bad)!r} "
                "(I, O, Z, S, V and lower case are never used)",
            )
        ]
    expected = credit_code_check_char(code[:17])
    if code[17] != expected:
        return [
            Violation(
                "CREDIT_CODE_CHECK",
                field,
                f"统一社会信用代码校验位错误：应为{expected}，实际为{code[17]}",
                f"wrong check character: expected {expected}, got {code[17]}",
            )
        ]
    return region_code_violations(code[2:8], field)


def validate_credit_code(code: str, field: str = "credit_code") -> str:
    """Return ``code`` if it is a valid GB 32100 code, else raise ``RuleViolated``."""
    violations = credit_code_violations(code, field)
    if violations:
        raise RuleViolated(violations)
    return code


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (for generators and tests)."""
    if len(first17) != 17:
        raise ValueError("need exactly 17 characters")
    bad = sorted({ch for ch in first17 if ch not in _CHAR_VALUE})
    if bad:
        raise ValueError(f"characters not used in credit codes: {''.join(bad)}")
    return first17 + credit_code_check_char(first17)


COUNTY_DIGITS, TOWNSHIP_DIGITS, VILLAGE_DIGITS = 6, 9, 12
REGION_CODE_LENGTHS = (COUNTY_DIGITS, TOWNSHIP_DIGITS, VILLAGE_DIGITS)


def region_code_violations(code: str, field: str = "region_code") -> list[Violation]:
    """Every way ``code`` fails to name a county, township or village, named for an
    official to fix.

    Shape: 6, 9 or 12 digits under a province prefix; a township part (digits 7-9) or a
    village part (digits 10-12) of ``000`` names the level above, which has its own
    shorter code. Membership: where the county's division list is installed, a township
    or village code must be in it (an unknown code is most often a typo, or a code of
    the 民政部 numbering, which differs from the statistical one in this county).
    """
    if len(code) not in REGION_CODE_LENGTHS or not code.isdigit():
        return [
            Violation(
                "REGION_CODE_FORMAT",
                field,
                f"行政区划代码应为6位（县级）、9位（乡镇/街道）或12位（村/社区）数字，实际为“{code}”",
                f"a division code is 6 (county), 9 (township) or 12 (village) digits, got {code!r}",
            )
        ]
    if code[:2] not in PROVINCE_PREFIXES:
        return [
            Violation(
                "REGION_CODE_PROVINCE",
                field,
                f"行政区划代码前两位“{code[:2]}”不是有效的省级代码",
                f"{code[:2]!r} is not a province-level division prefix",
            )
        ]
    if len(code) > COUNTY_DIGITS and code[-3:] == "000":
        shorter = code[:-3]
        return [
            Violation(
                "REGION_CODE_LEVEL",
                field,
                f"代码“{code}”末三位为000，指的是上一级区划，请直接使用“{shorter}”",
                f"{code!r} ends in 000 and names the level above: use {shorter!r}",
            )
        ]
    county = code[:COUNTY_DIGITS]
    if county not in EDITIONS or len(code) == COUNTY_DIGITS:
        return []
    township = code[:TOWNSHIP_DIGITS]
    edition = EDITIONS[county]
    if township not in TOWNSHIPS:
        return [
            Violation(
                "REGION_TOWNSHIP_UNKNOWN",
                field,
                f"乡镇（街道）代码“{township}”不在{county}的区划代码表（{edition}）中",
                f"township code {township!r} is not in the division list of {county} ({edition})",
            )
        ]
    if len(code) == VILLAGE_DIGITS and code not in VILLAGES:
        return [
            Violation(
                "REGION_VILLAGE_UNKNOWN",
                field,
                f"村（社区）代码“{code}”不在{TOWNSHIPS[township]}的区划代码表（{edition}）中",
                f"village code {code!r} is not in the division list of {township} ({edition})",
            )
        ]
    return []


def validate_region_code(code: str, field: str = "region_code") -> str:
    """Return ``code`` if it names a county, township or village, else raise."""
    violations = region_code_violations(code, field)
    if violations:
        raise RuleViolated(violations)
    return code


def jurisdictions(code: str) -> list[str]:
    """The divisions whose jurisdiction covers ``code``, nearest first: the village,
    its township, its county, the prefecture and the province (those that apply)."""
    levels = [code[:n] for n in (VILLAGE_DIGITS, TOWNSHIP_DIGITS) if len(code) >= n]
    county = code[:COUNTY_DIGITS]
    return list(dict.fromkeys([*levels, county, county[:4] + "00", county[:2] + "0000"]))


def township_of(code: str) -> str:
    """The 9-digit township of a code, or the code itself above township level."""
    return code[:TOWNSHIP_DIGITS]


#: County code -> name, for the counties whose division list is installed
#: (``division_lists.EDITIONS``; NBS 2023 names 620826 静宁县).
COUNTIES: dict[str, str] = {"620826": "静宁县"}


def region_name(code: str) -> str:
    """What officials call a division: the county, township or village by its name where
    its list is installed; any other code as itself, since a blank would hide which
    jurisdiction a figure is about ("" only for no code)."""
    return COUNTIES.get(code) or TOWNSHIPS.get(code) or VILLAGES.get(code) or code
