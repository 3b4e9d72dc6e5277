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
