"""Property-based tests: any text in any content field either builds, with all of it in the PDF
and DOCX text, or fails with briefgen's own error (BriefgenError), never another exception.

What "present" means, field by field:
- The output text (pypdf for the PDF; every w:t of every part for the DOCX: body, headers,
  footers, footnotes) and the field's text are compared after NFKC normalisation (the PDF
  draws Arabic as presentation forms, which NFKC folds back) with all whitespace removed (line
  wrapping, and words longer than a line broken by character, add breaks anywhere), and without
  format characters (category Cf: joiners, direction marks), which are never drawn.
- A character that no font of the theme covers is not in the PDF's text: a visible one prints as
  an empty box (text extraction reads U+0000) and the build warns about it; a combining mark or
  variation selector is left out silently. Such characters are left out of the PDF check (and
  control characters out of the PDF text), and stay in the DOCX check (Word keeps the
  character; the reader's fonts draw it).
- Right-to-left text is drawn in visual order and extracted in logical order; where a line mixes
  directions the extraction can order the runs and the punctuation next to them differently
  (also punctuation of a neighbouring field), so when the PDF has right-to-left letters each
  field must have each of its runs of letters and digits present (in either direction), not the
  whole field in one piece (so Arabic vowel marks, which the PDF's shaping leaves out, are not
  checked there). The DOCX check is exact.
- Markdown fields hold Markdown: random text for them has no ASCII punctuation (which is what
  Markdown syntax is made of), so all of it must print; the random *Markdown* property builds
  documents from Markdown constructs whose printed text is known (emphasis, links, code, lists,
  tables, raw HTML, template syntax, directives) and checks that text.

The examples are bounded (a few dozen builds) so the file runs in well under a minute; with
CI set, the examples are the same every run (derandomized).
"""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from briefgen.build import BuildOptions, build_brief
from briefgen.loading import load_workspace
from briefgen.errors import BriefgenError
from briefgen.theme.coverage import theme_coverage
from tests.readers import pdf_pages

# No shrinking: each example is a full build (about half a second), and shrinking one takes
# minutes; a failure prints the whole example instead.
settings.register_profile("briefgen", max_examples=12, deadline=None, database=None,
                          derandomize=bool(os.environ.get("CI")),
                          phases=(Phase.explicit, Phase.reuse, Phase.generate),
                          suppress_health_check=[HealthCheck.too_slow,
                                                 HealthCheck.data_too_large])
settings.load_profile("briefgen")


def _examples(n: int) -> int:
    """``n``, times BRIEFGEN_EXAMPLES (e.g. 20 for a long local search for bugs)."""
    return n * int(os.environ.get("BRIEFGEN_EXAMPLES", "1"))


W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"

# --- text strategies ---------------------------------------------------------------------

HOSTILE = [
    "<b>bold?</b>", "{{ brief.title }}", "{% for x in y %}", "&amp; &lt; &#65;", "AT&T <3",
    '<font color="red" size="40">BIG</font>', '<img src="/etc/passwd"/>', '<a href="x">a</a>',
    "[click](javascript:alert(1))", "![img](../../etc/passwd)", "<script>alert(1)</script>",
    "::: pagebreak", "[^1]", "*not emphasis*", "# not a heading", "| a | b |", "\\back\\",
    "طالبان", "داعش خراسان", "שלום", "e\u0301te\u0301", "👍🏽 🇺🇿", "Ўзбекистон", "ΔΣ",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "中文字", "a\u200db", "x" * 300,
]

# Anything but surrogates (YAML cannot hold them) and control characters (briefgen refuses
# those with its own error; one property below checks that separately).
_chars = st.characters(blacklist_categories=("Cs", "Cc"))
plain_text = st.one_of(
    st.text(_chars, min_size=1, max_size=40),
    st.sampled_from(HOSTILE),
    st.lists(st.sampled_from(HOSTILE), min_size=2, max_size=4).map(" ".join),
).filter(lambda s: s.strip())

# For Markdown fields: no ASCII punctuation, so no Markdown syntax; everything prints.
_ASCII_PUNCT = "".join(chr(c) for c in range(0x21, 0x7F) if not chr(c).isalnum())
_md_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=_ASCII_PUNCT)
markdown_text = st.one_of(
    st.text(_md_chars, min_size=1, max_size=40),
    st.sampled_from(["طالبان", "Ўзбекистон", "e\u0301te\u0301", "👍🏽", "中文字", "z" * 300]),
).filter(lambda s: s.strip())


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text
                   if not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc"))


_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")


def _present(text: str, haystack: str, drop: set[str] = frozenset(), context: str = "") -> bool:
    """Whether ``text`` is in the normalised output ``haystack`` (see the module docstring).
    ``context``: the paragraph ``text`` is part of. A right-to-left letter there, drawn or not
    (no font has it), makes the paragraph right to left, and its neutrals ("{{", "}}") move
    as a right-to-left reader expects; the text layer then holds them in visual order."""
    wanted = "".join(c for c in text if c not in drop)
    if drop:  # an invisible one (a variation selector) may still be in the text layer
        haystack = "".join(c for c in haystack if c not in drop)
    if _RTL.search(text) or _RTL.search(context) or _RTL.search(haystack):  # words, either way
        words = [_norm(w) for w in re.findall(r"\w+", unicodedata.normalize("NFKC", wanted))]
        return all(w in haystack or w[::-1] in haystack for w in words)
    return _norm(wanted) in haystack


def _unprintable(text: str, coverage) -> set[str]:
    """Characters no font of the theme has: briefgen warns about the visible ones; none is
    drawn (the PDF has an empty box, or nothing for a variation selector or joiner)."""
    return {c for c in text if ord(c) > 127 and ord(c) not in coverage}


def _pdf_body_text(path: Path, theme) -> str:
    """The text inside the body frame of every page, in order: running heads and footers
    (which repeat the title, and come between the two halves of text split across pages) are
    left out."""
    reader = PdfReader(str(path))
    out: list[str] = []
    for page in reader.pages:
        top = float(page.mediabox.top) - theme.margin_top + 2
        bottom = theme.margin_bottom - 2

        def visit(text, cm, tm, font, size):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if bottom <= y <= top:
                out.append(text)

        page.extract_text(visitor_text=visit)
    return "".join(out)


def _docx_text(path: Path) -> str:
    """Every w:t of every XML part: body, headers, footers, footnotes."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                out += [t.text or "" for t in root.iter(W_T)]
    return "".join(out)


def _dump(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")


def _workspace(root: Path, plain: dict[str, str], md: dict[str, str]) -> None:
    """A workspace that prints every field given (plain text and Markdown) with the default
    template."""
    _dump(root / "content/sources/s.yaml", {
        "id": "src", "title": plain["source_title"], "publisher": plain["publisher"],
        "authors": [plain["source_author"]], "date": "2024-03", "reliability": "B"})
    _dump(root / "content/actors/a.yaml", [
        {"id": "one", "name": plain["actor_name"], "kind": "state", "summary": md["actor_summary"],
         "aliases": [plain["alias"]], "role": plain["role"], "sources": ["src"],
         "relations": [{"actor": "two", "type": plain["relation_type"],
                        "note": md["relation_note"], "since": 2020}]},
        {"id": "two", "name": plain["other_name"], "kind": "organisation",
         "summary": md["other_summary"]},
    ])
    _dump(root / "content/developments/d.yaml", [
        {"id": "dev", "date": "2024-05-02", "title": plain["dev_title"],
         "summary": md["dev_summary"], "actors": ["one", "two"], "location": plain["location"],
         "significance": "high", "sources": [{"source": "src", "locator": plain["locator"]}]},
    ])
    _dump(root / "content/briefs/b.yaml", {
        "title": plain["title"], "subtitle": plain["subtitle"], "date": "2024-10-01",
        "organisation": plain["organisation"], "authors": [plain["author"]],
        "audience": plain["audience"], "marking": plain["marking"], "bluf": md["bluf"],
        "key_judgments": [{"text": md["judgment"], "likelihood": "likely",
                           "confidence": "moderate"}],
        "sections": [{"title": plain["section_title"], "body": md["section_body"]}],
        "recommendations": [md["recommendation"]], "distribution": [plain["recipient"]],
    })


PLAIN_FIELDS = ["source_title", "publisher", "source_author", "actor_name", "alias", "role",
                "relation_type", "other_name", "dev_title", "location", "locator", "title",
                "subtitle", "organisation", "author", "audience", "marking", "section_title",
                "recipient"]
MD_FIELDS = ["actor_summary", "relation_note", "other_summary", "dev_summary", "bluf",
             "judgment", "section_body", "recommendation"]


def _build(plain: dict[str, str], md: dict[str, str]):
    """Build PDF and DOCX in a new temporary workspace; return (pdf text, docx text, theme
    coverage) or None when briefgen refused the input with its own error."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        _workspace(root, plain, md)
        try:
            workspace = load_workspace(root)
            brief = workspace.corpus.briefs["b"]
            result = build_brief(workspace, brief, BuildOptions(formats=["pdf", "docx"]),
                                 root / "output")
        except BriefgenError:
            return None
        files = {f.format: f.path for f in result.files}
        pdf = _norm(_pdf_body_text(files["pdf"], workspace.theme))
        furniture = _norm(" ".join(pdf_pages(files["pdf"])))  # with the running heads
        docx = _norm(_docx_text(files["docx"]))
        return pdf, furniture, docx, theme_coverage(workspace.theme)


def _check_all_present(plain: dict[str, str], md: dict[str, str]) -> None:
    built = _build(plain, md)
    if built is None:
        return  # briefgen's own error: allowed
    pdf, furniture, docx, coverage = built
    for name, text in {**plain, **md}.items():
        if name == "locator":
            continue  # kept with the citation, not printed by the default template
        if name == "relation_type":  # printed with its first letter in capitals
            text = text.strip()[:1].upper() + text.strip()[1:]
        if name == "marking" and text.upper().startswith("TLP"):
            text = text.upper().replace(" ", "")  # a TLP label prints in its canonical form
        missing = _unprintable(text, coverage)
        where = furniture if name == "marking" else pdf  # the marking is page furniture
        assert _present(text, where, missing), f"PDF lacks {name}: {text!r}"
        assert _present(text, docx), f"DOCX lacks {name}: {text!r}"


@given(plain=st.fixed_dictionaries({k: plain_text for k in PLAIN_FIELDS}),
       md=st.fixed_dictionaries({k: markdown_text for k in MD_FIELDS}))
@settings(max_examples=_examples(16))
def test_any_text_in_any_field_prints_or_is_refused(plain, md):
    _check_all_present(plain, md)


# --- random Markdown -------------------------------------------------------------------------

_word = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Lo", "Nd")), min_size=1,
                max_size=8)


@st.composite
def _inline(draw) -> tuple[str, str]:
    """(Markdown, the text it prints)."""
    w = draw(_word)
    kind = draw(st.sampled_from(["plain", "em", "strong", "code", "link", "badlink", "html",
                                 "jinja", "entity", "escaped", "autolink", "footnote",
                                 "image"]))
    return {
        "plain": (w, w),
        "em": (f"*{w}*", w),
        "strong": (f"**{w}**", w),
        "code": (f"`<{w}>`", f"<{w}>"),
        "link": (f"[{w}](https://example.org/{len(w)})", w),
        "badlink": (f"[{w}](javascript:alert(1))", f"[{w}](javascript:alert(1))"),
        "html": (f"<b>{w}</b>", f"<b>{w}</b>"),
        "jinja": (f"{{{{ {w} }}}}", f"{{{{ {w} }}}}"),
        "entity": (f"&amp; {w}", f"& {w}"),
        "escaped": (f"\\*{w}\\*", f"*{w}*"),
        "autolink": ("<https://example.org/x>", "https://example.org/x"),
        "footnote": (f"{w}[^1]", f"{w}[^1]"),
        "image": (f"![{w}](../../etc/{len(w)}.png)", w),
    }[kind]


@st.composite
def _block(draw) -> tuple[str, list[str]]:
    """(Markdown block, the texts it prints)."""
    inlines = draw(st.lists(_inline(), min_size=1, max_size=4))
    line = " ".join(m for m, _ in inlines)
    texts = [t for _, t in inlines]
    kind = draw(st.sampled_from(["para", "bullets", "numbers", "quote", "heading", "table",
                                 "fence", "directive"]))
    if kind == "bullets":
        return f"- {line}\n- {texts[0] if texts[0].isalnum() else 'x'}", texts
    if kind == "numbers":
        return f"1. {line}\n2. end", texts
    if kind == "quote":
        return f"> {line}", texts
    if kind == "heading":
        return f"### {line}", texts
    if kind == "table":
        return f"| A | B |\n|---|---|\n| {line} | x |", texts
    if kind == "fence":
        return f"```\n::: note {line}\n```", [f"::: note {line}"]
    if kind == "directive":
        return f"::: pagebreak\n{line}\n:::", ["::: pagebreak", *texts, ":::"]
    return line, texts


@given(blocks=st.lists(_block(), min_size=1, max_size=4), field=st.sampled_from(MD_FIELDS))
@settings(max_examples=_examples(16))
def test_random_markdown_prints_its_text_or_is_refused(blocks, field):
    md = {k: "Plain words." for k in MD_FIELDS}
    md[field] = "\n\n".join(m for m, _ in blocks)
    plain = {k: f"Field {k}" for k in PLAIN_FIELDS}
    built = _build(plain, md)
    if built is None:
        return
    pdf, _, docx, coverage = built
    for _, texts in blocks:
        for text in texts:
            assert _present(text, pdf, _unprintable(text, coverage), md[field]), \
                f"PDF lacks {text!r} of {md[field]!r}"
            assert _norm(text) in docx, f"DOCX lacks {text!r} of {md[field]!r}"


@given(text=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
       field=st.sampled_from(PLAIN_FIELDS + MD_FIELDS))
@settings(max_examples=_examples(40))
def test_any_text_loads_or_is_refused_with_a_location(text, field):
    """Control characters included: loading gives a workspace or problems naming the file."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plain = {k: f"Field {k}" for k in PLAIN_FIELDS}
        md = {k: "Words." for k in MD_FIELDS}
        (plain if field in plain else md)[field] = text
        _workspace(root, plain, md)
        try:
            load_workspace(root)
        except BriefgenError as exc:
            assert all(p.path and "content" in p.path for p in exc.problems), exc.problems
