"""Arabic-script words as a reader sees them on the rendered page, and in figures.

Pages are rasterised by poppler (pdftoppm) and compared with a reference drawn here from the
same font: HarfBuzz shapes the logical string, and each glyph's outline (read with uharfbuzz's
draw functions, flattened by fontTools' BasePen) is filled where HarfBuzz placed it. A word drawn
unjoined or in the wrong order does not match (each test checks that such a wrong rendering is
told apart). Figure labels are checked in both formats: the PDF's vector text (text layer, glyph
ids, pixels) and the DOCX's picture (pixels). The core below the renderers (briefgen/fonts:
bidi, fallback) is checked on its own at the end.
"""
from __future__ import annotations

import io
import re
import subprocess

import pypdf
import pytest
import uharfbuzz as hb
from fontTools.pens.basePen import BasePen
from PIL import Image, ImageChops, ImageDraw

from briefgen.document.nodes import Figure, MapEdge, MapNode, RelationMapData, TimelineData, \
    TimelineEvent
from briefgen.figures.build import build_scene, figure_png
from briefgen.fonts import bidi
from briefgen.fonts.faces import amiri, dejavu_sans
from briefgen.fonts.fallback import face_runs
from briefgen.theme.model import default_theme

from .doc_fixture import para
from .test_render_pdf import doc_with, render
from .test_shaping import HARAKAT, harfbuzz_outlines, pdftotext, subset_outlines, word_boxes

SANS = str(dejavu_sans().regular)
ARABIC = str(amiri().regular)
DPI = 300
OVER = 4  # the reference is filled at OVER times its size, then reduced (anti-aliased)


class _Flat(BasePen):
    """Contours as polygons; BasePen splits TrueType's implied on-curve points."""

    def __init__(self, dx: float, scale: float):
        super().__init__(None)
        self.dx, self.scale = dx, scale
        self.contours: list[list[tuple[float, float]]] = []

    def _pt(self, p):
        return ((self.dx + p[0]) * self.scale, -p[1] * self.scale)

    def _moveTo(self, p):
        self.contours.append([self._pt(p)])

    def _lineTo(self, p):
        self.contours[-1].append(self._pt(p))

    def _curveToOne(self, c1, c2, p):
        (x0, y0) = self._getCurrentPoint()
        for i in range(1, 9):
            t = i / 8
            u = 1 - t
            self._lineTo((u ** 3 * x0 + 3 * u * u * t * c1[0] + 3 * u * t * t * c2[0] + t ** 3 * p[0],
                          u ** 3 * y0 + 3 * u * u * t * c1[1] + 3 * u * t * t * c2[1] + t ** 3 * p[1]))

    def _qCurveToOne(self, c, p):
        (x0, y0) = self._getCurrentPoint()
        for i in range(1, 9):
            t = i / 8
            u = 1 - t
            self._lineTo((u * u * x0 + 2 * u * t * c[0] + t * t * p[0],
                          u * u * y0 + 2 * u * t * c[1] + t * t * p[1]))


def reference(word: str, size_px: float, rtl: bool = True, joined: bool = True,
              font_path: str = "") -> Image.Image:
    """``word`` as HarfBuzz shapes it in ``font_path`` (Amiri, the face briefgen sets Arabic
    script in), ``size_px`` pixels to the em, black on
    white. ``joined=False``: each letter shaped alone (what an unshaped renderer shows);
    ``rtl=False``: the glyphs laid out left to right in logical order (unreordered)."""
    face = hb.Face(hb.Blob.from_file_path(font_path or ARABIC))
    font = hb.Font(face)
    glyphs = []
    for piece in ([word] if joined else list(word)):
        buf = hb.Buffer()
        buf.add_str(piece)
        buf.guess_segment_properties()
        hb.shape(font, buf, {})
        glyphs.append(list(zip(buf.glyph_infos, buf.glyph_positions)))
    if not joined and rtl:
        glyphs.reverse()  # letters alone, still right to left
    flat = [g for piece in glyphs for g in piece]
    if not rtl:
        flat.reverse()
    k = size_px * OVER / face.upem
    contours = []
    x = 0
    for info, pos in flat:
        pen = _Flat(x + pos.x_offset, k)
        pen.contours = []
        font.draw_glyph_with_pen(info.codepoint, pen)
        contours += [[(px, py - pos.y_offset * k) for px, py in c] for c in pen.contours]
        x += pos.x_advance
    xs = [p[0] for c in contours for p in c]
    ys = [p[1] for c in contours for p in c]
    w, h = int(max(xs) - min(xs)) + 2 * OVER, int(max(ys) - min(ys)) + 2 * OVER
    ink = Image.new("1", (w, h), 0)
    for c in contours:  # even-odd: the holes of letters are contours inside contours
        one = Image.new("1", (w, h), 0)
        ImageDraw.Draw(one).polygon([(px - min(xs) + OVER, py - min(ys) + OVER) for px, py in c],
                                    fill=1)
        ink = ImageChops.logical_xor(ink, one)
    return ImageChops.invert(ink.convert("L")).reduce(OVER)


def without_rules(image: Image.Image, limit: int = 140) -> Image.Image:
    """``image`` with every row (column) that is ink across nearly all its width (height) made
    white: a box's border a crop caught."""
    out = image.copy()
    px = out.load()
    rows = [y for y in range(out.height)
            if sum(px[x, y] < limit for x in range(out.width)) > 0.9 * out.width]
    cols = [x for x in range(out.width)
            if sum(px[x, y] < limit for y in range(out.height)) > 0.9 * out.height]
    for y in rows:
        for x in range(out.width):
            px[x, y] = 255
    for x in cols:
        for y in range(out.height):
            px[x, y] = 255
    return out


def ink_box(image: Image.Image, limit: int = 140):
    return image.point(lambda v: 255 if v < limit else 0).getbbox()


def likeness(actual: Image.Image, expected: Image.Image) -> float:
    """Intersection over union of the ink, each cropped to its ink and the reference scaled to
    the actual's box."""
    a = actual.convert("L").crop(ink_box(actual))
    e = expected.crop(ink_box(expected)).resize(a.size, Image.BILINEAR)
    a_ink = a.point(lambda v: 255 if v < 140 else 0).convert("1")
    e_ink = e.point(lambda v: 255 if v < 140 else 0).convert("1")
    inter = ImageChops.logical_and(a_ink, e_ink).histogram()[-1]
    union = ImageChops.logical_or(a_ink, e_ink).histogram()[-1]
    return inter / union


def page_crop(data: bytes, box: tuple[float, float, float, float], page: int = 1,
              pad: float = 1.0) -> Image.Image:
    """The page region ``box`` (points: x0, y0 from the top, x1, y1) rasterised by poppler."""
    x0, y0, x1, y1 = (v * DPI / 72 for v in (box[0] - pad, box[1] - pad, box[2] + pad,
                                             box[3] + pad))
    png = subprocess.run(["pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page),
                          "-x", str(int(x0)), "-y", str(int(y0)), "-W", str(int(x1 - x0) + 1),
                          "-H", str(int(y1 - y0) + 1), "-"], input=data,
                         capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png)).convert("L")


def word_box(data: bytes, word: str) -> tuple[float, float, float, float]:
    html = pdftotext(data, "-bbox", "-f", "1", "-l", "1")
    for x0, y0, x1, y1, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"'
                                        r' yMax="([\d.]+)">([^<]*)</word>', html):
        if w[::-1] == word:  # poppler gives an Arabic-script word's letters as drawn
            return float(x0), float(y0), float(x1), float(y1)
    raise AssertionError(f"{word!r} not on the page: {html}")


def assert_looks_like(actual: Image.Image, word: str, size_px: float) -> None:
    right = reference(word, size_px)
    score = likeness(actual, right)
    box, ref_box = ink_box(actual), ink_box(right)
    # the same size on the page as HarfBuzz's glyphs at that size (a pixel or two of rounding)
    assert abs((box[2] - box[0]) - (ref_box[2] - ref_box[0])) <= 3, (box, ref_box)
    assert abs((box[3] - box[1]) - (ref_box[3] - ref_box[1])) <= 3, (box, ref_box)
    # Amiri's thin strokes at ~30 px to the em, rasterised by poppler or Pillow on one side and
    # by polygon filling here: the right word overlaps ~0.70-0.85, a wrong rendering under 0.3
    assert score > 0.65, score
    for wrong in (reference(word, size_px, joined=False), reference(word, size_px, rtl=False)):
        assert likeness(actual, wrong) < score - 0.25  # the check tells a wrong rendering apart


@pytest.mark.parametrize("word", ["پښتو", "ګران"])
def test_a_pashto_word_in_the_body_looks_as_harfbuzz_draws_it(word):
    data = render(doc_with(para(f"{word} {word}.")))
    size = default_theme().body_size
    assert_looks_like(page_crop(data, word_box(data, word)), word, size * DPI / 72)


# --- figures --------------------------------------------------------------------------------

WIDTH = 595.2756 - 68 - 68
NODES = ["پښتو", "ګران", "Uzbekistan"]


def relation_figure() -> Figure:
    # organisations: dark letters on a light box
    nodes = [MapNode(f"a{i}", name, "organisation") for i, name in enumerate(NODES)]
    edges = [MapEdge("a0", "a1", "همکاری"), MapEdge("a1", "a2", "talks with")]
    return Figure("relation-map", RelationMapData(nodes, edges), "Relations", line=1)


def timeline_figure() -> Figure:
    import datetime as dt
    events = [TimelineEvent(dt.date(2024, 1, 10), dt.date(2024, 1, 10),
                            "10 January 2024: پښتو ګران", "high"),
              TimelineEvent(dt.date(2024, 3, 5), dt.date(2024, 3, 5),
                            "5 March 2024: Talks in Tashkent: همکاری‌های نزدیک‌تر", "medium"),
              TimelineEvent(dt.date(2024, 6, 1), dt.date(2024, 6, 1),
                            "1 June 2024: " + HARAKAT, "medium")]
    return Figure("timeline", TimelineData(events), "Developments", line=1)


def label(fig: Figure, text: str):
    return next(t for t in build_scene(fig, WIDTH, default_theme()).texts() if t.text == text)


@pytest.fixture(scope="module")
def figure_pdf() -> bytes:
    return render(doc_with(relation_figure(), timeline_figure()))


def test_figure_labels_keep_a_logical_text_layer(figure_pdf):
    layer = pdftotext(figure_pdf)
    for text in ("پښتو", "ګران", "همکاری", "همکاری‌های نزدیک‌تر"):  # ZWNJ kept
        assert text in layer, layer
    # pdftotext moves raised marks to a line of their own (test_shaping.py): pypdf keeps them
    assert HARAKAT in pypdf.PdfReader(io.BytesIO(figure_pdf)).pages[0].extract_text()


def test_an_rtl_label_in_a_mixed_line_reads_right_to_left_inside_it(figure_pdf):
    boxes = {b[0]: b for b in word_boxes(figure_pdf)}
    # left to right on the page: "Tashkent:", then the Dari words read from the right
    assert boxes["Tashkent:"][2] < boxes["نزدیک\u200cتر"][1] < boxes["همکاری\u200cهای"][1]


def test_figure_glyphs_are_harfbuzzs_for_the_same_string_and_font(figure_pdf):
    drawn = subset_outlines(figure_pdf, "Amiri-Regular")  # the face the body sets them in too
    for word in ("پښتو", "ګران", "همکاری"):
        expected = harfbuzz_outlines(word, ARABIC)
        assert any(drawn[i:i + len(expected)] == expected for i in range(len(drawn))), word


def test_an_rtl_figure_label_looks_as_harfbuzz_draws_it_in_the_pdf(figure_pdf):
    item = label(relation_figure(), "پښتو")
    # poppler's word box is the advance and the font's height: Amiri's ink reaches past it at
    # the sides, and below it the actor box's border runs (whitened: not the word's ink)
    crop = without_rules(page_crop(figure_pdf, word_box(figure_pdf, "پښتو"), pad=2))
    assert_looks_like(crop, "پښتو", item.size * DPI / 72)


@pytest.mark.parametrize("word", ["پښتو", "ګران"])
def test_an_rtl_figure_label_looks_as_harfbuzz_draws_it_in_the_docx_picture(word):
    fig = relation_figure()
    item = label(fig, word)
    png = Image.open(io.BytesIO(figure_png(fig, WIDTH, default_theme(), dpi=DPI))).convert("L")
    k = DPI / 72
    x0, y0, x1, y1 = item.box
    # the label's box is the advance and a Latin face's height; Amiri's descenders reach
    # lower (still inside the actor's box: its border is further out)
    pad = 0.3 * item.size  # Amiri's swash of و reaches left of its advance too
    crop = without_rules(png.crop((int((x0 - pad) * k), int((y0 - 0.5) * k),
                                   int((x1 + pad) * k) + 1, int((y1 + pad) * k) + 1)))
    assert_looks_like(crop, word, item.size * k)


def test_a_figure_label_falls_back_to_a_face_that_has_its_letters():
    # a theme whose every family lacks Arabic: the label draws from its fallback, else from
    # the built-in Arabic-script face (Amiri), as the body does; the theme's own fallback comes
    # first for an Arabic-script run, even over a DejaVu pen face that has some of the letters
    import dataclasses
    from briefgen.fonts.faces import dejavu_serif
    serif = dataclasses.replace(default_theme(), heading_font=dejavu_serif(),
                                body_font=dejavu_serif(), mono_font=dejavu_serif(),
                                fallback_fonts=[dejavu_sans()])
    item = next(t for t in build_scene(relation_figure(), WIDTH, serif).texts()
                if t.text == "پښتو")
    assert item.runs is not None and {run.path for run in item.runs} == {SANS}
    assert [g[0] for run in item.runs for g in run.glyphs] == \
        [info.codepoint for info in _shape("پښتو")]
    for theme in (dataclasses.replace(serif, fallback_fonts=[]), default_theme()):
        built_in = next(t for t in build_scene(relation_figure(), WIDTH, theme).texts()
                        if t.text == "پښتو")
        assert {run.path for run in built_in.runs} == {ARABIC}
        assert [g[0] for run in built_in.runs for g in run.glyphs] == \
            [info.codepoint for info in _shape("پښتو", ARABIC)]


def _shape(text: str, path: str = SANS):
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(hb.Font(hb.Face(hb.Blob.from_file_path(path))), buf, {"kern": True, "liga": True})
    return buf.glyph_infos


# --- the core below the renderers -----------------------------------------------------------

def test_base_direction_comes_from_the_language_where_one_is_known():
    assert bidi.base_level("Kabul") == 0 and bidi.base_level("۱۲ کابل") == 1
    assert bidi.base_level("Kabul", "ps") == 1  # a Pashto field starting with a Latin name
    assert bidi.base_level("کابل", "en") == 0
    assert bidi.base_level("Kabul", "uz-Arab") == 1 and bidi.base_level("کابل", "fa-Latn") == 0
    assert bidi.base_level("2025", default="fa-AF") == 1  # no strong letter: the document's
    assert bidi.base_level("2025") == 0 and bidi.base_level("Kabul", "no such tag!") == 0


def test_lines_are_filled_in_logical_order_and_a_zwnj_stays_inside_its_word():
    text = "می‌خواهند همکاری‌های نزدیک‌تر"
    lines = bidi.fill_lines(bidi.words(text, 0, len(text)), lambda i, j: j - i, 20, 20)
    assert [text[i:j] for i, j, _ in lines] == ["می‌خواهند همکاری‌های", "نزدیک‌تر"]


def test_an_arabic_run_stays_whole_in_one_face():
    latin, both = frozenset("Kabul "), frozenset("Kabul طالبن")
    runs = face_runs("Kabul طالبان", [latin, frozenset("طالب"), both])
    assert runs == [(0, 6, 0), (6, 12, 2)]  # the face with every letter, not a split


def test_a_paragraph_without_a_strong_letter_takes_the_documents_direction():
    from briefgen.document.nodes import Document, DocumentInfo
    digits = "١٤٠٣ – ١٤٠٤"  # Arabic-Indic digits are not strong letters: P2 finds none

    def edges(language: str) -> tuple[float, float]:
        doc = Document(DocumentInfo(title="t", language=language), [para(digits)])
        boxes = [b for b in word_boxes(render(doc)) if "١" in b[0]]
        assert len(boxes) == 2
        return min(b[1] for b in boxes), max(b[2] for b in boxes)

    assert edges("en")[0] == pytest.approx(68, abs=1)  # left to right: at the left margin
    assert edges("fa-AF")[1] == pytest.approx(595.2756 - 68, abs=1)  # right-aligned


def test_an_rtl_figure_label_keeps_its_edge_in_the_html_svg():
    """The browser shapes SVG text itself; a right-to-left label is marked so, with its anchor
    turned so that it keeps the edge the layout placed (in RTL text "start" is the right edge)."""
    from briefgen.figures.svg import to_svg
    scene = build_scene(relation_figure(), WIDTH, default_theme())
    svg = to_svg(scene, "serif")
    for text in ("پښتو", "ګران"):
        item = next(t for t in scene.texts() if t.text == text)
        flipped = {"start": "end", "middle": "middle", "end": "start"}[item.anchor]
        assert re.search(rf'<text [^>]*direction="rtl" text-anchor="{flipped}"[^>]*>{text}</text>',
                         svg), svg
    latin = next(t for t in scene.texts() if t.text == "Uzbekistan")
    assert re.search(r'<text (?![^>]*direction)[^>]*>Uzbekistan</text>', svg)
    assert latin.runs is None
