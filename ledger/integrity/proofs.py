"""Inclusion and consistency proofs over leaf hashes fetched from the store.

The path and subproof recursions are RFC 9162 section 2.1.3 and 2.1.4 word for word,
written over a ``subtree_root(start, end)`` function so that one ``ProofBuilder`` can
serve many proofs against the same tree size and reuse every subtree root it has
computed (a case bundle asks for dozens of proofs that share most large subtrees).
Verification is not here: ``ledger.merkle.verify_inclusion`` and
``verify_consistency`` check what these produce.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence

from ledger import merkle

LeafFetcher = Callable[[int, int], Sequence[bytes]]
NodeFetcher = Callable[[int, int], "bytes | None"]  # (level, index) -> stored root or None
_DIRECT = 256  # ranges this small are hashed directly rather than memoised
_BLOCK = 256  # small ranges are read as their whole aligned block of leaves, kept a while
_BLOCKS_KEPT = 64


def level_root(leaf_hashes: Sequence[bytes]) -> bytes:
    """The RFC 9162 root of ``leaf_hashes``, computed level by level.

    Pairing neighbours and carrying an odd last node up unchanged yields exactly the
    tree of RFC 9162's split rule (the tests check this against the recursive
    definition); it runs as flat loops, which is what a million-event verify needs.
    """
    if not leaf_hashes:
        return merkle.root([])
    sha = hashlib.sha256
    level = list(leaf_hashes)
    while len(level) > 1:
        odd = level[-1] if len(level) % 2 else None
        it = iter(level)
        level = [sha(b"\x01" + left + right).digest() for left, right in zip(it, it, strict=False)]
        if odd is not None:
            level.append(odd)
    return level[0]


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (n >= 2): RFC 9162's ``k``."""
    return 1 << ((n - 1).bit_length() - 1)


class ProofBuilder:
    """Proofs for one tree, reading leaf hashes through ``fetch(start, end)``."""

    def __init__(
        self,
        fetch: LeafFetcher,
        *,
        preload_limit: int = 4_000_000,
        direct: int = _DIRECT,
        node: NodeFetcher | None = None,
    ) -> None:
        """``direct``: subtrees of at most this many leaves are hashed each time rather
        than remembered. A few proofs (a bundle) want it large, to keep the memo small;
        a proof for every leaf in order (an export) wants it small, or each proof
        rehashes its whole bottom subtree. ``node(level, index)``: the stored root of a
        perfect aligned subtree, if the store has it (else it is computed)."""
        self._fetch = fetch
        self._node = node
        self._direct = direct
        self._leaves: list[bytes] | None = None
        self._preload_limit = preload_limit
        self._memo: dict[tuple[int, int], bytes] = {}
        self._blocks: dict[int, Sequence[bytes]] = {}

    def _leaf_range(self, start: int, end: int) -> Sequence[bytes]:
        if self._leaves is not None and end <= len(self._leaves):
            return self._leaves[start:end]
        block = start // _BLOCK
        if (end - 1) // _BLOCK != block:
            return self._fetch(start, end)
        # One read serves every small subtree of a proof's bottom levels.
        base = block * _BLOCK
        leaves = self._blocks.get(block)
        if leaves is None or len(leaves) < end - base:
            leaves = self._fetch(base, base + _BLOCK)
            if len(self._blocks) >= _BLOCKS_KEPT:
                del self._blocks[next(iter(self._blocks))]
            self._blocks[block] = leaves
        return leaves[start - base : end - base]

    def preload(self, size: int) -> None:
        """Read all leaf hashes up to ``size`` once (cheaper than many range reads)."""
        if size <= self._preload_limit and (self._leaves is None or len(self._leaves) < size):
            self._leaves = list(self._fetch(0, size))

    def subtree_root(self, start: int, end: int) -> bytes:
        key = (start, end)
        width = end - start
        if self._node is not None and width & (width - 1) == 0 and start % width == 0:
            found = self._memo.get(key)
            if found is None:
                found = self._node(width.bit_length() - 1, start // width)
                if found is not None:
                    self._memo[key] = found
            if found is not None:
                return found
        if end - start <= self._direct:
            leaves = self._leaf_range(start, end)
            if len(leaves) != end - start:
                raise LookupError(f"log has no leaves {start}..{end - 1}")
            return level_root(leaves)
        found = self._memo.get(key)
        if found is None:
            if end - start > 1:
                k = split_point(end - start)
                found = merkle.node_hash(
                    self.subtree_root(start, start + k), self.subtree_root(start + k, end)
                )
            else:
                leaves = self._leaf_range(start, end)
                if len(leaves) != end - start:
                    raise LookupError(f"log has no leaf {start}")
                found = leaves[0]
            self._memo[key] = found
        return found

    def root(self, size: int) -> bytes:
        if size == 0:
            return merkle.root([])
        return self.subtree_root(0, size)

    def inclusion_path(self, index: int, size: int) -> list[bytes]:
        """PATH(index, D[0:size]) of RFC 9162 section 2.1.3.1."""
        if not 0 <= index < size:
            raise ValueError(f"leaf {index} is not in a tree of size {size}")
        return self._path(index, 0, size)

    def _path(self, m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = split_point(n)
        if m < k:
            return [*self._path(m, start, start + k), self.subtree_root(start + k, end)]
        return [*self._path(m - k, start + k, end), self.subtree_root(start, start + k)]

    def consistency(self, old_size: int, new_size: int) -> list[bytes]:
        """PROOF(old_size, D[0:new_size]) of RFC 9162 section 2.1.4.1."""
        if not 0 <= old_size <= new_size:
            raise ValueError(f"no consistency proof from size {old_size} to {new_size}")
        if old_size in (0, new_size):
            return []
        return self._subproof(old_size, 0, new_size, True)

    def _subproof(self, m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [self.subtree_root(start, end)]
        k = split_point(n)
        if m <= k:
            return [
                *self._subproof(m, start, start + k, complete),
                self.subtree_root(start + k, end),
            ]
        return [*self._subproof(m - k, start + k, end, False), self.subtree_root(start, start + k)]


class PrefixRoots:
    """Roots of several prefixes of one leaf stream, computed in a single pass.

    Verification must compare the recomputed tree with every signed checkpoint, i.e.
    with the roots of many prefixes. A prefix of size ``s`` is a run of perfect aligned
    subtrees, one per set bit of ``s``; the large ones are roots of whole blocks (kept
    as a short list), the small ones lie inside one block and are taken while that
    block is in memory. Memory stays at one block plus one hash per block.
    """

    def __init__(self, sizes: Sequence[int], block_bits: int = 10) -> None:
        self._bits = block_bits
        self._block = 1 << block_bits
        self._wanted = sorted({s for s in sizes if s > 0})
        self._next = 0  # index into _wanted of the next size not yet reached
        self._buffer: list[bytes] = []
        self._base = 0  # leaves before the buffer
        self._block_roots: list[bytes] = []
        self._tails: dict[int, list[bytes]] = {}
        # After finish(): levels[j][i] is the root of perfect aligned subtree i of
        # 2**(block_bits + j) leaves (what the store keeps in integrity_nodes).
        self.levels: list[list[bytes]] = []

    @property
    def count(self) -> int:
        return self._base + len(self._buffer)

    @property
    def wanted(self) -> list[int]:
        """The prefix sizes asked for, in ascending order."""
        return list(self._wanted)

    def extend(self, leaf_hashes: Sequence[bytes]) -> None:
        self._buffer.extend(leaf_hashes)
        while len(self._buffer) >= self._block:
            block = self._buffer[: self._block]
            del self._buffer[: self._block]
            self._close_block(block)

    def extend_blocks(self, block_roots: bytes, tails: Mapping[int, list[bytes]]) -> None:
        """Whole blocks hashed elsewhere: their roots packed 32 bytes each, and the
        pieces (``tails``) of every wanted size ending inside them. The stream must be
        at a block boundary (``count`` a multiple of the block)."""
        if self._buffer:
            raise ValueError("extend_blocks needs the stream at a block boundary")
        end = self._base + (len(block_roots) // 32 << self._bits)
        while self._next < len(self._wanted) and self._wanted[self._next] < end:
            size = self._wanted[self._next]
            self._tails[size] = list(tails.get(size, ()))
            self._next += 1
        self._block_roots.extend(block_roots[i : i + 32] for i in range(0, len(block_roots), 32))
        self._base = end

    def _take_tails(self, block: list[bytes], final: bool) -> None:
        end = self._base + len(block)
        while self._next < len(self._wanted):
            size = self._wanted[self._next]
            if size > end or (size == end and not final and len(block) == self._block):
                break
            within = size - self._base
            parts: list[bytes] = []
            offset = 0
            for h in reversed(range(self._bits)):
                if within >> h & 1:
                    parts.append(level_root(block[offset : offset + (1 << h)]))
                    offset += 1 << h
            self._tails[size] = parts
            self._next += 1

    def _close_block(self, block: list[bytes]) -> None:
        self._take_tails(block, final=False)
        self._block_roots.append(level_root(block))
        self._base += len(block)

    def finish(self) -> dict[int, bytes]:
        """Root of every requested prefix that the stream reached."""
        self._take_tails(self._buffer, final=True)
        levels = [self._block_roots]
        while len(levels[-1]) > 1:
            below = levels[-1]
            levels.append(
                [merkle.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
            )
        self.levels = levels
        roots: dict[int, bytes] = {}
        for size in self._wanted:
            if size > self.count:
                continue
            parts: list[bytes] = []
            blocks = size >> self._bits
            offset = 0
            for h in reversed(range(len(levels))):
                if blocks >> h & 1:
                    parts.append(levels[h][offset >> h])
                    offset += 1 << h
            parts.extend(self._tails.get(size, []))
            acc = parts[-1]
            for part in reversed(parts[:-1]):
                acc = merkle.node_hash(part, acc)
            roots[size] = acc
        return roots
