"""Compiled templates kept between runs, as Python keeps .pyc files.

Compiling the built-in policy brief takes 50-60 ms of every build (~1 ms from the cache;
measured on the 2-core build machine, see the commit). An entry is Python code that the next run
executes, so the cache must be as private as the user's own files:

- the folder ($XDG_CACHE_HOME or ~/.cache, then briefgen/templates-N) is created with mode 0700;
  it and briefgen/ are used only when they are real folders (not links), owned by the user and
  writable by nobody else; otherwise templates are compiled every time;
- an entry is read (never through a link) only when it is owned by the user and writable by
  nobody else, and only when it was written for this template source compiled by this
  environment (a hash of the source, of environment.py, which sets the compiler's options, and
  of the Jinja and Python versions): an entry of another release or another source is compiled
  again;
- the format is a fixed header and the hash, then marshal data: no pickle, which Jinja's own
  cache format uses and which runs code while being read.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import stat
import sys
import tempfile
from pathlib import Path

import jinja2

_CACHE_VERSION = "2"  # the folder's name: bump when the entry format changes
_MAGIC = b"briefgen-template-cache\n"


def _stamp() -> bytes:
    """What compiled code depends on besides the template source."""
    options = Path(__file__).with_name("environment.py").read_bytes()
    return hashlib.sha256(b"\0".join([options, jinja2.__version__.encode(),
                                      sys.version.encode(), marshal.version.to_bytes(4, "big")])
                          ).digest()


def _private(st: os.stat_result, folder: bool, others: int = 0o022) -> bool:
    """A folder or file owned by this user and writable by nobody else (``others``: the mode
    bits nobody else may have)."""
    kind_ok = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
    return kind_ok and st.st_uid == os.getuid() and not st.st_mode & others


def cache_folder() -> Path | None:
    """The private cache folder, created if need be; None when there is no safe one."""
    if os.environ.get("BRIEFGEN_NO_CACHE") or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    outer = Path(base, "briefgen")
    folder = outer / f"templates-{_CACHE_VERSION}"
    try:
        # briefgen/ may be an earlier release's, made readable by all (only writing matters
        # there); the entries' own folder is not even readable by others.
        for step, others in ((outer, 0o022), (folder, 0o077)):
            try:
                step.mkdir(mode=0o700, parents=True)
            except FileExistsError:
                pass
            if not _private(os.lstat(step), folder=True, others=others):
                return None
    except OSError:
        return None
    return folder


class PrivateCache(jinja2.BytecodeCache):
    """A cache that never fails a build: an entry it cannot read, trust or write is skipped."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.stamp = _stamp()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return hashlib.sha256(f"{name}|{filename}".encode("utf-8", "surrogatepass")).hexdigest()

    def get_source_checksum(self, source: str) -> str:
        return hashlib.sha256(self.stamp + source.encode("utf-8", "surrogatepass")).hexdigest()

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            fd = os.open(self._path(bucket), os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return
        with os.fdopen(fd, "rb") as fh:
            try:
                if not _private(os.fstat(fh.fileno()), folder=False):
                    return
                header = _MAGIC + bucket.checksum.encode("ascii") + b"\n"
                if fh.read(len(header)) != header:
                    return
                bucket.code = marshal.loads(fh.read())
            except (OSError, EOFError, ValueError, TypeError):
                bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=self.folder)  # mode 0600
            with os.fdopen(fd, "wb") as fh:
                fh.write(_MAGIC + bucket.checksum.encode("ascii") + b"\n")
                fh.write(marshal.dumps(bucket.code))
            os.replace(tmp, self._path(bucket))
            tmp = None
        except (OSError, ValueError):
            pass
        finally:
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def bytecode_cache() -> PrivateCache | None:
    """The cache, or None (no safe folder, or BRIEFGEN_NO_CACHE set): compile every time."""
    folder = cache_folder()
    return PrivateCache(folder) if folder else None
