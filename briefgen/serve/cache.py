"""The workspace's fingerprint, and the rendered files kept under it.

The fingerprint is a hash of every file that can change a build (the files `briefgen watch`
watches: settings, content, templates, themes) and of briefgen's version, whose built-in
templates and themes count too. Reading every file for each request would cost more than a
cached answer may take, so the files are read again only when one's size or modification time
changed (one stat per file per request).
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..watch import snapshot


def briefgen_version() -> str:
    try:
        return version("briefgen")
    except PackageNotFoundError:
        return "unknown"


class Fingerprint:
    def __init__(self, root: Path):
        self.root = root
        self._seen: dict | None = None
        self._digest = ""

    def digest(self) -> str:
        seen = snapshot(self.root, [])
        if seen != self._seen:
            self._digest = self._hash(seen)
            self._seen = seen
        return self._digest

    def _hash(self, seen: dict) -> str:
        h = hashlib.sha256(briefgen_version().encode())
        for name in sorted(seen):
            try:
                data = Path(name).read_bytes()
            except OSError:
                continue
            h.update(f"\0{Path(name).relative_to(self.root)}\0{len(data)}\0".encode())
            h.update(data)
        return h.hexdigest()[:32]


def key_of(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:40]


class RenderCache:
    """Rendered files by key, least recently used first out, within a budget of bytes; files
    made from an older fingerprint are dropped as soon as a newer one is seen."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._files: OrderedDict[str, tuple[bytes, str]] = OrderedDict()
        self._bytes = 0
        self._digest = ""

    def _check_digest(self, digest: str) -> None:
        if digest != self._digest:
            self._files.clear()
            self._bytes = 0
            self._digest = digest

    def get(self, digest: str, key: str) -> tuple[bytes, str] | None:
        self._check_digest(digest)
        found = self._files.get(key)
        if found is not None:
            self._files.move_to_end(key)
        return found

    def put(self, digest: str, key: str, data: bytes) -> str:
        """Keep ``data``; return its ETag (a hash of the bytes: the same file, the same tag)."""
        etag = '"' + hashlib.sha256(data).hexdigest()[:32] + '"'
        self._check_digest(digest)
        if len(data) > self.max_bytes // 4:
            return etag
        if key in self._files:
            self._bytes -= len(self._files.pop(key)[0])
        self._files[key] = (data, etag)
        self._bytes += len(data)
        while self._bytes > self.max_bytes:
            _, (old, _) = self._files.popitem(last=False)
            self._bytes -= len(old)
        return etag
