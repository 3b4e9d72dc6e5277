"""Floating figures in the DOCX, as in the PDF (render/pdf/floats.py): a figure that would leave
a large part of its page blank moves after the text that follows it, which fills the page.

Word and LibreOffice keep a figure with its caption and a heading above it with the figure
(keepNext), so where the three did not fit, all moved to the next page: LibreOffice left 69% of
the policy brief's page 9 blank. A DOCX has no pages until a word processor lays it out, so the
body is poured into pages with the same estimate the contents' page numbers use (pages.py),
and where a figure's keep-with-next chain does not fit and the page would be left at least a
quarter blank, the figure's paragraph and its caption move on: to just before the first block
that begins on the next page, or just after the one that runs onto it. The heading stays and
keeps with the text after the figure. Floated figures keep their order (a later figure waits
behind them), never move past a page break and go to the end of the body at the latest.

It is an estimate: LibreOffice's or Word's pages can differ by a few lines, so a moved figure
may land a little below the top of its page; the caption keeps its number either way (a SEQ
field counts in document order, and figures never overtake each other).
"""
from __future__ import annotations

import copy

from lxml import etree

from . import xml as x
from .pages import measure_body

FLOAT_BLANK = 0.25  # a figure that would leave at least this share of a page blank floats


def _style(p: etree._Element) -> str | None:
    ppr = p.find(x.w("pPr"))
    style = ppr.find(x.w("pStyle")) if ppr is not None else None
    return style.get(x.w("val")) if style is not None else None


def float_figures(word, footnotes_root, theme, geometry, figure_style: str,
                  caption_style: str, heading_styles: tuple[str, ...] = ()):
    """Move the body's figures that would leave a page blank (see the module docstring).
    Returns the body's blocks as measured, in their new order, with an empty page filler, for
    the contents' page estimate (``estimate_pages(measured=...)``), or None without figures."""
    body = word.element.body
    if not any(_style(p) == figure_style for p in body.iterchildren(x.P)):
        return None
    elements, blocks, pages = measure_body(word, footnotes_root, theme, geometry)
    fresh = copy.copy(pages)  # for the contents' estimate: nothing placed yet
    fresh.placed = {}
    n = len(blocks)
    figures = {k for k in range(n - 1) if elements[k].tag == x.P
               and _style(elements[k]) == figure_style
               and _style(elements[k + 1]) == caption_style}
    levels = [heading_styles.index(st) + 1 if (st := _style(el)) in heading_styles else None
              for el in elements]
    taken: set[int] = set()  # figures and captions moved away from where they were
    pending: list[int] = []  # the figures waiting for the next page, in order
    floated_on = 0
    moves: list[tuple[list[int], int, bool]] = []  # (figures, anchor, before the anchor)

    def following(i: int) -> list:
        return [blocks[k] for k in range(i + 1, min(n, i + 16)) if k not in taken][:7]

    def place_pending(anchor: int, before: bool) -> None:
        nonlocal pending
        moves.append((pending, anchor, before))
        for k in pending:
            pages.place(blocks[k], [blocks[k + 1]])
            pages.place(blocks[k + 1], [])
        pending = []

    for i in range(n):
        if i in taken:
            continue
        fig = i
        while fig < n and fig not in figures and blocks[fig].keep_next and fig not in taken:
            fig += 1
        if fig in figures and fig not in taken:
            if pending:
                pending.append(fig)
                taken.update((fig, fig + 1))
            elif _floats(pages, blocks, i, fig) and fig + 2 < n and not blocks[fig + 2].page_break \
                    and not _ends_section(levels, i, fig):
                pending, floated_on = [fig], pages.page
                taken.update((fig, fig + 1))
            if i == fig and fig in taken:
                continue
        if pending and blocks[i].page_break:
            place_pending(i, True)
        elif pending:
            probe = copy.copy(pages)
            probe.placed = {}
            probe.place(blocks[i], following(i))
            if probe.start > floated_on:  # block i begins the next page: the figures go first
                place_pending(i, True)
        pages.place(blocks[i], following(i))
        if pending and pages.page > floated_on:
            place_pending(i, False)
    if pending:
        place_pending(max(k for k in range(n) if k not in taken), False)
    for figs, anchor, before in moves:
        at = elements[anchor]
        moving = [elements[k + d] for k in figs for d in (0, 1)]
        for el in moving:
            body.remove(el)
        if before:
            for el in moving:
                at.addprevious(el)
        else:
            for el in reversed(moving):
                at.addnext(el)
    block_of = {id(el): block for el, block in zip(elements, blocks)}
    return [block_of[id(el)] for el in body if id(el) in block_of], fresh


def _ends_section(levels: list, start: int, fig: int) -> bool:
    """Whether the block after the figure's caption is a heading that closes the section the
    chain's heading opens (render/pdf/keep.py's rule): a figure floats within its section."""
    opened = [v for v in levels[start:fig] if v is not None]
    after = levels[fig + 2]
    return after is not None and bool(opened) and after <= min(opened)


def _floats(pages, blocks, start: int, fig: int) -> bool:
    """Whether the chain ``blocks[start..fig+1]`` (heading, figure, caption) would not fit the
    rest of the page and leave at least FLOAT_BLANK of it blank."""
    if pages.y <= 0 or pages.room < FLOAT_BLANK * pages.height:
        return False
    need, after = 0.0, pages.last_after
    for block in blocks[start:fig + 2]:
        need += max(0.0, block.before - after) + sum(block.lines) + block.after
        after = block.after
    return need > pages.room
