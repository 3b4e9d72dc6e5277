"""Word formatting as the page estimate (pages.py) needs it: a paragraph's or run's size, font,
spacing, indents and keep/break flags, resolved through styles.xml's ``basedOn`` chains and the
document defaults (so a reference document's styles count too), and the advance widths and line
height of the theme's TTF faces (read by fonts/ttf.py, cached per file).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from ...fonts import ttf
from ...theme.model import Theme
from . import xml as x
from .styles import word_family

LINE_FACTOR = 1.164     # DejaVu: (winAscent + winDescent) / unitsPerEm
AVERAGE_EM = 0.55       # advance of a character the font tables do not know

W = x.w
_W_VAL, _W_SZ, _W_RFONTS, _W_ASCII, _W_B = W("val"), W("sz"), W("rFonts"), W("ascii"), W("b")


@lru_cache(maxsize=32)
def face_metrics(path: str) -> tuple[dict[int, float], float]:
    """(advance widths in em by code point, line height in em) of a TTF file."""
    try:
        face = ttf.face(path)
    except (OSError, ValueError):  # unreadable file: averages
        return {}, LINE_FACTOR
    return face.widths_em(), face.line_factor


class Fonts:
    """Word family name + bold -> (widths, line factor), from the theme's font files."""

    def __init__(self, theme: Theme):
        self.families = {}
        for family in theme.families:
            self.families.setdefault(word_family(family), family)
        self.default = theme.body_font
        self._cache: dict[tuple[str, bool], tuple[dict[int, float], float]] = {}

    def get(self, name: str, bold: bool) -> tuple[dict[int, float], float]:
        key = (name, bold)
        hit = self._cache.get(key)
        if hit is None:
            family = self.families.get(name, self.default)
            path = getattr(family, "bold" if bold else "regular", None)
            hit = self._cache[key] = face_metrics(str(path)) if path else ({}, LINE_FACTOR)
        return hit


@dataclass
class Props:
    size: float = 10.0
    font: str = ""
    bold: bool = False
    before: float = 0.0
    after: float = 0.0
    line: float = 240.0
    rule: str = "auto"
    left: float = 0.0
    right: float = 0.0
    first: float = 0.0  # first-line indent (negative: hanging)
    keep_next: bool = False
    keep_lines: bool = False
    page_break: bool = False
    border: float = 0.0  # points that top/bottom borders add

    def copy(self) -> "Props":
        return Props(**self.__dict__)


def is_on(el: etree._Element) -> bool:
    return el.get(_W_VAL, "true") not in ("0", "false", "off")


def apply_ppr(props: Props, ppr: etree._Element | None) -> None:
    if ppr is None:
        return
    for child in ppr:
        tag = etree.QName(child).localname
        if tag == "spacing":
            for attr, name in (("before", "before"), ("after", "after")):
                if child.get(W(attr)) is not None:
                    setattr(props, name, int(child.get(W(attr))) / 20)
            if child.get(W("line")) is not None:
                props.line = float(child.get(W("line")))
                props.rule = child.get(W("lineRule"), "auto")
        elif tag == "ind":
            for attr, name in (("left", "left"), ("start", "left"), ("right", "right"),
                               ("end", "right")):
                if child.get(W(attr)) is not None:
                    setattr(props, name, int(child.get(W(attr))) / 20)
            if child.get(W("hanging")) is not None:
                props.first = -int(child.get(W("hanging"))) / 20
            elif child.get(W("firstLine")) is not None:
                props.first = int(child.get(W("firstLine"))) / 20
        elif tag == "keepNext":
            props.keep_next = is_on(child)
        elif tag == "keepLines":
            props.keep_lines = is_on(child)
        elif tag == "pageBreakBefore":
            props.page_break = is_on(child)
        elif tag == "pBdr":
            props.border = sum(int(side.get(W("sz"), 0)) / 8 + int(side.get(W("space"), 0))
                               for side in child if etree.QName(side).localname in
                               ("top", "bottom") and side.get(W("val")) not in ("nil", "none"))
        elif tag == "rPr":
            continue


def apply_rpr(props: Props, rpr: etree._Element | None) -> None:
    if rpr is None:
        return
    for child in rpr:
        tag = child.tag
        if tag == _W_SZ:
            props.size = int(child.get(_W_VAL)) / 2
        elif tag == _W_RFONTS and child.get(_W_ASCII):
            props.font = child.get(_W_ASCII)
        elif tag == _W_B:
            props.bold = is_on(child)


class StyleSheet:
    def __init__(self, root: etree._Element):
        self.styles = {s.get(W("styleId")): s for s in root.findall(W("style"))}
        self.base = Props()
        defaults = root.find(W("docDefaults"))
        if defaults is not None:
            apply_rpr(self.base, defaults.find(f"{W('rPrDefault')}/{W('rPr')}"))
            apply_ppr(self.base, defaults.find(f"{W('pPrDefault')}/{W('pPr')}"))
        self.default_para = next((sid for sid, s in self.styles.items()
                                  if s.get(W("type")) == "paragraph"
                                  and _on_attr(s.get(W("default")))), None)
        self._resolved: dict[str | None, Props] = {}

    def paragraph(self, style_id: str | None) -> Props:
        if style_id not in self.styles:
            style_id = self.default_para
        hit = self._resolved.get(style_id)
        if hit is None:
            chain = []
            seen = set()
            sid = style_id
            while sid in self.styles and sid not in seen:
                seen.add(sid)
                style = self.styles[sid]
                chain.append(style)
                based = style.find(W("basedOn"))
                sid = based.get(W("val")) if based is not None else None
            hit = self.base.copy()
            for style in reversed(chain):
                apply_ppr(hit, style.find(W("pPr")))
                apply_rpr(hit, style.find(W("rPr")))
            self._resolved[style_id] = hit
        return hit

    def character(self, props: Props, style_id: str) -> Props:
        style = self.styles.get(style_id)
        if style is None:
            return props
        props = props.copy()
        based = style.find(W("basedOn"))
        if based is not None and based.get(W("val")) != style_id:
            props = self.character(props, based.get(W("val")))
        apply_rpr(props, style.find(W("rPr")))
        return props


def _on_attr(value: str | None) -> bool:
    return value in ("1", "true", "on")
