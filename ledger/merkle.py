"""RFC 9162 Merkle tree hashing (interim implementation; replaced by the merkle branch)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def subtree_levels(leaves: bytes, bits: int) -> list[bytes]:
    """Every perfect aligned subtree of up to ``2**bits`` leaves, level by level.

    ``leaves`` is leaf hashes packed 32 bytes each, a whole number of blocks of
    ``2**bits``; ``levels[h]`` packs the roots of its subtrees of ``2**h`` leaves, in
    order (``levels[0]`` is ``leaves``). Flat loops over packed bytes: this is most
    of the hashing a full verification does besides the leaves themselves.
    """
    if len(leaves) % (32 << bits):
        raise ValueError("leaves must fill whole blocks")
    sha = hashlib.sha256
    levels = [leaves]
    for _ in range(bits):
        below = levels[-1]
        levels.append(
            b"".join([sha(b"\x01" + below[i : i + 64]).digest() for i in range(0, len(below), 64)])
        )
    return levels


def _k(n: int) -> int:
    return 1 << ((n - 1).bit_length() - 1)


def root(leaf_hashes: Sequence[bytes]) -> bytes:
    n = len(leaf_hashes)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hashes[0]
    k = _k(n)
    return node_hash(root(leaf_hashes[:k]), root(leaf_hashes[k:]))


class Frontier:
    def __init__(self) -> None:
        self.size = 0
        self.nodes: list[bytes] = []

    def append(self, h: bytes, completed: list[tuple[int, int, bytes]] | None = None) -> None:
        """Add a leaf hash. With ``completed``, every perfect subtree this leaf closes
        is added to it as ``(level, index, hash)``: the root of leaves
        ``[index * 2**level, (index + 1) * 2**level)``."""
        n = self.size
        level = 0
        while n & 1:
            h = node_hash(self.nodes.pop(), h)
            n >>= 1
            level += 1
            if completed is not None:
                completed.append((level, ((self.size + 1) >> level) - 1, h))
        self.nodes.append(h)
        self.size += 1

    def root(self) -> bytes:
        if not self.nodes:
            return hashlib.sha256(b"").digest()
        acc = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            acc = node_hash(node, acc)
        return acc

    def to_bytes(self) -> bytes:
        return self.size.to_bytes(8, "big") + b"".join(self.nodes)

    @classmethod
    def from_bytes(cls, data: bytes) -> Frontier:
        f = cls()
        f.size = int.from_bytes(data[:8], "big")
        body = data[8:]
        f.nodes = [body[i : i + 32] for i in range(0, len(body), 32)]
        if len(f.nodes) != bin(f.size).count("1"):
            raise ValueError("frontier does not match its size")
        return f


def inclusion_proof(
    index: int, size: int, get_leaf_hashes: Callable[[int, int], Sequence[bytes]]
) -> list[bytes]:
    leaves = get_leaf_hashes(0, size)

    def path(m: int, d: Sequence[bytes]) -> list[bytes]:
        if len(d) <= 1:
            return []
        k = _k(len(d))
        if m < k:
            return [*path(m, d[:k]), root(d[k:])]
        return [*path(m - k, d[k:]), root(d[:k])]

    return path(index, leaves)


def _hashes(*values: bytes) -> bool:
    """Every value is a SHA-256 digest (verifiers refuse anything else, never raise)."""
    return all(isinstance(v, bytes) and len(v) == 32 for v in values)


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    if not 0 <= index < size or not _hashes(leaf, root_hash, *proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def consistency_proof(
    size1: int, size2: int, get_leaf_hashes: Callable[[int, int], Sequence[bytes]]
) -> list[bytes]:
    leaves = get_leaf_hashes(0, size2)

    def sub(m: int, d: Sequence[bytes], b: bool) -> list[bytes]:
        n = len(d)
        if m == n:
            return [] if b else [root(d)]
        k = _k(n)
        if m <= k:
            return [*sub(m, d[:k], b), root(d[k:])]
        return [*sub(m - k, d[k:], False), root(d[:k])]

    if size1 in (0, size2):
        return []
    return sub(size1, leaves, True)


def verify_consistency(
    size1: int, size2: int, root1: bytes, root2: bytes, proof: Sequence[bytes]
) -> bool:
    if not 0 < size1 <= size2:
        # A proof from the empty tree proves nothing; the published vectors refuse it.
        return False
    if size1 == size2:
        return not proof and root1 == root2
    if not _hashes(root1, root2, *proof):
        return False
    if not proof:
        return False
    path = list(proof)
    if size1 & (size1 - 1) == 0:
        path = [root1, *path]
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == root1 and sr == root2 and sn == 0
