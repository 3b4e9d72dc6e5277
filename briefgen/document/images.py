"""Images: which ones a brief may embed, and checking an image file before a renderer reads it.

A Markdown image (``![alt](images/map.png)``) is embedded only when it is a PNG or JPEG file
inside the workspace, named by a path relative to the workspace folder. Everything else is
refused and prints as its alt text, with a warning: a URL (briefgen never fetches anything), an
absolute path, a path that leads out of the workspace (``../..``, or a symbolic link pointing
outside), a missing file, a file that is not a readable PNG or JPEG, or one too large to print.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from ..workspace_paths import leads_outside

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # about 7,700 x 5,200: more than any page needs at 300 dpi
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
MARKDOWN_FORMATS = ("PNG", "JPEG")
PT_PER_PX = 0.75  # images print at 96 pixels per inch unless that is too large


def print_size(width_px: int, height_px: int, room_w: float, room_h: float
               ) -> tuple[float, float]:
    """Printed size in points, the same in PDF and DOCX: 96 dpi, scaled down to the width
    ``room_w`` and to 80% of the page's text height ``room_h``, proportions kept."""
    w, h = width_px * PT_PER_PX, height_px * PT_PER_PX
    if w <= 0 or h <= 0:
        return 0.0, 0.0
    scale = min(1.0, room_w / w, room_h * 0.8 / h)
    return w * scale, h * scale


@dataclass(frozen=True)
class ImageFile:
    path: Path  # absolute, resolved
    width: int  # pixels
    height: int
    format: str  # "PNG", "JPEG", ...


def read_image(path: Path, formats: tuple[str, ...] = MARKDOWN_FORMATS) -> ImageFile | str:
    """The image at ``path`` (decoded once, to be sure it is whole), or why it cannot be used."""
    from PIL import Image, UnidentifiedImageError

    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if size > MAX_IMAGE_BYTES:
        return f"is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MB: make it smaller"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # sized below
            image = Image.open(path)
        with image:
            fmt, (width, height) = image.format or "", image.size
            if fmt not in formats:
                return f"is not a {' or '.join(formats)} image" + (f" ({fmt})" if fmt else "")
            if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
                return (f"is {width} x {height} pixels: images can have at most "
                        f"{MAX_IMAGE_PIXELS:,} pixels; make it smaller")
            image.load()  # a file cut short or damaged fails here, not in a renderer
    except Image.DecompressionBombError:
        return f"has more than {MAX_IMAGE_PIXELS:,} pixels: make it smaller"
    except UnidentifiedImageError:
        return f"is not a {' or '.join(formats)} image"
    except (OSError, ValueError, SyntaxError) as exc:
        return f"is damaged or cut short ({' '.join(str(exc).split())[:80]})"
    return ImageFile(path.resolve(), width, height, fmt)


@dataclass
class ImageResolver:
    """Resolves the images of one brief against the workspace folder; remembers refusals."""

    root: Path
    refused: list[tuple[str, str, int]] = field(default_factory=list)  # (src, why, line)
    _seen: dict[str, ImageFile | str] = field(default_factory=dict)

    def __call__(self, src: str, line: int = 0) -> ImageFile | None:
        """The image file for ``src``, or None (the refusal is recorded, once per src)."""
        found = self._seen.get(src)
        if found is None:
            found = self._seen[src] = self._resolve(src)
            if isinstance(found, str):
                self.refused.append((src, found, line))
        return found if isinstance(found, ImageFile) else None

    def source_of(self, path: str) -> str:
        """The ``src`` an embedded image at ``path`` was named by (as the Markdown wrote it)."""
        return next((src for src, found in self._seen.items()
                     if isinstance(found, ImageFile) and str(found.path) == path), path)

    def _resolve(self, src: str) -> ImageFile | str:
        raw = src.strip()
        if not raw:
            return "has no path"
        if _SCHEME.match(raw) and not re.match(r"^[A-Za-z]:[\\/]", unquote(raw)) or \
                raw.startswith("//"):
            return ("is a URL: briefgen never downloads images; save the image in the workspace "
                    "and give its path, e.g. images/map.png")
        rel = unquote(raw)
        if "\0" in rel:
            return "is not a usable path"
        if rel.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:[\\/]", rel) or \
                Path(rel).is_absolute() or rel.startswith("~"):
            return ("is an absolute path: give a path relative to the workspace folder, e.g. "
                    "images/map.png")
        root = self.root.resolve()
        try:
            target = (root / rel).resolve()
        except (OSError, RuntimeError, ValueError):  # a symlink loop, a bad name
            return "cannot be resolved to a file"
        if leads_outside(root / rel, root):
            return ("leads out of the workspace folder: only images inside the workspace are "
                    "embedded")
        if not target.is_file():
            return "is not a file in the workspace (paths are relative to the workspace folder)"
        return read_image(target)
