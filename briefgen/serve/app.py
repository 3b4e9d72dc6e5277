"""The HTTP routes of `briefgen serve`, on Starlette; rendering goes to the worker pool."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..build import output_name
from ..content.models import FORMATS
from . import pages
from .cache import Fingerprint, RenderCache, briefgen_version, key_of
from .http import BodyTooLarge, Guard, Public, error, log
from .options import BadRequest, Options, parse_options
from .pool import QueueFull, RenderPool, TimeLimit, WorkerLost
from .worker import Task, load

MEDIA = {"pdf": "application/pdf",
         "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "html": "text/html; charset=utf-8"}
SAFE = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class Server:
    def __init__(self, root: Path, workers: int, queue: int, time_limit: float):
        self.root = Path(root).resolve()
        self.pool = RenderPool(self.root, workers, queue, time_limit)
        self.cache = RenderCache()
        self.fingerprint = Fingerprint(self.root)
        self.public = Public(self.root)
        self._loaded: tuple[str, object, list] | None = None
        self._lock = asyncio.Lock()

    async def workspace(self):
        """(fingerprint, workspace, problems), loaded again when a file changed."""
        digest = self.fingerprint.digest()
        if self._loaded is None or self._loaded[0] != digest:
            async with self._lock:
                if self._loaded is None or self._loaded[0] != digest:
                    ws, problems = await asyncio.to_thread(load, self.root)
                    self._loaded = (digest, ws, problems)
        return self._loaded

    def rows(self, ws) -> list[dict]:
        if ws is None:
            return []
        return [{"id": b.id, "title": b.title, "date": b.date.iso(), "template": b.template,
                 "marking": b.marking or ws.corpus.settings.marking or "",
                 "formats": list(FORMATS)}
                for b in sorted(ws.corpus.briefs.values(), key=lambda b: b.id)]

    async def document(self, request: Request, fmt: str, options: Options, brief_id: str = "",
                       body: str = "", digest: str = "") -> Response:
        """``digest``: the fingerprint the caller's workspace was loaded at (taken again, a
        walk of every file, when it has none)."""
        digest = digest or self.fingerprint.digest()
        what = brief_id or hashlib.sha256(body.encode()).hexdigest()
        key = key_of(digest, what, fmt, options)
        hit = self.cache.get(digest, key)
        if hit is None:
            task = Task(digest, fmt, brief_id, body, options.as_of, options.copy,
                        options.watermark, options.paper)
            try:
                reply = await self.pool.run(task)
            except QueueFull:
                return error(429, "too many renders waiting: try again shortly",
                             headers={"Retry-After": "1"})
            except TimeLimit:
                return error(503, f"the render took longer than {self.pool.time_limit:g} s "
                             "and was stopped", headers={"Retry-After": "5"})
            except WorkerLost:
                return error(503, "the render worker stopped unexpectedly (out of memory?)")
            if reply.status == 500:
                log.error("render of %s failed: %s\n%s", what, reply.error,
                          reply.problems[0].message if reply.problems else "")
                return error(500, "internal error (a bug in briefgen; the server log has the "
                             "details)")
            if reply.status != 200:
                return error(reply.status, self.public.text(reply.error),
                             self.public.problems(reply.problems))
            etag = self.cache.put(digest, key, reply.data)
            data = reply.data
        else:
            data, etag = hit
        headers = {"ETag": etag, "Cache-Control": "no-cache", **SAFE}
        if etag in _tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        name = output_name(brief_id or "brief", fmt, options.as_of, options.copy)
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return Response(data, media_type=MEDIA[fmt], headers=headers)


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def create_app(root: Path, workers: int = 2, queue: int = 16, time_limit: float = 60.0,
               token: str | None = None):
    server = Server(root, workers, queue, time_limit)

    async def health(request):
        return JSONResponse({"status": "ok", "version": briefgen_version()})

    async def api_briefs(request):
        digest, ws, problems = await server.workspace()
        headers = {"ETag": f'"{digest}"', "Cache-Control": "no-cache"}
        if problems:
            return error(422, "the workspace has problems", server.public.problems(problems),
                         headers=headers)
        if headers["ETag"] in _tags(request.headers.get("if-none-match", "")):
            return Response(status_code=304, headers=headers)
        return JSONResponse(server.rows(ws), headers=headers)

    async def index(request):
        _, ws, problems = await server.workspace()
        shown = pages.problems_html("the workspace has problems",
                                    server.public.problems(problems)) if problems else ""
        return HTMLResponse(pages.index_page(server.rows(ws), shown),
                            status_code=422 if problems else 200, headers=_page_headers())

    async def brief(request):
        name = request.path_params["name"]
        brief_id, dot, fmt = name.rpartition(".")
        if not dot:
            brief_id, fmt = name, ""
        if fmt and fmt not in FORMATS:
            return error(404, f"no such format '{fmt[:20]}': use one of "
                         f"{', '.join(FORMATS)}")
        digest, ws, problems = await server.workspace()
        if problems:
            return error(422, "the workspace has problems", server.public.problems(problems))
        # looked up in the workspace's list of briefs, never joined into a path
        found = ws.corpus.briefs.get(brief_id)
        if found is None:
            return error(404, f"no brief '{brief_id[:80]}' in this workspace")
        try:
            options = parse_options(request.query_params, found)
        except BadRequest as exc:
            return error(400, str(exc))
        if fmt:
            return await server.document(request, fmt, options, brief_id=brief_id,
                                         digest=digest)
        return await preview(request, ws, found, options, digest)

    async def preview(request, ws, found, options, digest):
        row = next(r for r in server.rows(ws) if r["id"] == found.id)
        shown, frame = "", None
        got = await server.document(request, "html", options, brief_id=found.id, digest=digest)
        if got.status_code == 200:
            frame = got.body.decode("utf-8")
        else:
            detail = json.loads(got.body)
            shown = pages.problems_html(detail["error"], detail["problems"])
        page = pages.preview_page(row, row["formats"], request.url.query, frame, shown)
        return HTMLResponse(page, headers=_page_headers())

    async def render(request):
        fmt = request.query_params.get("format", "")
        if fmt not in FORMATS:
            return error(400, f"format must be one of {', '.join(FORMATS)}")
        try:
            options = parse_options(request.query_params, None, extra={"format"})
        except BadRequest as exc:
            return error(400, str(exc))
        raw = await request.body()
        try:
            text = raw.decode("utf-8")
            json.loads(text)
        except UnicodeDecodeError:
            return error(400, "the body must be UTF-8 JSON")
        except json.JSONDecodeError as exc:
            return error(400, "the body is not JSON", [{"path": "request body",
                                                        "line": exc.lineno,
                                                        "message": exc.msg}])
        return await server.document(request, fmt, options, body=text)

    async def not_found(request, exc):
        status = getattr(exc, "status_code", 404)
        message = {404: "no such route: see the README for the routes",
                   405: "method not allowed on this route"}.get(status, "bad request")
        return error(status, message)

    async def too_large(request, exc):
        return error(413, "the body is larger than 1 MB")

    async def internal(request, exc):
        log.exception("internal error on %s", request.url.path)
        return error(500, "internal error (a bug in briefgen; the server log has the details)")

    @contextlib.asynccontextmanager
    async def lifespan(app):
        await server.pool.start()
        try:
            yield
        finally:
            await server.pool.close()

    app = Starlette(routes=[
        Route("/health", health, methods=["GET"]),
        Route("/", index, methods=["GET"]),
        Route("/api/briefs", api_briefs, methods=["GET"]),
        Route("/briefs/{name}", brief, methods=["GET"]),
        Route("/api/render", render, methods=["POST"]),
    ], exception_handlers={HTTPException: not_found, BodyTooLarge: too_large,
                           Exception: internal}, lifespan=lifespan)
    app.state.server = server
    return Guard(app, token)


def _page_headers() -> dict:
    return {"Content-Security-Policy": pages.CSP, "Cache-Control": "no-cache", **SAFE}
