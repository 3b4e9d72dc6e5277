"""The Unicode bidirectional algorithm (UAX #9) in the order a paragraph needs it.

A paragraph holding right-to-left text must be broken into lines in LOGICAL order and only then
reordered, line by line (rules L1-L2): reordering before breaking puts the last sentence on the
top line. So the steps are separate here, and every renderer (PDF paragraphs and running heads,
figure labels in both formats) runs them in that order:

- ``base_level``: the paragraph's direction, from the field's language where one is known
  (HL1), else the first strong character (P2-P3), else the document's language;
- ``embedding_levels``: each character's resolved level (python-bidi's algorithm module, rules
  X1-I2);
- ``words`` and ``fill_lines``: lines filled greedily in logical order with measured widths
  (words split at spaces only: a ZWNJ, U+200C, stays inside its word);
- ``level_runs`` and ``reorder``: a line cut into runs of one level, put in visual order (L2).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable, Iterable, Iterator

from bidi import algorithm as uax9

__all__ = ["SPACES", "BREAK", "base_level", "language_level", "embedding_levels", "reorder",
           "level_runs", "words", "fill_lines", "visual_runs"]

SPACES = frozenset(" \t\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u3000")
BREAK = "\n"  # a forced line break inside a paragraph
_STAND_IN = {"": "A", "LRI": "!", "RLI": "!", "FSI": "!", "PDI": "!"}

# Languages written right to left by default (ISO 639 codes; a script subtag overrides)
_RTL_LANGUAGES = frozenset({
    "ar", "arc", "ckb", "dv", "fa", "glk", "he", "iw", "ks", "ku-arab", "lrc", "mzn", "pa-arab",
    "pnb", "prs", "ps", "pbt", "pbu", "sd", "syr", "ug", "ur", "yi", "az-arab", "uz-arab"})
_RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand",
                          "samr", "yezi"})
_TAG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$")


def language_level(language: str | None) -> int | None:
    """0 (left to right) or 1 (right to left) for a BCP 47 language tag (``ps``, ``fa-AF``,
    ``uz-Arab``, ``en``); None when there is no tag or it is not one."""
    if not language or not _TAG.match(language.strip()):
        return None
    parts = language.strip().lower().replace("_", "-").split("-")
    scripts = [p for p in parts[1:] if len(p) == 4 and p.isalpha()]
    if scripts:
        return 1 if scripts[0] in _RTL_SCRIPTS else 0
    return 1 if parts[0] in _RTL_LANGUAGES else 0


def base_level(text: str, language: str | None = None, default: str | None = None) -> int:
    """The paragraph level of ``text``: the direction of ``language`` (the language the field
    is written in) where one is known, else the first strong character's (UAX #9 P2-P3), else
    that of ``default`` (the document's language), else left to right."""
    level = language_level(language)
    if level is not None:
        return level
    isolates = 0  # P2: characters between an isolate initiator and its PDI do not count
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("LRI", "RLI", "FSI"):
            isolates += 1
        elif kind == "PDI":
            isolates = max(0, isolates - 1)
        elif isolates:
            continue
        elif kind in ("R", "AL"):
            return 1
        elif kind in ("L", ""):  # unassigned code points: L, the class most of them default to
            return 0
    return language_level(default) or 0


def embedding_levels(text: str, base: int | None = None) -> tuple[int, list[int]]:
    """The paragraph's base level and each character's resolved embedding level (UAX #9 up to
    rule I2). Characters rule X9 removes (ZWNJ, ZWJ, embedding controls) take the level of the
    character before them, as the algorithm's note on X9 suggests. python-bidi's algorithm
    predates isolates and stops at unassigned code points: those are given as a neutral (ON) and
    a left-to-right letter (L, the default class of most unassigned code points)."""
    text = "".join(_STAND_IN.get(unicodedata.bidirectional(ch), ch) for ch in text)
    storage = uax9.get_empty_storage()
    if base is None:
        base = uax9.get_base_level(text)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    uax9.get_embedding_levels(text, storage, False, False)
    uax9.explicit_embed_and_overrides(storage, False)
    uax9.resolve_weak_types(storage, False)
    uax9.resolve_neutral_types(storage, False)
    uax9.resolve_implicit_levels(storage, False)
    chars = storage["chars"]
    levels: list[int] = []
    j, prev = 0, base
    for ch in text:  # rule L1 (spaces at a line's end) is kept by leaving those spaces out
        if j < len(chars) and chars[j]["ch"] == ch:
            prev = chars[j]["level"]
            j += 1
        levels.append(base if ch == BREAK else prev)
    return base, levels


def reorder(runs: list[tuple[int, object]]) -> list[object]:
    """Rule L2: from the highest level down to the lowest odd one, reverse every sequence of
    runs at that level or higher. ``runs`` are (level, run) in logical order."""
    if not runs:
        return []
    order = list(runs)
    top = max(level for level, _ in order)
    low = min(level for level, _ in order)
    low_odd = low if low % 2 else low + 1
    for level in range(top, low_odd - 1, -1):
        i = 0
        while i < len(order):
            if order[i][0] >= level:
                j = i
                while j < len(order) and order[j][0] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return [run for _, run in order]


def level_runs(levels: list[int], start: int, end: int,
               key: Callable[[int], object] | None = None) -> Iterator[tuple[int, int]]:
    """(start, end) runs of one level (and one ``key(i)``, e.g. a font) in [start, end)."""
    i = start
    while i < end:
        j = i + 1
        this = (levels[i], key(i) if key else None)
        while j < end and (levels[j], key(j) if key else None) == this:
            j += 1
        yield i, j
        i = j


def visual_runs(levels: list[int], start: int, end: int,
                key: Callable[[int], object] | None = None) -> list[tuple[int, int]]:
    """The runs of one line (``level_runs``) in visual order, left to right."""
    return reorder([(levels[i], (i, j)) for i, j in level_runs(levels, start, end, key)])


def words(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) pieces of text[start:end]: kind "w" a word, "s" spaces, "b" a forced
    break."""
    i = start
    while i < end:
        ch = text[i]
        if ch == BREAK:
            yield i, i + 1, "b"
            i += 1
            continue
        space = ch in SPACES
        j = i + 1
        while j < end and text[j] != BREAK and (text[j] in SPACES) == space:
            j += 1
        yield i, j, "s" if space else "w"
        i = j


def fill_lines(pieces: Iterable[tuple[int, int, str]], width: Callable[[int, int], float],
               first_room: float, room: float) -> list[tuple[int, int, bool]]:
    """Lines filled greedily in logical order: (start, end, ends the paragraph or a forced
    break) for ``pieces`` from ``words``, ``width(i, j)`` the measured width of text[i:j].
    Spaces at a line's end take no room. Empty when there are no pieces."""
    lines: list[tuple[int, int, bool]] = []
    start = line_end = None
    used = 0.0
    pending = 0.0  # spaces after the last word, counted once a word follows
    for i, j, kind in pieces:
        avail = first_room if not lines else room
        if kind == "b":
            lines.append((start if start is not None else i, line_end or i, True))
            start = line_end = None
            used = pending = 0.0
            continue
        if kind == "s":
            if start is not None:
                pending += width(i, j)
            continue
        w = width(i, j)
        if start is None:
            start, line_end, used, pending = i, j, w, 0.0
        elif used + pending + w <= avail + 1e-6:
            line_end, used, pending = j, used + pending + w, 0.0
        else:
            lines.append((start, line_end, False))
            start, line_end, used, pending = i, j, w, 0.0
    if start is not None:
        lines.append((start, line_end, True))
    return lines
