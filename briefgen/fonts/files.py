"""Where the default TTF faces come from.

The DejaVu faces ship inside matplotlib's wheel as static TTFs covering Latin-extended, Cyrillic
and Greek. We only read the files; matplotlib itself is never imported (its import costs ~0.5 s).
"""
from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from ..errors import BriefgenError


@dataclass(frozen=True)
class FontFamily:
    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path


def _mpl_font_dir() -> Path:
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise BriefgenError("the default fonts come with matplotlib, which is not installed; "
                            "reinstall briefgen with pip")
    return Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"


def dejavu_serif() -> FontFamily:
    d = _mpl_font_dir()
    return FontFamily("DejaVuSerif", d / "DejaVuSerif.ttf", d / "DejaVuSerif-Bold.ttf",
                      d / "DejaVuSerif-Italic.ttf", d / "DejaVuSerif-BoldItalic.ttf")


def dejavu_sans() -> FontFamily:
    d = _mpl_font_dir()
    return FontFamily("DejaVuSans", d / "DejaVuSans.ttf", d / "DejaVuSans-Bold.ttf",
                      d / "DejaVuSans-Oblique.ttf", d / "DejaVuSans-BoldOblique.ttf")


def dejavu_mono() -> FontFamily:
    d = _mpl_font_dir()
    return FontFamily("DejaVuSansMono", d / "DejaVuSansMono.ttf", d / "DejaVuSansMono-Bold.ttf",
                      d / "DejaVuSansMono-Oblique.ttf", d / "DejaVuSansMono-BoldOblique.ttf")
