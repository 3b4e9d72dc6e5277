"""Where theme files are: the built-in themes, a theme reference (a name or a path) resolved to
its file, and the checks on the other files a theme names (logo image, reference DOCX).

Fonts are checked by fonts/ttf.py, where font data is read.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from ..content.fields import did_you_mean
from ..errors import Problem
from ..workspace_paths import display_path

THEME_SUFFIXES = (".yaml", ".yml")
DEFAULT_THEME = "default"
IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF",
               b"GIF89a": "GIF"}


def builtin_themes_dir() -> Path:
    return Path(__file__).parent.parent / "themes"


def builtin_theme_names() -> list[str]:
    folder = builtin_themes_dir()
    return sorted(p.stem for p in folder.glob("*.yaml"))


def is_theme_path(ref: str) -> bool:
    return ref.endswith(THEME_SUFFIXES) or "/" in ref or "\\" in ref


def resolve_ref(ref: str, relative_to: Path) -> Path | None:
    """A theme reference -> its file: a built-in name, or a path relative to ``relative_to``."""
    ref = ref.strip()
    if is_theme_path(ref):
        path = Path(ref).expanduser()
        return path if path.is_absolute() else relative_to / path
    builtin = builtin_themes_dir() / f"{ref}.yaml"
    return builtin if builtin.is_file() else None


def not_found(ref: str, path: Path | None, where: Problem | None) -> Problem:
    if path is None:
        names = builtin_theme_names()
        message = (f"no built-in theme '{ref}'{did_you_mean(ref, names)}; built-in themes: "
                   f"{', '.join(names)}; or give the path of a theme file (ending in .yaml)")
    else:
        message = f"theme file {display_path(path)} does not exist"
    return Problem(message, where.path if where else None, where.line if where else None)


def check_image(path: Path) -> str | None:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if not any(head.startswith(magic) for magic in IMAGE_MAGIC):
        return "is not a PNG, JPEG or GIF image"
    from ..document.images import read_image
    found = read_image(path, ("PNG", "JPEG", "GIF"))
    return found if isinstance(found, str) else None


def check_docx(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as z:
            if "word/styles.xml" not in z.namelist():
                return "is not a Word document: it has no word/styles.xml"
    except (zipfile.BadZipFile, OSError):
        return "is not a Word .docx file (not a zip archive)"
    return None


FILE_CHECKS = {"logo": check_image, "reference_docx": check_docx}
