"""The HTML output: one self-contained, well-formed, accessible file per brief, read back with
html.parser as a browser would build its tree (words and links are compared with the PDF and the
DOCX in test_parity.py)."""
from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build import prepared_document, theme_for
from briefgen.cli import main
from briefgen.document.markdown import parse_markdown
from briefgen.document.nodes import CopyInfo, DocumentInfo
from briefgen.document.resolve import resolve
from briefgen.loading import load_workspace
from briefgen.render.html.css import css_string
from briefgen.render.html.render import render_html
from briefgen.templating.environment import TemplateRenderer
from briefgen.theme.model import default_theme

from .test_parity import _every_kind

ROOT = Path(__file__).resolve().parent.parent
CREATED = datetime.datetime(2024, 10, 1, tzinfo=datetime.timezone.utc)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
# elements SVG writes self-closed
SVG_EMPTY = {"polyline", "rect", "circle", "polygon", "line", "path"}


class Tree(HTMLParser):
    """Elements as (tag, attrs, path of open tags); fails on a tag closed out of order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.elements: list[tuple[str, dict, tuple[str, ...]]] = []
        self.text_in: dict[str, list[str]] = {}
        self.data: list[tuple[tuple[str, ...], str]] = []
        self.doctype = ""

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self.open)))
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs), tuple(self.open)))

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1:]}>"
        self.open.pop()

    def handle_data(self, data):
        self.data.append((tuple(self.open), data))

    def all(self, tag: str) -> list[dict]:
        return [attrs for t, attrs, _ in self.elements if t == tag]


def tree(data: bytes) -> Tree:
    t = Tree()
    t.feed(data.decode("utf-8"))
    t.close()
    assert not t.open, f"unclosed: {t.open}"
    return t


@pytest.fixture(scope="module")
def sample_pages():
    workspace = load_workspace(ROOT)
    renderer = TemplateRenderer(workspace.templates_dir)
    theme = theme_for(workspace)
    out = {}
    for brief_id, brief in sorted(workspace.corpus.briefs.items()):
        doc, _ = prepared_document(workspace, brief, renderer)
        out[brief_id] = render_html(doc, theme, CREATED)
    return out


def test_every_sample_brief_is_well_formed_self_contained_and_accessible(sample_pages):
    for brief_id, data in sample_pages.items():
        t = tree(data)
        assert t.doctype == "DOCTYPE html"
        assert t.all("html")[0]["lang"] == "en"
        # one document title (a figure's alt text is its svg's own <title>)
        assert len([p for tag, _, p in t.elements if tag == "title" and "svg" not in p]) == 1
        assert len(t.all("style")) == 1
        # no request leaves the file: no scripts, no stylesheets or pictures fetched
        assert not t.all("script") and not t.all("link") and not t.all("iframe")
        for attrs in t.all("img"):
            assert attrs["src"].startswith(("data:image/png;base64,", "data:image/jpeg;base64,"))
            assert "alt" in attrs
        # the one url(): the embedded script face (render/html/fonts.py), a data: URL
        assert re.findall(rb"url\((?!data:font/ttf;base64,)", data) == []
        assert b"@import" not in data
        # only safe link schemes; every internal link leads to an element of the page
        ids = [a["id"] for _, a, _ in t.elements if "id" in a]
        assert len(ids) == len(set(ids)), f"{brief_id}: duplicate ids"
        for attrs in t.all("a"):
            href = attrs["href"]
            assert re.match(r"(https?://[^/]|mailto:.|#)", href), href
            if href.startswith("#"):
                assert href[1:] in ids, f"{brief_id}: {href} leads nowhere"
        # the marking is a banner first and last in the body
        body = [(tag, a) for tag, a, path in t.elements if path == ("html", "body")]
        for tag, attrs in (body[0], body[-1]):
            assert "marking" in attrs.get("class", ""), body[0]
        # headings: one title, levels never skip down more than one
        levels = [int(tag[1]) for tag, _, _ in t.elements if re.fullmatch(r"h[1-6]", tag)]
        assert levels and levels[0] == 1
        for a, b in zip(levels, levels[1:]):
            assert b <= a + 1, f"{brief_id}: h{a} followed by h{b}"
        for tag, attrs, path in t.elements:
            if tag == "th":
                assert attrs.get("scope") == "col" and "thead" in path
            if tag == "svg":
                assert path[-1] == "figure" and attrs.get("role") == "img"
                assert "aria-label" in attrs or "aria-labelledby" in attrs
        figures = [path for tag, _, path in t.elements if tag == "figcaption"]
        assert all(p[-1] == "figure" for p in figures)
    policy = tree(sample_pages["afghanistan-central-asia"])
    assert len(policy.all("svg")) == 2 and policy.all("nav") and policy.all("th")


def test_the_sample_policy_brief_looks_as_its_theme_says(sample_pages):
    page = sample_pages["afghanistan-central-asia"].decode()
    style = page[page.index("<style>"):page.index("</style>")]
    theme = default_theme("A4")
    for value in (theme.heading_colour, theme.link_colour, theme.table_header_fill):
        assert value.upper() in style
    assert '"DejaVu Serif", serif' in style and '"DejaVu Sans", sans-serif' in style
    assert "@media print" in style and "@page{size:A4" in style
    assert '@top-center{content:"TLP:AMBER";background:#000000;color:#FFC000' in style  # the marking on every printed page


def test_the_same_document_gives_the_same_bytes():
    one = render_html(resolve(_every_kind()), default_theme("A4"), CREATED)
    two = render_html(resolve(_every_kind()), default_theme("A4"), CREATED)
    assert one == two


def test_figures_are_inline_svg_named_by_their_alt_text_or_caption():
    doc = resolve(_every_kind())
    figure = next(b for b in doc.children if type(b).__name__ == "Figure")
    generated = tree(render_html(doc, default_theme("A4"), CREATED)).all("svg")[0]
    assert figure.alt and generated["aria-label"] == figure.alt  # resolve described the data
    figure.alt = ""  # without alt text the caption names the figure
    plain = tree(render_html(doc, default_theme("A4"), CREATED))
    svg = plain.all("svg")[0]
    assert svg["aria-labelledby"] == "figure:1" and svg["viewbox"].startswith("0 0 ")
    assert {"id": "figure:1"} in plain.all("figcaption")
    labels = [d for path, d in plain.data if "svg" in path and d.strip()]
    assert "Kabul" in " ".join(labels)  # the timeline's own labels, drawn as SVG text

    doc = resolve(_every_kind())
    figure = next(b for b in doc.children if type(b).__name__ == "Figure")
    figure.alt = 'Timeline of 2 events: <Kabul> & "talks"'
    data = render_html(doc, default_theme("A4"), CREATED)
    svg = tree(data).all("svg")[0]
    assert svg["aria-label"] == figure.alt and "aria-labelledby" not in svg
    assert b"&lt;Kabul&gt; &amp; &quot;talks&quot;" in data


def test_right_to_left_text_carries_lang_and_dir():
    doc = resolve(parse_markdown(
        "# Title\n\nThe word دولت اسلامی in a sentence.\n\nدولت اسلامی خراسان\n",
        DocumentInfo(title="T")))
    data = render_html(doc, default_theme("A4"), CREATED).decode()
    assert '<span lang="fa-IR" dir="rtl">دولت اسلامی</span> in a sentence' in data
    assert '<p dir="rtl"><span lang="fa-IR" dir="rtl">دولت اسلامی خراسان</span></p>' in data


def test_notes_without_a_list_are_printed_at_the_end_and_linked():
    doc = resolve(parse_markdown("# T\n\nA claim.[^1]\n\n[^1]: The [source](https://example.org).\n",
                                 DocumentInfo(title="T")))
    t = tree(render_html(doc, default_theme("A4"), CREATED))
    assert {"href": "#note:1", "id": "cite:1", "role": "doc-noteref",
            "aria-label": "Note 1"} in t.all("a")
    assert {"href": "#cite:1", "role": "doc-backlink", "aria-label": "Back to the text"} \
        in t.all("a")
    assert any(a.get("id") == "note:1" for a in t.all("li"))
    assert t.all("section")[0]["role"] == "doc-endnotes"


def test_a_numbered_copy_and_a_watermark_are_furniture():
    doc = _every_kind()
    doc.info.copy = CopyInfo(2, 3, "Desk <two>")
    doc.info.watermark = "DRAFT <x>"
    data = render_html(resolve(doc), default_theme("A4"), CREATED).decode()
    assert ('<p class="copy furniture"><strong>Copy 2 of 3</strong><br>Issued to: '
            '<strong>Desk &lt;two&gt;</strong></p>') in data
    assert '<div class="watermark furniture" aria-hidden="true">DRAFT &lt;x&gt;</div>' in data


def test_a_marking_cannot_leave_its_css_string():
    assert css_string('A"B\\C</style>') == '"A\\000022B\\00005cC\\00003c/style\\00003e"'
    doc = _every_kind()
    doc.info.marking = 'X"}</style><script>alert(1)</script>'
    data = render_html(resolve(doc), default_theme("A4"), CREATED)
    t = tree(data)
    assert not t.all("script") and len(t.all("style")) == 1
    assert data.count(b"</style>") == 1


def test_build_writes_html_alone_or_with_all_formats(tmp_path):
    result = CliRunner().invoke(main, ["build", "one-pager-2024", "-w", str(ROOT), "-f", "html",
                                       "-o", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["one-pager-2024.html"]
    result = CliRunner().invoke(main, ["build", "one-pager-2024", "-w", str(ROOT), "-f", "all",
                                       "-o", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == [
        "one-pager-2024.docx", "one-pager-2024.html", "one-pager-2024.pdf"]
    assert (tmp_path / "a/one-pager-2024.html").read_bytes() == \
        (tmp_path / "b/one-pager-2024.html").read_bytes()


def test_html_in_a_brief_formats(tmp_path):
    from .conftest import write_workspace
    root = write_workspace(tmp_path / "ws", {
        "content/briefs/b.yaml": "title: T\ndate: 2024-01\nformats: [html]\n"})
    result = CliRunner().invoke(main, ["build", "-w", str(root)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (root / "output").iterdir()) == ["b.html"]


def test_the_svg_backend_draws_every_item_kind_and_escapes_its_text():
    from briefgen.figures.scene import Circle, Line, Polygon, Rect, Scene, TextItem
    from briefgen.figures.svg import to_svg
    scene = Scene(100.0, 50.0, [
        Rect(1, 2, 30, 10.5, "#eef2f7", "#14325c", 0.5, 2.0),
        Line([(0, 0), (10, 10), (20, 0)], "#000000", 0.75, (2.0, 1.0)),
        Circle(5, 5, 3, "#FF0000"),
        Polygon([(0, 0), (4, 0), (2, 3)], "#00FF00", None),
        TextItem(10, 20, '<b>"x" & y</b>', "bold", 7.0, "#1A1A1A", "middle"),
    ])
    svg = to_svg(scene, '"DejaVu Sans", sans-serif')
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50" '
                          'width="100pt" height="50pt" font-family="&quot;DejaVu Sans&quot;, '
                          'sans-serif" aria-hidden="true">')
    assert '<rect x="1" y="2" width="30" height="10.5" rx="2" fill="#EEF2F7" stroke="#14325C" ' \
           'stroke-width="0.5"/>' in svg
    assert 'points="0,0 10,10 20,0" fill="none" stroke="#000000" stroke-width="0.75" ' \
           'stroke-dasharray="2 1"/>' in svg
    assert '<circle cx="5" cy="5" r="3" fill="#FF0000"/>' in svg
    assert '<polygon points="0,0 4,0 2,3" fill="#00FF00"/>' in svg
    assert ('<text x="10" y="20" font-size="7" fill="#1A1A1A" font-weight="bold" '
            'text-anchor="middle">&lt;b&gt;"x" &amp; y&lt;/b&gt;</text>') in svg
    named = to_svg(scene, "serif", label='A "map"')
    assert 'role="img" aria-label="A &quot;map&quot;"><title>A "map"</title>' in named
    with pytest.raises(ValueError, match="not #rrggbb"):
        to_svg(Scene(1, 1, [Circle(0, 0, 1, 'red"/><script>')]), "serif")


def test_boxes_have_roles_and_names_where_they_mean_something():
    t = tree(render_html(resolve(_every_kind()), default_theme("A4"), CREATED))
    divs = t.all("div")
    assert {"class": "box bluf", "role": "region", "aria-label": "Bottom line"} in divs
    assert {"class": "box warning", "role": "note", "aria-label": "Warning"} in divs
    assert all("aria-label" not in d or "role" in d for d in divs)


def test_a_right_to_left_list_item_has_its_marker_on_the_right():
    """As in the PDF and the DOCX, each item's direction is its own first strong letter's."""
    doc = resolve(parse_markdown(
        "# Title\n\n1. دولت اسلامی خراسان\n2. Talks in Tashkent\n\n- همکاری‌های امنیتی\n",
        DocumentInfo(title="T")))
    data = render_html(doc, default_theme("A4"), CREATED).decode()
    items = re.findall(r"<li( dir=\"rtl\")?>", data)
    assert items == [' dir="rtl"', "", ' dir="rtl"']
    assert "li[dir=rtl]{margin-right:" in data  # room for the marker on the right
