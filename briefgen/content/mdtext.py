"""Turning plain text into Markdown that prints exactly that text."""
from __future__ import annotations

import re

from .models import Md

# CommonMark lets any ASCII punctuation be backslash-escaped, so escaping all of it is always
# safe and stops titles like "*Breaking* [1]" or "<b>" from becoming markup.
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def escape(text: object) -> Md:
    """Plain text -> Markdown source that renders as the same text on one line."""
    flat = " ".join(str(text).split())
    return Md(_PUNCT.sub(r"\\\1", flat))


# Template-only syntax that content Markdown must not reach: a ``:::`` directive line (after any
# block quote or list markers) and footnotes (``[^n]`` marks and ``[^n]: text`` definitions,
# which carry the citations). An escaped first character makes each print as typed.
_DIRECTIVE = re.compile(r"^((?:[ \t]*(?:>|[-+*](?=[ \t])|\d{1,9}[.)](?=[ \t])))*[ \t]*)(?=:::)")
_FOOTNOTE = re.compile(r"(?<!\\)((?:\\\\)*)\[\^")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.S)


def content_markdown(text: str) -> Md:
    """Markdown written in content (a summary, a body): CommonMark as written, except that
    directive lines (``::: pagebreak``) and footnotes (``[^1]``) print as text, so content can
    neither add page furniture nor forge a citation, and a code fence left open is closed at the
    end of the text. Fenced code is left as it is."""
    if ":::" not in text and "[^" not in text and "```" not in text and "~~~" not in text:
        return Md(text)  # nearly every summary: nothing to neutralise, skip the line walk
    out: list[str] = []
    prose: list[str] = []
    fence = ""

    def flush() -> None:
        if prose:
            chunk = "\n".join(_DIRECTIVE.sub(r"\1\\", line, count=1) for line in prose)
            pieces = []
            last = 0
            for span in _CODE_SPAN.finditer(chunk):  # `[^1]` in code is code
                pieces.append(_FOOTNOTE.sub(r"\1\\[^", chunk[last:span.start()]))
                pieces.append(span.group(0))
                last = span.end()
            pieces.append(_FOOTNOTE.sub(r"\1\\[^", chunk[last:]))
            out.append("".join(pieces))
            prose.clear()

    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence:
            out.append(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                    and not line[m.end():].strip():
                fence = ""
        elif m and not (m.group(1)[0] == "`" and "`" in line[m.end():]):
            flush()
            fence = m.group(1)
            out.append(line)
        else:
            prose.append(line)
    flush()
    if fence:  # an unclosed fence would run on over the rest of the brief
        out.append(fence)
    return Md("\n".join(out))


def oneline(text: object) -> Md:
    """Markdown kept as Markdown, with line breaks folded so it fits in a list item or table cell."""
    if not isinstance(text, Md):
        return escape(text)
    return Md(" ".join(text.split()))


def link(url: object, label: object = None) -> Md:
    """A Markdown link, only for http, https and mailto; anything else prints as text."""
    url = str(url).strip()
    shown = escape(label if label is not None else url)
    if not url.lower().startswith(_SAFE_SCHEMES) or any(c in url for c in "<>\n\r "):
        return shown
    return Md(f"[{shown}](<{url}>)")
