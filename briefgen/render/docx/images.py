"""Workspace images (Markdown ``![alt](images/map.png)``) in the DOCX renderer.

The ``Image`` node comes checked from briefgen.document.images: a whole PNG or JPEG inside the workspace.
It is placed inline in a paragraph of its own at briefgen.document.images.print_size (96 pixels per inch,
scaled down to fit the text width and most of the page height, as in the PDF); its alt text is
the picture's description, which screen readers read.

The DOCX renderer's block table maps ``Image`` to ``image`` below.
"""
from __future__ import annotations

from pathlib import Path

from ...document.nodes import Image
from ...document.images import print_size
from .figures import inline_picture


def image(writer, node: Image, frame) -> None:
    """Block handler for ``Image`` (``writer`` is the DOCX renderer's writer, ``frame`` where
    the block goes)."""
    if not isinstance(node.path, str) or not node.path:
        raise writer.error("an image node needs the path of its file")
    path = Path(node.path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise writer.error(f"cannot read image {path}: {exc.strerror or exc}") from None
    w, h = print_size(node.width, node.height, (frame.width - frame.indent) / 20,
                      writer.text_height / 20)
    if not w or not h:
        raise writer.error(f"image {path} has no size")
    p = writer.new_p(frame, writer.ids.figure)
    alt = " ".join(str(node.alt or "").split())
    # no alt text (the build warns) leaves the description empty, as Word's checker expects:
    # the file's name would tell a screen reader's user nothing
    inline_picture(writer, p, data, w, h, path.name, alt)
