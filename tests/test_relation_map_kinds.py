"""Actor kinds on the relation map stay distinguishable in every theme: each two kinds differ in
fill, and in outline colour or shape, read from the map's legend as both renderers draw it."""
import dataclasses
import itertools
from pathlib import Path

import pytest

from briefgen.document.nodes import Figure, MapEdge, MapNode, RelationMapData
from briefgen.figures.build import build_scene
from briefgen.figures.scene import Polygon, Rect, TextItem
from briefgen.theme.loader import builtin_theme_names, load_theme

from .test_figures import KINDS, WIDTH

BUILTIN = {name: load_theme(name, Path(".")).theme for name in builtin_theme_names()}
CUSTOM = {f"accent {c}": dataclasses.replace(BUILTIN["default"], accent_colour=c)
          for c in ("#C8102E", "#E11D48", "#555555", "#2E7D32", "#A0640F", "#6B21A8")}


def _lab(colour):
    """CIE L*a*b* of an sRGB colour (D65)."""
    rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [((v + 0.055) / 1.055) ** 2.4 if v > 0.04045 else v / 12.92 for v in rgb]
    xyz = ((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
           0.2126 * r + 0.7152 * g + 0.0722 * b,
           (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883)
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e(a, b):
    return sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b))) ** 0.5


LEGEND_NAMES = {k.replace("-", " ") for k in KINDS}


def legend(theme):
    """{kind name as the legend prints it: (fill, stroke, shape)} of a map with every kind."""
    nodes = [MapNode(f"a{i}", f"Actor {i}", kind) for i, kind in enumerate(KINDS)]
    edges = [MapEdge(f"a{i}", f"a{i + 1}", "works with") for i in range(len(KINDS) - 1)]
    scene = build_scene(Figure("relation-map", RelationMapData(nodes, edges)), WIDTH, theme)
    out = {}
    for swatch, name in zip(scene.items, scene.items[1:]):
        if (isinstance(name, TextItem) and isinstance(swatch, (Rect, Polygon))
                and name.text in LEGEND_NAMES):
            if isinstance(swatch, Rect):
                shape = ("pill" if swatch.radius >= swatch.h / 2 - 0.01 else
                         "rounded" if swatch.radius else "square")
            else:
                shape = f"{len(swatch.points)}-gon"
            out[name.text] = (swatch.fill, swatch.stroke, shape)
    return out


@pytest.mark.parametrize("theme", list(BUILTIN.values()) + list(CUSTOM.values()),
                         ids=list(BUILTIN) + list(CUSTOM))
def test_every_two_kinds_differ_in_fill_and_in_outline_or_shape(theme):
    kinds = legend(theme)
    assert len(kinds) == len(KINDS)
    for (ka, (fa, sa, shape_a)), (kb, (fb, sb, shape_b)) in itertools.combinations(
            kinds.items(), 2):
        assert delta_e(fa, fb) >= 5, (ka, kb, fa, fb)
        assert delta_e(sa, sb) >= 10 or shape_a != shape_b, (ka, kb)


def test_a_red_accent_moves_armed_groups_off_red():
    kinds = legend(CUSTOM["accent #C8102E"])
    assert delta_e(kinds["organisation"][0], kinds["armed group"][0]) >= 10
    assert delta_e(kinds["organisation"][1], kinds["armed group"][1]) >= 20
