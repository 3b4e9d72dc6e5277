"""Keep with next: a heading stays on the page with at least two lines of what follows it.

reportlab groups a run of ``keepWithNext`` flowables with the flowable after them in a
``KeepTogether``, and leaves the group alone when that flowable is a list or another container
(``_ktAllow``). Two things stranded headings at a page foot: an actor's byline (kind, aliases)
is a paragraph of its own, so heading and byline were kept together and the text went on to the
next page; and a heading above a list was not kept with it at all. And where a group did not
fit, the whole of it moved on, leaving the rest of the page blank.

Here the renderer marks the byline (and a one-line paragraph whose next block is not a
heading) to keep with its next, and this doc template hook:

- also groups a list, or the content of a ``KeepTogether`` (a short table), after the run;
- where the group does not fit, scales its figure down to fit the rest of the page (by at most
  a quarter, ``FigureFlowable.shrunk``: a figure that did not fit left 40-70% of a page blank),
  else, when text follows, lets the figure float to the top of the next page while that text
  fills this one (floats.py), else splits the group's last flowable, as long as the heading
  keeps at least two lines of text after it on the page (headings and bylines do not count; a
  paragraph never leaves one line at a page foot), and only else moves the group to the next
  page, still as a group (a floated figure may head that page).
"""
from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import ActionFlowable, KeepTogether, ListFlowable, PageBreak, Paragraph

from ...document.nodes import keeps_with_next, plain_text
from .bidi_para import ShapedParagraph
from .floats import without_figure
from .internals import may_keep_together, stacked_height


def _lines(flowable) -> int:
    """How many lines of text a laid-out piece shows (anything but a paragraph: enough)."""
    if getattr(flowable, "not_text", False):  # a heading, a byline
        return 0
    if isinstance(flowable, Paragraph):
        lines = getattr(getattr(flowable, "blPara", None), "lines", None)
        return len(lines) if lines is not None else 2
    # a ShapedParagraph (bidi_para.py: right-to-left or complex-script text) keeps its broken
    # lines in ``lines``; counted as "enough", one line of it let a heading end a page with it
    if isinstance(flowable, ShapedParagraph) and flowable.lines:
        return len(flowable.lines)
    return 2


class KeepWithLines(KeepTogether):
    """A keep-with-next group that may split its last flowable (see the module docstring)."""

    def __init__(self, flowables, rigid_last: bool = False, text_follows: bool = False):
        super().__init__(flowables)
        self.rigid_last = rigid_last  # the last came from a KeepTogether: never split it
        self.text_follows = text_follows  # not a page break or the end: a figure may float

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content
        if self._H > aH and len(content) > 1:
            pieces = self._shrink_figure(aW, aH)
            if pieces is None and self.text_follows and not self._at_top():
                pieces = without_figure(list(content))  # floats.py
            if pieces is None and not self.rigid_last:
                pieces = self._split_last(aW, aH)
            if pieces is not None:
                return pieces
        pieces = super().split(aW, aH)
        if len(pieces) > 1 and type(pieces[0]) is type(self.FrameBreak):
            # reportlab hands the group on to the next page one flowable at a time, their keep
            # flags cleared; a floated figure (floats.py) may come first there, and the heading
            # must still keep with its text after it
            return [pieces[0], KeepWithLines(pieces[1:], self.rigid_last, self.text_follows)]
        return pieces

    def _at_top(self) -> bool:
        frame = getattr(self, "_frame", None)
        return frame is not None and bool(getattr(frame, "_atTop", False))

    def _shrink_figure(self, aW, aH):
        """The group with its figure scaled down to fit the rest of the page, within the
        figure's limit (``shrunk``): a figure that did not fit left 40-70% of a page blank."""
        if self._at_top():
            return None  # a fresh page: reportlab lays the figure out at its size
        content = list(self._content)
        for k, f in enumerate(content):
            shrink = getattr(f, "shrunk", None)
            if shrink is None:
                continue
            _, height = f.wrap(aW, aH)
            # the rest of the group, spaces included, must still fit: on the safe side
            excess = self._H - aH + content[0].getSpaceBefore() + content[-1].getSpaceAfter() + 2
            smaller = shrink(height - excess) if height > excess else None
            if smaller is None:
                return None
            content[k] = smaller
            return content
        return None

    def _split_last(self, aW, aH):
        head, last = self._content[:-1], self._content[-1]
        if isinstance(last, KeepTogether):
            return None
        used = stacked_height(head, aW, self.canv)
        # room left for the last flowable, on the safe side: were it overestimated, the frame
        # would split the first piece again, and a heading could end the page after all
        room = (aH - used - head[0].getSpaceBefore() - head[-1].getSpaceAfter()
                - last.getSpaceBefore() - 1)
        if room <= 0:
            return None
        pieces = last.splitOn(self.canv, aW, room)
        if len(pieces) < 2:
            return None
        pieces[0].wrapOn(self.canv, aW, room)
        if sum(_lines(f) for f in head) + _lines(pieces[0]) < 2:
            return None
        return [*head, *pieces]


def _level(flowable) -> int | None:
    outline = getattr(flowable, "outline", None)  # a heading's (key, title, level)
    return outline[2] if outline else None


def _ends_section(group: list, after) -> bool:
    """Whether ``after`` is a heading that closes the section the group's heading opens: a
    figure floats within its section (past its subsections' headings), never past its end,
    where it would leave its heading above nothing or above another section."""
    level, opened = _level(after), [v for f in group if (v := _level(f)) is not None]
    return level is not None and bool(opened) and level <= min(opened)


def group_keep_with_next(template, flowables: list) -> None:
    """``BaseDocTemplate.handle_keepWithNext`` with ``KeepWithLines``, also around a list or
    the content of a KeepTogether after the run (reportlab leaves those out)."""
    n = len(flowables)
    i = 0
    while i < n and flowables[i].getKeepWithNext() and may_keep_together(flowables[i]):
        i += 1
    if not i:
        return
    group = flowables[:i]
    rigid = False
    text_follows = i + 1 < n and not isinstance(flowables[i + 1], (PageBreak, ActionFlowable)) \
        and not _ends_section(group, flowables[i + 1])
    if i < n:
        following = flowables[i]
        if type(following) is KeepTogether:
            group += following._content
            rigid = True
            i += 1
        elif may_keep_together(following) or isinstance(following, ListFlowable):
            group.append(following)
            i += 1
    keep = KeepWithLines(group, rigid_last=rigid, text_follows=text_follows)
    edits = getattr(template, "_multiBuildEdits", None)
    for f in flowables[:i]:
        if not f.getKeepWithNext():
            continue
        if edits:  # a later multiBuild pass starts from the flags as they were
            if "keepWithNext" in f.__dict__:
                edits((setattr, f, "keepWithNext", f.keepWithNext))
            else:
                edits((delattr, f, "keepWithNext"))
        f.__dict__["keepWithNext"] = 0
    del flowables[:i]
    flowables.insert(0, keep)


def keep_after_heading(nodes: list, k: int, flows: list, body: ParagraphStyle,
                       width: float) -> None:
    """Mark what keeps with a heading (``keeps_with_next``), as the blocks are rendered:
    ``flows`` are those of ``nodes[k]``."""
    if not flows:
        return

    def one_line(node) -> bool:
        text = " ".join(plain_text(node.children).split())
        return stringWidth(text, body.fontName, body.fontSize) <= width * 0.95

    keep, not_text = keeps_with_next(nodes, k, one_line)
    if keep:
        flows[-1].keepWithNext = 1
    if not_text:
        flows[-1].not_text = True
