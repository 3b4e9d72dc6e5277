import pytest

from briefgen.document import nodes as d
from briefgen.errors import TemplateError
from briefgen.document.markdown import parse_markdown
from briefgen.content.mdtext import escape, link


def parse(text):
    return parse_markdown(text, d.DocumentInfo("t")).children


def test_blocks_and_inlines_with_lines():
    blocks = parse("# Title\n\nA **bold** *it* ~~gone~~ `code` [l](https://x.org) line  \nbreak\n\n"
                   "- a\n- b\n\n3. c\n4. d\n\n> q\n\n---\n")
    assert [type(b).__name__ for b in blocks] == ["Heading", "Paragraph", "BulletList",
                                                  "OrderedList", "BlockQuote", "HorizontalRule"]
    heading, para, bullets, ordered = blocks[:4]
    assert (heading.level, heading.anchor, heading.line) == (1, "title", 1)
    assert para.line == 3
    kinds = [type(n).__name__ for n in para.children]
    assert kinds == ["Text", "Strong", "Text", "Emph", "Text", "Strike", "Text", "Code", "Text",
                     "Link", "Text", "LineBreak", "Text"]
    assert para.children[9].href == "https://x.org"
    assert len(bullets.items) == 2 and ordered.start == 3


def test_raw_html_and_entities_stay_text():
    (para,) = parse("raw <font color='red'>x</font> & <b>y</b> <img src=x>")
    assert d.plain_text(para.children) == "raw <font color='red'>x</font> & <b>y</b> <img src=x>"


def test_tables_with_alignment():
    (table,) = parse("| A | B |\n|:--|--:|\n| 1 \\| x | 2 |\n")
    assert [c.align for c in table.header] == ["left", "right"]
    assert d.plain_text(table.rows[0][0].children) == "1 | x"


def test_callouts_and_unknown_callout():
    (box,) = parse("::: bluf\ntext\n:::\n")
    assert isinstance(box, d.Callout) and box.kind == "bluf"
    with pytest.raises(TemplateError, match="unknown block '::: sidebar'"):
        parse("::: sidebar\ntext\n:::\n")


def test_anchors_are_unique():
    blocks = parse("## Same\n\n## Same\n")
    assert [b.anchor for b in blocks] == ["same", "same-2"]


@pytest.mark.parametrize("text", ["*not emphasis*", "# not a heading", "1. not a list",
                                  "<b>tag</b> & &amp;", "[x](javascript:alert(1))",
                                  "::: note", "a | b", "{{ jinja }}", "\\back\\slash"])
def test_escaped_text_prints_exactly(text):
    (para,) = parse(escape(text))
    assert len(para.children) == 1 and para.children[0].text == text


def test_link_only_for_safe_schemes():
    (para,) = parse(link("https://example.org/a_(b)?c=1&d=2"))
    assert para.children[0].href == "https://example.org/a_(b)?c=1&d=2"
    (para,) = parse(link("javascript:alert(1)"))
    assert para.children == [d.Text("javascript:alert(1)")]


class _Images:
    """An image resolver that accepts names starting with "ok" (briefgen.document.images in the build)."""

    def __init__(self):
        self.asked = []

    def __call__(self, src, line):
        from briefgen.document.images import ImageFile
        self.asked.append((src, line))
        return ImageFile(f"/ws/{src}", 40, 20, "PNG") if src.startswith("ok") else None


def test_images_split_their_paragraph_or_print_their_alt_text():
    images = _Images()
    blocks = parse_markdown("Intro\n\nBefore ![A *map*](ok.png) after ![No](bad.png).\n\n"
                            "# Head ![alt in heading](ok.png)\n\n| ![cell](ok.png) |\n|---|\n",
                            d.DocumentInfo("t"), images=images).children
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "Image", "Paragraph",
                                                  "Heading", "Table"]
    image = blocks[2]
    assert (image.path, image.alt, image.width, image.height, image.line) == \
        ("/ws/ok.png", "A map", 40, 20, 3)
    assert d.plain_text(blocks[1].children) == "Before "
    assert d.plain_text(blocks[3].children) == " after No."
    assert d.plain_text(blocks[4].children) == "Head alt in heading"
    assert d.plain_text(blocks[5].header[0].children) == "cell"
    assert ("bad.png", 3) in images.asked


def test_without_a_resolver_images_print_their_alt_text():
    (para,) = parse("An ![inline *map*](map.png) here")
    assert para.children == [d.Text("An inline map here")]
