"""What briefgen takes from its dependencies beyond their documented use, pinned here.

- YAML: every limit is briefgen's own, whatever PyYAML's parser does at that depth (older
  releases and the pure-Python loader recurse until RecursionError; 6.0.4's libyaml stops at
  1,000 levels with a message of its own). Plain scalars must resolve as ``yaml.safe_load``
  resolves them, since the loader resolves them itself.
- DOCX: ``[Content_Types].xml`` is written by briefgen, and must give every part the content
  type python-docx gives it.
- PDF: the reportlab internals in ``render/pdf/internals.py`` must still do their job; when one
  is gone, the build stops with a message that says which, and writes nothing.
"""
from __future__ import annotations

import datetime
import io
import re
import zipfile

import pypdf
import pytest
import yaml
from click.testing import CliRunner
from lxml import etree
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from briefgen.cli import main
from briefgen.content import yamlpos
from briefgen.document.nodes import Document, Heading, Paragraph, Text
from briefgen.document.resolve import resolve
from briefgen.render.docx import xml as docx_xml
from briefgen.render.pdf import internals as pdf_internals
from briefgen.render.docx.render import render_docx
from briefgen.render.pdf.render import render_pdf
from briefgen.theme.model import default_theme

from .conftest import MINIMAL, write_workspace
from .doc_fixture import print_document

CREATED = datetime.datetime(2024, 10, 1, 9, 30, tzinfo=datetime.timezone.utc)
TOO_DEEP = f"the YAML is nested more than {yamlpos.MAX_DEPTH} levels deep: flatten it"


# --- YAML nesting: briefgen's walk decides -------------------------------------------------------

def _mark(line: int) -> yaml.Mark:
    return yaml.Mark("f.yaml", 0, line - 1, 0, None, None)


def _deep_nodes(levels: int, first_line: int = 1):
    """A composed node tree ``levels`` lists deep, list k starting on line first_line + k - 1."""
    node = ScalarNode(yamlpos._PLAIN, "leaf", _mark(first_line + levels),
                      _mark(first_line + levels))
    for level in range(levels, 0, -1):
        line = first_line + level - 1
        node = SequenceNode(yamlpos._SEQ, [node], _mark(line), _mark(line))
    return node


@pytest.mark.parametrize("walk", ["_tree", "_value"])
def test_the_walk_itself_refuses_nodes_deeper_than_the_limit(walk):
    """Fed nodes directly, as any PyYAML release would compose them: the limit is the walk's."""
    loader = yamlpos._Loader("x: 1\n")
    try:
        assert getattr(loader, walk)(_deep_nodes(yamlpos.MAX_DEPTH)) is not None
        with pytest.raises(yamlpos._TooDeep) as raised:
            getattr(yamlpos._Loader("x: 1\n"), walk)(_deep_nodes(yamlpos.MAX_DEPTH + 1, 10))
        assert raised.value.line == 10 + yamlpos.MAX_DEPTH  # the first list past the limit
    finally:
        loader.dispose()


def _load(tmp_path, text: str):
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    data, problems = yamlpos.load_yaml(str(path), "f.yaml")
    return data, [str(p) for p in problems]


def _block(levels: int) -> str:
    """``levels`` mappings, one per line, each indented one space more."""
    return "".join(" " * i + f"k{i}:\n" for i in range(levels)) + " " * levels + "leaf\n"


def _pure_python_loader(monkeypatch):
    """The loader on PyYAML's Python parser and composer, which recurse once per level."""
    monkeypatch.setattr(yamlpos, "_Loader", type("PureLoader", (yamlpos._Walk, yaml.SafeLoader), {}))


@pytest.mark.parametrize("parser", ["libyaml-if-built", "pure-python"])
def test_nesting_is_reported_by_briefgen_at_every_depth(tmp_path, monkeypatch, parser):
    if parser == "pure-python":
        _pure_python_loader(monkeypatch)
    limit = yamlpos.MAX_DEPTH
    assert _load(tmp_path, _block(limit))[1] == []
    # between briefgen's limit and any parser's: the walk reports the line of the first too deep
    assert _load(tmp_path, _block(limit + 1))[1] == [f"f.yaml:{limit + 1}: {TOO_DEEP}"]
    # past libyaml's limit (1,000) and Python's recursion limit: same message, same line
    for levels in (limit + 1, 999, 1001, 5000):
        data, problems = _load(tmp_path, "[" * levels + "]" * levels + "\n")
        assert (data, problems) == (None, [f"f.yaml:1: {TOO_DEEP}"]), levels
    data, problems = _load(tmp_path, "items:\n  - ok\n" + "  - " + "[" * 3000 + "]" * 3000 + "\n")
    assert problems == [f"f.yaml:3: {TOO_DEEP}"]


def test_a_parser_failure_is_judged_by_depth_not_by_its_message(tmp_path, monkeypatch):
    """Whatever a PyYAML release raises, and says, when it gives up on a deep file."""
    deep = "a:\n" + "  - " + "[" * 60 + "]" * 60 + "\n"
    failures = [RecursionError("maximum recursion depth exceeded"),
                yaml.parser.ParserError(None, None, "exceeded maximum nesting depth", _mark(2)),
                yaml.composer.ComposerError(None, None, "some future wording", _mark(2))]
    for failure in failures:
        def fail(self, failure=failure):
            raise failure
        monkeypatch.setattr(yamlpos._Loader, "get_single_node", fail)
        assert _load(tmp_path, deep)[1] == [f"f.yaml:2: {TOO_DEEP}"], failure
    # a shallow file that fails is a syntax error, with the parser's line
    assert _load(tmp_path, "a:\n  - [1, 2]\n")[1] == [
        "f.yaml:2: YAML syntax error: some future wording"]


def test_a_shallow_alias_of_a_deep_anchor_counts_both(tmp_path):
    half = yamlpos.MAX_DEPTH // 2 + 1
    text = f"a: &x {'[' * half}{']' * half}\nb: {'[' * half}*x{']' * half}\n"
    assert _load(tmp_path, text)[1] == [f"f.yaml:1: {TOO_DEEP}"]
    text = f"a: &x {'[' * 10}{']' * 10}\nb: {'[' * 10}*x{']' * 10}\n"
    assert _load(tmp_path, text)[1] == []


def test_a_real_syntax_error_is_still_a_syntax_error(tmp_path):
    assert _load(tmp_path, "id: x\ntitle: [unclosed\nurl: y\n")[1][0].startswith(
        "f.yaml:3: YAML syntax error")


# Plain scalars of every implicit type, and lookalikes that must stay text.
SCALARS = ["12", "-3", "+7", "0x1A", "0o17", "017", "0001", "1_000", "190:20:30", "1.5", "-.5e3", ".inf",
           "-.Inf", ".nan", "1e3", "6.02e+23", "yes", "No", "TRUE", "off", "On", "y", "n", "~",
           "null", "Null", "", "0b101", "1.2.3", "12abc", "Kabul", "2024", "v1.0",
           "nan", "true_ish", "0.", "+.5"]


def test_plain_scalars_resolve_as_yaml_safe_load_resolves_them(tmp_path):
    """The walk resolves plain scalars itself (PyYAML's resolver is the slow part). If a PyYAML
    release resolves one differently, this names it, rather than briefgen reading a value
    differently from every other YAML tool."""
    text = "".join(f"k{i}: {s}\n" for i, s in enumerate(SCALARS))
    ours, problems = _load(tmp_path, text)
    assert problems == []
    theirs = yaml.safe_load(text)
    # deliberate: four digits with a leading zero (YAML 1.1's octal: 0001 is 1) stay the year
    # the user wrote, read later by its field
    octal = [i for i, s in enumerate(SCALARS) if re.fullmatch(r"0[0-9]{3}", s)]
    assert octal and all(ours[f"k{i}"] == SCALARS[i] for i in octal)
    different = [(SCALARS[i], ours[f"k{i}"], theirs[f"k{i}"]) for i in range(len(SCALARS))
                 if repr(ours[f"k{i}"]) != repr(theirs[f"k{i}"]) and i not in octal]
    assert not different, (f"PyYAML {yaml.__version__} resolves these plain scalars differently "
                           f"from briefgen's loader (content/yamlpos.py): {different}")
    # timestamps are the one deliberate difference: text, checked later as fuzzy dates
    assert _load(tmp_path, "d: 2024-02-30\n")[0]["d"] == "2024-02-30"


# --- DOCX: the content types briefgen writes -----------------------------------------------------

def _effective_types(xml: bytes, names: list[str]) -> dict[str, str]:
    """The content type each part gets under ``[Content_Types].xml`` (ECMA-376 part 2, 10.1.2)."""
    root = etree.fromstring(xml)
    ns = {"ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
    defaults = {d.get("Extension").lower(): d.get("ContentType")
                for d in root.findall("ct:Default", ns)}
    overrides = {o.get("PartName").lower(): o.get("ContentType")
                 for o in root.findall("ct:Override", ns)}
    return {name: overrides.get("/" + name.lower()) or
            defaults.get(name.rsplit(".", 1)[-1].lower()) for name in names}


def test_content_types_give_every_part_the_type_python_docx_gives_it():
    import docx  # python-docx's own save is the reference, through its public API only

    data = render_docx(resolve(print_document()), default_theme("A4"), CREATED)  # has figures (PNG)
    ours = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in ours.namelist() if n != "[Content_Types].xml" and not n.endswith(".rels")]
    assert any(n.endswith(".png") for n in names)
    buf = io.BytesIO()
    docx.Document(io.BytesIO(data)).save(buf)
    theirs = zipfile.ZipFile(buf)
    assert sorted(n for n in theirs.namelist() if n != "[Content_Types].xml"
                  and not n.endswith(".rels")) == sorted(names)
    expected = _effective_types(theirs.read("[Content_Types].xml"), names)
    assert None not in expected.values()
    assert _effective_types(ours.read("[Content_Types].xml"), names) == expected


# --- PDF: reportlab's internals ------------------------------------------------------------------

ARABIC = "طالبان في كابل"


def _arabic_document() -> Document:
    doc = print_document()
    doc.children.append(Heading(2, [Text("Names")], "names", line=200))
    doc.children.append(Paragraph([Text(f"In Arabic script: {ARABIC}.")], line=201))
    return doc


def test_reportlab_internals_still_do_their_job():
    data = render_pdf(resolve(_arabic_document()), default_theme("A4"), CREATED)
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    # ExtractableTTFont: the text layer has letters, not presentation forms
    assert not any(0xFB50 <= ord(c) <= 0xFEFF for c in text)
    assert "طالبان" in text or "نابلاط" in text  # either order: the letters are what matters
    # doc_template: the outline entries exist; text_end: the contents have page numbers
    assert [o.title for o in reader.outline if not isinstance(o, list)]
    contents = reader.pages[1].extract_text()
    assert "Contents" in contents
    assert re.search(r"Section 1 & more\n[ .]+\n2\n", contents), contents
    # seed_file_id: the file ID depends on the date alone
    again = render_pdf(resolve(_arabic_document()), default_theme("A4"), CREATED)
    assert reader.trailer["/ID"] == pypdf.PdfReader(io.BytesIO(again)).trailer["/ID"]


@pytest.mark.parametrize("change", ["cmap-name", "text-cursor", "doc-template", "signature",
                                    "frame-fill"])
def test_a_changed_reportlab_internal_stops_the_build_with_a_message(
        tmp_path, monkeypatch, change):
    if change == "cmap-name":
        monkeypatch.setattr(pdf_internals, "SUBSETN", lambda n: b"ZZZZZZ")
    elif change == "text-cursor":
        monkeypatch.setattr("briefgen.render.pdf.toc.text_end", _missing(pdf_internals.text_end))
    elif change == "doc-template":
        monkeypatch.setattr("briefgen.render.pdf.page.doc_template",
                            _missing(pdf_internals.doc_template))
    elif change == "frame-fill":
        monkeypatch.setattr("briefgen.render.pdf.tighten.frame_used",
                            lambda frame: pdf_internals.frame_used(object()))
    else:
        monkeypatch.setattr("briefgen.render.pdf.page.seed_file_id",
                            lambda canv, seed: pdf_internals.seed_file_id(object(), seed))
    with pytest.raises(pdf_internals.ReportlabChanged) as raised:
        render_pdf(resolve(_arabic_document()), default_theme("A4"), CREATED)
    message = str(raised.value)
    assert "no longer has" in message and "briefgen/render/pdf/internals.py" in message


def _missing(accessor):
    """``accessor`` as it runs on a reportlab whose canvas lacks the attribute it reads."""
    return lambda canv: accessor(object())


def test_the_command_line_says_so_and_writes_no_pdf(tmp_path, monkeypatch):
    files = dict(MINIMAL)
    files["content/developments/d.yaml"] = files["content/developments/d.yaml"].replace(
        "The Taliban take Kabul.", f"The Taliban take Kabul ({ARABIC}).")
    root = write_workspace(tmp_path / "ws", files)
    monkeypatch.setattr(pdf_internals, "SUBSETN", lambda n: b"ZZZZZZ")
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["build", "-f", "pdf", "-w", str(root)])
    assert result.exit_code == 1, result.output
    assert "no longer has a ToUnicode stream" in result.stderr
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert not list(root.rglob("*.pdf"))
