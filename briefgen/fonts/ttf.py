"""briefgen's one reader of font data: a TrueType file's character map, advance widths, family
name, and whether the PDF renderer can embed it.

The glyph-coverage check, the DOCX page estimate and the figure layout need only the cmap and
hmtx tables; the theme loader needs the family name and a verdict on the file. reportlab's
TTFontFile parses the whole font in Python (~25 ms a face) and fontTools costs ~0.1 s to import,
so they are read here with ``struct`` and ``array`` (~2 ms a face). The renderers still open the
files themselves to draw and embed (reportlab for the PDF, Pillow for DOCX figure PNGs); what
``check`` accepts, reportlab can register and subset (tests/test_ttf.py holds it to that).
"""
from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache


class FontFileError(ValueError):
    pass


class NotEmbeddable(FontFileError):
    """A sound font the PDF renderer cannot embed (its PostScript name)."""


@dataclass(frozen=True)
class Face:
    cmap: dict[int, int]        # code point -> glyph id
    advances: array             # advance width in font units, by glyph id
    units_per_em: int
    win_ascent: int
    win_descent: int

    @property
    def line_factor(self) -> float:
        """Word's single line height in em: (winAscent + winDescent) / unitsPerEm."""
        return (self.win_ascent + self.win_descent) / self.units_per_em

    def widths_em(self) -> dict[int, float]:
        """Advance width in em of every mapped code point."""
        adv, upm, last = self.advances, self.units_per_em, len(self.advances) - 1
        return {cp: adv[min(g, last)] / upm for cp, g in self.cmap.items()}

    def width_1000(self, text: str, missing: int = 0) -> float:
        """Advance width of ``text`` in thousandths of an em (reportlab's stringWidth unit)."""
        adv, upm, cmap, last = self.advances, self.units_per_em, self.cmap, len(self.advances) - 1
        total = 0
        for ch in text:
            g = cmap.get(ord(ch), missing)
            total += adv[min(g, last)]
        return total * 1000.0 / upm


def _ushorts(data: bytes, offset: int, count: int) -> array:
    out = array("H", data[offset:offset + 2 * count])
    if len(out) != count:
        raise FontFileError("a table is cut short")
    if sys.byteorder == "little":
        out.byteswap()
    return out


def _tables(data: bytes, start: int) -> dict[bytes, tuple[int, int]]:
    if len(data) < start + 12:
        raise FontFileError("the file is too short to be a font")
    count = struct.unpack_from(">H", data, start + 4)[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, start + 12 + 16 * i)
        if offset + length > len(data):
            raise FontFileError(f"table {tag.decode('latin-1')!r} runs past the end of the file")
        tables[tag] = (offset, length)
    return tables


def _format4(data: bytes, at: int) -> dict[int, int]:
    seg2 = struct.unpack_from(">H", data, at + 6)[0]
    segs = seg2 // 2
    ends = _ushorts(data, at + 14, segs)
    starts_at = at + 16 + seg2
    starts = _ushorts(data, starts_at, segs)
    deltas = _ushorts(data, starts_at + seg2, segs)
    range_at = starts_at + 2 * seg2
    ranges = _ushorts(data, range_at, segs)
    # A sound map spans each code point once; a damaged one can claim billions (seconds of work
    # per file), so the spans are added up before they are walked.
    if sum(max(0, e - s + 1) for s, e in zip(starts, ends)) > 2 * 0x10000:
        raise FontFileError("the character map is damaged (its ranges overlap)")
    cmap = {}
    for i in range(segs):
        start, end, delta, ro = starts[i], ends[i], deltas[i], ranges[i]
        if start == 0xFFFF:
            continue
        if ro == 0:
            for cp in range(start, end + 1):
                g = (cp + delta) & 0xFFFF
                if g:
                    cmap[cp] = g
        else:
            base = range_at + 2 * i + ro
            ids = _ushorts(data, base, end - start + 1)
            for k, g in enumerate(ids):
                if g:
                    g = (g + delta) & 0xFFFF
                    if g:
                        cmap[start + k] = g
    return cmap


def _format12(data: bytes, at: int) -> dict[int, int]:
    count = struct.unpack_from(">I", data, at + 12)[0]
    if at + 16 + 12 * count > len(data):
        raise FontFileError("the character map runs past the end of the file")
    groups = [struct.unpack_from(">III", data, at + 16 + 12 * i) for i in range(count)]
    if sum(max(0, min(end, 0x10FFFF) - start + 1) for start, end, _ in groups) > 2 * 0x110000:
        raise FontFileError("the character map is damaged (its ranges overlap)")
    cmap = {}
    for start, end, glyph in groups:
        for cp in range(start, min(end, 0x10FFFF) + 1):
            cmap[cp] = glyph + cp - start
    return cmap


# Unicode subtables, fullest first: (platform, encoding) -> preference.
_PREFERENCE = {(3, 10): 0, (0, 6): 1, (0, 4): 2, (3, 1): 3, (0, 3): 4, (0, 2): 5, (0, 1): 6,
               (0, 0): 7}


def _cmap(data: bytes, at: int) -> dict[int, int]:
    count = struct.unpack_from(">H", data, at + 2)[0]
    best = None
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
        rank = _PREFERENCE.get((platform, encoding))
        if rank is None:
            continue
        fmt = struct.unpack_from(">H", data, at + offset)[0]
        if fmt in (4, 12) and (best is None or rank < best[0]):
            best = (rank, at + offset, fmt)
    if best is None:
        raise FontFileError("the font has no Unicode character map")
    _, sub, fmt = best
    return _format12(data, sub) if fmt == 12 else _format4(data, sub)


def parse(data: bytes) -> Face:
    try:
        # A collection's first face; its table offsets count from the start of the file.
        start = struct.unpack_from(">I", data, 12)[0] if data[:4] == b"ttcf" else 0
        tables = _tables(data, start)
        for tag in (b"head", b"hhea", b"maxp", b"hmtx", b"cmap"):
            if tag not in tables:
                raise FontFileError(f"the font has no {tag.decode()!r} table")
        upm = struct.unpack_from(">H", data, tables[b"head"][0] + 18)[0]
        if not 16 <= upm <= 16384:
            raise FontFileError(f"unitsPerEm {upm} is out of range")
        metric_count = struct.unpack_from(">H", data, tables[b"hhea"][0] + 34)[0]
        glyph_count = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)[0]
        hmtx, hmtx_len = tables[b"hmtx"]
        if metric_count == 0 or metric_count * 4 > hmtx_len:
            raise FontFileError("the hmtx table is shorter than hhea says")
        pairs = _ushorts(data, hmtx, 2 * metric_count)
        advances = pairs[0::2]
        if glyph_count > metric_count:  # monospaced tails repeat the last advance
            advances.extend([advances[-1]] * (glyph_count - metric_count))
        ascent, descent = 0, 0
        if b"OS/2" in tables:
            os2 = tables[b"OS/2"][0]
            ascent, descent = struct.unpack_from(">HH", data, os2 + 74)
        if ascent + descent == 0:
            hhea = tables[b"hhea"][0]
            asc, desc = struct.unpack_from(">hh", data, hhea + 4)
            ascent, descent = asc, -desc
        return Face(_cmap(data, tables[b"cmap"][0]), advances, upm, ascent, descent)
    except struct.error:
        raise FontFileError("a table is cut short") from None


@lru_cache(maxsize=64)
def face(path: str) -> Face:
    """The parsed face of a TTF file (cached per path for the life of the process)."""
    with open(path, "rb") as fh:
        return parse(fh.read())


def _name_records(data: bytes, tables: dict[bytes, tuple[int, int]]):
    """(platform, encoding, language, name id, raw bytes) of each record of the name table."""
    at, length = tables[b"name"]
    count, strings = struct.unpack_from(">HH", data, at + 2)
    if at + 6 + 12 * count > at + length:
        raise FontFileError("the name table is cut short")
    for i in range(count):
        platform, encoding, language, name_id, size, where = struct.unpack_from(
            ">HHHHHH", data, at + 6 + 12 * i)
        start = at + strings + where
        yield platform, encoding, language, name_id, data[start:start + size]


def family_name(data: bytes) -> str | None:
    """The family name in the name table (what Word calls the font): the typographic family
    (name 16), else the family (name 1); None when the font names none."""
    try:
        tables = _tables(data, 0)
        if b"name" not in tables:
            return None
        found: dict[int, str] = {}
        for platform, _, language, name_id, raw in _name_records(data, tables):
            if name_id not in (1, 16) or name_id in found:
                continue
            if platform in (0, 3):
                found[name_id] = raw.decode("utf-16-be", "replace")
            elif platform == 1 and language == 0:
                found[name_id] = raw.decode("latin-1")
    except (struct.error, FontFileError):
        return None
    name = (found.get(16) or found.get(1) or "").strip()
    return name or None


def _postscript_name(data: bytes, tables) -> bytes:
    """The PostScript name as reportlab picks it (name 6, else 4, else 1; Windows US English or
    Mac Roman records), which becomes the font's name in the PDF."""
    at = tables[b"name"][0]
    if struct.unpack_from(">H", data, at)[0] != 0:
        raise FontFileError("the name table is not format 0")
    names: dict[int, bytes] = {}
    for platform, encoding, language, name_id, raw in _name_records(data, tables):
        if name_id not in (1, 4, 6) or name_id in names:
            continue
        if (platform, encoding, language) == (3, 1, 0x409):
            if len(raw) % 2:
                raise FontFileError("the PostScript name is UTF-16 of odd length")
            names[name_id] = raw.decode("utf-16-be", "replace").encode("latin-1", "replace")
        elif (platform, encoding, language) == (1, 0, 0):
            names[name_id] = raw
    ps = names.get(6) or names.get(4) or names.get(1)
    if not ps:
        raise FontFileError("the font has no PostScript name")
    ps = ps.replace(b" ", b"-")
    if any(c > 126 or c in b"[](){}<>/%" for c in ps):
        raise NotEmbeddable(f"its PostScript name {ps.decode('latin-1')!r} has characters a PDF "
                            "font name cannot have")
    return ps


def _version(data: bytes, tables, tag: bytes, majors: tuple[int, ...]) -> None:
    major, minor = struct.unpack_from(">HH", data, tables[tag][0])
    if major not in majors:
        raise FontFileError(f"the {tag.decode()!r} table has unknown version {major}.{minor:04x}")


def check(data: bytes) -> None:
    """Raise FontFileError unless the PDF renderer can register, subset and embed this face: the
    tables and versions reportlab's TTFontFile reads. (The licence bits in OS/2 fsType are not
    checked: reportlab 4 and 5 subset every font whatever they say, and so did briefgen.)"""
    if data[:4] == b"OTTO":
        raise FontFileError("the font has PostScript (CFF) outlines, not TrueType ones")
    if data[:4] not in (b"\x00\x01\x00\x00", b"true"):
        raise FontFileError("the file does not start as a TrueType font")
    try:
        tables = _tables(data, 0)
        if not all(tag.isascii() and tag.decode().isprintable() for tag in tables):
            raise FontFileError("the table directory is damaged (a table name is not text)")
        for tag in (b"name", b"head", b"hhea", b"maxp", b"hmtx", b"cmap", b"post", b"loca",
                    b"glyf"):
            if tag not in tables:
                raise FontFileError(f"the font has no {tag.decode()!r} table")
        _postscript_name(data, tables)
        _version(data, tables, b"head", (1,))
        head = tables[b"head"][0]
        if struct.unpack_from(">I", data, head + 12)[0] != 0x5F0F3CF5:
            raise FontFileError("the head table has a wrong magic number")
        loca_format, glyph_format = struct.unpack_from(">hh", data, head + 50)
        if loca_format not in (0, 1) or glyph_format != 0:
            raise FontFileError("the head table names an unknown glyph or location format")
        _version(data, tables, b"post", (1, 2, 3, 4))
        _version(data, tables, b"hhea", (1,))
        if struct.unpack_from(">h", data, tables[b"hhea"][0] + 32)[0] != 0:
            raise FontFileError("the hhea table has an unknown metric format")
        _version(data, tables, b"maxp", (1,))
        glyphs = struct.unpack_from(">H", data, tables[b"maxp"][0] + 4)[0]
        if tables[b"loca"][1] < (glyphs + 1) * (2 if loca_format == 0 else 4):
            raise FontFileError("the loca table is shorter than the glyph count")
        face = parse(data)  # the cmap and widths every stage reads
        _check_glyph_ids(face.cmap, glyphs)
        _check_reportlab_cmap(data, tables[b"cmap"][0], glyphs)
    except struct.error:
        raise FontFileError("a table is cut short") from None


def _check_glyph_ids(cmap: dict[int, int], glyphs: int) -> None:
    if cmap and max(cmap.values()) >= glyphs:
        raise FontFileError("the character map points past the last glyph")


def _check_reportlab_cmap(data: bytes, at: int, glyphs: int) -> None:
    """reportlab reads the LAST subtable it knows, not the fullest Unicode one, and walks its
    ranges as written (to code point 2**32 if it says so): check that subtable too."""
    picked = None
    for i in range(struct.unpack_from(">H", data, at + 2)[0]):
        platform, encoding, offset = struct.unpack_from(">HHI", data, at + 4 + 8 * i)
        if platform == 3 or (platform, encoding) in ((1, 0), (1, 1)) or \
                (platform == 0 and encoding != 5):
            picked = at + offset
    if picked is None:
        raise FontFileError("the font has no character map the PDF renderer reads")
    fmt = struct.unpack_from(">H", data, picked)[0]
    if fmt == 12:
        count = struct.unpack_from(">I", data, picked + 12)[0]
        if any(not start <= end <= 0x10FFFF for start, end, _ in
               (struct.unpack_from(">III", data, picked + 16 + 12 * i) for i in range(count))):
            raise FontFileError("the character map is damaged (a range past Unicode)")
        _check_glyph_ids(_format12(data, picked), glyphs)
    elif fmt == 4:
        _check_glyph_ids(_format4(data, picked), glyphs)
    elif fmt not in (0, 2, 6, 10, 13):
        raise FontFileError(f"the character map has unknown format {fmt}")


def problem(path) -> str | None:
    """Why the file at ``path`` cannot be a face of a theme's font family (what is wrong, and
    what to use instead), or None if it can."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    tag = data[:4]
    if tag == b"OTTO":
        return ("is an OpenType font with PostScript (CFF) outlines; the PDF renderer needs "
                "TrueType outlines: use the .ttf version of the font")
    if tag == b"ttcf":
        return "is a font collection (.ttc): use a single .ttf face"
    if tag not in (b"\x00\x01\x00\x00", b"true"):
        return "is not a TrueType (.ttf) font file"
    try:
        check(data)
    except NotEmbeddable as exc:
        return f"cannot be embedded in the PDF: {exc}; use another font"
    except FontFileError as exc:
        return f"cannot be read as a TrueType font (damaged or cut short?): {exc}"
    return None
