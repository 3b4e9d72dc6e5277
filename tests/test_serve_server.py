"""`briefgen serve` as a real process on a free port: several clients at once, the render time
limit, a full queue, the token, and the refusal to listen beyond this machine without one."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the 'serve' extra (starlette) is not installed")
pytest.importorskip("uvicorn", reason="the 'serve' extra (uvicorn) is not installed")

from tests.conftest import MINIMAL, REPO, write_workspace  # noqa: E402

ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, headers: dict | None = None, timeout: float = 120):
    """(status, headers with lowercase names, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


@contextmanager
def server(workspace: Path, *args: str, log: Path | None = None):
    """A running server; yields its base URL; stopped (and its log closed) afterwards."""
    port = free_port()
    log = log or workspace.parent / f"serve-{port}.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "briefgen", "serve", "-w", str(workspace),
                                 "--port", str(port), *args], stdout=out, stderr=out, env=ENV)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if get(base + "/health", timeout=2)[0] == 200:
                        break
                except OSError:
                    pass
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def ws(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws", MINIMAL)


def test_eight_clients_at_once_each_get_their_own_file(ws):
    log = ws.parent / "serve.log"
    with server(ws, "--workers", "2", "--queue", "8", log=log) as base:
        urls = [f"{base}/briefs/main.pdf?watermark=CLIENT-{i}" for i in range(8)]
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(get, urls))
        assert [status for status, _, _ in answers] == [200] * 8
        for i, (_, headers, body) in enumerate(answers):
            assert body.startswith(b"%PDF-")
            assert headers["content-disposition"] == 'attachment; filename="main.pdf"'
        assert len({headers["etag"] for _, headers, _ in answers}) == 8
        # asked again, each comes from the cache: the same bytes
        again = get(urls[3])
        assert again[2] == answers[3][2] and again[1]["etag"] == answers[3][1]["etag"]
    lines = [line for line in log.read_text().splitlines() if '"GET /briefs/main.pdf' in line]
    assert len(lines) == 9
    # Common Log Format, then the milliseconds the request took
    assert all(re.fullmatch(r'127\.0\.0\.1 - - \[[^]]+\] "GET /briefs/main\.pdf\?watermark='
                            r'CLIENT-\d HTTP/1\.1" 200 \d+ \d+ms', line) for line in lines)


def test_a_render_over_the_time_limit_is_503_and_the_server_goes_on(tmp_path):
    # the repository's sample: its briefs take far longer than 10 ms to render
    with server(REPO, "--workers", "1", "--time-limit", "0.01",
                log=tmp_path / "serve.log") as base:
        status, headers, body = get(base + "/briefs/afghanistan-central-asia.pdf")
        assert status == 503, body
        assert "longer than 0.01 s" in json.loads(body)["error"]
        assert get(base + "/health")[0] == 200
        # the killed worker was replaced: the next render is tried (and stopped) again
        assert get(base + "/briefs/ct-dialogue-2024.docx")[0] == 503


def test_a_full_queue_is_429(tmp_path):
    with server(REPO, "--workers", "1", "--queue", "0", log=tmp_path / "serve.log") as base:
        urls = [f"{base}/briefs/afghanistan-central-asia.pdf?watermark=Q{i}" for i in range(4)]
        with ThreadPoolExecutor(4) as pool:
            answers = list(pool.map(get, urls))
        statuses = sorted(status for status, _, _ in answers)
        assert 200 in statuses and 429 in statuses and set(statuses) <= {200, 429}, statuses
        refused = next(a for a in answers if a[0] == 429)
        assert refused[1]["retry-after"] == "1"
        assert "try again" in json.loads(refused[2])["error"]


def test_with_a_token_every_route_but_health_needs_it(ws, tmp_path):
    token = "s3cret-token-0123456789abcdef"
    (tmp_path / "token").write_text(token + "\n")
    with server(ws, "--token-file", str(tmp_path / "token"), "--workers", "1") as base:
        assert get(base + "/health")[0] == 200
        for path in ("/", "/api/briefs", "/briefs/main", "/briefs/main.pdf", "/nowhere"):
            status, headers, body = get(base + path)
            assert status == 401 and headers["www-authenticate"] == "Bearer", path
            assert "Bearer" in json.loads(body)["error"]
            assert get(base + path, {"Authorization": "Bearer wrong"})[0] == 401
            assert get(base + path, {"Authorization": token})[0] == 401
        good = {"Authorization": f"Bearer {token}"}
        assert get(base + "/api/briefs", good)[0] == 200
        assert get(base + "/briefs/main.pdf", good)[0] == 200


@pytest.mark.parametrize("args, words", [
    (["--host", "0.0.0.0"], "refusing to listen on 0.0.0.0 without a token"),
    (["--host", "192.0.2.1"], "refusing to listen on 192.0.2.1 without a token"),
    (["--token-file", "short"], "at least 16 characters"),
    (["--token-file", "missing"], "cannot read the token file"),
])
def test_bad_serve_usage_exits_2_with_a_message(ws, args, words):
    (ws.parent / "short").write_text("abc\n")
    out = subprocess.run([sys.executable, "-m", "briefgen", "serve", "-w", str(ws), *args],
                         capture_output=True, text=True, env=ENV, cwd=ws.parent, timeout=60)
    assert out.returncode == 2
    assert words in out.stderr and "Traceback" not in out.stderr


def test_without_the_serve_extra_serve_says_what_to_install(ws):
    # None in sys.modules makes `import uvicorn` fail as if it were not installed
    code = ("import sys\nsys.modules['uvicorn'] = None\nfrom briefgen.cli import main\n"
            "main(['serve', '-w', sys.argv[1]])")
    out = subprocess.run([sys.executable, "-c", code, str(ws)], capture_output=True, text=True,
                         env=ENV, timeout=60)
    assert out.returncode == 2
    assert "pip install 'briefgen[serve]'" in out.stderr and "Traceback" not in out.stderr
