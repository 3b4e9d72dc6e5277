"""Pictures in the DOCX renderer: figures drawn from data, and the cover's logo.

A figure is a PNG from briefgen.figures.build (drawn with Pillow) at 200 dpi for the text width,
placed inline at that width (so its effective resolution is 200 dpi), with "Figure n: caption"
below it in Word's Caption style (n as resolve numbered it); the number is a ``SEQ Figure`` field,
as Word's Insert Caption writes it, so Word can build a table of figures. The picture paragraph is
kept with its caption.

What a screen reader says about a picture is its ``wp:docPr``: ``descr`` (Word's "alt text") is
the figure's alt text (resolve made it from the data, document/alttext.py) and ``title`` its
"Figure n: caption"; the theme's logo is decorative (Office's ``adec:decorative``, which Word's
accessibility checker and screen readers skip) and has no description.
"""
from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from docx.oxml.shape import CT_Inline
from docx.shared import Emu
from lxml import etree

from ...document.nodes import Figure
from ...errors import BriefgenError
from . import xml as x

FIGURE_DPI = 200
EMU_PER_PT = 12700
# Office 2019's "mark as decorative": an a:ext of the picture's docPr
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_ADEC = "http://schemas.microsoft.com/office/drawing/2017/decorative"
_DECORATIVE_URI = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"


def inline_picture(writer, parent: etree._Element, data: bytes, width_pt: float,
                   height_pt: float, name: str, description: str | None) -> etree._Element:
    """An inline ``w:drawing`` run holding ``data`` (PNG/JPEG bytes) at the given size;
    ``description`` None marks the picture decorative."""
    if description is not None:
        description = x.check_text(description, writer.where())
    writer.shape_ids += 1
    run = etree.SubElement(parent, x.R)
    _place(writer.part, run, writer.shape_ids, data, width_pt, height_pt, name, description)
    return run


def _place(part, run: etree._Element, shape_id: int, data: bytes, width_pt: float,
           height_pt: float, name: str, description: str | None, title: str = "") -> None:
    rid, _image = part.get_or_add_image(io.BytesIO(data))
    inline = CT_Inline.new_pic_inline(shape_id, rid, name, Emu(round(width_pt * EMU_PER_PT)),
                                      Emu(round(height_pt * EMU_PER_PT)))
    doc_pr = inline.docPr
    if description is None:
        ext = etree.SubElement(etree.SubElement(doc_pr, f"{{{_A}}}extLst"), f"{{{_A}}}ext",
                               uri=_DECORATIVE_URI)
        etree.SubElement(ext, f"{{{_ADEC}}}decorative", nsmap={"adec": _ADEC}, val="1")
    else:
        doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)
    x.sub(run, "drawing").append(inline)


def figure_width(theme, width_twips: int) -> float:
    """The width, in points, to lay a figure out for in a frame ``width_twips`` wide.

    The DOCX page's text width is the theme's text width rounded to whole twips (459.3 pt for
    the PDF's 459.2756 on A4), and a relation map's force layout turns a difference of a few
    hundredths of a point into a different picture. So a figure across the full text width is
    laid out for the PDF's width, and both formats of a brief show the same map.
    """
    width = width_twips / 20
    pdf_width = theme.page_size[0] - theme.margin_left - theme.margin_right
    return pdf_width if abs(width - pdf_width) <= 0.1 else width


def figure(writer, node: Figure, frame) -> None:
    """The figure's paragraph, with an empty run its picture goes into once it is drawn
    (``place_figures``), and its caption."""
    number = node.number
    caption = node.caption if isinstance(node.caption, str) else ""
    caption = " ".join(caption.split())
    label = f"Figure {number}" + (f": {caption}" if caption else "")

    p = writer.new_p(frame, writer.ids.figure)
    writer.shape_ids += 1
    writer.pending_figures.append(_Pending(
        node, figure_width(writer.theme, frame.width - frame.indent), writer.part, etree.SubElement(p, x.R),
        writer.shape_ids, f"figure{number}.png", x.check_text(label, writer.where()),
        x.check_text(" ".join(str(node.alt or "").split()), writer.where())))
    p = writer.new_p(frame, writer.ids.caption)
    writer.run(p, "Figure ", writer.PLAIN)
    x.field(p, "SEQ Figure \\* ARABIC", str(number))
    if caption:
        writer.run(p, f": {caption}", writer.PLAIN)


@dataclass
class _Pending:
    node: Figure
    width_pt: float
    part: object  # the story's part (body or footnotes): the picture is related to it
    run: etree._Element
    shape_id: int
    name: str
    label: str  # "Figure n: caption", the picture's title
    alt: str  # what it shows, the picture's description


def draw_figure(node: Figure, width_pt: float, theme) -> tuple[float, float, bytes]:
    """(width, height) in points and the PNG of a figure laid out for ``width_pt``."""
    from ...figures.build import figure_png, figure_size

    w_pt, h_pt = figure_size(node, width_pt, theme)
    return w_pt, h_pt, figure_png(node, width_pt, theme, dpi=FIGURE_DPI)


# (figure, width in points) -> what draw_figure gives for them, if drawn already, else None
Pictures = Callable[[Figure, float], "tuple[float, float, bytes] | None"]


def place_figures(writer, pictures: Pictures | None = None) -> None:
    """Draw the figures the body left room for (unless ``pictures`` has them) and put each
    picture in its run, in document order. (Placed after the body, the pictures'
    relationships follow the body's links, as the files built so far have them: moving them
    would change every DOCX's bytes.)"""
    for item in writer.pending_figures:
        drawn = pictures(item.node, item.width_pt) if pictures else None
        w_pt, h_pt, png = drawn or draw_figure(item.node, item.width_pt, writer.theme)
        _place(item.part, item.run, item.shape_id, png, w_pt, h_pt, item.name,
               item.alt or item.label, item.label)
    writer.pending_figures = []


def logo_picture(writer, parent: etree._Element, path, height_pt: float,
                 max_width_pt: float) -> None:
    """The theme's logo, ``height_pt`` high (narrower if it would be wider than allowed),
    decorative: the organisation's name is printed beside it."""
    from docx.image.image import Image

    path = Path(path)
    try:
        data = path.read_bytes()
        image = Image.from_blob(data)
        px_w, px_h = image.px_width, image.px_height
    except OSError as err:
        raise BriefgenError(f"theme: cannot read the logo {path}: {err.strerror or err}",
                            path=str(path)) from None
    except Exception as err:  # not an image python-docx can place
        raise BriefgenError(f"theme: the logo {path} is not a PNG, JPEG, GIF, BMP or TIFF "
                            f"image ({type(err).__name__})", path=str(path)) from None
    if not px_w or not px_h:
        raise BriefgenError(f"theme: the logo {path} has no size", path=str(path))
    width = height_pt * px_w / px_h
    if width > max_width_pt:
        width, height_pt = max_width_pt, max_width_pt * px_h / px_w
    inline_picture(writer, parent, data, width, height_pt, path.name, None)
