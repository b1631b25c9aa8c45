"""The canonical leaf bytes are exactly what docs/integrity.md specifies."""

from __future__ import annotations

import hashlib
import struct
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from ledger import merkle
from ledger.integrity.leaf import LeafHeader, encode_leaf, header_fields, leaf_hash_of

AGG = UUID("12345678-1234-5678-1234-567812345678")


def spec_encoding(fields: list[str], payload_hash: bytes) -> bytes:
    """The layout written out independently of the implementation."""
    out = b"hazard-ledger/leaf/v1\n"
    for f in fields:
        raw = f.encode("utf-8")
        out += struct.pack(">I", len(raw)) + raw
    return out + payload_hash


def test_leaf_matches_the_written_specification() -> None:
    ph = hashlib.sha256(b"{}").digest()
    header = LeafHeader(
        7, AGG, 3, "ledger.hazard:HazardCase.Graded", "2026-03-03T09:00:00+00:00", "insp-001"
    )
    expected = spec_encoding(
        [
            "7",
            str(AGG),
            "3",
            "ledger.hazard:HazardCase.Graded",
            "2026-03-03T09:00:00+00:00",
            "insp-001",
        ],
        ph,
    )
    assert encode_leaf(header, ph) == expected
    assert merkle.leaf_hash(encode_leaf(header, ph)) == hashlib.sha256(b"\x00" + expected).digest()


texts = st.text(max_size=12)


@given(a=st.tuples(texts, texts, texts), b=st.tuples(texts, texts, texts))
def test_different_headers_never_share_leaf_bytes(
    a: tuple[str, str, str], b: tuple[str, str, str]
) -> None:
    # Length prefixes make the encoding injective: ("ab", "c") and ("a", "bc") differ.
    ph = bytes(32)
    ha = LeafHeader(1, AGG, 1, a[0], a[1], a[2])
    hb = LeafHeader(1, AGG, 1, b[0], b[1], b[2])
    assert (encode_leaf(ha, ph) == encode_leaf(hb, ph)) == (a == b)


def test_header_fields_come_from_the_payload() -> None:
    payload = b'{"actor":{"id":"dept-007","name":"x"},"timestamp":"2026-03-03T09:00:00+00:00"}'
    assert header_fields(payload) == ("2026-03-03T09:00:00+00:00", "dept-007")
    assert header_fields(b"{}") == ("", "")


@given(
    st.integers(min_value=0, max_value=10**12),
    st.uuids(),
    st.integers(min_value=1, max_value=10**6),
    st.text(max_size=80),
    st.text(max_size=40),
    st.text(max_size=40),
    st.binary(min_size=32, max_size=32),
)
def test_the_fast_leaf_hash_equals_the_canonical_encoding(
    seq: int, aggregate_id: UUID, version: int, topic: str, at: str, actor: str, ph: bytes
) -> None:
    header = LeafHeader(seq, aggregate_id, version, topic, at, actor)
    expected = merkle.leaf_hash(encode_leaf(header, ph))
    assert leaf_hash_of(seq, str(aggregate_id), version, topic, at, actor, ph) == expected
