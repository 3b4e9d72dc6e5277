"""Which font faces exist: a family's four TTF files, and the built-in DejaVu families.

The DejaVu faces ship inside matplotlib's wheel as static TTFs covering Latin-extended, Cyrillic
and Greek. We only read the files; matplotlib itself is never imported (its import costs ~0.5 s).
A theme names its families (built-in by name, or its own files, checked by ``ttf.problem``);
``Theme.families`` lists them, fallbacks last. Font data comes from ``ttf``.
"""
from __future__ import annotations

import importlib.util
import re
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

    @property
    def faces(self) -> tuple[Path, Path, Path, Path]:
        return self.regular, self.bold, self.italic, self.bold_italic


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


BUILTIN_FAMILY_NAMES = ("DejaVu Serif", "DejaVu Sans", "DejaVu Sans Mono")
_BUILTIN = {"dejavuserif": dejavu_serif, "dejavusans": dejavu_sans, "dejavusansmono": dejavu_mono}


def builtin_family(name: str) -> FontFamily | None:
    """The built-in family ``name`` names (any case; spaces, - and _ ignored), or None."""
    make = _BUILTIN.get(re.sub(r"[\s_-]", "", name.lower()))
    return make() if make else None
