"""Relation map arrows and their labels (positions in points, y down; see relation_map.py).

Each label goes to the first free spot along its arrow, middle first: clear of boxes, other
labels and (first choice) other arrows, on a white ground. A label longer than two lines, or one
that finds no free spot, becomes a small number on the arrow, spelled out in a key under the
map. Nothing is ever drawn over an actor or another label.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .layout import _seg_hits_box
from .scene import Pen, TextItem, boxes_overlap

ARROW_LEN, ARROW_HALF = 5.5, 2.4
LABEL_MAX_W = 96.0
SPOTS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78)  # where a label may sit along its arrow
# a number may also sit further along, or just beside its arrow: (t, offset across in pt)
NUMBER_SPOTS = tuple((t, 0.0) for t in SPOTS + (0.45, 0.55, 0.35, 0.65, 0.16, 0.84, 0.1, 0.9)) + \
    tuple((t, o) for t in (0.5, 0.35, 0.65, 0.2, 0.8) for o in (7.0, -7.0))


@dataclass
class EdgeLabel:
    rows: list[str] | None  # None: too long to write on the arrow; goes to the key
    width: float
    height: float


@dataclass
class PlacedEdges:
    lines: list[list[tuple[float, float]]]
    arrows: list[list[tuple[float, float]]]
    grounds: list[tuple[float, float, float, float]]  # white rectangles under the labels
    texts: list[TextItem]
    key: list[tuple[int, int]]  # (number, edge index), in number order
    number_grounds: list[tuple[float, float, float, float]]  # the grounds that hold a number


def label_size(pen: Pen, text: str, size: float) -> EdgeLabel:
    rows = pen.wrap(text, "italic", size, LABEL_MAX_W, 3)
    if len(rows) > 2:
        return EdgeLabel(None, 0.0, 0.0)
    return EdgeLabel(rows, max(pen.width(r, "italic", size) for r in rows) + 3,
                     len(rows) * size * 1.2 + 1)


def pair_room(edges, labels: list[EdgeLabel]) -> dict[tuple[int, int], tuple[float, float]]:
    """For each related pair, the free run an arrow needs (across, down) so that the pair's
    labels fit along it between the boxes (long labels count as a number)."""
    room: dict[tuple[int, int], list[float]] = {}
    for (a, b, _), lab in zip(edges, labels):
        if a != b:
            r = room.setdefault((min(a, b), max(a, b)), [ARROW_LEN + 8, ARROW_LEN + 8])
            r[0] += lab.width + 3 if lab.rows else 14
            r[1] += lab.height + 3 if lab.rows else 11
    return {k: (v[0], v[1]) for k, v in room.items()}


def _ray_exit(p, d, box) -> float:
    """How far (in units of ``d``) a ray from ``p`` inside ``box`` travels before leaving it."""
    t = math.inf
    if d[0] > 0:
        t = min(t, (box[2] - p[0]) / d[0])
    elif d[0] < 0:
        t = min(t, (box[0] - p[0]) / d[0])
    if d[1] > 0:
        t = min(t, (box[3] - p[1]) / d[1])
    elif d[1] < 0:
        t = min(t, (box[1] - p[1]) / d[1])
    return max(0.0, t) if t != math.inf else 0.0


def _geometry(pos, boxes, edges):
    """Per edge: (line points, arrowhead, candidate label centres, segment for crossing tests)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for k, (a, b, _) in enumerate(edges):
        groups.setdefault((min(a, b), max(a, b)), []).append(k)
    out = []
    for k, (a, b, _) in enumerate(edges):
        if a == b:  # an actor related to itself: a small loop on the box's right
            x1, y0, y1 = boxes[a][2], boxes[a][1], boxes[a][3]
            cy = (y0 + y1) / 2
            tip = (x1 + 1.5, cy)
            line = [(x1 - 6, y0), (x1 - 6, y0 - 8), (x1 + 10, y0 - 8), (x1 + 10, cy),
                    (tip[0] + ARROW_LEN, cy)]
            head = [tip, (tip[0] + ARROW_LEN, cy - ARROW_HALF),
                    (tip[0] + ARROW_LEN, cy + ARROW_HALF)]
            out.append((line, head, [(x1 + 10, y0 - 8), (x1 + 10, cy)] * 2, None, None))
            continue
        group = groups[(min(a, b), max(a, b))]
        off = (group.index(k) - (len(group) - 1) / 2) * 8.0
        (ax, ay), (bx, by) = pos[a], pos[b]
        dist = math.hypot(bx - ax, by - ay) or 1.0
        ux, uy = (bx - ax) / dist, (by - ay) / dist
        nx, ny = -uy, ux
        if a > b:
            off = -off  # both directions of a pair share one side convention
        p0 = (ax + nx * off, ay + ny * off)
        p1 = (bx + nx * off, by + ny * off)
        d = (p1[0] - p0[0], p1[1] - p0[1])
        pad = lambda r: (r[0] - 1.5, r[1] - 1.5, r[2] + 1.5, r[3] + 1.5)  # noqa: E731
        t0 = _ray_exit(p0, d, pad(boxes[a]))
        t1 = 1.0 - _ray_exit(p1, (-d[0], -d[1]), pad(boxes[b]))
        if t1 - t0 < 1e-3:  # boxes touch: no room for a line (separation prevents this)
            t1 = t0 + 1e-3
        s = (p0[0] + d[0] * t0, p0[1] + d[1] * t0)
        e = (p0[0] + d[0] * t1, p0[1] + d[1] * t1)
        base = (e[0] - ux * ARROW_LEN, e[1] - uy * ARROW_LEN)
        head = [e, (base[0] + nx * ARROW_HALF, base[1] + ny * ARROW_HALF),
                (base[0] - nx * ARROW_HALF, base[1] - ny * ARROW_HALF)]
        spots = [(s[0] + (base[0] - s[0]) * t + nx * o, s[1] + (base[1] - s[1]) * t + ny * o)
                 for t, o in NUMBER_SPOTS]
        # a label of one of several arrows between a pair sits on its own arrow's outer side
        side = (nx * math.copysign(1, off), ny * math.copysign(1, off)) if off else None
        out.append(([s, base], head, spots, (s, e), side))
    return out


def place_edges(pen: Pen, pos, dims, edges, labels: list[EdgeLabel], width: float,
                height: float, size: float, force: bool = False) -> PlacedEdges | None:
    """Arrows and labels; None when some label or number finds no free spot (unless forced)."""
    boxes = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for (x, y), (w, h) in zip(pos, dims)]
    geo = _geometry(pos, boxes, edges)
    segs = [g[3] for g in geo]
    taken: list[tuple[float, float, float, float]] = []
    placed = PlacedEdges([g[0] for g in geo], [g[1] for g in geo], [], [], [], [])
    lead = size * 1.2

    def badness(rect, k, strict):
        if rect[0] < 0 or rect[1] < 0 or rect[2] > width or rect[3] > height:
            return 100
        bad = sum(boxes_overlap(rect, b, 1.5) for b in boxes) * 10
        bad += sum(boxes_overlap(rect, r, 1.0) for r in taken) * 10
        if strict:
            bad += sum(1 for j, sg in enumerate(segs)
                       if j != k and sg is not None and _seg_hits_box(sg[0], sg[1], rect))
        return bad

    def spot(k, w, h, passes, many=False):
        best = None
        spots = geo[k][2] if many else geo[k][2][:len(SPOTS)]
        side = geo[k][4]
        if side:
            shift = (abs(side[0]) * w + abs(side[1]) * h) / 2 + 1.5
            spots = [(x + side[0] * shift, y + side[1] * shift) for x, y in spots] + spots
        for strict in passes:
            for cx, cy in spots:
                rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                bad = badness(rect, k, strict)
                if not bad:
                    return rect, 0
                if best is None or bad < best[1]:
                    best = (rect, bad)
        return best

    # the most constrained arrows (the shortest free runs) choose first
    def run(k):
        sg = segs[k]
        return 0.0 if sg is None else math.hypot(sg[1][0] - sg[0][0], sg[1][1] - sg[0][1])

    digits = "8" * len(str(len(edges)))
    num_w, num_h = pen.width(digits, "bold", size) + 4, size * 1.2 + 1
    spots_found: dict[int, tuple[str, tuple[float, float, float, float]]] = {}
    for k in sorted(range(len(edges)), key=lambda k: (run(k), k)):
        lab = labels[k]
        if lab.rows:
            rect, bad = spot(k, lab.width, lab.height, (True, False))
            if not bad:
                taken.append(rect)
                spots_found[k] = ("label", rect)
                continue
        rect, bad = spot(k, num_w, num_h, (True, False), many=True)
        if bad and not force:
            return None
        taken.append(rect)
        spots_found[k] = ("number", rect)
    for k in range(len(edges)):  # numbers in the order the relations were given
        what, rect = spots_found[k]
        placed.grounds.append(rect)
        cx = (rect[0] + rect[2]) / 2
        if what == "label":
            for j, row in enumerate(labels[k].rows):
                placed.texts.append(pen.text(cx, rect[1] + 0.5 + (j + 0.8) * lead, row,
                                             "italic", size, pen.muted, "middle"))
        else:
            number = len(placed.key) + 1
            placed.number_grounds.append(rect)
            placed.texts.append(pen.text(cx, rect[1] + 0.5 + 0.8 * lead, str(number), "bold",
                                         size, pen.accent, "middle"))
            placed.key.append((number, k))
    return placed
