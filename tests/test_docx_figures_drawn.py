"""DOCX figure pictures are drawn in the rendering process, once each, in document order."""
import datetime as dt
import io
import os
import zipfile

import pytest

from briefgen.document.nodes import Figure
from briefgen.document.resolve import resolve
from briefgen.errors import BriefgenError
from briefgen.render.docx import figures as figures_mod
from briefgen.render.docx.render import render_docx
from briefgen.theme.model import default_theme

from .doc_fixture import print_document

CREATED = dt.datetime(2024, 9, 30, 12, 0)


def figures_in(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return sorted(n for n in z.namelist() if n.startswith("word/media/"))


def test_each_figure_is_drawn_once_here_in_document_order(monkeypatch):
    doc = resolve(print_document())
    nodes = [n for n in doc.children if isinstance(n, Figure)]
    assert len(nodes) == 2
    drawn = []
    original = figures_mod.draw_figure

    def recording(node, width, theme):
        drawn.append((node, os.getpid()))
        return original(node, width, theme)

    monkeypatch.setattr(figures_mod, "draw_figure", recording)
    data = render_docx(doc, default_theme(), CREATED)
    assert [n for n, _ in drawn] == nodes
    assert {pid for _, pid in drawn} == {os.getpid()}
    assert len(figures_in(data)) == 2
    assert render_docx(resolve(print_document()), default_theme(), CREATED) == data


def test_a_figure_that_cannot_be_drawn_fails_the_render(monkeypatch):
    def broken(node, width, theme):
        raise BriefgenError(f"figure {node.kind!r}: cannot draw it")

    monkeypatch.setattr(figures_mod, "draw_figure", broken)
    with pytest.raises(BriefgenError, match="cannot draw it"):
        render_docx(resolve(print_document()), default_theme(), CREATED)


# The app layer (briefgen/pictures.py) may draw the figures in a second process while the body
# is written; the DOCX must come out the same, with the pictures drawn there, not again here.

def test_figures_drawn_beside_give_the_same_docx(monkeypatch):
    from briefgen import pictures

    monkeypatch.setattr(pictures, "usable_cores", lambda: 2)
    doc = resolve(print_document())
    with pictures.FiguresBeside(doc, default_theme()) as beside:
        assert beside.future is not None, "a second core is there: the figures go to it"
        here = []
        original = figures_mod.draw_figure
        monkeypatch.setattr(figures_mod, "draw_figure",
                            lambda *a: here.append(a) or original(*a))
        data = render_docx(doc, default_theme(), CREATED, beside)
    assert here == [], "figures drawn beside must not be drawn again"
    assert data == render_docx(resolve(print_document()), default_theme(), CREATED)


def test_a_picture_for_another_width_is_not_used(monkeypatch):
    from briefgen import pictures

    monkeypatch.setattr(pictures, "usable_cores", lambda: 2)
    doc = resolve(print_document())
    node = next(n for n in doc.children if isinstance(n, Figure))
    with pictures.FiguresBeside(doc, default_theme()) as beside:
        width = beside.jobs[0][1]
        assert beside(node, width) is not None
        assert beside(node, width + 10) is None


def test_one_core_draws_everything_here(monkeypatch):
    from briefgen import pictures

    monkeypatch.setattr(pictures, "usable_cores", lambda: 1)
    with pictures.FiguresBeside(resolve(print_document()), default_theme()) as beside:
        assert beside.future is None and beside.pool is None
