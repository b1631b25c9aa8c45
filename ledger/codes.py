"""Identifiers of the Chinese administration: credit codes and division codes.

统一社会信用代码 (GB 32100-2015) is 18 characters: registration authority (1), entity
type (1), administrative division (6), organisation code (9, GB 11714) and a check
character computed over the first 17 with weights 3^i mod 31. A wrong check character
is the commonest typing error in hand-kept ledgers, so the ledger refuses it.

行政区划代码 (GB/T 2260) is 6 digits: province (2), prefecture (2), county (2).
"""

from __future__ import annotations

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


def region_code_violations(code: str, field: str = "region_code") -> list[Violation]:
    if len(code) != 6 or not code.isdigit():
        return [
            Violation(
                "REGION_CODE_FORMAT",
                field,
                f"行政区划代码应为6位数字，实际为“{code}”",
                f"an administrative division code is 6 digits, got {code!r}",
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
    return []


def validate_region_code(code: str, field: str = "region_code") -> str:
    violations = region_code_violations(code, field)
    if violations:
        raise RuleViolated(violations)
    return code
