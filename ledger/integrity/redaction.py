"""Redactions as logged events: who blanked which free-text field of which event, and why.

A redaction (for example a court order to remove a person's name from a description)
is recorded as a ``RedactionRecord.Redacted`` event through the ledger's command path,
so it gets a leaf in the Merkle log and is covered by the next signed checkpoint like
every other event. The event names the target (aggregate, version and sequence number),
the fields, the legal basis, who and when, and the SHA-256 of the target's payload as
it reads after blanking.

The integrity log's insert listener applies the event in the same transaction: it
blanks the fields of the stored payload and writes the ``integrity_redactions`` row.
That table is therefore derived, and ``verify`` checks it against the logged events: a
row without its event, or a payload that differs from the hash its redaction event
committed to, is tampering. Only free-text fields can be blanked (``free_text_fields``)
so that a redacted event still decodes and every read model still rebuilds.
"""

from __future__ import annotations

import hashlib
import types
import typing
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.utils import get_topic, resolve_topic

from ledger.events import Context, LedgerAggregate
from ledger.mapper import encode

REDACTED_TEXT = "[已遮蔽 redacted]"
# Fields no redaction may touch: the leaf header, and identifiers the read models and
# jurisdiction checks key on (blanking them would move a case, not hide a text).
HEADER_FIELDS = frozenset({"timestamp", "actor", "occurred_at", "originator_topic"})
CODE_SUFFIXES = ("_code", "_id")
CODE_FIELDS = frozenset({"sector", "class_version", "level", "department", "authority"})


class RedactionRefused(ValueError):
    """A redaction that would break the event or is not explained; nothing was recorded."""


class RedactionRecord(LedgerAggregate):
    """One redaction, as an aggregate of its own (one event: ``Redacted``)."""

    class Redacted(LedgerAggregate.Created):
        target_id: UUID
        target_version: int
        target_seq: int
        fields: tuple[str, ...]
        legal_basis: str
        payload_hash: str  # hex SHA-256 of the target's payload after blanking

        def apply(self, record: RedactionRecord) -> None:
            record.target_seq = self.target_seq

    if typing.TYPE_CHECKING:
        target_seq: int


REDACTED_TOPIC = get_topic(RedactionRecord.Redacted)


def _is_text(annotation: Any) -> bool:
    """``str`` or ``str | None``: a field whose value is any text."""
    if annotation is str:
        return True
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = set(typing.get_args(annotation))
        return str in args and args <= {str, type(None)}
    return False


def free_text_fields(topic: str) -> frozenset[str]:
    """The fields of the event class named by ``topic`` that hold free text."""
    try:
        hints = typing.get_type_hints(resolve_topic(topic))
    except Exception:  # an unknown or undecodable class: nothing is safe to blank
        return frozenset()
    return frozenset(
        name
        for name, annotation in hints.items()
        if _is_text(annotation)
        and name not in HEADER_FIELDS
        and name not in CODE_FIELDS
        and not name.endswith(CODE_SUFFIXES)
    )


def blank(state: bytes, topic: str, fields: Sequence[str]) -> bytes:
    """The payload with ``fields`` replaced by ``REDACTED_TEXT``; refuses any other field."""
    allowed = free_text_fields(topic)
    data = orjson.loads(state)
    for name in fields:
        if name in HEADER_FIELDS:
            raise RedactionRefused(f"{name}: 头部字段不可遮蔽 / header fields cannot be redacted")
        if name not in allowed or not isinstance(data.get(name), str):
            raise RedactionRefused(
                f"{name}: 只能遮蔽自由文本字段（日期、代码、枚举等不可遮蔽），可遮蔽："
                f"{', '.join(sorted(allowed)) or '无'} / only free-text fields can be "
                f"redacted (not dates, codes or enumerations); this event's are: "
                f"{', '.join(sorted(allowed)) or 'none'}"
            )
        data[name] = REDACTED_TEXT
    return encode(data)


def checked_fields(fields: Iterable[str], legal_basis: str) -> tuple[str, ...]:
    """The distinct fields named, refusing an empty list or an unexplained redaction."""
    if not legal_basis.strip():
        raise RedactionRefused("reason: 遮蔽必须说明法律依据 / a redaction needs its legal basis")
    chosen = tuple(f for f in dict.fromkeys(fields) if f)
    if not chosen:
        raise RedactionRefused(
            "fields: 至少指定一个要遮蔽的字段 / name at least one field to redact"
        )
    return chosen


def new_record(
    ctx: Context,
    *,
    target_id: UUID,
    target_version: int,
    target_seq: int,
    fields: tuple[str, ...],
    legal_basis: str,
    blanked: bytes,
) -> RedactionRecord:
    """The redaction event, ready for the ledger to save."""
    record: RedactionRecord = RedactionRecord._create_with(
        RedactionRecord.Redacted,
        ctx,
        target_id=target_id,
        target_version=target_version,
        target_seq=target_seq,
        fields=fields,
        legal_basis=legal_basis,
        payload_hash=hashlib.sha256(blanked).hexdigest(),
    )
    return record


@dataclass(frozen=True, slots=True)
class LoggedRedaction:
    """What the logged redaction events say about one target event (the latest wins)."""

    target_seq: int
    fields: tuple[str, ...]
    legal_basis: str
    actor_id: str
    redacted_at: str
    payload_hash: bytes
    event_seq: int

    def row(self) -> tuple[int, str, str, str, str]:
        """The ``integrity_redactions`` row this redaction derives."""
        return (
            self.target_seq,
            self.legal_basis,
            ",".join(self.fields),
            self.actor_id,
            self.redacted_at,
        )


def logged_redaction(event_seq: int, state: bytes) -> LoggedRedaction | None:
    """Read one stored ``Redacted`` payload (None when it cannot be read)."""
    try:
        data = orjson.loads(state)
        actor = data.get("actor") or {}
        return LoggedRedaction(
            target_seq=int(data["target_seq"]),
            fields=tuple(str(f) for f in data["fields"]),
            legal_basis=str(data["legal_basis"]),
            actor_id=str(actor.get("id", "")),
            redacted_at=str(data["timestamp"]),
            payload_hash=bytes.fromhex(data["payload_hash"]),
            event_seq=event_seq,
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError):
        return None


def merge(earlier: LoggedRedaction | None, later: LoggedRedaction) -> LoggedRedaction:
    """A second redaction of the same event adds its fields; its hash is the final one."""
    if earlier is None:
        return later
    fields = tuple(dict.fromkeys((*earlier.fields, *later.fields)))
    return LoggedRedaction(
        later.target_seq,
        fields,
        later.legal_basis,
        later.actor_id,
        later.redacted_at,
        later.payload_hash,
        later.event_seq,
    )
