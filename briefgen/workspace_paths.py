"""How paths are shown to the user."""
from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | Path) -> str:
    """Relative to the current directory when inside it, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("..") else str(Path(path).resolve())


def _first_link(path: Path, root: Path) -> Path | None:
    """The first symbolic link on the way from ``root`` down to ``path`` (both unresolved)."""
    path, root = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return path if path.is_symlink() else None
    step = root
    for part in parts:
        step = step / part
        if step.is_symlink():
            return step
    return None


READ_FIX = "briefgen reads only files inside it; copy the file in instead of linking to it"


def leads_outside(path: str | Path, root: str | Path, fix: str = READ_FIX) -> str | None:
    """Why the file ``path`` may not be read as part of the folder ``root``, or None when it
    is inside it once every symbolic link is followed.

    The one rule for every file a workspace names (content, settings, templates, themes and what
    they name, images): a link may point anywhere inside the workspace, never out of it, so a
    workspace copied from someone else cannot make briefgen read /etc/... into a brief.
    """
    try:
        target = Path(path).resolve()
        base = Path(root).resolve()
    except (OSError, RuntimeError, ValueError):  # a loop of links, a bad name
        return f"{display_path(path)} cannot be resolved to a file (a loop of symbolic links?)"
    if target.is_relative_to(base):
        return None
    link = _first_link(Path(path), Path(root))
    folder = display_path(root)
    folder = "the workspace folder" if folder in ("", ".") else f"the folder {folder}"
    if link is None:
        return f"{display_path(path)} leads out of {folder}"
    try:
        points_to = os.readlink(link)
    except OSError:
        points_to = str(target)
    return f"{display_path(link)} is a symbolic link to {points_to}, out of {folder}: {fix}"
