"""`briefgen serve` through Starlette's test client: every route, its options and its errors.

The pool's worker processes are real (one worker, so the suite stays light); the tests that need
a real server and several clients are in test_serve_server.py.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the 'serve' extra (starlette) is not installed")
pytest.importorskip("httpx", reason="httpx (Starlette's test client) is not installed")

from pypdf import PdfReader  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from briefgen.serve.app import create_app  # noqa: E402
from tests.conftest import MINIMAL, REPO, write_workspace  # noqa: E402
from tests.readers import squash  # noqa: E402

COPIES = """
    title: Copies <b>for</b> the desk
    date: 2024-10-01
    marking: TLP:GREEN
    distribution: [Head of Unit, Duty Officer]
    changes_since: 2024-01
    scope: {since: 2021}
    """


def _pdf_text(data: bytes) -> str:
    return squash(" ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages))


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("serve") / "ws"
    return write_workspace(root, {**MINIMAL, "content/briefs/copies.yaml": COPIES})


@pytest.fixture(scope="module")
def client(ws):
    with TestClient(create_app(ws, workers=1, queue=8, time_limit=120),
                    raise_server_exceptions=False) as c:
        yield c


def test_health_needs_nothing_and_names_the_version(client):
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok" and r.json()["version"]


def test_api_briefs_lists_every_brief_with_its_fields_and_an_etag(client):
    r = client.get("/api/briefs")
    assert r.status_code == 200
    rows = {row["id"]: row for row in r.json()}
    assert set(rows) == {"main", "copies"}
    assert rows["main"] == {"id": "main", "title": "Main brief", "date": "2024-10-01",
                            "template": "policy-brief", "marking": "TLP:AMBER",
                            "formats": ["pdf", "docx", "html"]}
    again = client.get("/api/briefs", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304


def test_the_index_page_lists_the_briefs_escaped_with_links(client):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "Copies &lt;b&gt;for&lt;/b&gt; the desk" in r.text and "<b>for" not in r.text
    assert 'href="briefs/main"' in r.text and 'href="briefs/main.pdf"' in r.text
    assert "TLP:AMBER" in r.text and "2024-10-01" in r.text
    assert "default-src 'none'" in r.headers["content-security-policy"]


def test_the_pdf_is_the_file_build_makes_with_headers_etag_and_304(client, ws, tmp_path):
    r = client.get("/briefs/main.pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"] == 'attachment; filename="main.pdf"'
    subprocess.run([sys.executable, "-m", "briefgen", "build", "main", "-f", "pdf", "-w",
                    str(ws), "-o", str(tmp_path)], check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    assert r.content == (tmp_path / "main.pdf").read_bytes()
    assert "Kabul falls" in _pdf_text(r.content)
    etag = r.headers["etag"]
    assert client.get("/briefs/main.pdf", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/briefs/main.pdf").headers["etag"] == etag


def test_docx_and_html_have_their_types_and_the_brief(client):
    from docx import Document
    r = client.get("/briefs/main.docx")
    assert r.status_code == 200 and r.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = " ".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
    assert "Main brief" in text and "Kabul falls" in text
    r = client.get("/briefs/main.html")
    assert r.status_code == 200 and r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.headers["content-disposition"] == 'attachment; filename="main.html"'
    assert "Kabul falls" in r.text


def test_copy_watermark_as_of_and_paper(client):
    r = client.get("/briefs/copies.pdf?copy=2&watermark=DRAFT&paper=letter")
    assert r.status_code == 200, r.text
    assert r.headers["content-disposition"] == 'attachment; filename="copies-copy-2.pdf"'
    text = _pdf_text(r.content)
    assert "Copy 2 of 2" in text and "Duty Officer" in text and "DRAFT" in text
    box = PdfReader(io.BytesIO(r.content)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    r = client.get("/briefs/copies.docx?copy=1&as_of=2024-09")
    assert r.headers["content-disposition"] == \
        'attachment; filename="copies@2024-09-copy-1.docx"'  # as build names it
    r = client.get("/briefs/main.pdf?as_of=2022")
    assert r.headers["content-disposition"] == 'attachment; filename="main@2022.pdf"'
    text = _pdf_text(r.content)
    assert "Kabul falls" in text and "Summit in Tashkent" not in text


@pytest.mark.parametrize("url, status, words", [
    ("/briefs/nope.pdf", 404, "no brief 'nope'"),
    ("/briefs/..%2F..%2Fcontent%2Fbriefs%2Fmain.pdf", 404, "no"),
    ("/nowhere", 404, "no such route"),
    ("/briefs/main.exe", 404, "no such format"),
    ("/briefs/main.pdf?as_of=2024-02-30", 400, "February 2024 has 29 days"),
    # worded as `briefgen build --as-of` words it, naming the parameter
    ("/briefs/main.pdf?as_of=2030", 400, "as_of 2030 is after the issue date of brief 'main'"),
    ("/briefs/copies.pdf?as_of=2023", 400,
     "as_of 2023 is before the changes_since date of brief 'copies'"),
    ("/briefs/main.pdf?copy=1", 400, "no distribution list"),
    ("/briefs/copies.pdf?copy=3", 400, "copy must be 1 to 2"),
    ("/briefs/copies.pdf?copy=-1", 400, "recipient's number"),
    ("/briefs/main.pdf?paper=a3", 400, "a4 or letter"),
    ("/briefs/main.pdf?colour=red", 400, "unknown parameter 'colour'"),
    ("/briefs/main.pdf?watermark=" + "x" * 61, 400, "at most 60"),
    ("/briefs/main.pdf?watermark=%D0%A2LP:CLEAR", 400, "mixes Cyrillic and Latin"),
    ("/briefs/main.pdf?watermark=TLP:PINK", 400, "reads as a TLP label"),
])
def test_bad_requests_get_json_errors(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status
    body = r.json()
    assert words in body["error"] and body["problems"] == []


def test_a_wrong_method_is_a_json_error_too(client):
    r = client.post("/health")
    assert r.status_code == 405 and r.json()["error"]


def test_an_ad_hoc_brief_is_rendered_and_nothing_is_written(client, ws):
    before = _files(ws)
    brief = {"title": "Desk one-pager", "date": "2024-10", "template": "one-pager",
             "scope": {"tags": ["diplomacy"]}, "marking": "TLP:GREEN"}
    r = client.post("/api/render?format=pdf", json=brief)
    assert r.status_code == 200, r.text
    text = _pdf_text(r.content)
    assert "Desk one-pager" in text and "Summit in Tashkent" in text
    assert "Kabul falls" not in text
    r = client.post("/api/render?format=html", json=brief)
    assert r.status_code == 200 and "Desk one-pager" in r.text
    assert _files(ws) == before


@pytest.mark.parametrize("body, status, words", [
    ('{"title": "No date"}', 422, "a brief needs a 'date' field"),
    ('{"title": "x", "date": "2024", "scope": {"actors": ["nobody"]}}', 422, "unknown actor"),
    ('{"title": "x", "date": "2024-13"}', 422, "no month 13"),
    ('["a list"]', 422, "JSON object"),
    ('{"title": ', 400, "not JSON"),
])
def test_an_ad_hoc_brief_with_problems_gets_each_with_its_line(client, body, status, words):
    r = client.post("/api/render?format=pdf", content=body.encode())
    assert r.status_code == status
    found = r.json()
    assert words in json.dumps(found)
    assert all(p["path"] == "request body" and p["line"] for p in found["problems"])


@pytest.mark.parametrize("distribution, copy, words", [
    ([], 1, "brief 'adhoc' has no distribution list, so no numbered copies"),
    (["Desk A", "Desk B"], 3, "brief 'adhoc' has 2 recipient(s): copy must be 1 to 2"),
])
def test_an_ad_hoc_briefs_copy_is_checked_as_a_workspace_briefs(client, distribution, copy,
                                                                 words):
    r = client.post(f"/api/render?format=pdf&copy={copy}",
                    json={"title": "x", "date": "2024-10", "distribution": distribution})
    assert r.status_code == 400 and r.json() == {"error": words, "problems": []}
    r = client.post("/api/render?format=pdf&copy=2",
                    json={"title": "x", "date": "2024-10", "distribution": ["A", "B"]})
    assert r.status_code == 200 and "Copy 2 of 2" in _pdf_text(r.content)


def test_an_ad_hoc_briefs_as_of_is_checked_in_the_worker_naming_the_parameter(client):
    # a brief that exists only in the request is checked where it is parsed: the worker
    r = client.post("/api/render?format=pdf&as_of=2030", json={"title": "x", "date": "2024-10"})
    assert r.status_code == 400 and r.json()["problems"] == []
    assert r.json()["error"] == ("as_of 2030 is after the issue date of brief 'adhoc' (October "
                                 "2024): a brief cannot use what happened after it was issued; "
                                 "give 2024-10 or earlier")


def test_render_needs_a_known_format_and_a_small_body(client):
    assert client.post("/api/render?format=odt", json={}).status_code == 400
    assert client.post("/api/render", json={}).status_code == 400
    r = client.post("/api/render?format=pdf", content=b"x" * (1024 * 1024 + 1))
    assert r.status_code == 413 and "1 MB" in r.json()["error"]


def test_the_preview_shows_the_brief_with_download_links(client):
    r = client.get("/briefs/copies?watermark=DRAFT")
    assert r.status_code == 200
    assert "<h1>Copies &lt;b&gt;for&lt;/b&gt; the desk</h1>" in r.text
    for fmt in ("pdf", "docx", "html"):
        assert f'href="copies.{fmt}?watermark=DRAFT"' in r.text
    # the brief's own HTML, escaped into the frame's srcdoc, scripts not allowed to run there
    assert "srcdoc=\"&lt;!DOCTYPE html&gt;" in r.text and "Kabul falls" in r.text
    assert 'sandbox="allow-popups' in r.text and "allow-scripts" not in r.text
    assert "../api/briefs" in r.text  # polls for changes


def test_a_changed_file_changes_the_answer(tmp_path):
    root = write_workspace(tmp_path / "ws", MINIMAL)
    with TestClient(create_app(root, workers=1), raise_server_exceptions=False) as c:
        first = c.get("/briefs/main.pdf")
        listed = c.get("/api/briefs").headers["etag"]
        path = root / "content/developments/d.yaml"
        path.write_text(path.read_text().replace("Kabul falls", "Kabul fell"))
        second = c.get("/briefs/main.pdf")
        assert second.headers["etag"] != first.headers["etag"]
        assert "Kabul fell" in _pdf_text(second.content)
        assert c.get("/api/briefs", headers={"If-None-Match": listed}).status_code == 200


def test_problems_name_workspace_files_and_their_lines(tmp_path):
    root = write_workspace(tmp_path / "ws", {
        **MINIMAL, "content/developments/bad.yaml": "- id: bad\n  date: 2024-02-30\n"
                                                    "  title: t\n  summary: s\n"})
    with TestClient(create_app(root, workers=1), raise_server_exceptions=False) as c:
        r = c.get("/api/briefs")
        assert r.status_code == 422
        assert any(p["path"] == "content/developments/bad.yaml" and p["line"] == 2
                   and "29 days" in p["message"] for p in r.json()["problems"])
        assert str(tmp_path) not in r.text and "Traceback" not in r.text
        page = c.get("/")
        assert page.status_code == 422 and "content/developments/bad.yaml" in page.text
        assert str(tmp_path) not in page.text
        assert c.get("/briefs/main.pdf").status_code == 422


def test_a_link_out_of_the_workspace_is_refused_without_naming_where_it_leads(tmp_path):
    outside = tmp_path / "secret-folder" / "actors.yaml"
    outside.parent.mkdir()
    outside.write_text("- id: x\n  name: X\n  kind: state\n  summary: s\n")
    root = write_workspace(tmp_path / "ws", MINIMAL)
    (root / "content/actors/linked.yaml").symlink_to(outside)
    with TestClient(create_app(root, workers=1), raise_server_exceptions=False) as c:
        r = c.get("/api/briefs")
        assert r.status_code == 422
        assert "refused" in r.json()["problems"][0]["message"]
        assert str(tmp_path) not in r.text and "secret-folder" not in r.text
        r = c.get("/briefs/main.pdf")
        assert r.status_code == 422 and "secret-folder" not in r.text


def test_a_template_problem_is_422_without_a_traceback(tmp_path):
    root = write_workspace(tmp_path / "ws", {
        **MINIMAL, "content/briefs/main.yaml": MINIMAL["content/briefs/main.yaml"]
        + "template: broken\n", "templates/broken.md": "# {{ brief.title }\n"})
    with TestClient(create_app(root, workers=1), raise_server_exceptions=False) as c:
        r = c.get("/briefs/main.pdf")
        assert r.status_code == 422, r.text
        assert r.json()["problems"] and "Traceback" not in r.text
        assert str(tmp_path) not in r.text


def test_build_never_imports_the_server_framework(tmp_path):
    code = ("import sys\nfrom briefgen.cli import main\n"
            "try:\n    main(['build', 'main', '-f', 'pdf', '-o', sys.argv[1]])\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('starlette', 'uvicorn', 'anyio') if m in sys.modules))")
    root = write_workspace(tmp_path / "ws", MINIMAL)
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "out")], cwd=root,
                         capture_output=True, text=True, env={**os.environ,
                                                              "PYTHONPATH": str(REPO)})
    assert (tmp_path / "out" / "main.pdf").is_file(), out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_paths_are_shown_relative_to_the_workspace_and_never_outside_it(tmp_path, monkeypatch):
    from briefgen.serve.http import Public
    root = write_workspace(tmp_path / "ws", MINIMAL)
    monkeypatch.chdir(tmp_path)  # display_path shows paths from the current directory
    public = Public(root)
    assert public.path("ws/content/briefs/main.yaml") == "content/briefs/main.yaml"
    assert public.path(str(root / "content/briefs/main.yaml")) == "content/briefs/main.yaml"
    assert public.path("/etc/passwd") == "passwd"
    assert public.path("request body") == "request body"
    assert public.text(f"{root}/content/x.yaml is a link to /etc/secret/key.pem, out of "
                       f"{root}; see https://example.org/a/b") == \
        "content/x.yaml is a link to key.pem, out of .; see https://example.org/a/b"
