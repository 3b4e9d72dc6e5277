"""Relation map arrows routed around the boxes they would otherwise cross (pt, y down).

A straight line between two actors that passes through a third actor's box makes a reader see
a relation that is not there. Such a line becomes a polyline: the shortest path between the two
box centres in the visibility graph of the other boxes' corners (each box grown by ``CLEAR``,
so the line keeps a little white between it and any box it passes). Lines that cross no box
stay straight. Deterministic: ties go to the lower corner index.
"""
from __future__ import annotations

import heapq
import math

from .layout import _seg_hits_box

CLEAR = 6.0  # how far a routed line keeps from the corners it turns around
NEAR = 3.0  # a straight line closer than this to a box is routed too
# Corner-to-corner visibility is tested against boxes grown a little less than the corners,
# so that a line along a box side, from one of its corners to the next, is not blocked.
_BLOCK = CLEAR - 0.5
_MAX_EXPANDED = 400  # a search that expands more corners than this keeps its straight line
# Sight-line tests one map may make (the sample maps need under 3,000; a 30-actor clique would
# need over 400,000, ~9 s): past it, the remaining lines stay straight, so a dense map takes
# bounded time. Counted, not timed, so that the same input always gives the same picture.
BUDGET = 10_000


def route_edges(pos, dims, edges, width: float, height: float
                ) -> list[list[tuple[float, float]] | None]:
    """Per edge, the points of its path from centre to centre, or None for a straight line."""
    boxes = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for (x, y), (w, h) in zip(pos, dims)]
    near = [(b[0] - NEAR, b[1] - NEAR, b[2] + NEAR, b[3] + NEAR) for b in boxes]
    block = [(b[0] - _BLOCK, b[1] - _BLOCK, b[2] + _BLOCK, b[3] + _BLOCK) for b in boxes]
    graph = _Graph(boxes, block, width, height)
    out: list[list[tuple[float, float]] | None] = []
    for a, b, *_ in edges:
        if a == b or graph.tests >= BUDGET or not any(
                _seg_hits_box(pos[a], pos[b], near[c]) for c in range(len(boxes))
                if c not in (a, b)):
            out.append(None)
            continue
        out.append(graph.path(a, b, pos[a], pos[b]))
    return out


class _Graph:
    """The corners of the grown boxes, and which boxes block the sight line between two points
    (worked out once per pair of points and kept: many arrows share corners)."""

    def __init__(self, boxes, block, width, height):
        self.block = block
        corners: list[tuple[float, float]] = []
        owner: list[int] = []
        for c, b in enumerate(boxes):
            for x, y in ((b[0] - CLEAR, b[1] - CLEAR), (b[2] + CLEAR, b[1] - CLEAR),
                         (b[2] + CLEAR, b[3] + CLEAR), (b[0] - CLEAR, b[3] + CLEAR)):
                if not (0.0 <= x <= width and 0.0 <= y <= height):
                    continue  # a line there would leave the picture
                if any(bl[0] < x < bl[2] and bl[1] < y < bl[3] for bl in block):
                    continue  # inside another box's margin: boxes close together
                corners.append((x, y))
                owner.append(c)
        self.corners, self.owner = corners, owner
        self._seen: dict[tuple, tuple[int, ...]] = {}
        self.tests = 0

    def blockers(self, key, p, q) -> tuple[int, ...]:
        found = self._seen.get(key)
        if found is None:
            self.tests += 1
            x0, x1 = min(p[0], q[0]), max(p[0], q[0])
            y0, y1 = min(p[1], q[1]), max(p[1], q[1])
            found = self._seen[key] = tuple(
                c for c, bl in enumerate(self.block)
                if bl[0] < x1 and x0 < bl[2] and bl[1] < y1 and y0 < bl[3]
                and _seg_hits_box(p, q, bl))
        return found

    def path(self, a: int, b: int, pa, pb) -> list[tuple[float, float]] | None:
        """The shortest path from ``pa`` (in box a) to ``pb`` (in box b) clear of all other
        boxes (A* over the corners), or None when there is none within bounds."""
        corners = self.corners
        n = len(corners)
        src, dst = n, n + 1
        point = lambda i: pa if i == src else pb if i == dst else corners[i]  # noqa: E731

        def clear(i, j):
            lo, hi = min(i, j), max(i, j)
            key = (lo, hi) if hi < n else (lo, hi, a, b)
            return all(c in (a, b) for c in self.blockers(key, point(i), point(j)))

        dist = {src: 0.0}
        prev: dict[int, int] = {}
        heap = [(math.dist(pa, pb), 0.0, src)]
        done: set[int] = set()
        while heap and len(done) < _MAX_EXPANDED and self.tests < BUDGET:
            _, d, i = heapq.heappop(heap)
            if i in done:
                continue
            done.add(i)
            if i == dst:
                pts = [pb]
                while i != src:
                    i = prev[i]
                    pts.append(point(i))
                return pts[::-1]
            pi = point(i)
            for j in list(range(n)) + [dst]:
                if j in done or j == i or (j < n and self.owner[j] in (a, b)):
                    continue
                nd = d + math.dist(pi, point(j))
                if nd >= dist.get(j, math.inf) - 1e-9 or not clear(i, j):
                    continue
                dist[j], prev[j] = nd, i
                heapq.heappush(heap, (nd + math.dist(point(j), pb), nd, j))
        return None
