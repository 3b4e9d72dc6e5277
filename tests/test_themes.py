"""Theme files: loading, inheritance, paths relative to the theme, every problem located."""
import dataclasses
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.build import theme_for
from briefgen.cli import main
from briefgen.loading import load_workspace
from briefgen.errors import ContentError
from briefgen.fonts.faces import dejavu_sans
from briefgen.theme.model import Theme
from briefgen.theme.loader import builtin_theme_names, load_theme, theme_fields
from tests.conftest import REPO

DOCS = (REPO / "docs" / "themes.md").read_text(encoding="utf-8")


def tiny_png(path: Path) -> Path:
    """A valid 2x2 PNG, written by hand."""
    raw = b"".join(b"\x00" + b"\x14\x32\x5c" * 2 for _ in range(2))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0,
                                                                          0, 0))
                     + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    return path


def load(tmp_path, text, name="house.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_theme(name, tmp_path)


def messages(loaded):
    return [str(p) for p in loaded.problems]


def test_builtin_themes_load_and_look_different():
    names = builtin_theme_names()
    assert {"default", "modern", "classic"} <= set(names)
    themes = {}
    for name in names:
        loaded = load_theme(name, Path("."))
        assert loaded.problems == [], name
        themes[name] = loaded.theme
    assert themes["default"] == Theme()  # the default theme is today's look
    for a, b in (("default", "modern"), ("default", "classic"), ("modern", "classic")):
        differ = [f.name for f, _ in theme_fields()
                  if getattr(themes[a], f.name) != getattr(themes[b], f.name)]
        # colours, heading font or body font, margins and table style all differ
        assert {"heading_colour", "table_header_fill", "margin_left"} <= set(differ), (a, b)
        assert {"heading_font", "body_font"} & set(differ), (a, b)


def test_a_theme_file_inherits_and_converts(tmp_path):
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(dejavu_sans().regular, fonts / "House-Regular.ttf")
    shutil.copy(dejavu_sans().bold, fonts / "House-Bold.ttf")
    tiny_png(tmp_path / "logo.png")
    loaded = load(tmp_path, """
        parent: modern
        paper: letter
        heading_colour: "#a0b"
        heading_font: {regular: fonts/House-Regular.ttf, bold: fonts/House-Bold.ttf}
        heading_sizes: [30, 20, 14, 12, 11, 10]
        logo: logo.png
        """.replace("\n        ", "\n"))
    assert loaded.problems == []
    theme = loaded.theme
    assert theme.paper == "letter"
    assert theme.heading_colour == "#AA00BB"
    assert theme.table_header_fill == load_theme("modern", tmp_path).theme.table_header_fill
    assert theme.heading_sizes == (30.0, 20.0, 14.0, 12.0, 11.0, 10.0)
    family = theme.heading_font
    assert family.name == "DejaVu Sans"  # read from the font's name table
    assert family.regular == (fonts / "House-Regular.ttf").resolve()
    assert family.italic == family.regular and family.bold_italic == family.bold
    assert theme.logo == (tmp_path / "logo.png").resolve()
    assert (tmp_path / "house.yaml") in loaded.files and (tmp_path / "logo.png") in loaded.files


def test_every_problem_is_located(tmp_path):
    (tmp_path / "not-a-font.ttf").write_text("hello")
    loaded = load(tmp_path, "\n".join([
        "heading_color: '#000000'",          # 1 misspelt key
        "text_colour: navy",                 # 2 not #rrggbb
        "body_size: -3",                     # 3
        "margin_left: wide",                 # 4
        "body_font: Comic Sans",             # 5 unknown built-in family
        "mono_font: {regular: missing.ttf}",  # 6 missing file
        "heading_font: not-a-font.ttf",      # 7 not a TrueType file
        "logo: house.yaml",                  # 8 not an image
        "paper: A3",                         # 9
        "heading_sizes: [20, big]",          # 10
        "reference_docx: house.yaml",        # 11 not a docx
    ]) + "\n")
    got = messages(loaded)
    assert len(got) == 11, got
    for line, text in [(1, "unknown theme key 'heading_color' (did you mean 'heading_colour'?)"),
                       (2, "'text_colour' must be a colour written #rrggbb"),
                       (3, "'body_size' must be from 1 to 400 points"),
                       (4, "'margin_left' must be a number"),
                       (5, "'Comic Sans' is neither a built-in family"),
                       (6, "'mono_font.regular': no file"),
                       (7, "is not a TrueType (.ttf) font file"),
                       (8, "is not a PNG, JPEG or GIF image"),
                       (9, "'paper' must be A4 or letter"),
                       (10, "'heading_sizes[2]' must be a number"),
                       (11, "is not a Word .docx file")]:
        assert any(f"house.yaml:{line}: " in m and text in m for m in got), (line, got)


def test_parent_problems_and_cycles(tmp_path):
    (tmp_path / "a.yaml").write_text("parent: b.yaml\n")
    (tmp_path / "b.yaml").write_text("description: b\nparent: a.yaml\n")
    got = messages(load_theme("a.yaml", tmp_path))
    assert len(got) == 1 and "b.yaml:2: themes inherit from each other in a circle" in got[0]
    got = messages(load(tmp_path, "parent: modrn\n", "c.yaml"))
    assert got and "c.yaml:1: no built-in theme 'modrn' (did you mean 'modern'?)" in got[0]
    got = messages(load(tmp_path, "parent: nowhere.yaml\n", "d.yaml"))
    assert "d.yaml:1: theme file" in got[0] and "does not exist" in got[0]


def test_workspace_settings_name_the_theme(workspace, tmp_path):
    root = workspace({"briefgen.yaml": "organisation: X\ntheme: themes/house.yaml\n",
                      "themes/house.yaml": "parent: classic\nlink_colour: '#123456'\n"})
    ws = load_workspace(root)
    assert ws.theme.link_colour == "#123456"
    assert ws.theme.heading_colour == load_theme("classic", root).theme.heading_colour
    assert theme_for(ws).paper == "A4" and theme_for(ws, "letter").paper == "letter"

    root = workspace({"briefgen.yaml": "paper: letter\ntheme: clasic\n"})
    with pytest.raises(ContentError) as info:
        load_workspace(root)
    assert "briefgen.yaml:2: no built-in theme 'clasic' (did you mean 'classic'?)" in \
        str(info.value)


def test_theme_problems_fail_validate_with_path_and_line(workspace):
    root = workspace({"briefgen.yaml": "theme: house.yaml\n",
                      "house.yaml": "description: mine\nheading_colour: blue\n"})
    result = CliRunner().invoke(main, ["validate", "-w", str(root)])
    assert result.exit_code == 1
    assert "house.yaml:2: 'heading_colour' must be a colour" in result.output
    assert "Traceback" not in result.output


def test_the_loader_follows_new_theme_fields(tmp_path, monkeypatch):
    """A field a renderer adds to Theme can be set from a theme file without touching the
    loader: it is generic over dataclasses.fields(Theme)."""
    import briefgen.theme.model as theme_module
    import briefgen.theme.fields as fields
    import briefgen.theme.loader as loader

    @dataclasses.dataclass
    class Extended(Theme):
        footer_text: str = ""
        rule_width: float = 0.5
        header_fill: str = "#FFFFFF"

    monkeypatch.setattr(theme_module, "Theme", Extended)
    monkeypatch.setattr(loader, "Theme", Extended)
    monkeypatch.setattr(fields, "Theme", Extended)
    loaded = load(tmp_path, "footer_text: Ministry of Examples\nrule_width: 2\n"
                            "header_fill: '#abcdef'\n")
    assert loaded.problems == []
    assert (loaded.theme.footer_text, loaded.theme.rule_width, loaded.theme.header_fill) == \
        ("Ministry of Examples", 2.0, "#ABCDEF")
    assert messages(load(tmp_path, "header_fill: white\n", "x.yaml"))


def test_every_theme_field_is_documented():
    for f, _ in theme_fields():
        assert f"`{f.name}`" in DOCS, f"docs/themes.md does not describe '{f.name}'"


def test_sizes_and_margins_the_renderers_cannot_use(tmp_path):
    got = messages(load(tmp_path, "heading_sizes: [20, 16]\nbody_size: 900\n"))
    assert any("house.yaml:1: 'heading_sizes' needs 6 values, not 2" in m for m in got), got
    assert any("house.yaml:2: 'body_size' must be from 1 to 400 points" in m for m in got), got
    got = messages(load(tmp_path, "parent: modern\nmargin_left: 300\nmargin_right: 300\n",
                        "m.yaml"))
    assert len(got) == 1
    assert "m.yaml:2: margin_left and margin_right (300 + 300 pt) leave less than 144 pt" in got[0]


def test_a_reference_docx_gives_the_docx_its_styles(workspace, tmp_path):
    """As pandoc's --reference-doc: a Word file's styles win in the DOCX output."""
    import re
    import zipfile
    root = workspace()
    runner = CliRunner()
    first = runner.invoke(main, ["build", "-w", str(root), "-o", str(tmp_path / "a"),
                                 "-f", "docx"])
    assert first.exit_code == 0, first.output
    # "Edit the styles in Word": Heading 1 turns green in a copy of the output.
    reference = root / "word" / "house.docx"
    reference.parent.mkdir()
    with zipfile.ZipFile(tmp_path / "a" / "main.docx") as src, \
            zipfile.ZipFile(reference, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/styles.xml":
                data = re.sub(rb'(<w:style [^>]*w:styleId="Heading1".*?<w:color w:val=")'
                              rb'[0-9A-Fa-f]{6}', rb"\g<1>00AA00", data, count=1, flags=re.S)
            dst.writestr(item, data)
    (root / "briefgen.yaml").write_text("theme: themes/house.yaml\n")
    (root / "themes").mkdir()
    (root / "themes" / "house.yaml").write_text("reference_docx: ../word/house.docx\n")
    second = runner.invoke(main, ["build", "-w", str(root), "-o", str(tmp_path / "b"), "-f",
                                  "docx"])
    assert second.exit_code == 0, second.output
    with zipfile.ZipFile(tmp_path / "b" / "main.docx") as z:
        styles = z.read("word/styles.xml").decode()
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S).group(0)
    assert 'w:val="00AA00"' in heading


def test_chosen_paper_wins_over_a_reference_docx(workspace, tmp_path):
    """--paper (or the workspace's paper:) puts both formats on that paper; without it the
    reference DOCX's page size stays, and its margins stay in any case."""
    import docx
    from docx.shared import Mm
    from pypdf import PdfReader
    root = workspace({"briefgen.yaml": "theme: themes/house.yaml\n",
                      "themes/house.yaml": "reference_docx: ../word/house.docx\n"})
    ref = docx.Document()
    section = ref.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(30)
    (root / "word").mkdir()
    ref.save(root / "word" / "house.docx")

    def build(out, *extra):
        result = CliRunner().invoke(main, ["build", "-w", str(root), "-o", str(tmp_path / out),
                                           *extra])
        assert result.exit_code == 0, result.output
        page = docx.Document(tmp_path / out / "main.docx").sections[0]
        box = PdfReader(tmp_path / out / "main.pdf").pages[0].mediabox
        return ((round(page.page_width.mm), round(page.page_height.mm)),
                round(page.left_margin.mm), (round(box.width), round(box.height)))

    assert build("a4") == ((210, 297), 30, (595, 842))
    assert build("letter", "--paper", "letter") == ((216, 279), 30, (612, 792))
    (root / "briefgen.yaml").write_text("theme: themes/house.yaml\npaper: letter\n")
    assert build("setting") == ((216, 279), 30, (612, 792))
