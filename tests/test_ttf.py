"""briefgen.fonts.ttf reads cmap and advance widths itself; fontTools is the reference."""
from __future__ import annotations

import glob
import struct

import pytest
from fontTools.ttLib import TTFont

from briefgen.fonts import faces as fonts, ttf

# the built-in faces: DejaVu (shipped in the wheel), Amiri (fontpkg-amiri) and the cjk extra's
# Noto Sans SC (a variable font with 30,000 glyphs; the test extra installs it)
FACES = sorted(glob.glob(str(fonts.DEJAVU_DIR / "*.ttf"))) + \
    [str(p) for p in fonts.amiri().faces] + \
    ([str(fonts.noto_sans_sc().regular)] if fonts.noto_sans_sc() else [])


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.rsplit("/", 1)[-1])
def test_cmap_and_widths_match_fonttools(path):
    face = ttf.face(path)
    reference = TTFont(path, lazy=True)
    best = reference.getBestCmap()
    metrics = reference["hmtx"].metrics
    assert face.cmap == {cp: reference.getGlyphID(name) for cp, name in best.items()}
    for cp, name in best.items():
        assert face.advances[face.cmap[cp]] == metrics[name][0]
    os2 = reference["OS/2"]
    assert face.line_factor == (os2.usWinAscent + os2.usWinDescent) / reference["head"].unitsPerEm


def test_width_matches_reportlab_string_width():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLFont
    path = str(fonts.dejavu_sans().regular)
    pdfmetrics.registerFont(RLFont("TtfTestSans", path))
    text = "Kabul & Тошкент — 2024 <b>\u0394\u03b5\u03bb\u03c4\u03b1\U0001F600"
    assert ttf.face(path).width_1000(text) * 12 / 1000 == pytest.approx(
        pdfmetrics.stringWidth(text, "TtfTestSans", 12))


def test_cut_short_and_garbage_files_raise_a_font_error(tmp_path):
    data = open(FACES[0], "rb").read()
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(data[: len(data) // 3])
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 40)
    empty = tmp_path / "empty.ttf"
    empty.write_bytes(b"")
    for path in (cut, junk, empty):
        with pytest.raises(ttf.FontFileError):
            ttf.parse(path.read_bytes())


def test_a_collection_reads_its_first_face():
    data = open(FACES[0], "rb").read()
    # A one-face .ttc: header, then the face with every table offset moved by the header size.
    shift = 16
    count = struct.unpack_from(">H", data, 4)[0]
    directory = bytearray(data[:12 + 16 * count])
    for i in range(count):
        at = 12 + 16 * i + 8
        struct.pack_into(">I", directory, at, struct.unpack_from(">I", directory, at)[0] + shift)
    ttc = b"ttcf" + struct.pack(">HHII", 1, 0, 1, shift) + bytes(directory) + data[len(directory):]
    assert ttf.parse(ttc).cmap == ttf.face(FACES[0]).cmap


def test_family_name_reads_the_name_table():
    assert ttf.family_name(open(fonts.dejavu_sans().bold, "rb").read()) == "DejaVu Sans"
    assert ttf.family_name(b"\x00\x01\x00\x00" + b"\xff" * 40) is None


def _table(data: bytes, tag: bytes) -> int:
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):
        found, _, offset, _ = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if found == tag:
            return offset
    raise KeyError(tag)


def _patched(tag: bytes, at: int, fmt: str, value) -> bytes:
    data = bytearray(open(fonts.dejavu_sans().regular, "rb").read())
    struct.pack_into(fmt, data, _table(bytes(data), tag) + at, value)
    return bytes(data)


def _renamed_table(tag: bytes) -> bytes:
    """DejaVu Sans with table ``tag`` hidden under another name."""
    data = bytearray(open(fonts.dejavu_sans().regular, "rb").read())
    count = struct.unpack_from(">H", data, 4)[0]
    for i in range(count):
        if data[12 + 16 * i:16 + 16 * i] == tag:
            data[12 + 16 * i:16 + 16 * i] = b"zzzz"
    return bytes(data)


def _with_postscript_name(name: bytes) -> bytes:
    """DejaVu Sans whose Mac Roman PostScript name (the one reportlab takes first) reads ``name``,
    padded with spaces, which become dashes."""
    data = bytearray(open(fonts.dejavu_sans().regular, "rb").read())
    at = _table(bytes(data), b"name")
    count, strings = struct.unpack_from(">HH", data, at + 2)
    for i in range(count):
        platform, encoding, language, name_id, size, where = struct.unpack_from(
            ">HHHHHH", data, at + 6 + 12 * i)
        if name_id == 6:
            start = at + strings + where
            if platform == 1:
                data[start:start + size] = name.ljust(size)[:size]
            else:
                struct.pack_into(">HHHHHH", data, at + 6 + 12 * i, platform, encoding, language,
                                 99, size, where)  # Windows record: no longer a PostScript name
    return bytes(data)


BROKEN = {
    "bad PostScript name": lambda: _with_postscript_name(b"Sans(Bold)"),
    "head magic": lambda: _patched(b"head", 12, ">I", 0),
    "head version": lambda: _patched(b"head", 0, ">H", 2),
    "loca format": lambda: _patched(b"head", 50, ">h", 7),
    "glyph format": lambda: _patched(b"head", 52, ">h", 1),
    "hhea version": lambda: _patched(b"hhea", 0, ">H", 3),
    "metric format": lambda: _patched(b"hhea", 32, ">h", 1),
    "no metrics": lambda: _patched(b"hhea", 34, ">H", 0),
    "maxp version": lambda: _patched(b"maxp", 0, ">H", 0),
    "post version": lambda: _patched(b"post", 0, ">H", 9),
    "name format": lambda: _patched(b"name", 0, ">H", 1),
    "no loca": lambda: _renamed_table(b"loca"),
    "no name": lambda: _renamed_table(b"name"),
    "no post": lambda: _renamed_table(b"post"),
}


@pytest.mark.parametrize("how", sorted(BROKEN))
def test_check_refuses_what_reportlab_cannot_embed(how, tmp_path):
    """``check`` stands in for reportlab's parser at theme load: what it refuses, reportlab
    refuses (or fails on) too, so the theme error comes before a half-made PDF."""
    from reportlab.pdfbase.ttfonts import TTFontFile
    data = BROKEN[how]()
    with pytest.raises(ttf.FontFileError):
        ttf.check(data)
    path = tmp_path / "broken.ttf"
    path.write_bytes(data)
    with pytest.raises(Exception):
        TTFontFile(str(path))


@pytest.mark.parametrize("path", FACES, ids=lambda p: p.rsplit("/", 1)[-1])
def test_check_accepts_what_reportlab_embeds(path):
    from reportlab.pdfbase.ttfonts import TTFontFile
    ttf.check(open(path, "rb").read())
    TTFontFile(path).makeSubset([0, 65, 0x416])


def test_problem_says_what_is_wrong_and_what_to_do(tmp_path):
    otf = tmp_path / "a.otf"
    otf.write_bytes(b"OTTO" + b"\x00" * 40)
    ttc = tmp_path / "a.ttc"
    ttc.write_bytes(b"ttcf" + b"\x00" * 40)
    text = tmp_path / "a.ttf"
    text.write_text("hello")
    cut = tmp_path / "cut.ttf"
    cut.write_bytes(open(FACES[0], "rb").read()[:5000])
    bad_name = tmp_path / "bad-name.ttf"
    bad_name.write_bytes(_with_postscript_name(b"Sans(Bold)"))
    assert "use the .ttf version" in ttf.problem(otf)
    assert "use a single .ttf face" in ttf.problem(ttc)
    assert ttf.problem(text) == "is not a TrueType (.ttf) font file"
    assert ttf.problem(cut).startswith("cannot be read as a TrueType font (damaged or cut short?)")
    assert ttf.problem(bad_name) == ("cannot be embedded in the PDF: its PostScript name "
                                     "'Sans(Bold)' has characters a PDF font name cannot have; "
                                     "use another font")
    assert ttf.problem(FACES[0]) is None
