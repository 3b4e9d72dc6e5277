"""Which font faces exist: a family's four TTF files, the built-in families and the script faces.

The built-in faces cover the region's scripts out of the box, all static TTFs (reportlab embeds
TrueType outlines only):

- DejaVu Serif, Sans and Sans Mono (Latin-extended, Cyrillic with the Tajik, Uzbek and Kazakh
  letters, Greek) ship in briefgen's own wheel (``fonts/dejavu``, with their licence): no
  package on PyPI carries them as plain font data (matplotlib did, at ~100 MB with numpy).
- Amiri (Arabic script with the Pashto, Dari, Urdu and Uyghur letters and the harakat) comes
  from the ``fontpkg-amiri`` package (OFL), a dependency.
- Noto Sans SC (Chinese, for names) comes from the optional ``justmytype-intl-cjk`` package
  (``pip install 'briefgen[cjk]'``, ~80 MB installed), so it is found only when installed.

``script_families()`` are tried after a theme's own ``fallback_fonts`` for every character the
theme's faces lack (and first for Arabic-script runs, see render/pdf/fonts.py), in both
formats. Font data comes from ``ttf``; nothing here imports the font packages (they are found
by ``importlib.util.find_spec``, which only reads the file system).
"""
from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEJAVU_DIR = Path(__file__).resolve().parent / "dejavu"

CJK_EXTRA = "briefgen[cjk]"
CJK_INSTALL = f"pip install '{CJK_EXTRA}'"


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


def _dejavu(name: str, italic: str) -> FontFamily:
    return FontFamily(name, DEJAVU_DIR / f"{name}.ttf", DEJAVU_DIR / f"{name}-Bold.ttf",
                      DEJAVU_DIR / f"{name}-{italic}.ttf", DEJAVU_DIR / f"{name}-Bold{italic}.ttf")


def dejavu_serif() -> FontFamily:
    return _dejavu("DejaVuSerif", "Italic")


def dejavu_sans() -> FontFamily:
    return _dejavu("DejaVuSans", "Oblique")


def dejavu_mono() -> FontFamily:
    return _dejavu("DejaVuSansMono", "Oblique")


def _package_dir(module: str) -> Path | None:
    """The folder of the installed package ``module``, without importing it (None if absent)."""
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


@lru_cache(maxsize=1)
def amiri() -> FontFamily | None:
    """Amiri, the Arabic-script face (a dependency; None only in a broken install)."""
    d = _package_dir("fontpkg_amiri")
    if d is None or not (d / "files" / "Amiri-Regular.ttf").is_file():
        return None
    d = d / "files"
    return FontFamily("Amiri", d / "Amiri-Regular.ttf", d / "Amiri-Bold.ttf",
                      d / "Amiri-Italic.ttf", d / "Amiri-BoldItalic.ttf")


@lru_cache(maxsize=1)
def noto_sans_sc() -> FontFamily | None:
    """Noto Sans SC, the Chinese face of the ``cjk`` extra (None when it is not installed). One
    variable TTF; reportlab draws its default instance for every style."""
    d = _package_dir("justmytype_intl_cjk")
    face = d / "fonts" / "ofl" / "notosanssc" / "NotoSansSC[wght].ttf" if d else None
    if face is None or not face.is_file():
        return None
    return FontFamily("NotoSansSC", face, face, face, face)


def script_families() -> list[FontFamily]:
    """The installed built-in faces for scripts the DejaVu faces lack, in order of preference."""
    return [f for f in (amiri(), noto_sans_sc()) if f is not None]


BUILTIN_FAMILY_NAMES = ("DejaVu Serif", "DejaVu Sans", "DejaVu Sans Mono", "Amiri",
                        "Noto Sans SC")
_BUILTIN = {"dejavuserif": dejavu_serif, "dejavusans": dejavu_sans, "dejavusansmono": dejavu_mono,
            "amiri": amiri, "notosanssc": noto_sans_sc}


def builtin_family(name: str) -> FontFamily | None:
    """The built-in family ``name`` names (any case; spaces, - and _ ignored), or None (also for
    Noto Sans SC when the ``cjk`` extra is not installed)."""
    make = _BUILTIN.get(re.sub(r"[\s_-]", "", name.lower()))
    return make() if make else None
