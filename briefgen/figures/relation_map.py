"""Relation map layout: actors as boxes, relations as labelled arrows (a scene; pt, y down).

Deterministic (no random numbers, fixed iteration counts):
1. the actors fall into connected groups; each group is laid out on its own: start positions on
   a sunflower spiral in breadth-first order from the best-connected actor, then a
   Fruchterman-Reingold force layout across the width, in a space squeezed sideways by the
   boxes' aspect (layout.py, plain Python);
2. boxes are pushed apart: no two closer than a gap, each related pair far enough apart for its
   labels, and actors an arrow would pass under are pushed off it (y is free: a group takes the
   height it needs);
3. the groups are packed, biggest first, where each sits highest (skyline packing), and the
   whole is centred; isolated actors are groups of one;
4. an arrow that would cross a box it does not connect is routed round the boxes (routes.py);
5. each relation label goes to the first free spot along its arrow, on a white ground; one that
   does not fit becomes a number, spelled out in a key under the map (edges.py).
Work is bounded for dense maps (a 50-actor clique: ~2 s): routing has a budget of sight-line
tests, and past ``edges.DENSE`` relations labels are placed in one pass.
A map taller than a page is scaled down as a whole (fonts too) as a last resort.
The shape and fill of a box say the actor's kind (legend at the top); greyscale-safe.
"""
from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache

from ..document.nodes import RelationMapData
from ..errors import BriefgenError
from .edges import DENSE, PlacedEdges, label_size, pair_room, place_edges
from .layout import force_layout, separate
from .scene import Line, Pen, Polygon, Rect, Scene, flow, mix, shrink_to_height

KINDS = ("state", "organisation", "armed-group", "movement", "person", "other")
GAP_X, GAP_Y = 18.0, 16.0


# Hues for the kinds that are not drawn in the theme's own colours, in order of preference: the
# first far enough from the accent's hue (and from the kind chosen before) is taken, so that with
# a red accent armed groups are not pink-and-red like organisations.
ARMED = ("#9B1C1C", "#6B21A8", "#3F3F46")  # red, violet, charcoal
MOVEMENT = ("#A0640F", "#3F6212", "#0F766E")  # amber, olive green, teal
FAR = 40.0  # degrees of hue


def _hue(colour: str) -> float | None:
    """The hue in degrees, or None for a colour too grey to have one that shows."""
    r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, _, s = colorsys.rgb_to_hls(r, g, b)
    return None if s < 0.15 or max(r, g, b) - min(r, g, b) < 0.08 else h * 360


def _apart(a: float | None, b: float | None, degrees: float) -> bool:
    return a is None or b is None or min(abs(a - b), 360 - abs(a - b)) >= degrees


def _pick(candidates: tuple[str, ...], avoid: list[tuple[float | None, float]]) -> str:
    """The first candidate at least the given degrees of hue from each (hue, degrees)."""
    for colour in candidates:
        if all(_apart(_hue(colour), h, degrees) for h, degrees in avoid):
            return colour
    return candidates[-1]


@lru_cache(maxsize=32)
def _signal_colours(accent: str) -> tuple[str, str]:
    """(armed-group colour, movement colour) for an accent colour."""
    accent_hue = _hue(accent)
    armed = _pick(ARMED, [(accent_hue, FAR)])
    return armed, _pick(MOVEMENT, [(accent_hue, FAR), (_hue(armed), 30.0)])


def kind_style(pen: Pen, kind: str) -> tuple[str, str, str]:
    """(fill, stroke, text colour) of an actor kind."""
    red, amber = _signal_colours(pen.accent.upper())
    accent_hue = _hue(pen.accent)
    # an accent of about the muted colour's hue (or none: grey) would tint organisations as
    # "other" actors are tinted, and outline states as "other" actors are outlined: a stronger
    # tint and an outline in the text colour keep them apart
    grey = accent_hue is None or not _apart(accent_hue, _hue(pen.muted), 25)
    return {
        "state": (pen.accent, pen.ink if grey else pen.accent, "#FFFFFF"),
        "organisation": (mix(pen.accent, "#FFFFFF", 0.6 if grey else 0.84), pen.accent, pen.ink),
        "armed-group": (mix(red, "#FFFFFF", 0.86), red, pen.ink),
        "movement": (mix(amber, "#FFFFFF", 0.84), amber, pen.ink),
        "person": ("#FFFFFF", pen.muted, pen.ink),
    }.get(kind, (mix(pen.muted, "#FFFFFF", 0.86), pen.muted, pen.ink))


def node_outline(kind: str, x0: float, y0: float, x1: float,
                 y1: float) -> list[tuple[float, float]] | float:
    """A polygon for the kinds drawn as polygons, else the corner radius of a rectangle."""
    h = y1 - y0
    if kind == "armed-group":  # octagon: cut corners
        c = min(5.0, h / 3)
        return [(x0 + c, y0), (x1 - c, y0), (x1, y0 + c), (x1, y1 - c), (x1 - c, y1),
                (x0 + c, y1), (x0, y1 - c), (x0, y0 + c)]
    if kind == "movement":  # pointed ends
        c = min(6.0, h / 2)
        return [(x0 + c, y0), (x1 - c, y0), (x1, (y0 + y1) / 2), (x1 - c, y1), (x0 + c, y1),
                (x0, (y0 + y1) / 2)]
    return {"state": 0.0, "organisation": 3.5, "person": h / 2}.get(kind, 0.0)


def draw_node(scene: Scene, pen: Pen, kind: str, box, width: float = 0.8) -> None:
    fill, stroke, _ = kind_style(pen, kind)
    shape = node_outline(kind, *box)
    if isinstance(shape, list):
        scene.items.append(Polygon(shape, fill, stroke, width))
    else:
        scene.items.append(Rect(box[0], box[1], box[2] - box[0], box[3] - box[1], fill, stroke,
                                width, shape))


def name_lines(pen: Pen, name: str, size: float, width: float) -> list[str]:
    """An actor's name on up to three lines, whole: a name that needs more lines at the usual box
    width gets a wider box (up to half the map), and only past that more lines. A cut name
    ("United Nations Multidimensional Integrated Stabilization…") hides who the actor is."""
    base = min(100.0, width / 4)
    widest = max(base, width / 2)
    box = base
    while True:
        lines = pen.wrap(name, "regular", size, box, 1000)
        if len(lines) <= 3 or box >= widest:
            return lines
        box = min(widest, box + 20.0)


@dataclass
class MapGeometry:
    """Where the map's parts go, before the legend is put on top (pt, y down): what both
    renderers draw, and what tests check (no line through an unrelated box, no label on
    another)."""
    nodes: list
    edges: list[tuple[int, int, str]]
    boxes: list[tuple[float, float, float, float]]
    names: list[list[str]]  # each actor's name, as wrapped onto lines
    size: float  # font size of the names
    esize: float  # font size of the relation labels
    height: float
    placed: PlacedEdges


def map_geometry(data: RelationMapData, width: float, pen: Pen, line: int = 0
                 ) -> MapGeometry | None:
    """The laid-out map, or None when it has no actors."""
    nodes = list(data.nodes)
    index = {}
    for i, node in enumerate(nodes):
        if node.id in index:
            raise BriefgenError(f"relation map: actor {node.id!r} appears twice",
                                line=line or None)
        index[node.id] = i
    edges = []
    for e in data.edges:
        for end in (e.source, e.target):
            if end not in index:
                raise BriefgenError(f"relation map: relation {e.label!r} names actor {end!r}, "
                                    "which is not on the map", line=line or None)
        edges.append((index[e.source], index[e.target], e.label))
    if not nodes:
        return None
    n = len(nodes)
    size = 7.5 if n <= 20 else 7.0 if n <= 40 else 6.5
    esize = 6.5 if n <= 40 else 6.0
    node_lines = [name_lines(pen, nd.label.strip() or nd.id, size, width) for nd in nodes]
    dims = [(max(24.0, max(pen.width(t, "regular", size) for t in ls)) + 12,
             len(ls) * size * 1.2 + 7) for ls in node_lines]
    labels = [label_size(pen, text, esize) for _, _, text in edges]
    room = pair_room(edges, labels)
    pos, height = _pack(_components(n, edges), dims, edges, room, width)
    attempts = 4 if len(edges) <= DENSE else 1
    for attempt in range(attempts):  # grow until every label or number finds a free spot
        placed = place_edges(pen, pos, dims, edges, labels, width, height, esize,
                             force=attempt == attempts - 1)
        if placed is not None:
            break
        pos, height, _ = separate([(x, y * 1.15) for x, y in pos], dims, edges, width,
                                  GAP_X, GAP_Y, room)
    boxes = [(x - w / 2, y - h / 2, x + w / 2, y + h / 2) for (x, y), (w, h) in zip(pos, dims)]
    return MapGeometry(nodes, edges, boxes, node_lines, size, esize, height, placed)


def map_scene(data: RelationMapData, width: float, pen: Pen, max_height: float,
              line: int = 0) -> Scene:
    geo = map_geometry(data, width, pen, line)
    if geo is None:
        scene = pen.scene(width, 24.0)
        scene.items.append(pen.text(width / 2, 15, "No actors to show", "italic", 6.5,
                                    pen.muted, "middle"))
        return scene
    nodes, edges, placed, height = geo.nodes, geo.edges, geo.placed, geo.height
    size, esize = geo.size, geo.esize
    key, top = _legend(pen, sorted({nd.kind if nd.kind in KINDS else "other" for nd in nodes},
                                   key=KINDS.index), width)
    scene = pen.scene(width, top + height)
    scene.items += key.items
    down = lambda pts: [(x, y + top) for x, y in pts]  # noqa: E731
    edge_colour = mix(pen.muted, "#FFFFFF", 0.2)
    for pts in placed.lines:
        scene.items.append(Line(down(pts), edge_colour, 0.7))
    for pts in placed.arrows:
        scene.items.append(Polygon(down(pts), edge_colour, None))
    for nd, (x0, y0, x1, y1), ls in zip(nodes, geo.boxes, geo.names):
        x, y = (x0 + x1) / 2, (y0 + y1) / 2 + top
        kind = nd.kind if nd.kind in KINDS else "other"
        draw_node(scene, pen, kind, (x0, y0 + top, x1, y1 + top))
        colour = kind_style(pen, kind)[2]
        y0 = y - len(ls) * size * 1.2 / 2
        for j, text in enumerate(ls):
            scene.items.append(pen.text(x, y0 + (j + 0.78) * size * 1.2, text, "regular",
                                        size, colour, "middle"))
    for r in placed.grounds:
        scene.items.append(Rect(r[0], r[1] + top, r[2] - r[0], r[3] - r[1], "#FFFFFF",
                                mix(pen.muted, "#FFFFFF", 0.6) if r in placed.number_grounds
                                else None, 0.5, 2.0 if r in placed.number_grounds else 0.0))
    for item in placed.texts:
        item.y += top
        item.box = (item.box[0], item.box[1] + top, item.box[2], item.box[3] + top)
        scene.items.append(item)
    if placed.key:
        _key(scene, pen, [(num, f"{nodes[edges[k][0]].label} → {nodes[edges[k][1]].label}: "
                                f"{edges[k][2]}") for num, k in placed.key], esize)
    if scene.height > max_height:
        shrink_to_height(scene, max_height)
    return scene


def _key(scene: Scene, pen: Pen, entries: list[tuple[int, str]], size: float) -> None:
    """The relations written out under the map, numbered, in two columns (column by column)."""
    lead = size * 1.25
    cols = 2 if scene.width >= 300 else 1
    col_w = (scene.width - 14 * (cols - 1)) / cols
    num_w = pen.width(str(len(entries)), "bold", size) + 5
    blocks = [(num, pen.wrap(text, "regular", size, col_w - num_w, 4)) for num, text in entries]
    total = sum(len(rows) for _, rows in blocks)
    top = scene.height + 8
    scene.items.append(Line([(0, top), (scene.width, top)], mix(pen.muted, "#FFFFFF", 0.6), 0.5))
    y = y_max = top + 4
    col, used = 0, 0
    for num, rows in blocks:
        if cols == 2 and col == 0 and used and used + len(rows) / 2 > total / 2:
            col, y = 1, top + 4
        x = col * (col_w + 14)
        scene.items.append(pen.text(x + num_w - 5, y + lead * 0.8, str(num), "bold", size,
                                    pen.accent, "end"))
        for j, row in enumerate(rows):
            scene.items.append(pen.text(x + num_w, y + lead * (j + 0.8), row, "regular", size,
                                        pen.ink))
        y += lead * len(rows) + 1.5
        used += len(rows)
        y_max = max(y_max, y)
    scene.height = y_max + 2


def _components(n: int, edges) -> list[list[int]]:
    """Connected groups of actors, biggest first (ties: first listed first)."""
    adj: list[list[int]] = [[] for _ in range(n)]
    for a, b, _ in edges:
        adj[a].append(b)
        adj[b].append(a)
    seen = [False] * n
    comps = []
    for root in range(n):
        if seen[root]:
            continue
        seen[root] = True
        comp, stack = [], [root]
        while stack:
            i = stack.pop()
            comp.append(i)
            for j in adj[i]:
                if not seen[j]:
                    seen[j] = True
                    stack.append(j)
        comps.append(sorted(comp))
    return sorted(comps, key=lambda c: (-len(c), c[0]))


def _pack(comps, dims, edges, room, width):
    """Lay out each group on its own, then pack the groups: each goes where it sits highest
    (a skyline packing; ties go left), biggest group first; the result is centred."""
    pos: list[tuple[float, float]] = [(0.0, 0.0)] * len(dims)
    sky = [(0.0, width, 0.0)]  # (x0, x1, lowest y used) segments across the width
    right = 0.0
    for comp in comps:
        local = {g: i for i, g in enumerate(comp)}
        sub_edges = [(local[a], local[b], t) for a, b, t in edges if a in local]
        sub_room = {(local[a], local[b]): r for (a, b), r in room.items() if a in local}
        sub_dims = [dims[g] for g in comp]
        sp, _ = force_layout(len(comp), [(a, b) for a, b, _ in sub_edges], sub_dims, width,
                             GAP_X, GAP_Y)
        sp, _, _ = separate(sp, sub_dims, sub_edges, width, GAP_X, GAP_Y, sub_room)
        x0 = min(x - d[0] / 2 for (x, _), d in zip(sp, sub_dims))
        x1 = max(x + d[0] / 2 for (x, _), d in zip(sp, sub_dims))
        y0 = min(y - d[1] / 2 for (_, y), d in zip(sp, sub_dims))
        y1 = max(y + d[1] / 2 for (_, y), d in zip(sp, sub_dims))
        w, h = min(x1 - x0, width), y1 - y0
        best = None
        for a, b, _ in sky:  # candidates: flush left or right with a skyline segment
            for x in (a, b - w):
                x = min(max(0.0, x), width - w)
                top = max(y for sa, sb, y in sky if sa < x + w - 1e-6 and sb > x + 1e-6)
                if best is None or (top, x) < best:
                    best = (top, x)
        top, x = best
        for g, (px, py) in zip(comp, sp):
            pos[g] = (x + px - x0, top + py - y0)
        # the space a group takes keeps a gap free around it
        sky = _raise(sky, max(0.0, x - GAP_X), min(width, x + w + GAP_X), top + h + 2 * GAP_Y)
        right = max(right, x + w)
    shift = (width - right) / 2
    height = max(y for _, _, y in sky) - 2 * GAP_Y
    return [(float(x + shift), float(y)) for x, y in pos], float(height)


def _raise(sky, x0, x1, y):
    """The skyline with [x0, x1] raised to ``y``."""
    out = []
    for a, b, v in sky:
        if b <= x0 or a >= x1:
            out.append((a, b, v))
            continue
        if a < x0:
            out.append((a, x0, v))
        if b > x1:
            out.append((x1, b, v))
    out.append((x0, x1, y))
    return sorted(out)


def _legend(pen: Pen, kinds: list[str], width: float) -> tuple[Scene, float]:
    """Swatches of the actor kinds on the map, as a scene to copy from: (scene, height)."""
    names = [k.replace("-", " ") for k in kinds]
    places, height = flow(pen, [(22.0, n) for n in names], width, 6.5)
    scene = pen.scene(width, height)
    for kind, name, (x, y) in zip(kinds, names, places):
        draw_node(scene, pen, kind, (x, y - 7.8, x + 18, y + 2.2), 0.6)
        scene.items.append(pen.text(x + 22, y, name, "regular", 6.5, pen.muted))
    return scene, height
