"""Starting the server: the bind address checked, logging set up, uvicorn run."""
from __future__ import annotations

import ipaddress
import logging
import sys
from pathlib import Path

from ..errors import UsageError


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(path: Path | None, host: str) -> str | None:
    """The token the file holds; refuse to listen beyond this machine without one."""
    if path is None:
        if not is_loopback(host):
            raise UsageError(f"refusing to listen on {host} without a token: anyone who can "
                             "reach it could read every brief. Give --token-file FILE (a file "
                             "holding a long random token), or bind 127.0.0.1 and put a "
                             "reverse proxy with TLS in front")
        return None
    try:
        token = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the token file {path}: "
                         f"{getattr(exc, 'strerror', None) or exc}") from None
    if len(token) < 16 or not token.isprintable() or " " in token:
        raise UsageError(f"the token in {path} must be one line of at least 16 characters "
                         "without spaces (e.g. `openssl rand -hex 32 > FILE`)")
    return token


def serve(root: Path, host: str, port: int, workers: int, queue: int, time_limit: float,
          token_file: Path | None) -> None:
    token = read_token(token_file, host)
    if not (root / "content").is_dir():
        raise UsageError(f"not a workspace (no content/ folder in {root}): name one with -w DIR")
    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        if exc.name not in ("uvicorn", "starlette"):
            raise
        raise UsageError(f"briefgen serve needs Starlette and uvicorn ({exc.name} is missing): "
                         "pip install 'briefgen[serve]'") from None
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("briefgen.serve.access").propagate = False
    access = logging.StreamHandler(sys.stderr)
    access.setFormatter(logging.Formatter("%(message)s"))
    logging.getLogger("briefgen.serve.access").addHandler(access)
    app = create_app(root, workers, queue, time_limit, token)
    # uvicorn's own access log is off: briefgen.serve.http logs each request with its time
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info",
                server_header=False, timeout_graceful_shutdown=5)
