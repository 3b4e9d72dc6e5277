"""DOCX figure pictures are drawn in a forked process while the body is written; the file must
not depend on whether that happened."""
import datetime as dt

import pytest

from briefgen import fanout
from briefgen.document.nodes import Figure
from briefgen.document.resolve import resolve
from briefgen.render.docx import render as docx_mod
from briefgen.render.docx.render import render_docx
from briefgen.theme.model import default_theme

from .doc_fixture import print_document

CREATED = dt.datetime(2024, 9, 30, 12, 0)


def figures_in(data: bytes) -> list[str]:
    import io
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return sorted(n for n in z.namelist() if n.startswith("word/media/"))


@pytest.mark.skipif(not fanout.can_fork(), reason="no os.fork here (or other threads run)")
def test_figures_drawn_in_a_child_give_the_same_file_as_drawn_here(monkeypatch):
    doc = print_document()
    assert sum(isinstance(n, Figure) for n in doc.children) == 2
    started = []

    class Recording(fanout.Fanout):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            started.append((self.processes, list(self._own)))

    monkeypatch.setattr(docx_mod, "Fanout", Recording)
    parallel = render_docx(resolve(doc), default_theme(), CREATED)
    assert started == [(2, [])]  # a child drew both figures; this process drew none up front

    monkeypatch.setattr(fanout, "can_fork", lambda: False)
    started.clear()
    serial = render_docx(resolve(print_document()), default_theme(), CREATED)
    assert started == [(1, [0, 1])]
    assert parallel == serial
    assert len(figures_in(parallel)) == 2


def test_a_figure_that_fails_in_the_child_fails_here_with_the_same_error(monkeypatch):
    from briefgen.errors import BriefgenError
    doc = print_document()
    theme = default_theme()

    def broken(node, width, theme):
        raise BriefgenError(f"figure {node.kind!r}: cannot draw it")

    monkeypatch.setattr(docx_mod, "draw_figure", broken)
    with pytest.raises(BriefgenError, match="cannot draw it"):
        render_docx(resolve(doc), theme, CREATED)
