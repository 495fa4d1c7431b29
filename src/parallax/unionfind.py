"""Union-find over hashable items: the grouping that entity merging and framing topics both need.

Hand-written because the sets are small (a story's names or head nouns) and the stdlib has
none; a group's root is its earliest-added member, so results follow input order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets of the items given at construction."""

    def __init__(self, items: Iterable[T]) -> None:
        self._parent: dict[T, T] = {}
        self._rank: dict[T, int] = {}
        for n, item in enumerate(items):
            self._parent.setdefault(item, item)
            self._rank.setdefault(item, n)

    def find(self, x: T) -> T:
        while self._parent[x] != x:
            self._parent[x] = self._parent[self._parent[x]]
            x = self._parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, later = (ra, rb) if self._rank[ra] < self._rank[rb] else (rb, ra)
            self._parent[later] = first

    def groups(self) -> dict[T, list[T]]:
        """Root -> members, groups and members in the order their members were added."""
        out: dict[T, list[T]] = {}
        for x in self._parent:
            out.setdefault(self.find(x), []).append(x)
        return out
