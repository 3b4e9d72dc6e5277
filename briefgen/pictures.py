"""DOCX figures drawn in a second process while this one writes the body.

Drawing a brief's figures (layout and Pillow) takes about a tenth of a DOCX build and needs
nothing from the body, so where a core is spare they are drawn beside it: at 300 developments
this saves about 0.1 s of wall time (see the commit). The library's ``render_docx`` stays a plain
function: it takes the pictures through its ``pictures`` argument and draws any that are
missing (a figure inside a box, or a reference DOCX with other margins, has another width).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .document.nodes import Document, Figure
from .loading import usable_cores
from .theme.model import Theme

if TYPE_CHECKING:
    from concurrent.futures import Future


def _draw(jobs: list[tuple[Figure, float]], theme: Theme) -> list[tuple[float, float, bytes]]:
    from .render.docx.figures import draw_figure
    return [draw_figure(node, width, theme) for node, width in jobs]


class FiguresBeside:
    """``with FiguresBeside(doc, theme) as pictures: render_docx(..., pictures=pictures)``."""

    def __init__(self, doc: Document, theme: Theme):
        self.pool = None
        self.future: Future | None = None
        self.widths: dict[int, float] = {}
        figures = [node for node in doc.children if isinstance(node, Figure)]
        if not figures or usable_cores() < 2:
            return  # nothing to draw, or no core to spare
        import multiprocessing  # only now: a PDF build or a brief without figures need not
        if multiprocessing.parent_process() is not None:
            return  # a pool worker's siblings have the other cores
        from .render.docx.figures import figure_width
        from .render.docx.setup import page_geometry
        page_w, _, margins = page_geometry(theme)
        width = figure_width(theme, page_w - margins[1] - margins[3])
        self.jobs = [(node, width) for node in figures]
        from concurrent.futures import ProcessPoolExecutor
        try:
            self.pool = ProcessPoolExecutor(max_workers=1)
            self.future = self.pool.submit(_draw, self.jobs, theme)
        except (OSError, ImportError, NotImplementedError, RuntimeError):
            self.close()  # no second process to be had: render_docx draws them itself

    def __call__(self, node: Figure, width: float):
        if self.future is None:
            return None
        if not self.widths:
            try:
                drawn = self.future.result()
            except Exception:  # the helper died (out of memory ...): draw them here, where
                self.future = None  # a bug in the drawing raises as usual
                return None
            self.widths = {id(n): (w, pic) for (n, w), pic in zip(self.jobs, drawn)}
        w, pic = self.widths.get(id(node), (None, None))
        return pic if w == width else None

    def __enter__(self) -> "FiguresBeside":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None
