"""briefgen.fonts.ttf reads cmap and advance widths itself; fontTools is the reference."""
from __future__ import annotations

import glob
import struct

import pytest
from fontTools.ttLib import TTFont

from briefgen.fonts import files as fonts, ttf

# LastResort maps all of Unicode with a format-13 subtable, which ttf.py (like reportlab) skips:
# no theme would print with it.
FACES = sorted(p for p in glob.glob(str(fonts._mpl_font_dir() / "*.ttf"))
               if "LastResort" not in p)


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
