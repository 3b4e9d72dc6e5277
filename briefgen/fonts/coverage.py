"""Which characters of the content no font face can draw.

A missing glyph prints as an empty box, silently; briefgen warns instead, naming the file and
line of the text, so the analyst can add a fallback font to the theme or change the text. This
module works on plain values (face files, a set of code points); ``theme/coverage.py`` asks it
about a theme's faces.
"""
from __future__ import annotations

import dataclasses
import unicodedata
from functools import lru_cache
from pathlib import Path

from ..content.models import Actor, Brief, Development, Source
from ..errors import Problem
from . import ttf
from .faces import CJK_INSTALL, noto_sans_sc

# Characters that are never drawn as glyphs (spaces, joiners, direction marks, variation
# selectors) and must not be reported.
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn"}


@lru_cache(maxsize=32)
def _cmap(path: str) -> frozenset[int]:
    return frozenset(ttf.face(path).cmap)


def faces_coverage(faces) -> frozenset[int]:
    """The code points at least one of the TTF files ``faces`` has a glyph for."""
    covered: set[int] = set()
    for face in faces:
        covered |= _cmap(str(Path(face)))
    return frozenset(covered)


def uncovered(text: str, coverage: frozenset[int]) -> list[str]:
    if text.isascii():  # most fields; every font has ASCII (and controls are never drawn)
        return []
    seen = []
    for ch in text:
        if ord(ch) < 128 or ord(ch) in coverage or ch in seen:
            continue
        if unicodedata.category(ch) in _INVISIBLE:
            continue
        seen.append(ch)
    return seen


def text_fields(item) -> list[tuple[str, str, int | None]]:
    """(field, text, index) for every text field of a content item, lists item by item."""
    out = []
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if isinstance(value, str):
            out.append((f.name, value, None))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                if isinstance(v, str):
                    out.append((f.name, v, i))
                elif dataclasses.is_dataclass(v) and hasattr(v, "line"):
                    out += [(f.name, text, i) for _, text, _ in text_fields(v)]
    return out


# Han ideographs (with extensions and compatibility forms), kana, Hangul, CJK punctuation
_CJK = ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3100, 0x31FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
        (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3134F))


def is_cjk(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _CJK)


def _fix(missing: list[str]) -> str:
    """What to do about ``missing``: for Chinese, Japanese or Korean characters without the cjk
    extra installed, the exact command that brings a face for them."""
    if noto_sans_sc() is None and any(is_cjk(c) for c in missing):
        return (f"install the Chinese face with `{CJK_INSTALL}`, add a fallback font to the "
                "theme or change the text")
    return "add a fallback font to the theme or change the text"


def glyph_warnings(items: list[Actor | Development | Source | Brief],
                   coverage: frozenset[int]) -> list[Problem]:
    """A warning for each text field of ``items`` with characters outside ``coverage``."""
    problems = []
    for item in items:
        for field_name, text, index in text_fields(item):
            missing = uncovered(text, coverage)
            if missing:
                names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')} ({c})"
                                  for c in missing)
                problems.append(Problem(
                    f"'{field_name}' has characters no configured font covers: {names}; they "
                    f"would print as empty boxes: {_fix(missing)}",
                    item.origin.path, item.origin.at(field_name, index)))
    return problems
