"""Headings kept with their text in the DOCX: Word's keepNext on the paragraphs the shared rule
(``document.nodes.keeps_with_next``) names, as the PDF's keep.py does with its own groups."""
from __future__ import annotations

from ...document.nodes import keeps_with_next, plain_text
from . import xml as x
from .formatting import AVERAGE_EM, face_metrics


def keep_with_heading(writer, nodes: list, k: int) -> None:
    """keepNext on a byline under a heading, and on a one-line first paragraph after it
    (``keeps_with_next``): with Word's widow control, the heading keeps two lines of text.
    Called for every top-level block: the face's widths are looked up only when a paragraph
    is measured."""
    def one_line(node) -> bool:
        widths = face_metrics(str(writer.theme.body_font.regular))[0]
        limit = writer.text_width / 20 * 0.95 / writer.theme.body_size  # in ems
        # measured only as far as the line's end: most paragraphs run to several lines
        total = 0.0
        for c in " ".join(plain_text(node.children).split()):
            total += widths.get(ord(c), AVERAGE_EM)
            if total > limit:
                return False
        return True

    last = x.last_child(writer.body)
    if last is not None and last.tag == x.P and keeps_with_next(nodes, k, one_line)[0]:
        x.set_ppr_child(last, x.new("keepNext"))
