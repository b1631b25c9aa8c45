"""ledger.merkle against the published RFC 6962/9162 proof vectors.

The vectors (transparency-dev/merkle, in ``shared/vectors/merkle`` beside the checkout, or
``$LEDGER_MERKLE_VECTORS``) hold happy paths and many malformed probes: a verifier must
accept exactly the ones marked good. The happy paths are over the RFC 6962 reference
leaves, so proof generation is checked too.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from ledger.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# --------------------------------------------------------------------------- vectors


def _find_vectors() -> Path | None:
    env = os.environ.get("LEDGER_MERKLE_VECTORS")
    if env:
        return Path(env) if Path(env).is_dir() else None
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "vectors" / "merkle"
        if candidate.is_dir():
            return candidate
    return None


VECTORS = _find_vectors()
_NO_VECTORS = (
    "Merkle vectors not found: set LEDGER_MERKLE_VECTORS or provide shared/vectors/merkle "
    "beside the repository checkout"
)


# CI sets this: there the vectors are required, as PostgreSQL and the browser are, and
# their absence fails the run instead of skipping silently.
_REQUIRED = os.environ.get("LEDGER_REQUIRE_VECTORS") == "1"


def test_the_vectors_are_there_when_required() -> None:
    if VECTORS is not None and any(VECTORS.rglob("*.json")):
        return
    if _REQUIRED:
        pytest.fail(f"{_NO_VECTORS} (required: LEDGER_REQUIRE_VECTORS=1)")
    pytest.skip(_NO_VECTORS)


def _vector_params(kind: str, name: str = "*.json") -> list[Any]:
    if VECTORS is None:
        return [pytest.param(None, id=f"{kind}-missing", marks=pytest.mark.skip(_NO_VECTORS))]
    files = sorted((VECTORS / kind).rglob(name))
    if not files:
        return [pytest.param(None, id=f"{kind}-empty", marks=pytest.mark.skip(_NO_VECTORS))]
    return [pytest.param(f, id=str(f.relative_to(VECTORS))) for f in files]


def _b64(value: str) -> bytes:
    return base64.b64decode(value, validate=True)


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    data["proof"] = [_b64(p) for p in data.get("proof") or []]
    return data


# The RFC 6962 reference leaves over which the happy-path vectors are built.
REFERENCE_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
REFERENCE_LEAF_HASHES = [leaf_hash(d) for d in REFERENCE_LEAVES]

# Roots of the first n reference leaves, n = 1..8 (RFC 6962 test data).
REFERENCE_ROOTS = [
    bytes.fromhex(h)
    for h in (
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    )
]


def _getter(
    leaf_hashes: Sequence[bytes], calls: list[tuple[int, int]] | None = None
) -> Callable[[int, int], Sequence[bytes]]:
    """A get_leaf_hashes backed by a list, that insists on in-bounds, non-empty ranges."""

    def get(start: int, end: int) -> Sequence[bytes]:
        assert 0 <= start < end <= len(leaf_hashes), (start, end)
        if calls is not None:
            calls.append((start, end))
        return leaf_hashes[start:end]

    return get


@pytest.mark.parametrize("path", _vector_params("inclusion"))
def test_inclusion_vector(path: Path) -> None:
    v = _load(path)
    ok = verify_inclusion(
        _b64(v["leafHash"]), v["leafIdx"], v["treeSize"], v["proof"], _b64(v["root"])
    )
    assert ok is (not v["wantErr"]), v["desc"]


@pytest.mark.parametrize("path", _vector_params("consistency"))
def test_consistency_vector(path: Path) -> None:
    v = _load(path)
    ok = verify_consistency(v["size1"], v["size2"], _b64(v["root1"]), _b64(v["root2"]), v["proof"])
    assert ok is (not v["wantErr"]), v["desc"]


@pytest.mark.parametrize("path", _vector_params("inclusion", "happy-path.json"))
def test_inclusion_happy_path_is_reproduced(path: Path) -> None:
    v = _load(path)
    size, index = v["treeSize"], v["leafIdx"]
    hashes = REFERENCE_LEAF_HASHES[:size]
    assert hashes[index] == _b64(v["leafHash"])
    assert root(hashes) == _b64(v["root"])
    assert inclusion_proof(index, size, _getter(hashes)) == v["proof"]


@pytest.mark.parametrize("path", _vector_params("consistency", "happy-path.json"))
def test_consistency_happy_path_is_reproduced(path: Path) -> None:
    v = _load(path)
    size1, size2 = v["size1"], v["size2"]
    hashes = REFERENCE_LEAF_HASHES[:size2]
    assert root(hashes[:size1]) == _b64(v["root1"])
    assert root(hashes) == _b64(v["root2"])
    assert consistency_proof(size1, size2, _getter(hashes)) == v["proof"]


def test_vector_corpus_is_complete() -> None:
    if VECTORS is None:
        pytest.skip(_NO_VECTORS)
    assert len(list((VECTORS / "inclusion").rglob("*.json"))) > 50
    assert len(list((VECTORS / "consistency").rglob("*.json"))) > 50


# --------------------------------------------------------------------- fixed known answers
