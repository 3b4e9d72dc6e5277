"""The newcomer's path, by the docs alone: `briefgen init`, then a house style — their own font,
colours and logo from docs/themes.md, an overridden block from docs/templates.md — and a build
whose PDF and DOCX show all of it. The theme and the template are taken from the docs' own
examples, so the docs cannot drift from what works."""
import re
import shutil
import zipfile

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.fonts.faces import dejavu_mono
from tests.conftest import REPO
from tests.readers import docx_text, pdf_pages
from tests.test_themes import tiny_png


def doc_block(doc: str, heading: str, lang: str) -> str:
    """The first ```lang block after a heading of docs/<doc>."""
    text = (REPO / "docs" / doc).read_text(encoding="utf-8")
    after = text[text.index(heading):]
    return re.search(rf"```{lang}\n(.*?)```", after, re.S).group(1)


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def house(tmp_path_factory):
    root = tmp_path_factory.mktemp("newcomer") / "briefs"
    run("init", root)
    # docs/themes.md, "Example": fonts, a logo, the theme file, the settings line.
    for folder in ("fonts", "images", "themes"):
        (root / folder).mkdir()
    shutil.copy(dejavu_mono().regular, root / "fonts" / "HouseSans-Regular.ttf")
    shutil.copy(dejavu_mono().bold, root / "fonts" / "HouseSans-Bold.ttf")
    tiny_png(root / "images" / "logo.png")
    theme = doc_block("themes.md", "## A theme file", "yaml")
    (root / "themes" / "house.yaml").write_text(theme, encoding="utf-8")
    settings = root / "briefgen.yaml"
    settings.write_text(re.sub(r"(?m)^theme: .*$", "theme: themes/house.yaml",
                               settings.read_text()), encoding="utf-8")
    # docs/templates.md: export a stub, then write the example block into it.
    run("templates", "export", "policy-brief", "--extend", "-w", root)
    template = doc_block("templates.md", "**Example: a house \"recommendations\" block.**", "jinja")
    (root / "templates" / "policy-brief.md.j2").write_text(template, encoding="utf-8")
    run("validate", "-w", root)
    run("build", "-w", root)
    return root, theme


def test_the_docs_examples_are_what_was_used(house):
    _, theme = house
    assert "parent: classic" in theme and "logo: ../images/logo.png" in theme


def test_the_overridden_block_is_in_both_formats(house):
    root, _ = house
    pdf = " ".join(pdf_pages(root / "output" / "first-brief.pdf"))
    docx = docx_text(root / "output" / "first-brief.docx")
    for text in (pdf, docx):
        assert "What we advise" in text and "Follow the patrols' first reports." in text
        assert "Recommendations" not in text  # the built-in block is replaced
        assert "Northland agrees joint border patrols" in text  # the other blocks stay


def test_the_pdf_has_the_logo_on_the_cover_and_the_house_font(house):
    root, _ = house
    reader = PdfReader(str(root / "output" / "first-brief.pdf"))

    def images(page):
        xobjects = page["/Resources"].get("/XObject") or {}
        return [x for x in xobjects.values() if x.get_object().get("/Subtype") == "/Image"]
    assert len(images(reader.pages[0])) == 1, "the logo on the cover"
    fonts = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    # the heading font is the house TTF (a copy of DejaVu Sans Mono under another name)
    assert any("DejaVuSansMono" in f for f in fonts), fonts


def test_the_docx_styles_carry_the_house_colour_font_and_logo(house):
    root, _ = house
    with zipfile.ZipFile(root / "output" / "first-brief.docx") as z:
        styles = z.read("word/styles.xml").decode()
        media = [z.read(n) for n in z.namelist() if n.startswith("word/media/")]
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)
    assert 'w:val="8B1E3F"' in heading
    assert "House Sans" in heading
    assert (root / "images" / "logo.png").read_bytes() in media, "the logo is in the DOCX"
