"""The fast tree code (level-wise roots, memoised proofs, prefix roots) against the
recursive RFC 9162 definitions in ``ledger.merkle``, for all sizes hypothesis tries.
"""

from __future__ import annotations

import hashlib

from hypothesis import given, settings
from hypothesis import strategies as st

from ledger import merkle
from ledger.integrity.proofs import PrefixRoots, ProofBuilder, level_root


def leaves(n: int) -> list[bytes]:
    return [merkle.leaf_hash(hashlib.sha256(str(i).encode()).digest()) for i in range(n)]


def builder_for(hashes: list[bytes]) -> ProofBuilder:
    return ProofBuilder(lambda start, end: hashes[start:end])


@given(st.integers(min_value=0, max_value=600))
def test_level_root_equals_the_recursive_root(n: int) -> None:
    hashes = leaves(n)
    assert level_root(hashes) == merkle.root(hashes)


@settings(max_examples=60)
@given(st.integers(min_value=1, max_value=700), st.data())
def test_inclusion_paths_match_and_verify(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    b = builder_for(hashes)
    path = b.inclusion_path(index, n)
    assert path == merkle.inclusion_proof(index, n, lambda s, e: hashes[s:e])
    assert merkle.verify_inclusion(hashes[index], index, n, path, merkle.root(hashes))
    other = (index + 1) % n
    if other != index:
        assert not merkle.verify_inclusion(hashes[other], index, n, path, merkle.root(hashes))


@settings(max_examples=60)
@given(st.integers(min_value=1, max_value=700), st.data())
def test_consistency_proofs_match_and_verify(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    m = data.draw(st.integers(min_value=1, max_value=n))
    b = builder_for(hashes)
    proof = b.consistency(m, n)
    assert proof == merkle.consistency_proof(m, n, lambda s, e: hashes[s:e])
    assert merkle.verify_consistency(m, n, merkle.root(hashes[:m]), merkle.root(hashes), proof)
    if m < n:
        wrong = merkle.root([*hashes[: m - 1], bytes(32)])
        assert not merkle.verify_consistency(m, n, wrong, merkle.root(hashes), proof)


@settings(max_examples=60)
@given(
    st.integers(min_value=0, max_value=300),
    st.lists(st.integers(min_value=1, max_value=320), max_size=8),
    st.integers(min_value=1, max_value=5),
    st.integers(min_value=1, max_value=50),
)
def test_prefix_roots_equal_roots_of_prefixes(
    n: int, sizes: list[int], block_bits: int, chunk: int
) -> None:
    hashes = leaves(n)
    roots = PrefixRoots([*sizes, n], block_bits=block_bits)
    for i in range(0, n, chunk):
        roots.extend(hashes[i : i + chunk])
    got = roots.finish()
    for size in {*sizes, n}:
        if 0 < size <= n:
            assert got[size] == merkle.root(hashes[:size])
        else:
            assert size not in got
