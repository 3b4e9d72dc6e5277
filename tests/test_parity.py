"""The PDF, the DOCX and the HTML of a brief carry the same words in the same order, the same
clickable external links and the same internal links (what is compared, and what is left out as
a matter of form: tests/parity_readers.py)."""
import datetime
import re
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build import prepared_document, theme_for
from briefgen.loading import load_workspace
from briefgen.document.markdown import parse_markdown
from briefgen.document.nodes import DocumentInfo, Figure
from briefgen.document.resolve import resolve
from briefgen.render.docx.render import render_docx
from briefgen.render.html.render import render_html
from briefgen.render.pdf.furniture import Furniture
from briefgen.render.pdf.render import render_pdf
from briefgen.render.pdf.styles import Styles
from briefgen.templating.environment import TemplateRenderer
from briefgen.theme.model import default_theme

from .parity_readers import Reading, _words, read_docx, read_html, read_pdf

ROOT = Path(__file__).resolve().parent.parent
CREATED = datetime.datetime(2024, 10, 1, tzinfo=datetime.timezone.utc)

EVERY_KIND = """\
::: titleblock
# Parity *brief*

*A subtitle in emphasis*

**Issued:** 1 October 2024
:::

::: contents
:::

## Introduction

Plain, *emphasis*, **strong**, ~~struck~~, `code`, a [web link](https://example.org/a?b=1)
and a [mail link](mailto:desk@example.org), an [internal link](#background), a
[missing anchor](#nowhere), a [bad scheme](ftp://example.org/x), [no host](http:///nohost)
and a citation.[^1]

- first bullet with a [link](https://example.org/bullet)
- second bullet
  1. nested number one
  2. nested number two

| Actor | Kind |
|---|---:|
| Taliban | movement |
| ISKP | armed group |

> A quoted statement with a [quote link](https://example.org/quote).

::: bluf
Bottom line in a box.
:::

::: warning
A warning, citing again.[^2]
:::

## Background

### Detail under background

```
code block line
```

::: figure timeline Events over time
:::

![A map](missing.png)

---

See the [introduction](#introduction) again.

::: notes
:::

[^1]: First source, with a [source link](https://example.org/source).
[^2]: Second source.
"""


def _timeline():
    from briefgen.document.nodes import TimelineData, TimelineEvent
    d = datetime.date
    return TimelineData([TimelineEvent(d(2021, 8, 15), d(2021, 8, 15), "August 2021: Kabul"),
                         TimelineEvent(d(2022, 3, 1), d(2022, 3, 1), "March 2022: talks")])


def _frames(theme, info):
    page_w, page_h = theme.page_size
    x0, y0 = theme.margin_left, theme.margin_bottom
    frame = (x0, y0, page_w - x0 - theme.margin_right, page_h - y0 - theme.margin_top)
    furniture = Furniture(Styles(theme), info, (page_w, page_h),
                          (x0, page_w - theme.margin_right), (y0, page_h - theme.margin_top))
    return frame, furniture.cover_frame


def _readings(doc, theme) -> tuple[Reading, Reading, Reading]:
    doc = resolve(doc)
    frame, cover = _frames(theme, doc.info)
    pdf = read_pdf(render_pdf(doc, theme, CREATED), frame, cover if doc.cover else None)
    return (pdf, read_docx(render_docx(doc, theme, CREATED)),
            read_html(render_html(doc, theme, CREATED)))


def _without_figures(pdf: list[str], docx: list[str], captions: list[int]) -> list[str]:
    """The PDF's words less those of each figure's drawing, each caption put where the DOCX has
    it. ``captions``: how many words each caption ("Figure n: ...") has.

    A figure that does not fit the rest of its page floats after the text that follows it, in
    the PDF (render/pdf/floats.py) and in the DOCX (render/docx/floats.py), not always past the
    same text: each format's pages break in their own places. So the words are compared without
    the captions, and the captions in their order. Before a caption the PDF has some text, then
    the drawing's words: the text is the longest run that goes on with the DOCX's, less any
    words at its end after which the PDF would not go on after the caption as the DOCX's text
    does (a drawing's first label may be the text's next word). A PDF that lost a word before
    a drawing still differs: the rest of that text is taken for the drawing's words."""
    text_docx, offsets, d = [], [], 0  # the DOCX's words without captions; where each was
    for n, length in enumerate(captions, start=1):
        cap = _caption(docx, n, d)
        assert cap is not None, f"Figure {n}: no caption in the DOCX"
        text_docx += docx[d:cap]
        offsets.append(len(text_docx))
        d = cap + length
    text_docx += docx[d:]
    text, found, p = [], [], 0
    for n, length in enumerate(captions, start=1):
        cap = _caption(pdf, n, p)
        assert cap is not None, f"Figure {n}: no caption in the PDF"
        t, keep = len(text), 0
        while (p + keep < cap and t + keep < len(text_docx)
               and pdf[p + keep] == text_docx[t + keep]):
            keep += 1
        after = pdf[cap + length:cap + length + 3]
        keep = next((j for j in range(keep, -1, -1) if text_docx[t + j:t + j + 3] == after),
                    keep)
        text += pdf[p:p + keep]
        found.append(pdf[cap:cap + length])
        p = cap + length
    text += pdf[p:]
    for offset, caption in reversed(list(zip(offsets, found))):
        text[offset:offset] = caption
    return text


def _uncaptioned(words: list[str], captions: list[int]) -> tuple[list[str], list[list[str]]]:
    """The words without the figures' captions, and the captions in order."""
    text, found, at = [], [], 0
    for n, length in enumerate(captions, start=1):
        cap = _caption(words, n, at)
        assert cap is not None, f"Figure {n}: no caption"
        text += words[at:cap]
        found.append(words[cap:cap + length])
        at = cap + length
    return text + words[at:], found


def _caption(words: list[str], n: int, start: int = 0) -> int | None:
    for i in range(start, len(words) - 1):
        if words[i] == "Figure" and re.fullmatch(rf"{n}:?", words[i + 1]):
            return i
    return None


def _compare(doc, theme, keep=None) -> None:
    """``keep``: compare only the words it accepts, in all formats (see ARABIC_SCRIPT_BRIEFS)."""
    captions = [len(_words(f"Figure {f.number}: {f.caption}")) for f in _figures(resolve(doc))]
    pdf, docx, html = _readings(doc, theme)
    pdf_words, docx_words, html_words = pdf.words, docx.words, html.words
    if keep is not None:
        pdf_words, docx_words, html_words = ([w for w in words if keep(w)] for words in
                                             (pdf_words, docx_words, html_words))
    pdf_words = _without_figures(pdf_words, docx_words, captions)
    assert pdf_words == docx_words, _first_difference(pdf_words, docx_words)
    assert pdf.external == docx.external
    assert pdf.internal == docx.internal
    # the HTML's figures are SVG, left out as the DOCX's pictures are; its figures stay where
    # the template put them (a browser has no pages to fill), the DOCX's may have floated
    html_text, docx_text = _uncaptioned(html_words, captions), _uncaptioned(docx_words, captions)
    assert html_text == docx_text, _first_difference(html_text, docx_text, "HTML")
    assert html.external == docx.external
    assert html.internal == docx.internal


def _figures(doc) -> list[Figure]:
    found = []

    def walk(blocks):
        for b in blocks:
            if isinstance(b, Figure):
                found.append(b)
            walk(getattr(b, "children", []) if not hasattr(b, "items") else
                 [c for item in b.items for c in item.children])
    walk(([doc.cover] if doc.cover else []) + doc.children)
    return found


def _first_difference(a: list[str], b: list[str], name: str = "PDF") -> str:
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"word {i}: {name} {a[max(0, i - 5):i + 6]} / DOCX {b[max(0, i - 5):i + 6]}"
    return f"lengths differ: {name} {len(a)} words, DOCX {len(b)}; tail {name} " \
           f"{a[len(b):][:10]} DOCX {b[len(a):][:10]}"


@pytest.fixture(scope="module")
def sample():
    workspace = load_workspace(ROOT)
    return workspace, TemplateRenderer(workspace.templates_dir)


SAMPLE_BRIEFS = sorted(p.stem for p in (ROOT / "content/briefs").glob("*.yaml"))
# Briefs with whole lines of Arabic script (Pashto, Dari, Arabic with harakat): pypdf, this
# reader's PDF side, cannot put such a line back in order when the line's glyphs come from two
# reportlab subsets of one face (a face's subset holds 256 glyphs, and shaped Arabic uses many)
# or when marks move the text position: it reports the line's pieces in visual order. Their
# other words (Latin, Cyrillic, Greek, numbers) are compared here, in order; the Arabic-script
# text is checked by tests/test_region_fonts.py with pdftotext and the DOCX.
ARABIC_SCRIPT_BRIEFS = {"regional-languages-2024"}
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


@pytest.mark.parametrize("brief_id", SAMPLE_BRIEFS)
def test_sample_briefs_read_the_same_in_pdf_and_docx(sample, brief_id):
    workspace, renderer = sample
    brief = workspace.corpus.briefs[brief_id]
    doc, _ = prepared_document(workspace, brief, renderer)
    keep = (lambda w: not _ARABIC_SCRIPT.search(w)) if brief_id in ARABIC_SCRIPT_BRIEFS else None
    _compare(doc, theme_for(workspace), keep)


def _every_kind():
    return parse_markdown(EVERY_KIND, DocumentInfo(title="Parity brief", organisation="Desk",
                                                   marking="TLP:GREEN", date="1 October 2024"),
                          figures=lambda kind: _timeline())


def test_a_brief_with_every_node_kind_reads_the_same_in_pdf_and_docx():
    doc = _every_kind()
    _compare(doc, default_theme("A4"))
    pdf, docx, html = _readings(_every_kind(), default_theme("A4"))
    # the links resolve decided, as both formats show them
    assert docx.external == ["https://example.org/a?b=1", "mailto:desk@example.org",
                             "https://example.org/bullet", "https://example.org/quote",
                             "https://example.org/source"]
    assert "Background" in docx.internal and "Introduction" in docx.internal
    assert "nowhere" not in " ".join(docx.internal)
    assert html.external == docx.external and html.internal == docx.internal
    for words in (pdf.words, docx.words, html.words):
        assert "subtitle" in words and "missing" in words and "host" in words


def test_the_comparison_sees_a_dropped_word_and_a_dropped_link(monkeypatch):
    """The parity check is not vacuous: a renderer that loses a word or a link fails it."""
    from briefgen.render.docx import render as docx_render
    from briefgen.document.nodes import Text
    original = docx_render._Writer.text

    def lossy(self, parent, node, fmt):
        if "second bullet" not in node.text:
            original(self, parent, node, fmt)
    monkeypatch.setitem(docx_render._INLINES, Text, lossy)
    with pytest.raises(AssertionError, match=r"second|lengths differ|word \d+: PDF"):
        _compare(_every_kind(), default_theme("A4"))
    monkeypatch.undo()

    original_link = docx_render._Writer.link

    def as_text(self, parent, node, fmt):
        if "bullet" in node.target:
            return self.inlines(parent, node.children, fmt)
        return original_link(self, parent, node, fmt)
    from briefgen.document.nodes import Link
    monkeypatch.setitem(docx_render._INLINES, Link, as_text)
    with pytest.raises(AssertionError):
        _compare(_every_kind(), default_theme("A4"))


def test_the_comparison_sees_a_word_or_a_link_the_html_dropped(monkeypatch):
    from briefgen.render.html import render as html_render
    from briefgen.document.nodes import Link, Text
    original = html_render._Writer.text

    def lossy(self, node):
        if "second bullet" not in node.text:
            original(self, node)
    monkeypatch.setitem(html_render._INLINES, Text, lossy)
    with pytest.raises(AssertionError, match="HTML"):
        _compare(_every_kind(), default_theme("A4"))
    monkeypatch.undo()
    original_link = html_render._Writer.link

    def as_text(self, node):
        if "bullet" in node.target:
            return self.inlines(node.children)
        return original_link(self, node)
    monkeypatch.setitem(html_render._INLINES, Link, as_text)
    with pytest.raises(AssertionError):
        _compare(_every_kind(), default_theme("A4"))


def test_a_title_block_that_is_not_first_is_no_cover_in_either_format():
    doc = parse_markdown("Opening words.\n\n::: titleblock\n# Late title\n\n*Late subtitle*\n:::\n",
                         DocumentInfo(title="Late", organisation="Desk"))
    assert resolve(doc).cover is None
    pdf = PdfReader(BytesIO(render_pdf(doc, default_theme("A4"), CREATED)))
    assert len(pdf.pages) == 1  # no cover page: the title block prints after the words
    text = " ".join(pdf.pages[0].extract_text().split())
    assert text.index("Opening words.") < text.index("Late title") < text.index("Late subtitle")
    with zipfile.ZipFile(BytesIO(render_docx(doc, default_theme("A4"), CREATED))) as z:
        xml = z.read("word/document.xml").decode()
    assert "titlePg" not in xml and 'w:val="Subtitle"' in xml
    assert xml.index("Opening words.") < xml.index("Late title")


def test_a_floated_figure_reads_as_moved_and_a_word_lost_around_it_still_shows(sample,
                                                                            monkeypatch):
    """The policy brief's relation map floats after the first actor profiles (floats.py of
    each renderer); the comparison reads the captions apart from the text, and still fails when
    the DOCX loses a word of the text that moved up before the figure."""
    workspace, renderer = sample
    brief = workspace.corpus.briefs["afghanistan-central-asia"]
    doc, _ = prepared_document(workspace, brief, renderer)
    theme = theme_for(workspace)
    pdf, docx, _ = _readings(doc, theme)
    # the profile of Afghanistan ("Run by the Taliban ...") follows the map in the template;
    # both formats float the map after it, past different amounts of text
    cap_pdf, cap_docx = _caption(pdf.words, 2), _caption(docx.words, 2)
    assert pdf.words.index("Run") < cap_pdf and docx.words.index("Run") < cap_docx
    assert pdf.words[cap_pdf - 3:cap_pdf] != docx.words[cap_docx - 3:cap_docx]
    _compare(doc, theme)

    from briefgen.render.docx import render as docx_render
    from briefgen.document.nodes import Text
    original = docx_render._Writer.text

    def lossy(self, parent, node, fmt):
        if "Run by the Taliban" in node.text:
            node = Text(node.text.replace("Run by the", "Run by"))
        original(self, parent, node, fmt)
    monkeypatch.setitem(docx_render._INLINES, Text, lossy)
    with pytest.raises(AssertionError, match="Taliban|lengths differ"):
        _compare(doc, theme)
