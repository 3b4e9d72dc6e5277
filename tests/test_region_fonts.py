"""The region's scripts as a reader sees them, in the faces briefgen installs: Pashto, Dari,
Arabic with harakat, Cyrillic with the Tajik, Uzbek and Kazakh letters, Greek and (with the cjk
extra) Chinese names, in the text layer of the PDF, in embedded fonts, in the DOCX's script font
hints, and with no warning for what the faces cover (fonts/faces.py)."""
from __future__ import annotations

import dataclasses
import re
import subprocess
import zipfile

import pytest
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader

from briefgen.cli import main
from briefgen.fonts import coverage, faces
from briefgen.fonts.faces import FontFamily, amiri, dejavu_mono, dejavu_serif, noto_sans_sc
from briefgen.theme.model import Theme
from tests.conftest import REPO, write_workspace
from tests.readers import page_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
PASHTO = "د همکارۍ سازمان: ښار، ځوانان، ډلې، ګډون، جوړ، اوږده، ټولنه، ګڼ، نېټه"
DARI = "می‌خواهند همکاری‌های امنیتی"
HARAKAT = "مُنَظَّمَةُ"
CYRILLIC = "Тоҷикистон ҳамкорӣ қӯшун ғалаба; Ўзбекистон; Қазақстан өңір ұйым үкімет"
GREEK = "Οργανισμός Συνεργασίας"
CJK = "习近平 上海合作组织"


def _workspace(root, summary: str, alias: str = "ОДКБ"):
    return write_workspace(root, {
        "content/actors/a.yaml": f"""
            - id: sco
              name: Shanghai Cooperation Organisation
              kind: organisation
              aliases: ["{alias}"]
              summary: >-
                {summary}
            """,
        "content/developments/d.yaml": """
            - id: summit
              date: 2024-09-04
              title: Summit
              summary: A summit.
              actors: [sco]
            """,
        "content/briefs/main.yaml": """
            title: Names in the region's scripts
            date: 2024-10-01
            scope: {since: 2024}
            """,
    })


def _build(ws, out):
    result = CliRunner().invoke(main, ["build", "-w", str(ws), "-o", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _pdffonts(path) -> list[tuple[str, str]]:
    """(font name without subset tag, embedded yes/no) of every font the PDF uses."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    return [(line.split()[0].split("+")[-1], line.split()[-5]) for line in lines]


def _pdftotext(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _docx_runs(path) -> list[tuple[str, etree._Element | None]]:
    """(text, w:rFonts) of every run of the DOCX's body."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return [("".join(t.text or "" for t in r.iter(f"{W}t")), r.find(f"{W}rPr/{W}rFonts"))
            for r in root.iter(f"{W}r")]


@pytest.fixture(scope="module")
def region_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("region")
    summary = f"{PASHTO}. {DARI}. {HARAKAT}. {CYRILLIC}. {GREEK}. {CJK}."
    out = root / "out"
    return _build(_workspace(root / "ws", summary), out), out


def test_every_script_is_in_the_pdfs_text_layer_in_embedded_faces(region_build):
    output, out = region_build
    assert "warning" not in output  # every character is covered: nothing to warn about
    layer = _pdftotext(out / "main.pdf")
    for text in (PASHTO, DARI, CYRILLIC, GREEK, CJK):  # word by word: the paragraph wraps
        for word in text.split():
            assert word.strip("،:;.") in layer, word
    fonts = _pdffonts(out / "main.pdf")
    assert all(embedded == "yes" for _, embedded in fonts), fonts
    names = {name for name, _ in fonts}
    # Arabic script in Amiri, Chinese in Noto Sans SC, the rest in the theme's DejaVu faces;
    # never the monospace face for body text
    assert {"Amiri-Regular", "NotoSansSC-Thin", "DejaVuSerif"} <= names, names
    assert not any("Mono" in name for name in names), names


def test_the_docx_names_the_same_faces_in_its_script_hints(region_build):
    _, out = region_build
    pdf_names = {name for name, _ in _pdffonts(out / "main.pdf")}
    runs = _docx_runs(out / "main.docx")
    pashto = [f for text, f in runs if "همکارۍ" in text]
    chinese = [f for text, f in runs if "上海合作组织" in text]
    assert pashto and chinese
    assert {f.get(f"{W}cs") for f in pashto} == {"Amiri"} and "Amiri-Regular" in pdf_names
    assert {f.get(f"{W}eastAsia") for f in chinese} == {"Noto Sans SC"}
    assert any(name.startswith("NotoSansSC") for name in pdf_names)


def test_uncovered_cjk_warns_with_the_install_command(tmp_path, monkeypatch):
    """Without the cjk extra the Chinese characters are named, at their file and line, with the
    command that installs a face for them; the Pashto next to them is covered: not named."""
    monkeypatch.setattr(faces, "noto_sans_sc", lambda: None)
    monkeypatch.setattr(coverage, "noto_sans_sc", lambda: None)
    ws = _workspace(tmp_path / "ws", f"{PASHTO}. {CJK}.")
    output = _build(ws, tmp_path / "out")
    warnings = [line for line in output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1, output
    assert re.search(r"content/actors/a\.yaml:\d+", warnings[0]), warnings
    assert "pip install 'briefgen[cjk]'" in warnings[0]
    assert "U+4E60" in warnings[0] and "U+06CD" not in warnings[0]


def test_a_body_face_without_arabic_never_falls_back_to_monospace(tmp_path):
    """Issue 13, item 8: with theme faces that have no Arabic, Arabic script is set in the
    built-in Arabic face in both formats, not in DejaVu Sans Mono (which has some Arabic)."""
    from briefgen.document.nodes import Document, DocumentInfo
    from briefgen.render.docx.render import render_docx
    from briefgen.render.pdf.render import render_pdf
    from briefgen.document.resolve import resolve
    from tests.doc_fixture import para
    from tests.test_render_pdf import CREATED
    serif = dejavu_serif()
    no_arabic = FontFamily("House", serif.regular, serif.bold, serif.italic, serif.bold_italic)
    theme = dataclasses.replace(Theme(), body_font=no_arabic, heading_font=no_arabic,
                                mono_font=dejavu_mono())
    doc = Document(DocumentInfo(title="t"), [para("The Taliban (طالبان) and " + PASHTO)])
    pdf = tmp_path / "t.pdf"
    pdf.write_bytes(render_pdf(resolve(doc), theme, CREATED))
    names = {name for name, _ in _pdffonts(pdf)}
    assert "Amiri-Regular" in names and not any("Mono" in n for n in names), names
    assert "طالبان" in _pdftotext(pdf)
    docx = tmp_path / "t.docx"
    docx.write_bytes(render_docx(resolve(doc), theme, CREATED))
    assert {f.get(f"{W}cs") for text, f in _docx_runs(docx) if "طالبان" in text} == {"Amiri"}


def test_the_builtin_faces_cover_the_regions_letters():
    from briefgen.fonts.coverage import faces_coverage, uncovered
    own = faces_coverage(face for family in Theme().families for face in family.faces)
    letters = "ۍېښځډګړږټڼ" "ۇۈۋۆەڭ" "ےھںڑڈٹ" "ّ َ ُ ِ ْ ً" "ҷҳӣӯқғ" "ўқғҳ" "әғқңөұүһі" "αβγΩ"
    assert uncovered(letters, own) == []
    assert amiri() is not None and noto_sans_sc() is not None  # [test] installs the cjk extra
    assert uncovered(CJK, own) == []


def test_the_multilingual_sample_builds_without_warnings(tmp_path):
    """content/briefs/regional-languages-2024.yaml: Pashto, Dari, Arabic, Urdu, Uyghur, Cyrillic
    and Greek in body, headings and a table, with no warning even without the cjk extra."""
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "regional-languages-2024", "-w", str(REPO),
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    layer = _pdftotext(out / "regional-languages-2024.pdf")
    for text in ("د تاشکند غونډې — لنډیز", "گفت‌وگوهای امنیتی", "د شانګهای د همکارۍ سازمان",
                 "Тоҷикистон", "Қазақстан", "Οργανισμός Συνεργασίας της Σαγκάης"):
        assert text in layer, text
    with zipfile.ZipFile(out / "regional-languages-2024.docx") as z:
        document = z.read("word/document.xml").decode()
    assert 'w:cs="Amiri"' in document and "همکارۍ" in document
    assert not re.search("[\u4e00-\u9fff]", document)  # CJK lives in the tests, see the brief


def test_no_extra_wheel_font_is_left_unlicensed():
    folder = faces.DEJAVU_DIR
    assert (folder / "LICENSE").read_text(encoding="utf-8").startswith("Fonts are (c) Bitstream")
    assert sorted(p.name for p in folder.glob("*.ttf")) == sorted(
        p.name for family in (faces.dejavu_serif(), faces.dejavu_sans(), faces.dejavu_mono())
        for p in family.faces)


def _furniture_build(tmp_path, title: str, recipient: str, watermark: str):
    """(copy 1's PDF, the build's output) of a brief with this title, one recipient and a
    watermark: every kind of furniture line (running head, copy line, watermark, cover)."""
    ws = _workspace(tmp_path / "ws", "Plain words.")
    brief = ws / "content/briefs/main.yaml"
    brief.write_text(brief.read_text(encoding="utf-8").replace(
        "title: Names in the region's scripts",
        f'title: "{title}"\nmarking: TLP:GREEN\ndistribution: ["{recipient}"]'),
        encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "-w", str(ws), "-o", str(out), "-f", "pdf",
                                       "--copies", "--watermark", watermark],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out / "main-copy-1.pdf", result.output


def test_page_furniture_draws_each_line_in_a_face_that_has_its_letters(tmp_path):
    """A Pashto title in the running heads, a Pashto watermark and recipient: DejaVu Sans (the
    furniture's face) lacks ۍ, so each of those lines is drawn in Amiri, as the body draws
    Pashto; Latin furniture stays in DejaVu Sans."""
    pdf, _ = _furniture_build(tmp_path, "د همکارۍ سازمان", "د همکارۍ دفتر", "د همکارۍ")
    fonts_of = {}
    for page in PdfReader(str(pdf)).pages:
        for _, chunks in page_lines(page):
            for _, font, text in chunks:
                fonts_of.setdefault(font, []).append(text)
    arabic = [t for font, texts in fonts_of.items() for t in texts if re.search("[\u0600-\u06ff]", t)
              and not font.startswith("Amiri")]
    assert not arabic, fonts_of  # no Pashto line left in a face without its letters
    assert any("Page" in t for t in fonts_of.get("DejaVuSans", [])), fonts_of


def test_a_furniture_line_no_one_face_covers_is_drawn_in_several(tmp_path):
    """A title with a Chinese and a Pashto name: no face has both scripts. The running head,
    the copy line and the watermark were drawn in one face and lost the other script's letters
    without a warning (each letter has a font, so the build had nothing to warn about); each
    character is now drawn in the face the body gives it, in reading order."""
    assert noto_sans_sc() is not None  # [test] installs the cjk extra
    title = "上海合作组织 او د همکارۍ سازمان"
    pdf, output = _furniture_build(tmp_path, title, "合作 د همکارۍ دفتر", "草稿 د همکارۍ")
    assert "warning" not in output.lower()
    reader = PdfReader(str(pdf))
    last = reader.pages[len(reader.pages) - 1]
    faces_of = {}
    for _, chunks in page_lines(last):
        for _, font, text in chunks:
            for ch in text:
                faces_of.setdefault(ch, set()).add(font)
    for ch in "上海合作组织草稿":  # running head, copy line, watermark
        assert any(f.startswith("NotoSans") for f in faces_of.get(ch, ())), (ch, faces_of)
    text = subprocess.run(["pdftotext", "-f", str(len(reader.pages)), "-l",
                           str(len(reader.pages)), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = re.sub("[\u202a-\u202e]", "", text)  # poppler marks the right-to-left runs
    assert title in text  # the running head, read in its order
    assert "Copy 1 of 1 — 合作 د همکارۍ دفتر" in text
    assert "草" in text and "稿" in text  # the watermark: diagonal, a line a character
