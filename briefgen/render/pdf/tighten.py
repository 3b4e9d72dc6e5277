"""Tightening: a brief whose last page would hold a line or two is set again with the space
between its paragraphs, list items, notes and headings condensed, as a typesetter would, and
the tighter setting is kept only where it saves that page.

The situation report ended with one source, two lines, alone on its last page. Type sizes and
leading are the theme's and stay so (no text is smaller than the theme allows); only the
vertical spaces shrink, by 15%, else by 30%. They shrink evenly through the brief, so its
pages keep one rhythm rather than a visibly squeezed last spread. A last page that a page
break began (the distribution list) is not for tightening to remove, nor is a one-page
brief's, nor a long brief's (``MAX_PAGES``). Setting a brief again costs a second layout (a
third where 15% was not enough), paid only by a short brief that would end so.
"""
from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle

from .internals import frame_used

NEARLY_EMPTY = 0.15  # a last page using at most this share of its text area is worth a try
# Longer briefs are left alone: a second layout of an 87-page brief took 0.8 s (doubling its
# PDF's time) to save a page a reader of 87 hardly notices; a short brief's is cheap and its
# stray last page conspicuous.
MAX_PAGES = 24
FACTORS = (0.85, 0.7)  # the vertical spaces, condensed: first this much, then this


def tighter(template, lay_out):
    """``lay_out(factor)``'s (PDF, template) for the first factor that saves the last page of
    the brief ``template`` laid out, if it ends with a page worth saving; else None."""
    if not worth_tightening(template):
        return None
    for factor in FACTORS:
        tight = lay_out(factor)
        if tight[1].page < template.page:
            return tight
    return None


def worth_tightening(template) -> bool:
    """Whether the brief ``template`` laid out ends with a page worth saving."""
    used = frame_used(template.frame)
    return (2 <= template.page <= MAX_PAGES and template.page not in template.forced_pages
            and used <= NEARLY_EMPTY)


def condense(styles, factor: float) -> None:
    """Scale the space before and after every paragraph style of the body (``styles``, a
    Styles) by ``factor``; the cover's are left as they are (the cover is a page of its own)."""
    seen: set[int] = set()

    def visit(value) -> None:
        if isinstance(value, ParagraphStyle):
            if id(value) in seen or value.name.startswith("cover"):
                return
            seen.add(id(value))
            value.spaceBefore = round(value.spaceBefore * factor, 2)
            value.spaceAfter = round(value.spaceAfter * factor, 2)
        elif isinstance(value, (list, tuple)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    for value in vars(styles).values():
        visit(value)
