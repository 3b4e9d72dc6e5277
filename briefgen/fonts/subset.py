"""Font subsets for the formats that carry their own copy of a script face (DOCX, HTML).

The PDF embeds every face it draws with (reportlab subsets them). The DOCX and the HTML only
name their faces, and a reader without Amiri (or Noto Sans SC) installed sees boxes for the
letters DejaVu lacks (the Pashto ۍ, for one). Both therefore carry the built-in *script* faces
their Arabic-script and CJK runs name, cut down to the characters those runs use: the whole
Amiri Regular is ~430 KB, a brief's Pashto paragraphs need a few KB of it.

``subset(path, chars)`` keeps what shaping needs besides the characters' own glyphs: harfbuzz's
subsetter closes over GSUB and keeps GPOS (its default layout features include the Arabic
joining forms, ligatures and mark positioning), so Word, LibreOffice and browsers still join the
letters and place the harakat. The result depends only on the font file and the characters, so
a document's bytes stay the same from build to build.

``script_faces()`` says which family names of the DOCX and HTML are the built-in script faces
that get embedded; a theme's own fallback fonts are the user's files and are not copied.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..errors import BriefgenError
from . import faces


@lru_cache(maxsize=32)
def subset(path: str, chars: frozenset[str]) -> bytes:
    """The TrueType font at ``path`` cut down to ``chars`` (and the glyphs shaping reaches from
    them). Characters the font lacks are left out. A font that cannot be read or cut is a
    BriefgenError naming the file (a broken install: the faces come from packages)."""
    import uharfbuzz as hb  # ~10 ms import: only documents with script runs pay for it

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BriefgenError(f"cannot read the font {path} to embed it ({exc.strerror}); "
                            f"reinstall the package that brings it") from None
    spec = hb.SubsetInput()
    spec.unicode_set.update(sorted(ord(ch) for ch in chars))
    face = hb.Face(hb.Blob(data))
    try:
        out = hb.subset(face, spec) if face.glyph_count else None  # 0: harfbuzz cannot read it
    except RuntimeError:  # newer uharfbuzz raises where older ones return None
        out = None
    if out is None or not out.blob.data:
        raise BriefgenError(f"cannot subset the font {path} to embed it (a damaged file?); "
                            f"reinstall the package that brings it")
    return bytes(out.blob.data)


def script_faces() -> dict[str, faces.FontFamily]:
    """The built-in script faces by the family name the DOCX and HTML give them ("Amiri",
    "Noto Sans SC" with the cjk extra)."""
    out = {}
    family = faces.amiri()
    if family is not None:
        out["Amiri"] = family
    family = faces.noto_sans_sc()
    if family is not None:
        out["Noto Sans SC"] = family
    return out
