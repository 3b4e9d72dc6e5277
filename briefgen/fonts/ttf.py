"""Character map and advance widths of a TrueType file, read directly from its tables.

The glyph-coverage check, the DOCX page estimate and the figure layout need only these two
tables. reportlab's TTFontFile parses the whole font in Python (~25 ms a face) and fontTools
costs ~0.1 s to import, so a build that only needs widths reads them here with ``struct`` and
``array`` (~2 ms a face) and leaves full parsing to the PDF renderer, which needs it to embed.
"""
from __future__ import annotations

import struct
import sys
from array import array
from dataclasses import dataclass
from functools import lru_cache


class FontFileError(ValueError):
    pass


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
    groups = struct.unpack_from(">I", data, at + 12)[0]
    cmap = {}
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", data, at + 16 + 12 * i)
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
