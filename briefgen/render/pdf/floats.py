"""Floating figures: a figure that does not fit the rest of a page moves to the top of the next
one, and the text after it fills the page, as a typesetter would do. It left 40-70% of a page
blank before (the policy brief's relation map, 61% of page 9).

A figure is first scaled down to fit (keep.py, within ``FigureFlowable.shrunk``'s limit); only
where that is not enough does keep.py's group hand the figure and its caption here
(``DeferFigure``) and keep laying out what follows; the heading above the figure, if any, stays
and keeps with that text. ``FloatingFigures`` (a mixin of the doc template) holds the deferred
figures and puts them back into the story:

- at the top of the next page, in their order (the figure "after its text": on the page that
  follows the one where its text is);
- before a page break or the story's end, on a page of their own: a figure never moves past
  a page break into another part of the brief;
- a later figure never overtakes a deferred one: while one waits, the next joins the queue, so
  the numbers still read 1, 2, 3 down the pages.

The caption keeps its number (resolve numbered the figures in document order). In the PDF's
text layer the figure's words then come after the text that moved up; tests/test_parity.py
reads a figure that is further on in the PDF than in the DOCX as moved (the DOCX cannot know
where its pages break: Word and LibreOffice lay it out).
"""
from __future__ import annotations

from reportlab.platypus import ActionFlowable, Flowable, PageBreak


def is_figure(flowable) -> bool:
    """A figure's drawing (print_marks.FigureFlowable, which imports this module's users)."""
    return callable(getattr(flowable, "shrunk", None))


class DeferFigure(ActionFlowable):
    """Handed back by keep.py's group in place of a figure that does not fit: the doc template
    queues the figure and its caption (``FloatingFigures.handle_deferFigure``)."""

    def __init__(self, figure: Flowable, caption: Flowable):
        super().__init__(("deferFigure", figure, caption))


class _StoryEnd(ActionFlowable):
    """Put after the story's last flowable while figures wait (``FloatingFigures``)."""

    def __init__(self):
        super().__init__(("storyEnd",))


def without_figure(content: list) -> list | None:
    """``content`` of a keep-with-next group whose figure (and caption, the group's last two
    flowables) floats: a ``DeferFigure`` for them, then the rest of the group, which keeps with
    what follows. None when the group holds no figure."""
    if len(content) < 2 or not is_figure(content[-2]):
        return None
    rest = content[:-2]
    for f in rest:  # the group cleared their flags: they keep with the text after the figure
        f.__dict__["keepWithNext"] = 1
    return [DeferFigure(content[-2], content[-1]), *rest]


def _again(figure: Flowable, caption: Flowable) -> list:
    """The figure as it was before keep.py grouped it (which cleared its keep-with-next flag):
    a copy at its size, so the story of another layout pass is left as it was."""
    fresh = figure.shrunk(figure.height)
    fresh.keepWithNext = 1
    return [fresh, caption]


class FloatingFigures:
    """The doc template's side of floating figures (see the module docstring)."""

    _floats: list
    _floated_on = 0

    def reset_floats(self) -> None:
        self._floats = []
        self._floated_on = 0

    def handle_deferFigure(self, figure, caption) -> None:
        if not self._floats:
            self._floated_on = self.page
        self._floats.append((figure, caption))

    def handle_storyEnd(self) -> None:
        """Nothing: the waiting figures were put before it."""

    def filterFlowables(self, flowables) -> None:
        super().filterFlowables(flowables)
        if not self._floats or not flowables:
            return
        first = flowables[0]
        if self.page != self._floated_on:  # a new page: the figures go first on it
            if isinstance(flowables[-1], _StoryEnd):
                del flowables[-1]
            flowables[0:0] = self._waiting()
        elif isinstance(first, (PageBreak, _StoryEnd)):
            # they did not fit on this page: a page of their own (then the break)
            flowables[0:1 if isinstance(first, _StoryEnd) else 0] = [PageBreak(),
                                                                    *self._waiting()]
        elif len(flowables) == 1:
            # the story's last flowable: should it end the page, the figures head the next one,
            # else they follow it on a page of their own. Marked only while figures wait: past
            # the end of a page, any flowable would begin a new, maybe empty, one
            flowables.append(_StoryEnd())
        else:
            self._queue_next_figure(flowables)

    def _waiting(self) -> list:
        out = [f for figure, caption in self._floats for f in _again(figure, caption)]
        self._floats = []
        return out

    def _queue_next_figure(self, flowables) -> None:
        """A figure at the end of the keep-with-next run ahead waits behind the deferred ones."""
        for k, f in enumerate(flowables):
            if is_figure(f) and k + 1 < len(flowables):
                self._floats.append((f, flowables[k + 1]))
                del flowables[k:k + 2]
                return
            if not f.getKeepWithNext():
                return
