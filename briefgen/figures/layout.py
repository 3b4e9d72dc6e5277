"""Relation map geometry: the force layout and pushing boxes apart (arrows: edges.py).

Positions are box centres in points (y down) across ``width``; y is unbounded (a layout takes
the height it needs); ``dims`` are the boxes' (width, height). Everything here is deterministic:
no random numbers, fixed iteration counts, ties broken by index.
"""
from __future__ import annotations

import math


ITERATIONS = 220
GRAVITY = 2
KF = 1.0


def _bfs_order(n: int, edges: list[tuple[int, int]]) -> list[int]:
    adj: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges:
        if a != b:
            adj[a].add(b)
            adj[b].add(a)
    seen: set[int] = set()
    order: list[int] = []
    for root in sorted(range(n), key=lambda i: (-len(adj[i]), i)):
        if root in seen:
            continue
        seen.add(root)
        queue = [root]
        while queue:
            i = queue.pop(0)
            order.append(i)
            for j in sorted(adj[i], key=lambda j: (-len(adj[j]), j)):
                if j not in seen:
                    seen.add(j)
                    queue.append(j)
    return order


def _mean(values: list[float]) -> float:
    """The mean, summed pairwise as numpy sums a float64 array (eight running sums, combined in
    a fixed tree), so that the layout is exactly the numpy layout briefgen used to compute."""
    def total(a: list[float]) -> float:
        n = len(a)
        if n < 8:
            res = 0.0
            for v in a:
                res += v
            return res
        if n <= 128:
            r = a[:8]
            end = n - n % 8
            for i in range(8, end, 8):
                for j in range(8):
                    r[j] += a[i + j]
            res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
            for v in a[end:]:
                res += v
            return res
        half = n // 2
        half -= half % 8
        return total(a[:half]) + total(a[half:])

    return total(list(values)) / len(values)


def force_layout(n: int, edges: list[tuple[int, int]], dims: list[tuple[float, float]],
                 width: float, gx: float, gy: float) -> tuple[list[tuple[float, float]], float]:
    """Box centres from a force layout across ``width``, and the height it takes.

    Plain Python, not numpy: a map has at most 50 actors. Once numpy is imported it is faster
    from ~15 actors on (28 actors: 38 ms here, numpy 22 ms; 49: 97 ms, numpy 42 ms), but its
    import alone costs ~0.1 s, and nothing else in a build needs numpy. Every sum is taken in
    the order numpy took it (the layout turns last-bit differences into visibly different
    maps), so maps are exactly as they were.
    """
    if n == 1:
        return [(width / 2, dims[0][1] / 2)], dims[0][1]
    w = [d[0] for d in dims]
    h = [d[1] for d in dims]
    squeeze = min(2.5, max(1.0, 0.6 * _mean(w) / _mean(h)))  # boxes are wide: x counts less
    wn = width / squeeze
    k = math.sqrt(_mean([(wi + 2 * gx) / squeeze * (hi + 2 * gy) for wi, hi in zip(w, h)])
                  * KF)  # the ideal distance
    kk = k * k
    xs, ys = [0.0] * n, [0.0] * n
    golden = math.pi * (3 - math.sqrt(5))
    for rank, i in enumerate(_bfs_order(n, edges)):  # sunflower spiral, related actors close
        r = math.sqrt(rank + 0.5) * k * 0.6
        xs[i] = wn / 2 + r * math.cos(rank * golden)
        ys[i] = r * math.sin(rank * golden)
    pairs = sorted({(min(a, b), max(a, b)) for a, b in edges if a != b})
    lo = [wi / 2 / squeeze for wi in w]
    hi = [wn - wi / 2 / squeeze for wi in w]
    t0 = max(wn, k * math.sqrt(n)) / 5
    cx = wn / 2
    for it in range(ITERATIONS):
        pts = list(zip(xs, ys))
        fx, fy = [0.0] * n, [0.0] * n
        for i, (xi, yi) in enumerate(pts):  # repulsion from every other box, summed in order
            sx = sy = 0.0
            for xj, yj in pts:
                dx = xi - xj
                dy = yi - yj
                f = kk / (dx * dx + dy * dy + 1e-2)
                sx += f * dx
                sy += f * dy
            fx[i] = sx
            fy[i] = sy
        pull = []
        for a, b in pairs:  # attraction along relations
            dx = xs[a] - xs[b]
            dy = ys[a] - ys[b]
            f = math.sqrt(dx * dx + dy * dy) / k
            pull.append((a, b, dx * f, dy * f))
        for a, _, px, py in pull:
            fx[a] -= px
            fy[a] -= py
        for _, b, px, py in pull:
            fx[b] += px
            fy[b] += py
        cy = _mean(ys)  # stay together
        temp = t0 * (1 - it / ITERATIONS) + 0.3
        for i in range(n):
            dx = fx[i] + (cx - xs[i]) * GRAVITY
            dy = fy[i] + (cy - ys[i]) * GRAVITY
            length = math.sqrt(dx * dx + dy * dy) + 1e-9
            step = min(length, temp) / length
            xs[i] = min(max(xs[i] + dx * step, lo[i]), hi[i])
            ys[i] += dy * step
    top = min(y - hh / 2 for y, hh in zip(ys, h))
    ys = [y - top for y in ys]
    height = max(y + hh / 2 for y, hh in zip(ys, h))
    return [(x * squeeze, y) for x, y in zip(xs, ys)], height


def separate(pos, dims, edges, width, gx, gy, room):
    """Push boxes apart (and off arrows they would sit on): (positions, height, all apart?).

    Boxes move freely down and up (x stays inside ``width``); the result starts at y = 0.

    Two boxes are apart when the gap between them is at least ``gx`` across or ``gy`` down; for
    related actors, at least the ``room`` their relation labels need.
    """
    pos = [list(p) for p in pos]
    ok = _push_apart(pos, dims, width, gx, gy, room)
    for _ in range(4):
        if not _clear_edges(pos, dims, edges, width):
            break
        ok = _push_apart(pos, dims, width, gx, gy, room)
    top = min(p[1] - d[1] / 2 for p, d in zip(pos, dims))  # y is free: move back to the top
    height = max(p[1] + d[1] / 2 for p, d in zip(pos, dims)) - top
    return [(float(p[0]), float(p[1] - top)) for p in pos], float(height), ok


def _clamp(p, d, width):
    p[0] = min(max(p[0], d[0] / 2), width - d[0] / 2)


def _push_apart(pos, dims, width, gx, gy, room, rounds: int = 150) -> bool:
    """Move boxes until none overlap (with the gaps) and each related pair has its room.

    Overlaps are undone along the shorter way out; a related pair too close is pushed apart
    along the line between them, which keeps the picture's shape. In the last third of the
    rounds moves go down only (x may be stuck at the page edges); y is unbounded.
    """
    n = len(pos)
    # every two boxes once: (i, j, the distance across and down they need between centres)
    both = [(i, j, (dims[i][0] + dims[j][0]) / 2 + gx, (dims[i][1] + dims[j][1]) / 2 + gy)
            for i in range(n) for j in range(i + 1, n)]
    pairs = [(i, j, rx, ry) for (i, j), (rx, ry) in sorted(room.items())]
    for rnd in range(rounds):
        late = rnd >= rounds * 2 // 3
        xs = [p[0] for p in pos]  # overlaps are found at the start of a round
        ys = [p[1] for p in pos]
        hits = [(i, j, nx, ny) for i, j, nx, ny in both
                if nx - abs(xs[i] - xs[j]) > 1e-6 and ny - abs(ys[i] - ys[j]) > 1e-6]
        moved = False
        for i, j, nx, ny in hits:
            a, b = pos[i], pos[j]
            ox = nx - abs(a[0] - b[0])
            oy = ny - abs(a[1] - b[1])
            if ox <= 1e-6 or oy <= 1e-6:
                continue
            axis = 0 if ox < oy and not late else 1
            amount = (ox if axis == 0 else oy) / 2 + 0.25
            s = 1.0 if a[axis] > b[axis] or (a[axis] == b[axis] and i > j) else -1.0
            a[axis] += s * amount
            b[axis] -= s * amount
            _clamp(a, dims[i], width)
            _clamp(b, dims[j], width)
            moved = True
        for i, j, rx, ry in pairs:
            a, b = pos[i], pos[j]
            dx, dy = b[0] - a[0], b[1] - a[1]
            d = math.hypot(dx, dy)
            if d < 1e-6:
                dx, dy, d = 0.0, 1.0, 1.0
            ux, uy = abs(dx) / d, abs(dy) / d
            reach = lambda k: min(dims[k][0] / 2 / ux if ux > 1e-9 else math.inf,  # noqa: E731
                                  dims[k][1] / 2 / uy if uy > 1e-9 else math.inf)
            need = reach(i) + reach(j) + ux * rx + uy * ry
            if d >= need - 1e-6:
                continue
            push = (need - d) / 2 + 0.25
            if late:
                s = 1.0 if dy > 0 or (dy == 0 and i < j) else -1.0
                a[1] -= s * push
                b[1] += s * push
            else:
                a[0] -= dx / d * push
                a[1] -= dy / d * push
                b[0] += dx / d * push
                b[1] += dy / d * push
            _clamp(a, dims[i], width)
            _clamp(b, dims[j], width)
            moved = True
        if not moved:
            return True
    return False


def _seg_hits_box(p0, p1, box) -> bool:
    """Whether the segment p0-p1 passes through ``box`` (Liang-Barsky clipping)."""
    if (max(p0[0], p1[0]) < box[0] or min(p0[0], p1[0]) > box[2]
            or max(p0[1], p1[1]) < box[1] or min(p0[1], p1[1]) > box[3]):
        return False
    t0, t1 = 0.0, 1.0
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    for p, q in ((-dx, p0[0] - box[0]), (dx, box[2] - p0[0]),
                 (-dy, p0[1] - box[1]), (dy, box[3] - p0[1])):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
            if t0 > t1:
                return False
    return True


def _clear_edges(pos, dims, edges, width) -> bool:
    moved = False
    degree = [0] * len(pos)
    for a, b, *_ in edges:
        degree[a] += 1
        degree[b] += 1
    for a, b, *_ in edges:
        if a == b:
            continue
        p0, p1 = pos[a], pos[b]
        dx, dy = p1[0] - p0[0], p1[1] - p0[1]
        seg2 = dx * dx + dy * dy or 1.0
        for c, (cw, ch) in enumerate(dims):
            if c in (a, b) or degree[c] > 3:  # moving a hub would spoil more than it mends
                continue
            q = pos[c]
            box = (q[0] - cw / 2 - 4, q[1] - ch / 2 - 4, q[0] + cw / 2 + 4, q[1] + ch / 2 + 4)
            if not _seg_hits_box(p0, p1, box):
                continue
            t = max(0.0, min(1.0, ((q[0] - p0[0]) * dx + (q[1] - p0[1]) * dy) / seg2))
            vx, vy = q[0] - (p0[0] + t * dx), q[1] - (p0[1] + t * dy)
            norm = math.hypot(vx, vy)
            if norm < 1e-6:
                vx, vy, norm = -dy, dx, math.sqrt(seg2)
            step = ch / 2 + 6 if abs(vy) * cw > abs(vx) * ch else cw / 2 + 6
            q[0] += vx / norm * step
            q[1] += vy / norm * step
            _clamp(q, dims[c], width)
            moved = True
    return moved
