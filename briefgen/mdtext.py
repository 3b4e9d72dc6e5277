"""Turning plain text into Markdown that prints exactly that text."""
from __future__ import annotations

import re

from .content.models import Md

# CommonMark lets any ASCII punctuation be backslash-escaped, so escaping all of it is always
# safe and stops titles like "*Breaking* [1]" or "<b>" from becoming markup.
_PUNCT = re.compile(r"([!-/:-@\[-`{-~])")
_SAFE_SCHEMES = ("http://", "https://", "mailto:")


def escape(text: object) -> Md:
    """Plain text -> Markdown source that renders as the same text on one line."""
    flat = " ".join(str(text).split())
    return Md(_PUNCT.sub(r"\\\1", flat))


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
