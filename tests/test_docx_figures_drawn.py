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
