"""The figures' PNG backend (Pillow) and the plain-Python relation map layout.

The PNGs are checked by their pixels: shapes where the scene puts them in their colours, text
inside its measured box, dashes with gaps, smooth edges. The layout is checked against the numpy
implementation it replaced, bit for bit, so that PDF and DOCX maps stay as they were.
"""
import io
import math
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from briefgen.figures import draw as figures_draw, layout as figures_layout
from briefgen.figures.build import figure_png, figure_size
from briefgen.figures.draw import to_png
from briefgen.figures.scene import Circle, Line, Pen, Polygon, Rect
from briefgen.theme.model import default_theme

from .test_figures import WIDTH, relation_map, sample_figures, timeline

THEME = default_theme()
DPI = 200
K = DPI / 72  # pixels per point
ROOT = Path(__file__).resolve().parent.parent
NAVY, RED, WHITE = (0x14, 0x32, 0x5C), (0x9B, 0x1C, 0x1C), (255, 255, 255)


def pixels(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.mode == "RGB"
    return image


def at(image: Image.Image, x: float, y: float):
    """The pixel under the scene point (x, y), in points."""
    return image.getpixel((int(x * K), int(y * K)))


def dark(image: Image.Image, box, limit: int = 160) -> int:
    """How many pixels inside ``box`` (points: x0, y0, x1, y1) are darker than ``limit``."""
    x0, y0, x1, y1 = (max(0, int(v * K)) for v in box)
    crop = image.crop((x0, y0, min(x1, image.width), min(y1, image.height))).convert("L")
    return sum(crop.histogram()[:limit])


def scene(width=300.0, height=120.0):
    pen = Pen(THEME)
    return pen, pen.scene(width, height)


# --- the file ----------------------------------------------------------------------------

def test_png_is_rgb_on_white_with_its_resolution_and_nothing_else():
    png = figure_png(sample_figures()["timeline"], WIDTH, THEME, dpi=DPI)
    image = pixels(png)
    assert image.width == round(WIDTH / 72 * DPI)
    assert image.info["dpi"] == pytest.approx((DPI, DPI), abs=0.01)
    assert image.getpixel((0, image.height - 1)) == WHITE
    chunks, at_ = [], 8
    while at_ < len(png):
        length = int.from_bytes(png[at_:at_ + 4], "big")
        chunks.append(png[at_ + 4:at_ + 8])
        at_ += 12 + length
    assert chunks == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]  # no time, no software, no text


def test_same_bytes_with_a_cold_and_a_warm_glyph_cache():
    fig = timeline(12)
    figures_draw._GLYPHS.clear()
    figures_draw._FONTS.clear()
    cold = figure_png(fig, WIDTH, THEME)
    assert figure_png(fig, WIDTH, THEME) == cold


def test_figure_png_imports_neither_matplotlib_nor_reportlab_nor_numpy():
    code = """if True:
        import sys
        from datetime import date
        from briefgen.document.nodes import (Figure, MapEdge, MapNode, RelationMapData,
                                       TimelineData, TimelineEvent)
        from briefgen.figures.build import figure_png, figure_size
        from briefgen.theme.model import default_theme
        theme = default_theme()
        nodes = [MapNode(f"a{i}", f"Актор {i}", "state") for i in range(30)]
        edges = [MapEdge(f"a{i % 30}", f"a{(i * 7 + 3) % 30}", "funds") for i in range(40)]
        events = [TimelineEvent(date(2020, 1 + i % 12, 1), date(2020, 1 + i % 12, 1),
                                f"{i} May 2020: event {i}", "high") for i in range(20)]
        for fig in (Figure("relation-map", RelationMapData(nodes, edges)),
                    Figure("timeline", TimelineData(events))):
            figure_size(fig, 459.0, theme)
            figure_png(fig, 459.0, theme)
        bad = [m for m in ("matplotlib", "reportlab", "numpy", "fontTools") if m in sys.modules]
        assert not bad, bad
    """
    subprocess.run([sys.executable, "-c", code], check=True, cwd=str(ROOT))


# --- shapes -------------------------------------------------------------------------------

def test_filled_shapes_are_in_their_colour_where_the_scene_puts_them():
    _, sc = scene()
    sc.items += [Rect(10, 10, 60, 30, "#14325C"),
                 Circle(120, 25, 15, "#9B1C1C"),
                 Polygon([(170, 10), (230, 10), (200, 40)], "#14325C")]
    image = pixels(to_png(sc, DPI))
    assert at(image, 40, 25) == NAVY  # inside the rectangle, exactly its colour
    assert at(image, 120, 25) == RED
    assert at(image, 200, 18) == NAVY
    for x, y in ((8, 25), (72, 25), (40, 8), (40, 42), (120, 8), (138, 25), (200, 45),
                 (172, 35)):  # just outside each shape
        assert at(image, x, y) == WHITE, (x, y)


def test_strokes_are_centred_on_the_outline_and_the_fill_is_inside():
    _, sc = scene()
    sc.items += [Rect(20, 20, 100, 60, "#FFFFFF", "#9B1C1C", 4.0, 8.0),
                 Circle(200, 50, 30, None, "#14325C", 4.0)]
    image = pixels(to_png(sc, DPI))
    assert at(image, 70, 20) == RED and at(image, 20, 50) == RED  # on the outline
    assert at(image, 70, 18.6) == RED and at(image, 70, 21.4) == RED  # 2 pt either side
    assert at(image, 70, 16.5) == WHITE and at(image, 70, 24) == WHITE
    assert at(image, 19, 19) == WHITE  # the rounded corner is cut off
    assert at(image, 21.5, 21.5) == RED  # ... along the curve of the stroke
    assert at(image, 200, 20) == NAVY and at(image, 230, 50) == NAVY
    assert at(image, 200, 50) == WHITE  # an outline only: the inside stays clear


def test_dashed_lines_have_gaps_and_solid_lines_do_not():
    _, sc = scene()
    sc.items += [Line([(10, 30), (290, 30)], "#000000", 2.0, (6.0, 4.0)),
                 Line([(10, 60), (290, 60)], "#000000", 2.0)]
    image = pixels(to_png(sc, DPI)).convert("L")
    dashed = [image.getpixel((x, int(30 * K))) for x in range(int(10 * K), int(290 * K))]
    solid = [image.getpixel((x, int(60 * K))) for x in range(int(10 * K) + 1, int(290 * K) - 1)]
    assert max(solid) < 60
    runs = sum(1 for a, b in zip(dashed, dashed[1:]) if a < 128 <= b)  # dash ends
    assert runs == 28  # 280 pt of a 10 pt period
    assert dashed[round(2 * K)] < 60 and dashed[round(8 * K)] == 255  # on at 2 pt, off at 8 pt


def test_edges_are_anti_aliased():
    _, sc = scene()
    sc.items += [Line([(10, 10), (290, 100)], "#000000", 1.0), Circle(60, 80, 20, "#000000")]
    grey = pixels(to_png(sc, DPI)).convert("L").histogram()
    assert sum(grey[40:215]) > 200  # many shades between black and white, not two colours


def test_a_shape_across_the_bands_of_the_canvas_is_drawn_whole():
    _, sc = scene(200.0, 400.0)  # 1111 pixel rows: many bands
    sc.items.append(Line([(100, 5), (100, 395)], "#000000", 1.5))
    image = pixels(to_png(sc, DPI)).convert("L")
    column = [image.getpixel((int(100 * K), y)) for y in range(int(6 * K), int(394 * K))]
    assert max(column) < 80


# --- text ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,face,anchor,x", [
    ("Taliban regain control of Kabul", "regular", "start", 20),
    ("Ташкент & <Δελφοί> — $x$", "bold", "middle", 150),
    ("Абдусалом Азизов <b>x</b> & co", "italic", "end", 280),
])
def test_text_is_drawn_inside_its_measured_box(text, face, anchor, x):
    pen, sc = scene(300.0, 40.0)
    item = pen.text(x, 24, text, face, 9.0, "#000000", anchor)
    sc.items.append(item)
    image = pixels(to_png(sc, DPI))
    x0, top, x1, bottom = item.box
    inside = dark(image, (x0, top, x1, bottom))
    assert inside > 150
    assert dark(image, (0, 0, 300, 40)) - dark(image, (x0 - 1, top - 2, x1 + 1, bottom + 2)) == 0
    # the ink starts and ends where the layout measured the text (within a pixel or so)
    ink = image.convert("L").point(lambda v: 255 if v < 160 else 0).getbbox()
    assert abs(ink[0] - x0 * K) <= 3 and abs(ink[2] - x1 * K) <= 3


def test_glyphs_sit_at_the_measured_advances_in_a_long_label():
    """Whole-string drawing with hinted advances drifts; glyph by glyph at the layout's
    advances, the last glyph of a long label ends where the layout says."""
    pen, sc = scene(460.0, 30.0)
    text = "m" * 60  # 395 pt
    item = pen.text(5, 20, text, "regular", 7.5, "#000000")
    sc.items.append(item)
    ink = pixels(to_png(sc, DPI)).convert("L").point(lambda v: 255 if v < 160 else 0).getbbox()
    assert abs(ink[2] - item.box[2] * K) <= 2.5


def test_text_colour_is_the_items_colour():
    pen, sc = scene(300.0, 40.0)
    sc.items.append(pen.text(10, 30, "HHHHHHHHHH", "bold", 20.0, "#9B1C1C"))
    colours = pixels(to_png(sc, DPI)).getcolors(1 << 16)
    assert max(colours)[1] == WHITE
    assert RED in {c for _, c in colours}  # solid stems in exactly the text colour


# --- the relation map layout: plain Python, the same numbers as the numpy version ----------

def numpy_force_layout(n, edges, dims, width, gx, gy):
    """The numpy force layout that figures_layout.force_layout replaced (verbatim)."""
    np = pytest.importorskip("numpy")
    L = figures_layout
    if n == 1:
        return [(width / 2, dims[0][1] / 2)], dims[0][1]
    w = np.array([d[0] for d in dims])
    h = np.array([d[1] for d in dims])
    squeeze = min(2.5, max(1.0, 0.6 * w.mean() / h.mean()))
    wn = width / squeeze
    k = math.sqrt(((w + 2 * gx) / squeeze * (h + 2 * gy)).mean() * L.KF)
    pos = np.zeros((n, 2))
    golden = math.pi * (3 - math.sqrt(5))
    for rank, i in enumerate(L._bfs_order(n, edges)):
        r = math.sqrt(rank + 0.5) * k * 0.6
        pos[i] = (wn / 2 + r * math.cos(rank * golden), r * math.sin(rank * golden))
    pairs = sorted({(min(a, b), max(a, b)) for a, b in edges if a != b})
    src = np.array([a for a, _ in pairs], dtype=int)
    dst = np.array([b for _, b in pairs], dtype=int)
    lo, hi = w / 2 / squeeze, wn - w / 2 / squeeze
    t0 = max(wn, k * math.sqrt(n)) / 5
    for it in range(L.ITERATIONS):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = (delta ** 2).sum(-1) + 1e-2
        disp = ((k * k / d2)[:, :, None] * delta).sum(1)
        if len(pairs):
            dv = pos[src] - pos[dst]
            f = dv * (np.sqrt((dv ** 2).sum(-1)) / k)[:, None]
            np.add.at(disp, src, -f)
            np.add.at(disp, dst, f)
        disp += (np.array([wn / 2, pos[:, 1].mean()]) - pos) * L.GRAVITY
        length = np.sqrt((disp ** 2).sum(-1)) + 1e-9
        temp = t0 * (1 - it / L.ITERATIONS) + 0.3
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        pos[:, 0] = np.clip(pos[:, 0], lo, hi)
    pos[:, 1] -= (pos[:, 1] - h / 2).min()
    height = float((pos[:, 1] + h / 2).max())
    return [(float(x) * squeeze, float(y)) for x, y in pos], height


def force_layout_calls(monkeypatch, figs):
    calls = []
    real = figures_layout.force_layout

    def spy(*args):
        calls.append(args)
        return real(*args)

    import briefgen.figures.relation_map as figures_map
    monkeypatch.setattr(figures_map, "force_layout", spy)
    for fig in figs:
        figure_size(fig, WIDTH, THEME)
    return calls


def test_force_layout_is_bit_for_bit_the_numpy_layout(monkeypatch):
    calls = force_layout_calls(monkeypatch, [relation_map(3, 3), relation_map(9, 12),
                                             relation_map(24, 40), relation_map(50, 80)])
    assert max(args[0] for args in calls) >= 40  # a 40+ actor group: pairwise sums of 8+
    for args in calls:
        assert figures_layout.force_layout(*args) == numpy_force_layout(*args), args[0]


def test_pairwise_mean_is_numpys_mean():
    np = pytest.importorskip("numpy")
    for n in (1, 5, 8, 9, 17, 64, 127, 128, 129, 300, 1000):
        values = [math.sin(i * 1.7) * 10 ** (i % 7) for i in range(n)]
        assert figures_layout._mean(values) == np.array(values).mean(), n


# --- the DOCX lays figures out for the PDF's width -----------------------------------------

def test_docx_figure_in_the_full_text_width_is_laid_out_for_the_pdf_width():
    from types import SimpleNamespace

    from briefgen.render.docx.figures import figure_width

    writer = SimpleNamespace(theme=THEME)
    twips = round(WIDTH * 20)  # the DOCX text width: the PDF's, rounded to twips
    assert twips / 20 != WIDTH
    assert figure_width(writer.theme, twips) == WIDTH
    assert figure_width(writer.theme, twips - 720) == (twips - 720) / 20
