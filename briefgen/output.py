"""Writing output files so that a failed build never leaves a partial or broken file behind.

Every file is written to a temporary file beside its target first; only when all of a brief's
files are written in full are they renamed over their targets, each in one step. A failure
before that (a full disk, a folder in the way) deletes the temporary files and leaves every
previous file as it was.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import OutputError
from .workspace_paths import display_path


def ensure_dir(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise OutputError("the output folder is a file, not a folder: choose another with -o",
                          display_path(folder))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}; choose "
                          "another with -o", display_path(folder)) from None
    if not os.access(folder, os.W_OK):
        raise OutputError("the output folder is not writable: fix its permissions or choose "
                          "another with -o", display_path(folder))


def _write_error(path: Path, exc: OSError) -> OutputError:
    if path.is_dir():
        return OutputError("cannot write the file: a folder of that name is in the way; remove "
                           "or rename it, or choose another output folder with -o",
                           display_path(path))
    return OutputError(f"cannot write the file: {exc.strerror or exc}; check the folder's "
                       "permissions and free space, or choose another with -o",
                       display_path(path))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: alive
        pass
    return True


def remove_stale(path: Path) -> None:
    """Remove the temporary files of ``path`` that a killed build left behind: each is named
    after the process that staged it, and that process has ended. Those of a build still
    running (a concurrent build of the same brief) stay."""
    prefix = f".{path.name}."
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(".tmp")):
            continue
        pid = name[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)) and \
                entry.is_file(follow_symlinks=False):
            _remove(entry.path)


def _stage(path: Path, data: bytes) -> str:
    """``data`` written in full to a new temporary file beside ``path``; returns its name."""
    remove_stale(path)
    # the process id in the name tells the next build whether the file's writer still runs
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp",
                               dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_all_atomic(files: list[tuple[Path, bytes]]) -> None:
    """Write every (path, data), all or nothing: nothing is replaced unless every file could be
    written in full."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files:
            ensure_dir(path.parent)
            if path.is_symlink():
                raise OutputError("the file is a symbolic link: briefgen never writes through "
                                  "a link (nor replaces one); remove it, or choose another "
                                  "output folder with -o", display_path(path))
            if path.is_dir():
                raise _write_error(path, IsADirectoryError())
            try:
                staged.append((_stage(path, data), path))
            except OSError as exc:
                raise _write_error(path, exc) from None
        while staged:
            tmp, path = staged[0]
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise _write_error(path, exc) from None
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            _remove(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename over it in one step."""
    write_all_atomic([(path, data)])
