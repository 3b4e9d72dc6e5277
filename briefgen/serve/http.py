"""What every response shares: JSON errors without tracebacks or outside paths, the token
check, and one log line per request."""
from __future__ import annotations

import hmac
import logging
import os
import re
import time
from pathlib import Path

from starlette.responses import JSONResponse

from ..errors import Problem
from ..months import MONTH_ABBREVIATIONS

log = logging.getLogger("briefgen.serve")
access_log = logging.getLogger("briefgen.serve.access")

MAX_BODY = 1024 * 1024

# An absolute path in a message (not the path part of a URL: no ':' or '/' before it)
_ABSOLUTE = re.compile(r"(?<![\w:/.~-])/(?:[^\s'\"/]+/)*[^\s'\",;:)/]+")


class Public:
    """Problems and messages as a client may see them: files named relative to the workspace,
    nothing outside it named at all."""

    def __init__(self, root: Path):
        # as given and with its links resolved: either may be how a path was shown
        self.roots = (Path(os.path.abspath(root)), Path(root).resolve())

    def path(self, path: str | None) -> str | None:
        if not path:
            return path
        p = Path(path)
        if not p.is_absolute() and not os.path.lexists(path) and "/" not in path:
            return path  # a label: 'request body', "output of template 'x'"
        full = Path(os.path.abspath(p))  # a relative path is as display_path made it
        for root in self.roots:
            if full.is_relative_to(root):
                return full.relative_to(root).as_posix()
        return p.name

    def text(self, message: str) -> str:
        def one(m: re.Match) -> str:
            shown = self.path(m.group(0))
            return shown if shown and not shown.startswith("/") else "…"
        return _ABSOLUTE.sub(one, message)

    def problems(self, problems: list[Problem]) -> list[dict]:
        return [{"path": self.path(p.path), "line": p.line, "message": self.text(p.message)}
                for p in problems]


def error(status: int, message: str, problems: list[dict] = (), headers=None) -> JSONResponse:
    return JSONResponse({"error": message, "problems": list(problems)}, status_code=status,
                        headers=headers)


class Guard:
    """ASGI middleware: the bearer token (every route but /health), the body limit, and the
    request log in Common Log Format with the time taken appended."""

    def __init__(self, app, token: str | None):
        self.app = app
        self.token = token.encode() if token else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        sent = {"status": 500, "bytes": 0}

        async def logged_send(message):
            if message["type"] == "http.response.start":
                sent["status"] = message["status"]
            elif message["type"] == "http.response.body":
                sent["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, logged_send)
            else:
                await self.app(scope, _limited(receive), logged_send)
        finally:
            self._log(scope, sent, time.perf_counter() - started)

    def _refusal(self, scope):
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"0")
        if not length.isdigit() or int(length) > MAX_BODY:
            return error(413, f"the body is larger than {MAX_BODY // 1024} KB (1 MB)")
        if self.token is None or scope["path"] == "/health":
            return None
        given = headers.get(b"authorization", b"")
        scheme, _, value = given.partition(b" ")
        # compare_digest takes as long whatever the first wrong byte: no timing oracle
        if scheme.lower() != b"bearer" or not hmac.compare_digest(value.strip(), self.token):
            return error(401, "this server needs 'Authorization: Bearer <token>'",
                         headers={"WWW-Authenticate": "Bearer"})
        return None

    def _log(self, scope, sent, seconds) -> None:
        client = (scope.get("client") or ("-",))[0]
        query = scope.get("query_string", b"").decode("latin-1")
        target = scope["path"] + (f"?{query}" if query else "")
        now = time.gmtime()  # Common Log Format's month is English whatever the locale
        when = time.strftime(f"%d/{MONTH_ABBREVIATIONS[now.tm_mon - 1]}/%Y:%H:%M:%S +0000", now)
        access_log.info('%s - - [%s] "%s %s HTTP/%s" %d %d %.0fms', client, when,
                        scope["method"], target, scope.get("http_version", "1.1"),
                        sent["status"], sent["bytes"], seconds * 1000)


class BodyTooLarge(Exception):
    pass


def _limited(receive):
    """``receive`` that stops a chunked body (no Content-Length) at MAX_BODY."""
    total = 0

    async def limited():
        nonlocal total
        message = await receive()
        if message["type"] == "http.request":
            total += len(message.get("body", b""))
            if total > MAX_BODY:
                raise BodyTooLarge()
        return message

    return limited
