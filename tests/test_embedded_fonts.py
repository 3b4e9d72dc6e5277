"""The DOCX and the HTML carry the built-in script face their Arabic-script runs name (Amiri),
subsetted to the characters those runs use (render/docx/embed.py, render/html/fonts.py,
fonts/subset.py): a reader without Amiri installed sees the Pashto letters, not boxes."""
from __future__ import annotations

import base64
import datetime
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import uharfbuzz as hb
from lxml import etree

from briefgen.build import prepared_document, render, theme_for
from briefgen.document.nodes import Heading, Text
from briefgen.fonts import faces
from briefgen.fonts.subset import subset
from briefgen.loading import load_workspace
from briefgen.document.resolve import resolve
from briefgen.render.docx.embed import obfuscate
from briefgen.render.html.render import render_html
from briefgen.theme.model import default_theme
from briefgen.templating.environment import TemplateRenderer

from .doc_fixture import para
from .test_render_docx import needs_soffice
from .test_render_docx import render as render_docx
from .test_render_pdf import doc_with

ROOT = Path(__file__).resolve().parent.parent
CREATED = datetime.datetime(2024, 10, 1, tzinfo=datetime.timezone.utc)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
ODTTF = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
PASHTO = "د تاشکند غونډه په سپټمبر کې جوړه شوه، لومړۍ اوونۍ"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def sample() -> dict[str, bytes]:
    """The multilingual sample brief as DOCX and HTML."""
    workspace = load_workspace(ROOT)
    brief = workspace.corpus.briefs["regional-languages-2024"]
    doc, _ = prepared_document(workspace, brief, TemplateRenderer(workspace.templates_dir))
    theme = theme_for(workspace)
    return {fmt: render(doc, fmt, theme, CREATED)[0] for fmt in ("docx", "html")}


def embedded(docx: bytes) -> dict[str, bytes]:
    """The fonts fontTable.xml embeds, de-obfuscated, by "Family/embedStyle"."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        table = etree.fromstring(z.read("word/fontTable.xml"))
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels if r.get("Type") == FONT_REL}
        out = {}
        for font in table.iter(w("font")):
            for el in font:
                if el.tag.startswith(w("embed")):
                    data = z.read("word/" + targets[el.get(f"{{{R}}}id")])
                    assert el.get(w("subsetted")) == "1"
                    out[f"{font.get(w('name'))}/{etree.QName(el).localname}"] = obfuscate(
                        data, el.get(w("fontKey")))
        return out


def arabic_text(docx: bytes) -> str:
    """The text of the document's (and its notes' and running heads') Arabic-script runs."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        names = [n for n in z.namelist() if re.fullmatch(
            r"word/(document|footnotes|header\d*|footer\d*)\.xml", n)]
        return "".join(t.text or "" for n in names for t in etree.fromstring(z.read(n)).iter(
            w("t")) if ARABIC.search(t.text or ""))


def cmap(font: bytes) -> set[int]:
    return set(hb.Face(hb.Blob(font)).unicodes)


def shaped(font: bytes, text: str) -> list[tuple[int, int]]:
    """(cluster, advance) of ``text`` shaped with ``font``: how the letters join and sit."""
    f = hb.Font(hb.Face(hb.Blob(font)))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    hb.shape(f, buf)
    return [(i.cluster, p.x_advance) for i, p in zip(buf.glyph_infos, buf.glyph_positions)]


def test_the_docx_embeds_an_amiri_subset_with_every_arabic_letter_of_the_brief(sample):
    fonts = embedded(sample["docx"])
    assert {"Amiri/embedRegular", "Amiri/embedBold"} <= set(fonts)  # the headings are bold
    regular = fonts["Amiri/embedRegular"]
    assert regular[:4] == b"\x00\x01\x00\x00"  # a TrueType font once the XOR is undone
    text = arabic_text(sample["docx"])
    assert "ۍ" in text and "ځ" in text
    assert {ord(ch) for ch in text} <= cmap(regular)
    full = faces.amiri().regular.read_bytes()
    assert hb.Face(hb.Blob(regular)).glyph_count < hb.Face(hb.Blob(full)).glyph_count / 3
    assert len(regular) < len(full) / 3
    # the joining forms, ligatures and marks survive: shaped as with the whole face
    for word in ("لومړۍ", "عُقِدَ المُؤْتَمَرُ", "گفت‌وگوهای"):
        assert shaped(regular, word) == shaped(full, word)


def test_the_font_parts_have_their_content_type_and_relationship(sample):
    with zipfile.ZipFile(io.BytesIO(sample["docx"])) as z:
        types = etree.fromstring(z.read("[Content_Types].xml"))
        defaults = {d.get("Extension"): d.get("ContentType") for d in types
                    if d.tag.endswith("Default")}
        assert defaults["odttf"] == ODTTF
        parts = [n for n in z.namelist() if n.startswith("word/fonts/")]
        assert parts and all(re.fullmatch(r"word/fonts/font\d+\.odttf", n) for n in parts)
        rels = etree.fromstring(z.read("word/_rels/fontTable.xml.rels"))
        assert sorted("word/" + r.get("Target") for r in rels) == sorted(parts)
        assert {r.get("Type") for r in rels} == {FONT_REL}
        settings = etree.fromstring(z.read("word/settings.xml"))
        names = [etree.QName(el).localname for el in settings]
        assert names.index("zoom") < names.index("embedTrueTypeFonts") \
            < names.index("saveSubsetFonts") < names.index("proofState")


def test_a_bold_arabic_heading_gets_the_bold_face():
    docx = render_docx(doc_with(Heading(2, [Text(PASHTO)]), para("English only.")))
    fonts = embedded(docx)
    assert set(fonts) == {"Amiri/embedRegular", "Amiri/embedBold"}
    assert {ord(ch) for ch in PASHTO} <= cmap(fonts["Amiri/embedBold"])
    bold_name = hb.Face(hb.Blob(fonts["Amiri/embedBold"]))
    assert bold_name.glyph_count > 10


def test_a_document_without_arabic_or_cjk_runs_embeds_nothing():
    docx = render_docx(doc_with(para("English, Русский, Ελληνικά.")))
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert not [n for n in z.namelist() if "fonts/" in n or n.endswith(".odttf")]
        assert b"odttf" not in z.read("[Content_Types].xml")
        assert b"embed" not in z.read("word/settings.xml")
        assert b"embed" not in z.read("word/fontTable.xml")
    html = render_html(resolve(doc_with(para("English only."))), default_theme(), CREATED)
    assert b"@font-face" not in html and b"span[dir=rtl]{" not in html


def test_the_html_carries_the_same_subset_as_a_data_url(sample):
    html = sample["html"].decode()
    found = re.findall(r'@font-face\{font-family:"Amiri";src:url\(data:font/ttf;base64,'
                       r'([A-Za-z0-9+/=]+)\) format\("truetype"\)\}', html)
    assert len(found) == 1
    font = base64.b64decode(found[0])
    assert font == embedded(sample["docx"])["Amiri/embedRegular"]
    spans = re.findall(r'<span lang="[a-z]{2}-[A-Z]{2}" dir="rtl">([^<]*)</span>', html)
    assert "ۍ" in "".join(spans)
    assert {ord(ch) for ch in "".join(spans)} <= cmap(font)
    assert 'span[dir=rtl]{font-family:"Amiri", "DejaVu Serif", serif}' in html
    assert not re.search(r'src="?https?:|url\((?!data:)', html)  # still no request


def test_the_same_brief_gives_the_same_bytes(sample):
    workspace = load_workspace(ROOT)
    brief = workspace.corpus.briefs["regional-languages-2024"]
    doc, _ = prepared_document(workspace, brief, TemplateRenderer(workspace.templates_dir))
    for fmt in ("docx", "html"):
        subset.cache_clear()  # cut the faces again: the same subset bytes, the same font keys
        assert render(doc, fmt, theme_for(workspace), CREATED)[0] == sample[fmt]


needs_pdffonts = pytest.mark.skipif(shutil.which("pdffonts") is None,
                                    reason="poppler's pdffonts is not installed")


@needs_soffice
@needs_pdffonts
def test_libreoffice_draws_the_arabic_with_the_embedded_amiri(tmp_path, sample):
    # This machine has no Amiri installed (the test is only meaningful then: with it installed
    # LibreOffice would find it anyway).
    listed = subprocess.run(["fc-list"], capture_output=True, text=True).stdout \
        if shutil.which("fc-list") else ""
    if "amiri" in listed.lower():
        pytest.skip("Amiri is installed system-wide, so LibreOffice needs no embedded copy")
    (tmp_path / "brief.docx").write_bytes(sample["docx"])
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with other soffice
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(tmp_path / "brief.docx")],
                   check=True, capture_output=True, timeout=180)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "brief.pdf")], capture_output=True,
                           text=True, check=True).stdout.splitlines()[2:]
    amiri = [line.split() for line in fonts if "Amiri-Regular" in line]
    assert amiri and amiri[0][-5] == "yes"  # emb
    text = subprocess.run(["pdftotext", str(tmp_path / "brief.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "ۍ" in text


CHINESE = "上海合作组织"
needs_cjk = pytest.mark.skipif(faces.noto_sans_sc() is None,
                               reason="the cjk extra (Noto Sans SC) is not installed")


@needs_cjk
def test_chinese_runs_carry_a_noto_sans_sc_subset_in_docx_and_html():
    doc = doc_with(para(f"The SCO ({CHINESE}) met in 北京."), para("English only."))
    fonts = embedded(render_docx(doc))
    assert set(fonts) == {"Noto Sans SC/embedRegular"}  # one variable file serves every style
    need = {ord(ch) for ch in CHINESE + "北京"}
    assert need <= cmap(fonts["Noto Sans SC/embedRegular"])
    assert hb.Face(hb.Blob(fonts["Noto Sans SC/embedRegular"])).glyph_count == len(need) + 1
    html = render_html(resolve(doc), default_theme(), CREATED).decode()
    assert f'<span class="cjk">{CHINESE}</span>' in html
    found = re.findall(r'@font-face\{font-family:"Noto Sans SC";src:url\(data:font/ttf;base64,'
                       r'([A-Za-z0-9+/=]+)\)', html)
    assert len(found) == 1 and base64.b64decode(found[0]) == fonts["Noto Sans SC/embedRegular"]
    assert 'span.cjk{font-family:"Noto Sans SC", "DejaVu Serif", serif}' in html


def test_a_damaged_script_face_is_a_clear_error(tmp_path):
    from briefgen.errors import BriefgenError
    bad = tmp_path / "Amiri-Regular.ttf"
    bad.write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 60)
    with pytest.raises(BriefgenError, match="cannot subset the font .*Amiri-Regular.ttf"):
        subset(str(bad), frozenset("ۍ"))
    with pytest.raises(BriefgenError, match="cannot read the font"):
        subset(str(tmp_path / "missing.ttf"), frozenset("ۍ"))
