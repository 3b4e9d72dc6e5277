"""Relation map arrows and their labels (positions in points, y down; see relation_map.py).

An arrow that would pass through an actor it does not connect goes round it (routes.py).
Each label goes to the first free spot on or just beside its arrow, middle first: clear of
boxes, other labels and other arrows, on a white ground. A label longer than two lines, one
that finds no free spot, or one that only fits where another arrow would pass under it (it
would seem to belong to both) becomes a small number on the arrow, spelled out in a key under
the map. Nothing is ever drawn over an actor or another label.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .layout import _seg_hits_box
from .routes import route_edges
from .scene import Pen, TextItem, boxes_overlap

ARROW_LEN, ARROW_HALF = 5.5, 2.4
LABEL_MAX_W = 96.0
# Past this many arrows, a label's spot is not also checked against every other arrow (cost:
# spots x arrows x segments, 20 s for a 30-actor clique), and the map is not regrown for labels.
DENSE = 150
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


def _offset(path, off):
    """``path`` moved ``off`` points sideways (left of its direction; corners mitred)."""
    if not off:
        return list(path)
    normals = []
    for (x0, y0), (x1, y1) in zip(path, path[1:]):
        d = math.hypot(x1 - x0, y1 - y0) or 1.0
        normals.append((-(y1 - y0) / d, (x1 - x0) / d))
    out = [(path[0][0] + normals[0][0] * off, path[0][1] + normals[0][1] * off)]
    for (x, y), n0, n1 in zip(path[1:-1], normals, normals[1:]):
        k = 1.0 + n0[0] * n1[0] + n0[1] * n1[1]
        k = off / k if k > 0.2 else off  # a hairpin turn: no long mitre spike
        out.append((x + (n0[0] + n1[0]) * k, y + (n0[1] + n1[1]) * k))
    out.append((path[-1][0] + normals[-1][0] * off, path[-1][1] + normals[-1][1] * off))
    return out


def _along(pts, t):
    """The point at fraction ``t`` of the polyline's length, and the unit normal there."""
    lengths = [math.hypot(q[0] - p[0], q[1] - p[1]) for p, q in zip(pts, pts[1:])]
    goal = sum(lengths) * t
    for (p, q), seg in zip(zip(pts, pts[1:]), lengths):
        if goal <= seg or (p, q) == (pts[-2], pts[-1]):
            f = goal / seg if seg > 0 else 0.0
            d = seg or 1.0
            return ((p[0] + (q[0] - p[0]) * f, p[1] + (q[1] - p[1]) * f),
                    (-(q[1] - p[1]) / d, (q[0] - p[0]) / d))
        goal -= seg
    return pts[-1], (0.0, 1.0)  # pragma: no cover - the loop returns at the last segment


def _geometry(pos, boxes, edges, routes):
    """Per edge: (line points, arrowhead, label spots as (x, y, nx, ny), the segments of its
    line for crossing tests, the side a label takes when several arrows join one pair)."""
    groups: dict[tuple[int, int], list[int]] = {}
    for k, (a, b, _) in enumerate(edges):
        groups.setdefault((min(a, b), max(a, b)), []).append(k)
    pad = lambda r: (r[0] - 1.5, r[1] - 1.5, r[2] + 1.5, r[3] + 1.5)  # noqa: E731
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
            spots = [(x1 + 10, y0 - 8, 0.0, 0.0), (x1 + 10, cy, 0.0, 0.0)] * 2
            out.append((line, head, spots, [], 0.0))
            continue
        group = groups[(min(a, b), max(a, b))]
        off = (group.index(k) - (len(group) - 1) / 2) * 8.0
        path = routes[k] or [pos[a], pos[b]]
        if a > b:
            off = -off  # both directions of a pair share one side convention
        path = _offset(path, off)
        p0, p1 = path[0], path[1]
        d = (p1[0] - p0[0], p1[1] - p0[1])
        t0 = _ray_exit(p0, d, pad(boxes[a]))
        q0, q1 = path[-1], path[-2]
        d1 = (q1[0] - q0[0], q1[1] - q0[1])
        t1 = _ray_exit(q0, d1, pad(boxes[b]))
        if len(path) == 2 and t0 + t1 > 1 - 1e-3:  # boxes touch (separation prevents this)
            t1 = max(0.0, 1 - 1e-3 - t0)
        s = (p0[0] + d[0] * t0, p0[1] + d[1] * t0)
        e = (q0[0] + d1[0] * t1, q0[1] + d1[1] * t1)
        run = math.hypot(q1[0] - e[0], q1[1] - e[1]) or 1.0
        ux, uy = (e[0] - q1[0]) / run, (e[1] - q1[1]) / run
        nx, ny = -uy, ux
        base = (e[0] - ux * ARROW_LEN, e[1] - uy * ARROW_LEN)
        head = [e, (base[0] + nx * ARROW_HALF, base[1] + ny * ARROW_HALF),
                (base[0] - nx * ARROW_HALF, base[1] - ny * ARROW_HALF)]
        line = [s] + path[1:-1] + [base]
        spots = []
        for t, o in NUMBER_SPOTS:
            (x, y), (sx, sy) = _along(line, t)
            spots.append((x + sx * o, y + sy * o, sx, sy))
        segs = list(zip([s] + path[1:-1], path[1:-1] + [e]))
        out.append((line, head, spots, segs, off))
    return out


class _Grid:
    """Placed labels by the 40 pt cells they touch, so that a new label is checked only
    against its neighbours (a dense map places over a thousand)."""
    CELL = 40.0

    def __init__(self):
        self.cells: dict[tuple[int, int], list[int]] = {}
        self.rects: list[tuple[float, float, float, float]] = []

    def _keys(self, r, gap=2.0):
        c = self.CELL
        x0, x1 = math.floor((r[0] - gap) / c), math.floor((r[2] + gap) / c)
        y0, y1 = math.floor((r[1] - gap) / c), math.floor((r[3] + gap) / c)
        return [(i, j) for i in range(x0, x1 + 1) for j in range(y0, y1 + 1)]

    def add(self, rect) -> None:
        for key in self._keys(rect):
            self.cells.setdefault(key, []).append(len(self.rects))
        self.rects.append(rect)

    def near(self, rect):
        found = {i for key in self._keys(rect) for i in self.cells.get(key, ())}
        return [self.rects[i] for i in sorted(found)]


def place_edges(pen: Pen, pos, dims, edges, labels: list[EdgeLabel], width: float,
                height: float, size: float, force: bool = False) -> PlacedEdges | None:
    """Arrows and labels; None when some label or number finds no free spot (unless forced)."""
    boxes = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for (x, y), (w, h) in zip(pos, dims)]
    geo = _geometry(pos, boxes, edges, route_edges(pos, dims, edges, width, height))
    segs = [g[3] for g in geo]
    seg_boxes = [(min(min(p[0], q[0]) for p, q in sg), min(min(p[1], q[1]) for p, q in sg),
                  max(max(p[0], q[0]) for p, q in sg), max(max(p[1], q[1]) for p, q in sg))
                 if sg else (0.0, 0.0, -1.0, -1.0) for sg in segs]
    taken = _Grid()
    placed = PlacedEdges([g[0] for g in geo], [g[1] for g in geo], [], [], [], [])
    lead = size * 1.2

    check_lines = len(edges) <= DENSE

    def overlaps(rect):
        if rect[0] < 0 or rect[1] < 0 or rect[2] > width or rect[3] > height:
            return 100
        return (sum(boxes_overlap(rect, b, 1.5) for b in boxes)
                + sum(boxes_overlap(rect, r, 1.0) for r in taken.near(rect)))

    def crossed(rect, k):
        """How many other arrows pass under ``rect`` (its ground would hide them there)."""
        if not check_lines:
            return 0
        return sum(1 for j, (sg, sb) in enumerate(zip(segs, seg_boxes))
                   if j != k and boxes_overlap(rect, sb)
                   and any(_seg_hits_box(p, q, rect) for p, q in sg))

    def spot(k, w, h, offsets=True):
        """The best spot for a w x h ground on arrow k: (rect, overlaps, arrows crossed);
        first the spot that overlaps nothing and no other arrow crosses, else the one that
        overlaps least, then is crossed least."""
        best = None
        # spots on the arrow (and, with ``offsets``, a little off it), in order of preference
        on = [s for s, (_, o) in zip(geo[k][2], NUMBER_SPOTS) if not o]
        spots = [(x, y) for (x, y, _, _), (_, o) in zip(geo[k][2], NUMBER_SPOTS)
                 if offsets or not o]
        # just beside its own arrow: on the side the arrow is drawn off the pair's axis when
        # the pair has several, else on either side after the spots on the arrow itself
        sides = [math.copysign(1.0, geo[k][4])] if geo[k][4] else [1.0, -1.0]
        beside = [(x + sx * side * shift, y + sy * side * shift)
                  for x, y, sx, sy in on
                  for shift in [(abs(sx) * w + abs(sy) * h) / 2 + 1.5] for side in sides]
        spots = beside + spots if geo[k][4] else spots + beside
        for cx, cy in spots:
            rect = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
            hard = overlaps(rect)
            soft = 0 if hard else crossed(rect, k)  # an overlap rules a spot out first
            if not hard and not soft:
                return rect, 0, 0
            if best is None or (hard, soft) < best[1:]:
                best = (rect, hard, soft)
        return best

    # the most constrained arrows (the shortest free runs) choose first
    def run(k):
        return sum(math.hypot(q[0] - p[0], q[1] - p[1]) for p, q in segs[k])

    digits = "8" * len(str(len(edges)))
    num_w, num_h = pen.width(digits, "bold", size) + 4, size * 1.2 + 1
    spots_found: dict[int, tuple[str, tuple[float, float, float, float]]] = {}
    for k in sorted(range(len(edges)), key=lambda k: (run(k), k)):
        # A label that another arrow would pass under seems to belong to both: a number
        # clear of other arrows (written out in the key) is taken before it.
        options = []
        if labels[k].rows:
            options.append(("label", *spot(k, labels[k].width, labels[k].height)))
        if not options or options[0][2] or options[0][3]:
            options.append(("number", *spot(k, num_w, num_h)))
        what, rect, hard, _ = min(options, key=lambda o: (o[2], o[3]))
        if hard and not force:
            return None
        taken.add(rect)
        spots_found[k] = (what, rect)
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
