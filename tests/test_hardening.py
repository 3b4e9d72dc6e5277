"""Hostile and broken input: content stays content, output is safe, layout never breaks.

The failure modes with a message (bad YAML, wrong types, ...) are the case corpus in
tests/cases/ (test_cases.py); random text is test_properties.py. This file checks what a case
folder cannot: what ends up in the PDF and DOCX, the files on disk, and large documents.
"""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from lxml import etree
from pypdf import PdfReader

from briefgen import output
from briefgen.build import BuildOptions, build_brief
from briefgen.cli import main
from briefgen.loading import load_workspace
from briefgen.errors import BriefgenError, OutputError, UsageError
from tests.conftest import write_workspace
from tests.readers import pdf_pages, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

EVIL = ('<font color="red" size="40">BIG</font> <img src="/etc/passwd"/> '
        '<a href="javascript:alert(1)">x</a> <b>b</b> &amp; & < > {{ 7*7 }} {% if 1 %}y{% endif %} '
        '<script>alert(1)</script> <para> <br/> &#65; &nbsp;')
EVIL_TEXT = squash(EVIL)


def q(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (line breaks kept)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def build(root: Path, brief: str = "main", formats=("pdf", "docx"), **options):
    workspace = load_workspace(root)
    return build_brief(workspace, workspace.corpus.briefs[brief],
                       BuildOptions(formats=list(formats), **options), root / "output")


def docx_all_text(path: Path) -> str:
    """Every w:t of every part (body, headers, footers, footnotes), each paragraph squashed."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                for p in root.iter(W + "p"):
                    out.append(squash("".join(t.text or "" for t in p.iter(W + "t"))))
    return "\n".join(out)


def docx_xml(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name)


def cli(root: Path, *args: str):
    return CliRunner().invoke(main, [*args, "-w", str(root)])


# --- content stays content -------------------------------------------------------------------

@pytest.fixture(scope="module")
def evil_build(tmp_path_factory):
    """Markup-looking text in every plain-text field (and Markdown fields), built once."""
    root = write_workspace(tmp_path_factory.mktemp("evil") / "ws", {
        "briefgen.yaml": f"organisation: {q(EVIL)}\n",
        "content/sources/s.yaml": f"""
            id: src
            title: {q(EVIL)}
            publisher: {q(EVIL)}
            authors: [{q(EVIL)}]
            date: 2024-03
            url: https://example.org/report?a=1&b=<2>
            """,
        "content/actors/a.yaml": f"""
            - id: one
              name: {q(EVIL)}
              kind: state
              aliases: [{q(EVIL)}]
              role: {q(EVIL)}
              summary: {q(EVIL)}
              sources: [src]
              relations:
                - {{actor: two, type: {q(EVIL)}, note: {q(EVIL)}, since: 2020}}
            - id: two
              name: Second <actor> & co
              kind: organisation
              summary: Plain.
            """,
        "content/developments/d.yaml": f"""
            - id: first
              date: 2024-01
              title: {q(EVIL)}
              summary: {q(EVIL)}
              location: {q(EVIL)}
              actors: [one, two]
              significance: high
              sources: [src]
            - id: second
              date: 2024-03
              title: A second <b>development</b>
              summary: Plain.
              actors: [one]
            """,
        "content/briefs/main.yaml": f"""
            title: {q(EVIL)}
            subtitle: {q(EVIL)}
            short_title: {q("Short <b>&amp;</b> {{ x }}")}
            date: 2024-10-01
            marking: {q("SECRET <font color=red>&amp;</font> {{ x }}")}
            audience: {q(EVIL)}
            authors: [{q(EVIL)}]
            bluf: {q(EVIL)}
            key_judgments:
              - {{text: {q(EVIL)}, likelihood: likely, confidence: high}}
            sections:
              - {{title: {q(EVIL)}, body: {q(EVIL)}}}
            recommendations: [{q(EVIL)}]
            distribution: [{q(EVIL)}]
            """,
    })
    result = build(root, copies=False)
    files = {f.format: f.path for f in result.files}
    return root, files["pdf"], files["docx"]


def test_plain_text_prints_literally_in_every_pdf_place(evil_build):
    _, pdf, _ = evil_build
    text = "\n".join(pdf_pages(pdf))
    # title (cover), subtitle, organisation, authors, audience, section title, table cells
    # (distribution), alias, role, relation type, location, source notes, running head: every
    # one prints the characters as typed, never as markup or as a template expression
    assert text.count(EVIL_TEXT) >= 12
    assert "49" not in text and "{{ 7*7 }}" in text
    assert "Short <b>&amp;</b> {{ x }}" in text  # running head
    assert "SECRET <font color=red>&amp;</font> {{ x }}" in text  # marking banner on each page
    reader = PdfReader(str(pdf))
    meta = reader.metadata
    assert squash(meta.title) == EVIL_TEXT and squash(meta.author) == EVIL_TEXT
    assert squash(meta.subject) == EVIL_TEXT
    assert "SECRET <font color=red>&amp;</font> {{ x }}" in meta["/Keywords"]
    # figure labels (timeline, relation map) are drawn text: the actor name prints as typed
    assert "Second <actor> & co" in text


def test_plain_text_prints_literally_in_every_docx_place(evil_build):
    _, _, docx = evil_build
    text = docx_all_text(docx)
    assert text.count(EVIL_TEXT) >= 12
    assert "{{ 7*7 }}" in text and "SECRET <font color=red>&amp;</font> {{ x }}" in text
    core = docx_xml(docx, "docProps/core.xml").decode()
    assert "&lt;font color=&quot;red&quot;" in core or "&lt;font color=\"red\"" in core
    # the picture descriptions of the figures are the captions, not markup
    assert b"<script>" not in docx_xml(docx, "word/document.xml")


def test_plain_text_prints_literally_in_every_html_place(evil_build):
    """The same hostile workspace as HTML: every value is text, never an element, an attribute
    or a template expression, and no link but http/https/mailto/#anchor."""
    from html import unescape
    from html.parser import HTMLParser

    root, _, _ = evil_build
    out = root / "html-out"
    workspace = load_workspace(root)
    build_brief(workspace, workspace.corpus.briefs["main"],
                BuildOptions(formats=["html"], copies=True), out)
    assert sorted(p.name for p in out.iterdir()) == ["main-copy-1.html"]
    page = (out / "main-copy-1.html").read_text(encoding="utf-8")
    tags: list[tuple[str, dict]] = []
    texts: list[str] = []

    class Reader(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

        def handle_data(self, data):
            texts.append(data)

    Reader(convert_charrefs=True).feed(page)
    names = {tag for tag, _ in tags}
    assert not names & {"script", "font", "para", "b", "iframe", "object"}, names
    assert all(a["src"].startswith("data:") for tag, a in tags if tag == "img")
    for tag, attrs in tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "a":
            assert re.match(r"(https?://|mailto:|#)", attrs["href"]), attrs
    text = squash(" ".join(texts))
    assert text.count(EVIL_TEXT) >= 12
    assert "49" not in text and "{{ 7*7 }}" in text
    assert "SECRET <font color=red>&amp;</font> {{ x }}" in text  # the marking banners
    title = page[page.index("<title>") + 7:page.index("</title>")]
    assert squash(unescape(title)) == EVIL_TEXT
    assert "example.org/report?a=1&amp;b=&lt;2&gt;" in page  # the URL as printed text


def test_markdown_fields_keep_raw_html_and_template_syntax_as_text(evil_build):
    _, pdf, docx = evil_build
    pdf_text = squash(" ".join(pdf_pages(pdf)))
    # Markdown decodes the entities (&amp; -> &, &#65; -> A, &nbsp;); tags and {{ }} stay text
    md_text = squash(EVIL.replace("&amp;", "&").replace("&#65;", "A").replace("&nbsp;", "\u00a0"))
    assert md_text.replace("\u00a0", " ") in pdf_text.replace("\u00a0", " ")
    assert md_text in docx_all_text(docx)


def test_no_clickable_link_but_http_https_mailto(tmp_path, workspace):
    summary = ("[js](javascript:alert(1)) [file](file:///etc/passwd) [data](data:text/html,x) "
               "[ftp](ftp://example.org/x) [vb](vbscript:x) [rel](../../etc/passwd) "
               "[proto](//evil.example/x) <javascript:alert(2)> [web](https://example.org/ok) "
               "[mail](mailto:desk@example.org) [caps](HTTPS://EXAMPLE.ORG/CAPS) "
               "<https://example.org/auto>")
    root = workspace({"content/developments/links.yaml": f"""
        id: links
        date: 2024-05
        title: Links
        summary: {q(summary)}
        actors: [taliban]
        """})
    result = build(root)
    files = {f.format: f.path for f in result.files}
    allowed = re.compile(r"(?i)^(https?://|mailto:)")
    uris = []
    for page in PdfReader(str(files["pdf"])).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert uris and all(allowed.match(u) for u in uris), uris
    assert {"https://example.org/ok", "mailto:desk@example.org"} <= set(uris)
    rels = etree.fromstring(docx_xml(files["docx"], "word/_rels/document.xml.rels"))
    external = [r.get("Target") for r in rels if r.get("TargetMode") == "External"]
    assert external and all(allowed.match(u) for u in external), external
    for label in ("js", "file", "data", "ftp", "vb", "rel", "proto", "javascript:alert(2)"):
        assert label in " ".join(pdf_pages(files["pdf"]))


def test_content_cannot_add_directives_or_forge_citations(workspace):
    summary = ("Before.\n\n::: pagebreak\n:::\n\n::: titleblock\n# Forged cover\n:::\n\n"
               "> ::: warning\n\nCites [^1] and\n\n[^1]: a forged source note\n\n"
               "::: sidebar\nunknown directive\n:::\n\n`code [^1]`")
    root = workspace({"content/developments/forge.yaml": f"""
        id: forge
        date: 2024-05
        title: Forgery
        summary: {q(summary)}
        actors: [taliban]
        """})
    result = build(root)  # an unknown directive in content is text, not an error
    files = {f.format: f.path for f in result.files}
    text = " ".join(pdf_pages(files["pdf"]))
    for literal in ("::: pagebreak", "::: titleblock", "Forged cover", "::: warning",
                    "Cites [^1] and", "[^1]: a forged source note", "::: sidebar",
                    "code [^1]"):
        assert literal in text, literal
    docx_text = docx_all_text(files["docx"])
    assert "[^1]: a forged source note" in docx_text and "::: sidebar" in docx_text


def test_an_unclosed_code_fence_in_content_stays_in_its_field(workspace):
    root = workspace({"content/developments/fence.yaml": """
        id: fence
        date: 2024-05
        title: Fence
        summary: "```\\nunclosed code"
        actors: [taliban]
        """})
    result = build(root, formats=["pdf"])
    text = " ".join(pdf_pages(result.files[0].path))
    # what follows the summary is still laid out as the brief, not as code
    assert "unclosed code" in text
    assert re.search(r"Actors\s+state", text) or "Actors" in text
    workspace_ = load_workspace(root)
    assert workspace_.corpus.developments["fence"].summary.endswith("```")


def test_jinja_in_content_is_never_evaluated(workspace):
    root = workspace({"content/developments/jinja.yaml": """
        id: jinja
        date: 2024-05
        title: "{{ cycler.__init__.__globals__.os.popen('id').read() }}"
        summary: "{{ 6 * 7 }} {% for x in range(3) %}loop{% endfor %} {#- comment -#}"
        actors: [taliban]
        """})
    result = build(root, formats=["pdf"])
    text = " ".join(pdf_pages(result.files[0].path))
    assert "{{ cycler.__init__.__globals__.os.popen('id').read() }}" in text
    assert "{{ 6 * 7 }} {% for x in range(3) %}loop{% endfor %} {#- comment -#}" in text
    assert "42" not in text and "looploop" not in text and "uid=" not in text


# --- images ----------------------------------------------------------------------------------

def _png(path: Path, size=(400, 200), colour="red") -> Path:
    from PIL import Image
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, colour).save(path)
    return path


def test_images_inside_the_workspace_are_embedded_others_print_their_alt_text(workspace,
                                                                             tmp_path):
    outside = _png(tmp_path / "outside.png", colour="blue")
    summary = ("![A map](images/map.png)\n\n"
               f"![Escape](../outside.png) ![Absolute]({outside}) "
               "![Web](https://example.org/x.png) ![Link](images/link.png) "
               "![Missing](images/none.png) ![Text](images/fake.png) "
               "![Encoded](%2e%2e/outside.png)")
    root = workspace({"content/developments/img.yaml": f"""
        id: img
        date: 2024-05
        title: Pictures
        summary: {q(summary)}
        actors: [taliban]
        """})
    _png(root / "images/map.png")
    os.symlink(outside, root / "images/link.png")
    (root / "images/fake.png").write_text("not a picture")
    result = build(root, formats=["pdf"])
    pdf = PdfReader(str(result.files[0].path))
    sizes = [image.image.size for page in pdf.pages for image in page.images]
    assert sizes == [(400, 200)]  # the workspace image only; never the one outside
    text = " ".join(pdf_pages(result.files[0].path))
    for alt in ("Escape", "Absolute", "Web", "Link", "Missing", "Text", "Encoded"):
        assert alt in text
    messages = [str(w) for w in result.warnings]
    for src, why in [("../outside.png", "leads out of the workspace folder"),
                     (str(outside), "is an absolute path"),
                     ("https://example.org/x.png", "is a URL: briefgen never downloads images"),
                     ("images/link.png", "leads out of the workspace folder"),
                     ("images/none.png", "is not a file in the workspace"),
                     ("images/fake.png", "is not a PNG or JPEG image"),
                     ("%2e%2e/outside.png", "leads out of the workspace folder")]:
        assert any(f"image '{src}' {why}" in m and "content/developments/img.yaml:4" in m
                   for m in messages), (src, messages)


def test_an_image_in_a_heading_or_table_cell_prints_its_alt_text(workspace):
    summary = "| a | b |\n|---|---|\n| ![cell alt](images/map.png) | x |"
    root = workspace({"content/developments/img.yaml": f"""
        id: img
        date: 2024-05
        title: Pictures
        summary: {q(summary)}
        actors: [taliban]
        """})
    _png(root / "images/map.png")
    result = build(root, formats=["pdf"])
    assert "cell alt" in " ".join(pdf_pages(result.files[0].path))
    assert not result.warnings or all("image" not in str(w) for w in result.warnings)


def test_huge_and_damaged_images_are_refused(workspace):
    root = workspace({"content/developments/img.yaml": """
        id: img
        date: 2024-05
        title: Pictures
        summary: "![Bomb](images/bomb.png) ![Cut](images/cut.png)"
        actors: [taliban]
        """})
    from PIL import Image
    (root / "images").mkdir()
    Image.new("1", (12000, 12000)).save(root / "images/bomb.png")  # 144 Mpixel, a small file
    data = _png(root / "images/whole.png", (300, 300)).read_bytes()
    (root / "images/cut.png").write_bytes(data[: len(data) // 2])
    result = build(root, formats=["pdf"])
    messages = " ".join(str(w) for w in result.warnings)
    assert "image 'images/bomb.png' is 12000 x 12000 pixels" in messages
    assert "image 'images/cut.png' is damaged or cut short" in messages
    assert not [i for p in PdfReader(str(result.files[0].path)).pages for i in p.images]


def test_docx_embeds_workspace_images(workspace):
    root = workspace({"content/developments/img.yaml": """
        id: img
        date: 2024-05
        title: Pictures
        summary: "Before ![A red map](images/map.png) after"
        actors: [taliban]
        """})
    _png(root / "images/map.png")
    result = build(root, formats=["docx"])
    docx = result.files[0].path
    with zipfile.ZipFile(docx) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) >= 2  # the figures' pictures and the map
    assert b'descr="A red map"' in docx_xml(docx, "word/document.xml")


def test_html_embeds_workspace_images_and_the_logo_as_data(workspace):
    import base64
    root = workspace({"content/developments/img.yaml": """
        id: img
        date: 2024-05
        title: Pictures
        summary: "Before ![A red map](images/map.png) after ![gone](../outside.png)"
        actors: [taliban]
        """, "briefgen.yaml": "theme: themes/house.yaml\n",
        "themes/house.yaml": "parent: default\nlogo: ../images/logo.png\n"})
    _png(root / "images/map.png")
    _png(root / "images/logo.png", (40, 20), "blue")
    result = build(root, formats=["html"])
    page = result.files[0].path.read_text(encoding="utf-8")
    data = base64.b64encode((root / "images/map.png").read_bytes()).decode()
    assert f'<img src="data:image/png;base64,{data}" alt="A red map" width="400" ' \
           f'height="200">' in page
    logo = base64.b64encode((root / "images/logo.png").read_bytes()).decode()
    assert f'<img class="logo" alt="Logo" src="data:image/png;base64,{logo}">' in page
    # the image outside the workspace is not embedded: its alt text prints instead
    assert "gone" in page and 'src="../outside.png"' not in page
    assert len(re.findall(r"<img ", page)) == 2
    assert any("outside.png" in str(w) for w in result.warnings)


# --- output is safe -----------------------------------------------------------------------------

def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_failed_rebuild_keeps_the_previous_files_and_leaves_no_temporary_file(workspace):
    root = workspace()
    build(root)
    before = _files(root / "output")
    assert set(before) == {"main.pdf", "main.docx"}
    (root / "templates").mkdir()
    (root / "templates/policy-brief.md.j2").write_text("{{ brief.nope }}\n")
    with pytest.raises(BriefgenError):
        build(root)
    assert _files(root / "output") == before


def test_disk_full_while_writing_keeps_every_previous_file(workspace, monkeypatch):
    root = workspace()
    build(root)
    before = _files(root / "output")
    calls = []

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 2:  # the PDF is written in full, the DOCX runs out of space
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "fsync", full_disk)
    (root / "content/briefs/main.yaml").write_text(
        "title: Changed brief\ndate: 2024-10-01\n", encoding="utf-8")
    with pytest.raises(OutputError, match="No space left on device; check the folder's "
                                          "permissions and free space"):
        build(root)
    assert _files(root / "output") == before  # neither file replaced: the set stays matched
    assert not list((root / "output").glob(".*"))


def test_unwritable_output_folder(workspace, monkeypatch, tmp_path):
    root = workspace()
    real = os.access
    monkeypatch.setattr(output.os, "access",
                        lambda p, mode: False if mode == os.W_OK else real(p, mode))
    result = cli(root, "build", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "the output folder is not writable: fix its permissions or choose another with -o" \
        in result.stderr
    assert "Traceback" not in result.output


def test_output_refuses_a_symlink_never_writes_through_it(workspace, tmp_path):
    root = workspace()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (root / "output").mkdir()
    os.symlink(victim, root / "output/main.pdf")
    with pytest.raises(OutputError, match="symbolic link: briefgen never writes through"):
        build(root, formats=["pdf"])
    assert victim.read_text() == "precious"
    assert (root / "output/main.pdf").is_symlink()
    assert [p.name for p in (root / "output").iterdir()] == ["main.pdf"]  # no temporary file


@pytest.mark.parametrize("force", [False, True])
def test_templates_export_never_writes_through_a_link(tmp_path, monkeypatch, force):
    root = tmp_path / "ws"
    (root / "templates").mkdir(parents=True)
    victim = tmp_path / "x.txt"
    if force:
        victim.write_text("precious")
    os.symlink(victim, root / "templates/policy-brief.md.j2")
    monkeypatch.chdir(root)
    args = ["templates", "export", "policy-brief"] + (["--force"] if force else [])
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and "never writes through a link" in result.stderr
    assert (victim.read_text() == "precious") if force else not victim.exists()


def test_output_names_come_from_checked_ids_only(workspace):
    root = workspace()
    ws = load_workspace(root)
    brief = ws.corpus.briefs["main"]
    brief.id = "../../escaped"  # a model changed behind the loader's back
    with pytest.raises(UsageError, match="cannot name output files"):
        build_brief(ws, brief, BuildOptions(), root / "output")
    brief.id = "main"
    with pytest.raises(UsageError, match="cannot name output files"):
        build_brief(ws, brief, BuildOptions(formats=["../x"]), root / "output")
    assert not (root / "output").exists() and not (root.parent / "escaped.pdf").exists()


def test_write_all_atomic_all_or_nothing(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old a")
    (tmp_path / "b.docx").mkdir()  # a folder in the way of the second file
    with pytest.raises(OutputError, match="a folder of that name is in the way"):
        output.write_all_atomic([(tmp_path / "a.pdf", b"new a"), (tmp_path / "b.docx", b"b")])
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "b.docx"]


# --- layout never breaks ------------------------------------------------------------------------

def _both(root: Path, brief: str = "main"):
    result = build(root, brief)
    files = {f.format: f.path for f in result.files}
    return " ".join(pdf_pages(files["pdf"])), docx_all_text(files["docx"])


def test_a_5000_character_word_everywhere(workspace):
    word = "W" * 5000
    root = workspace({
        "content/developments/long.yaml": f"""
            id: long
            date: 2024-05
            title: {word}
            summary: {word}
            location: {word}
            actors: [taliban]
            """,
        "content/actors/long.yaml": f"""
            id: long-actor
            name: Long{word}
            kind: person
            aliases: [{word}]
            summary: "| a | b |\\n|---|---|\\n| {word} | x |"
            """,
        "content/briefs/main.yaml": f"""
            title: T{word}
            date: 2024-10-01
            marking: M{word}
            scope: {{actors: [taliban, long-actor]}}
            distribution: [{word}]
            """})
    pdf, docx = _both(root)
    assert re.sub(r"\s", "", pdf).count(word) >= 6
    assert docx.count(word) >= 6


def test_a_table_cell_taller_than_a_page_and_a_2000_row_table(workspace):
    cell = " ".join(["word"] * 6000)
    recipients = "\n".join(f"  - Recipient number {i}" for i in range(2000))
    root = workspace({
        "content/developments/tall.yaml": f"""
            id: tall
            date: 2024-05
            title: Tall
            summary: "| a | b |\\n|---|---|\\n| {cell} | x |"
            actors: [taliban]
            """,
        "content/briefs/main.yaml": "title: Big\ndate: 2024-10-01\ndistribution:\n"
                                    + recipients + "\n"})
    pdf, docx = _both(root)
    assert "Recipient number 0" in pdf and "Recipient number 1999" in pdf
    assert "Recipient number 1999" in docx
    assert squash(pdf).count("word") >= 6000


def test_a_thousand_key_judgments(workspace):
    judgments = "\n".join(f"  - {{text: Judgment {i} holds., likelihood: likely}}"
                          for i in range(1000))
    root = workspace({"content/briefs/main.yaml": "title: Many\ndate: 2024-10-01\n"
                                                  "key_judgments:\n" + judgments + "\n"})
    pdf, docx = _both(root)
    assert "Judgment 0 holds." in pdf and "Judgment 999 holds." in pdf
    assert "Judgment 999 holds." in docx


@pytest.mark.parametrize("template,says", [
    ("policy-brief", "No developments fall within the scope of this brief."),
    ("situation-report", "No developments fall within the scope of this report."),
    ("one-pager", "No developments fall within the scope of this brief."),
    ("actor-profile", "falls within the scope of this profile."),
])
def test_a_brief_with_nothing_in_scope_says_so(workspace, template, says):
    root = workspace({"content/briefs/main.yaml": f"""
        title: Empty
        date: 2024-10-01
        template: {template}
        subject: sco
        scope: {{since: 2024-10-01, tags: [diplomacy]}}
        """})
    pdf, docx = _both(root)
    assert says in squash(pdf) and says in docx


def test_empty_strings_and_empty_lists_build(workspace):
    root = workspace({
        "content/actors/empty.yaml": """
            id: empty
            name: Empty
            kind: other
            summary: " "
            aliases: []
            role: ""
            relations: []
            sources: []
            """,
        "content/briefs/main.yaml": """
            title: Empty fields
            date: 2024-10-01
            subtitle: ""
            audience: ""
            authors: []
            bluf: ""
            key_judgments: []
            sections: [{title: Only a title, body: ""}]
            recommendations: []
            distribution: []
            marking: ""
            scope: {actors: [empty]}
            """})
    with pytest.raises(BriefgenError, match="an actor needs a 'summary' field"):
        load_workspace(root)  # a required field left empty is reported, not printed blank
    (root / "content/actors/empty.yaml").write_text(
        "id: empty\nname: Empty\nkind: other\nsummary: S.\naliases: []\nrole: ''\n")
    pdf, docx = _both(root)
    assert "Only a title" in pdf and "Only a title" in docx


def test_an_empty_document_still_renders(workspace):
    root = workspace({"templates/policy-brief.md.j2": "{# nothing at all #}\n"})
    result = build(root)
    for f in result.files:
        assert f.path.stat().st_size > 0


def test_yaml_written_by_a_program_round_trips_odd_strings(workspace):
    """Strings a YAML library writes for odd text (quoted, escaped, folded) load back exactly."""
    odd = ["yes", "no", "null", "~", "2024-02-30", "0x1F", "1e3", ".nan", "- item", "a: b",
           "#comment", "'quoted'", "\"dq\"", "   padded   ", "tab\tinside", "ümlaut", "😀"]
    root = workspace()
    items = [{"id": f"odd-{i}", "name": name, "kind": "other", "summary": name or "x"}
             for i, name in enumerate(odd)]
    (root / "content/actors/odd.yaml").write_text(yaml.safe_dump(items, allow_unicode=True),
                                                  encoding="utf-8")
    ws = load_workspace(root)
    for i, name in enumerate(odd):
        assert ws.corpus.actors[f"odd-{i}"].name == " ".join(name.split())


# --- glyphs that used to vanish from the PDF (found by test_properties.py) ----------------------

def test_the_word_allah_prints_in_the_pdf(workspace):
    """The reshaper's default makes "الله" the single glyph U+FDF2, which DejaVu lacks: it printed
    as an empty box (in حزب الله, Hezbollah). A run now uses the ligatures some font has."""
    root = workspace({"content/actors/hezbollah.yaml": """
        id: hezbollah
        name: Hezbollah (حزب الله)
        kind: armed-group
        aliases: [حزب الله, عبدالله]
        summary: Also written حزب الله.
        """, "content/briefs/main.yaml": "title: حزب الله\ndate: 2024-10-01\n"
                                         "scope: {actors: [hezbollah]}\n"})
    result = build(root, formats=["pdf"])
    text = " ".join(pdf_pages(result.files[0].path))
    assert "\x00" not in text
    assert text.count("الله") >= 5  # cover, running heads, heading, aliases, summary


def test_a_glyph_only_the_bold_face_has_still_prints(workspace):
    """DejaVu Sans has the mathematical letters (𝝜) in its bold face only: regular text used to
    draw an empty box, with no warning (the theme as a whole covers them)."""
    root = workspace({"content/briefs/main.yaml": "title: Math 𝝜 letters\ndate: 2024-10-01\n"
                                                  "bluf: A bottom line with 𝝜 in it.\n"})
    result = build(root, formats=["pdf"])
    pages = pdf_pages(result.files[0].path)
    assert "Math 𝝜 letters" in pages[0]  # the cover
    assert "with 𝝜 in it" in " ".join(pages)
    # (the running heads are drawn in the heading face alone: there it is still a box)


@pytest.mark.parametrize("bluf", [
    "| A | B |\n|---|---|\n| table | in the bottom-line box |",
    "> | A | B |\n> |---|---|\n> | table | in a quote |",
    "- item\n\n  | A | B |\n  |---|---|\n  | table | in a list in a box |",
])
def test_a_table_inside_a_box_builds(workspace, bluf):
    """A short table is kept together on its page; inside a box (a one-cell table) reportlab
    cannot do that: it crashed (AttributeError), or made the row 16 million points tall."""
    root = workspace({"content/briefs/main.yaml": f"title: Boxes\ndate: 2024-10-01\n"
                                                  f"bluf: {q(bluf)}\n"})
    pdf, docx = _both(root)
    assert "table" in pdf and "table" in docx


@pytest.mark.parametrize("marking,printed", [
    ("tlp amber+strict", "TLP:AMBER+STRICT"), ("TLP-red", "TLP:RED"),
    ("OFFICIAL-SENSITIVE // UK EYES ONLY", "OFFICIAL-SENSITIVE // UK EYES ONLY"),
    ("СЕКРЕТНО", "СЕКРЕТНО"), ("Ελληνικά ΑΠΟΡΡΗΤΟ", "Ελληνικά ΑΠΟΡΡΗΤΟ"),
])
def test_pdf_and_docx_print_the_same_marking(workspace, marking, printed):
    from tests.readers import docx_parts
    root = workspace({"content/briefs/main.yaml": f"title: Main brief\ndate: 2024-10-01\n"
                                                  f"marking: {q(marking)}\n"})
    files = {f.format: f.path for f in build(root).files}
    pages = pdf_pages(files["pdf"])
    assert all(printed in page for page in pages), pages
    assert printed in docx_parts(files["docx"])["headers"]


@pytest.mark.parametrize("marking", [
    "\u202eRAELC:PLT", "\u200bTLP:CLEAR", "\u2060TLP:CLEAR", "\u00adTLP:CLEAR", "\u0422LP:CLEAR",
    "\uff34\uff2c\uff30:CLEAR", "TLP:\u0421LEAR", "\u0422\u041e\u0420 SECRET", "TLP:CLEAR\u200b",
    "\U000e0101TLP:RED", "\u3164TLP:RED",
])
def test_a_marking_that_would_read_as_something_else_is_refused(workspace, marking):
    root = workspace({"content/briefs/main.yaml": f"title: Main brief\ndate: 2024-10-01\n"
                                                  f"marking: {q(marking)}\n"})
    with pytest.raises(BriefgenError) as caught:
        load_workspace(root)
    assert any(p.line == 3 and "marking" in p.message for p in caught.value.problems), \
        [str(p) for p in caught.value.problems]
