"""Writing output files so that a failed build never leaves a partial or broken file behind."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError
from .workspace_paths import display_path


def ensure_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror}; choose another "
                          "with -o", display_path(folder)) from None
    if not os.access(folder, os.W_OK):
        raise OutputError("the output folder is not writable: fix its permissions or choose "
                          "another with -o", display_path(folder))


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename over it in one step."""
    ensure_dir(path.parent)
    fd, tmp = None, None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fd = None
            fh.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write the file: {exc.strerror}; check the folder's "
                          "permissions and free space, or choose another with -o",
                          display_path(path)) from None
    finally:
        if fd is not None:
            os.close(fd)
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
