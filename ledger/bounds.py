"""The limits every value a command carries must keep, decided here once.

A command is judged against these before anything else (``UnitOfWork.execute``), so
every entry point — HTTP, the workbook importer, the CLI, the demo generator — refuses
the same values with the same rule, and no value that would later break a fold, a
query or a store (a year 9999 deadline that overflows when a zone is applied, a NUL
character PostgreSQL cannot store, a ``details`` nested deeper than the JSON encoder
goes, an integer wider than a database column) is ever recorded. The HTTP boundary
uses ``check_moment`` for the moments a query names, which never reach a command.

The limits are chosen by a value's type, and for text and moments by the field's name,
so a new command gets them without anyone remembering to add them:

- **moments** carry a zone and lie within ``EARLIEST`` … ``LATEST``; the business time
  ``occurred_at`` may not lie beyond the recording clock plus ``CLOCK_SKEW`` (the
  domain orders a command's other moments against it);
- **text** has no NUL character and no lone surrogate; a field named like a code or a
  kind (``SHORT_SUFFIXES``) holds at most ``SHORT_TEXT`` characters, an item of a list
  at most ``ITEM_TEXT``, any other text at most ``FREE_TEXT``;
- **integers** fit in a signed 64-bit column; **decimals**, when finite, are at most
  ``MAX_DECIMAL`` either side of zero with at most ``DECIMAL_PLACES`` places, and an
  amount of money (a field named ``*amount*``) at most ``MAX_AMOUNT`` with at most
  ``AMOUNT_PLACES`` (whether a number must be positive, or given at all, and tighter
  limits for a quantity, are the domain's rules);
- **lists** hold at most ``MAX_ITEMS`` items;
- a **document** (a mapping such as ``details``) nests at most ``MAX_DEPTH`` deep, holds
  at most ``MAX_KEYS`` keys of at most ``SHORT_TEXT`` characters, and encodes to at most
  ``MAX_DOCUMENT_BYTES``; its values keep the rules above.

A breach is a ``RuleViolated`` naming the field (``details.a.b``, ``evidence[3]``) and
the rule, in Chinese and English, and nothing is recorded.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any
from uuid import UUID

import orjson

from .errors import RuleViolated, Violation
from .events import CLOCK_SKEW

#: The earliest and latest moment the ledger accepts (the founding of the state; a
#: century ahead is further than any deadline a hazard may be given).
EARLIEST = datetime(1949, 10, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)

SHORT_TEXT = 200
ITEM_TEXT = 1000
FREE_TEXT = 5000
#: Fields whose names end so are codes, kinds or names: short text.
SHORT_SUFFIXES = (
    "code",
    "sector",
    "number",
    "edition",
    "level",
    "grade",
    "kind",
    "source",
    "duty",
    "category",
    "type",
    "id",
    "name",
    "department",
    "approver",
    "authority",
    "organisation",
    "title",
    "found_by",
    "phone",
)

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

MAX_AMOUNT = Decimal("100000000")
AMOUNT_PLACES = 2
MAX_DECIMAL = Decimal("1000000000000")
DECIMAL_PLACES = 6

MAX_ITEMS = 100
MAX_DEPTH = 16
MAX_KEYS = 500
MAX_DOCUMENT_BYTES = 64 * 1024

#: Violations reported for one command at most (a breach repeated in a large document
#: is named a few times, not thousands).
MAX_REPORTED = 20


class OutOfBounds(RuleViolated, ValueError):
    """A value outside the limits. Also a ``ValueError``, so a request parser that
    validates a query parameter with ``check_moment`` reports it as a malformed field.

    ``moment`` is the moment ``check_moment`` refused, so that a parser that learns the
    parameter's name only afterwards can name it (``moment_violations``)."""

    def __init__(self, violations: Iterable[Violation], moment: datetime | None = None) -> None:
        super().__init__(violations)
        self.moment = moment


def check(command: object, *, now: datetime) -> None:
    """Refuse ``command`` (a dataclass) if any of its values breaks a limit.

    ``now`` is the recording clock: business times may not lie beyond it. The walk stops
    at the ``MAX_REPORTED``-th violation; nothing after it is looked at.
    """
    found: list[Violation] = []

    def add(violation: Violation) -> None:
        found.append(violation)
        if len(found) >= MAX_REPORTED:
            raise _Enough

    try:  # noqa: SIM105 -- a plain try costs nothing; suppress() a context manager per command
        _dataclass(command, "", now, add)
    except _Enough:
        pass
    if found:
        raise OutOfBounds(found)


def check_moment(name: str, moment: datetime, *, now: datetime | None = None) -> datetime:
    """``moment`` if it carries a zone and lies within the ledger's range (and, with
    ``now``, not beyond it plus the clock skew); else ``OutOfBounds`` naming ``name``."""
    violations = moment_violations(name, moment, now=now)
    if violations:
        raise OutOfBounds(violations, moment)
    return moment


def moment_violations(
    name: str, moment: datetime, *, now: datetime | None = None
) -> list[Violation]:
    """The limits ``moment``, the value of ``name``, breaks (see ``check_moment``)."""
    found: list[Violation] = []
    _moment(name, name, moment, now if _is_business_time(name) else None, found.append)
    return found


# ---- the walk ----------------------------------------------------------------------------
#
# What a field's name decides (its text limit, whether it is the business time, whether
# it is an amount) is worked out once per command class (``_plan``); what its value's
# type decides is looked at on every command, since a field may hold several types. A
# value of the common types that breaks nothing costs a few comparisons and no call.

Add = Callable[[Violation], None]
_SURROGATE = re.compile("[\ud800-\udfff]")


class _Enough(Exception):
    """``MAX_REPORTED`` violations found: the walk stops."""


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    text_limit: int
    business_time: bool
    amount: bool


_PLANS: dict[type, tuple[_Field, ...]] = {}


def _plan(cls: type) -> tuple[_Field, ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple(
            _Field(
                f.name,
                SHORT_TEXT if _is_short(f.name) else FREE_TEXT,
                _is_business_time(f.name),
                "amount" in f.name,
            )
            for f in fields(cls)
        )
    return plan


def _dataclass(value: Any, prefix: str, now: datetime, add: Add) -> None:
    for field in _plan(type(value)):
        element = getattr(value, field.name)
        kind = type(element)
        if kind is str:
            if (
                len(element) <= field.text_limit
                and "\x00" not in element
                and (element.isascii() or _SURROGATE.search(element) is None)
            ):
                continue
        elif element is None or kind is bool or kind is UUID or (kind is tuple and not element):
            continue
        elif kind is int:
            if INT64_MIN <= element <= INT64_MAX:
                continue
        elif kind is datetime:
            tz = element.tzinfo
            span = _SPANS.get(tz) if type(tz) is timezone else None
            if span is not None and span[0].tzinfo is tz:
                inside = span[0] <= element <= span[1]
            else:
                inside = (
                    tz is not None
                    and element.utcoffset() is not None
                    and EARLIEST <= element <= LATEST
                )
                _remember_span(tz)
            if inside and (not field.business_time or element <= now + CLOCK_SKEW):
                continue
        _value(prefix + field.name, field, element, now, add, item=False)


#: The ledger's range of moments (``EARLIEST`` to ``LATEST``) as moments of each
#: fixed-offset zone met so far. Two moments that share one ``tzinfo`` object are
#: compared on their fields alone, and for a fixed offset that is the order of the
#: instants: the same answer as comparing with ``EARLIEST`` and ``LATEST`` themselves
#: (about 1 us each, since their zone differs), for a few tens of nanoseconds.
_SPANS: dict[timezone, tuple[datetime, datetime]] = {}
_MAX_SPANS = 64  # zones remembered; later ones are compared the long way


def _remember_span(tz: object) -> None:
    if isinstance(tz, timezone) and len(_SPANS) < _MAX_SPANS and tz not in _SPANS:
        _SPANS[tz] = (EARLIEST.astimezone(tz), LATEST.astimezone(tz))


def _value(path: str, field: _Field, value: Any, now: datetime, add: Add, *, item: bool) -> None:
    if value is None or isinstance(value, bool | UUID | Enum):
        return
    if isinstance(value, str):
        _text(path, value, ITEM_TEXT if item else field.text_limit, add)
    elif isinstance(value, datetime):
        _moment(path, field.name, value, now if field.business_time else None, add)
    elif isinstance(value, date):
        _day(path, value, add)
    elif isinstance(value, int):
        _integer(path, value, add)
    elif isinstance(value, Decimal):
        if field.amount:
            _decimal(path, value, MAX_AMOUNT, AMOUNT_PLACES, "AMOUNT_OUT_OF_RANGE", add)
        else:
            _decimal(path, value, MAX_DECIMAL, DECIMAL_PLACES, "DECIMAL_OUT_OF_RANGE", add)
    elif isinstance(value, float):
        _real(path, value, add)
    elif isinstance(value, Mapping):
        _document(path, value, add)
    elif isinstance(value, tuple | list):
        _items(path, len(value), add)
        for i, element in enumerate(value[:MAX_ITEMS]):
            _value(f"{path}[{i}]", field, element, now, add, item=True)
    elif is_dataclass(value) and not isinstance(value, type):
        _dataclass(value, path + ".", now, add)


def _is_short(name: str) -> bool:
    return name.endswith(SHORT_SUFFIXES)


def _is_business_time(name: str) -> bool:
    # The command's own business time; every other moment of a command is ordered
    # against it by the domain's rules (a completion not after its report, a deadline
    # after its assignment), which name the broken rule more precisely.
    return name == "occurred_at"


# ---- the rules ---------------------------------------------------------------------------


def _text(path: str, text: str, limit: int, add: Add) -> None:
    if "\x00" in text:
        add(
            Violation(
                "TEXT_NUL_CHARACTER",
                path,
                f"“{path}”含有空字符（NUL）",
                f"{path} contains a NUL character",
            )
        )
    if not text.isascii() and _SURROGATE.search(text) is not None:
        add(
            Violation(
                "TEXT_LONE_SURROGATE",
                path,
                f"“{path}”含有无效的 Unicode 字符（孤立代理项）",
                f"{path} contains an invalid Unicode character (a lone surrogate)",
            )
        )
    if len(text) > limit:
        add(
            Violation(
                "TEXT_TOO_LONG",
                path,
                f"“{path}”最多 {limit} 个字符，实际 {len(text)} 个",
                f"{path} holds at most {limit} characters, not {len(text)}",
            )
        )


def _moment(path: str, name: str, moment: datetime, now: datetime | None, add: Add) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        rule = (name or "moment").upper()
        add(
            Violation(
                f"{rule}_TIMEZONE", path, f"“{path}”必须带时区", f"{path} must carry a time zone"
            )
        )
        return
    # Compared without converting: a moment near datetime's limits overflows on
    # conversion, which is the very failure this rule keeps out of the ledger.
    if not EARLIEST <= moment <= LATEST:
        add(
            Violation(
                "MOMENT_OUT_OF_RANGE",
                path,
                f"“{path}”须在 {EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d} 之间",
                f"{path} must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}",
            )
        )
    elif now is not None and moment > now + CLOCK_SKEW:
        rule = (name or "moment").upper()
        add(
            Violation(
                f"{rule}_IN_FUTURE",
                path,
                f"“{path}”{moment:%Y-%m-%d %H:%M}晚于当前时间，不能预先登记",
                f"{path} {moment.isoformat()} is in the future",
            )
        )


def _day(path: str, day: date, add: Add) -> None:
    if not EARLIEST.date() <= day <= LATEST.date():
        add(
            Violation(
                "DATE_OUT_OF_RANGE",
                path,
                f"“{path}”须在 {EARLIEST:%Y-%m-%d} 至 {LATEST:%Y-%m-%d} 之间",
                f"{path} must lie between {EARLIEST:%Y-%m-%d} and {LATEST:%Y-%m-%d}",
            )
        )


def _integer(path: str, number: int, add: Add) -> None:
    if not INT64_MIN <= number <= INT64_MAX:
        add(
            Violation(
                "INTEGER_OUT_OF_RANGE",
                path,
                f"“{path}”超出整数范围（64 位有符号整数）",
                f"{path} is outside the integer range (signed 64-bit)",
            )
        )


def _real(path: str, number: float, add: Add) -> None:
    if not math.isfinite(number):
        add(
            Violation(
                "NUMBER_NOT_FINITE",
                path,
                f"“{path}”必须是有限数值",
                f"{path} must be a finite number",
            )
        )


def _decimal(path: str, number: Decimal, limit: Decimal, places: int, rule: str, add: Add) -> None:
    if not number.is_finite():
        return  # NaN and infinities are refused by the domain's rules for the field
    exponent = number.as_tuple().exponent
    if abs(number) > limit or (isinstance(exponent, int) and -exponent > places):
        add(
            Violation(
                rule,
                path,
                f"“{path}”不得超过 {limit}，最多 {places} 位小数",
                f"{path} may not exceed {limit} and has at most {places} decimal places",
            )
        )


def _items(path: str, count: int, add: Add) -> None:
    if count > MAX_ITEMS:
        add(
            Violation(
                "TOO_MANY_ITEMS",
                path,
                f"“{path}”最多 {MAX_ITEMS} 项，实际 {count} 项",
                f"{path} holds at most {MAX_ITEMS} items, not {count}",
            )
        )


def _document(path: str, document: Mapping[Any, Any], add: Add) -> None:
    """A JSON-like document: its whole shape first (so that encoding it cannot fail),
    then its encoded size."""
    found: list[Violation] = []
    _shape(path, document, found.append)
    if found:
        for violation in found:
            add(violation)
        return
    size = len(orjson.dumps(document, default=str))
    if size > MAX_DOCUMENT_BYTES:
        add(
            Violation(
                "DOCUMENT_TOO_LARGE",
                path,
                f"“{path}”最多 {MAX_DOCUMENT_BYTES} 字节，实际 {size} 字节",
                f"{path} holds at most {MAX_DOCUMENT_BYTES} bytes, not {size}",
            )
        )


def _shape(path: str, document: Mapping[Any, Any], add: Add) -> None:
    keys = 0
    # Iterative, so that a document nested thousands deep cannot exhaust the stack.
    stack: list[tuple[str, Any, int]] = [(path, document, 1)]
    while stack:
        where, node, depth = stack.pop()
        if isinstance(node, Mapping | list | tuple) and depth > MAX_DEPTH:
            add(
                Violation(
                    "DOCUMENT_TOO_DEEP",
                    path,
                    f"“{path}”嵌套最多 {MAX_DEPTH} 层",
                    f"{path} nests at most {MAX_DEPTH} levels deep",
                )
            )
            return
        if isinstance(node, Mapping):
            keys += len(node)
            if keys > MAX_KEYS:
                add(
                    Violation(
                        "DOCUMENT_TOO_MANY_KEYS",
                        path,
                        f"“{path}”最多 {MAX_KEYS} 个键",
                        f"{path} holds at most {MAX_KEYS} keys",
                    )
                )
                return
            for key, child in node.items():
                if not isinstance(key, str):
                    add(
                        Violation(
                            "DOCUMENT_KEY_NOT_TEXT",
                            where,
                            f"“{where}”的键必须是文本",
                            f"the keys of {where} must be text",
                        )
                    )
                    continue
                _text(f"{where}.{key[:40]}", key, SHORT_TEXT, add)
                stack.append((f"{where}.{key[:40]}", child, depth + 1))
        elif isinstance(node, list | tuple):
            _items(where, len(node), add)
            items = enumerate(node[:MAX_ITEMS])
            stack.extend((f"{where}[{i}]", child, depth + 1) for i, child in items)
        elif isinstance(node, str):
            _text(where, node, FREE_TEXT, add)
        elif isinstance(node, bool) or node is None:
            pass
        elif isinstance(node, int):
            _integer(where, node, add)
        elif isinstance(node, float):
            _real(where, node, add)
        elif isinstance(node, Decimal):
            _real(where, float(node) if node.is_finite() else math.nan, add)
        elif isinstance(node, datetime):
            _moment(where, "", node, None, add)
        elif isinstance(node, date):
            pass
        else:
            add(
                Violation(
                    "DOCUMENT_VALUE_TYPE",
                    where,
                    f"“{where}”只能是文本、数字、真假值、列表或对象",
                    f"{where} must be text, a number, true/false, a list or an object",
                )
            )
