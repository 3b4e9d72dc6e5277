"""What is drawn on the page around the text: running heads, cover furniture, watermark.

Body pages: the short title in the header, the date, "Page N of M" and (for a numbered copy) the
copy line in the footer, and the marking in header AND footer (a TLP label in its TLP 2.0 colours
on black, right-aligned, >= 12 pt; any other marking as a centred banner at the top and foot).
The cover has no running heads: the marking is a banner across its top and foot, with the
organisation (and logo) at the top and the copy number above the foot banner.
The watermark (if any) is drawn last on every page, cover included (``page_end``), over the
content: drawn first, it vanished under the fills of boxes, tables and figures. It multiplies
with what is under it at low opacity, so black text stays black and fills only darken a little.

"Page N of M" and the watermark are PDF form XObjects referenced on each page and defined when the
canvas is saved (``finish``), when M is known: one layout pass (see page.py).
"""
from __future__ import annotations

import math

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...document.nodes import DocumentInfo
from ...errors import BriefgenError
from ...theme.model import marking_colours
from .fonts import text_markup
from .furniture_line import Line, fitted_line, make_line
from .styles import WATERMARK_ALPHA, Styles, colour

_WATERMARK = "briefgen-watermark"


def page_form(n: int) -> str:
    return f"briefgen-page-{n}"


class Furniture:
    """The ``onPage`` callbacks of the body pages (``page``) and of the cover (``cover``)."""

    def __init__(self, styles: Styles, info: DocumentInfo, pagesize: tuple[float, float],
                 across: tuple[float, float], up: tuple[float, float]):
        theme = styles.theme
        self.pages = 0
        self.numbered: list[int] = []  # pages that show "Page N of M"
        self.page_w, self.page_h = pagesize
        self.x0, self.x1 = across  # the body frame
        self.bottom, self.top = up
        self.font = styles.heading_font.regular
        self.bold = styles.heading_font.bold
        self.size = theme.small_size
        self.muted = styles.muted
        self.text = styles.text
        self.accent = styles.accent
        self.heading_colour = styles.heading_colour
        self.rule = styles.rule
        self.banner_colour = styles.banner
        self.watermark_colour = styles.watermark
        # each line in one face that has all its letters (a Pashto title in Amiri: the
        # heading face, DejaVu Sans, lacks some Pashto letters), chosen as the body chooses
        self._faces = text_markup(styles)
        self.date = self._line(info.date, self.font)
        self.organisation = " ".join(info.organisation.split())
        self.copy = None
        if info.copy is not None:
            recipient = " ".join(info.copy.recipient.split())
            self.copy = (info.copy.label, recipient)

        marking = " ".join(info.marking.split())
        self.marking = marking
        self.banner = None  # a marking that is no TLP label, as drawn
        self.mark_size = max(theme.marking_size, 12.0)  # TLP 2.0: at least 12 pt
        tlp = marking_colours(marking) if marking else None
        self.tlp = (colour(tlp[0]), colour(tlp[1])) if tlp else None
        self.box_w = 0.0
        if self.tlp:
            self.marking = marking.upper()
            self.box_w = stringWidth(self.marking, self.bold, self.mark_size) + self.mark_size * 0.8
        elif marking:  # a banner is never cut: a very long one gets a smaller size instead
            self.banner = self._line(marking, self.bold)
            room = self.page_w - 36
            self.mark_size = min(self.mark_size,
                                 self.mark_size * room / self.banner.width(self.mark_size))
        room = self.x1 - self.x0 - (self.box_w + 18 if self.box_w else 0)
        self.title = fitted_line(info.short_title or info.title, self.font, self._faces,
                                 self.size, room)
        self.head_y = self.top + 12 + 8
        self.foot_y = self.bottom - 12 - 7 - self.size
        self.copy_line = None
        if self.copy:
            label, recipient = self.copy
            line = f"{label} — {recipient}" if recipient else label
            width = (self.x1 - self.x0) / 2 - 40 if not self.tlp else self.x1 - self.x0 - self.box_w
            self.copy_line = fitted_line(line, self.bold, self._faces, self.size, width)

        self.watermark = " ".join(info.watermark.split())
        self.logo = self._logo(theme.logo)
        self._cover_layout()

    def _line(self, text: str, face: str) -> Line:
        """``text`` on one line, shaped, in visual order, in the faces that have its letters."""
        return make_line(text, face, self._faces)

    # --- body pages -------------------------------------------------------------------------

    def page(self, canv, doc) -> None:
        self.pages = doc.page
        canv.saveState()
        head_rule, foot_rule = self.top + 12, self.bottom - 12
        canv.setStrokeColor(self.rule)
        canv.setLineWidth(0.5)
        canv.line(self.x0, head_rule, self.x1, head_rule)
        canv.line(self.x0, foot_rule, self.x1, foot_rule)

        canv.setFillColor(self.muted)
        canv.setFont(self.font, self.size)
        head_y, foot_y = self.head_y, self.foot_y
        if self.title:
            self.title.draw(canv, self.x0, head_y, self.size)
        if self.date:
            self.date.draw(canv, self.x0, foot_y, self.size)
        canv.setFont(self.font, self.size)
        canv.doForm(page_form(doc.page))  # "Page N of M", defined by finish()
        self.numbered.append(doc.page)
        if self.copy_line:
            if self.tlp:  # the right end of the footer holds the label: a second line
                self.copy_line.draw(canv, self.x0, foot_y - self.size * 1.45, self.size)
            else:
                self.copy_line.draw(canv, self.x1, foot_y, self.size, "right")

        if self.tlp:
            self._label(canv, self.x1, head_y, self.mark_size, align="right")
            self._label(canv, self.x1, foot_y, self.mark_size, align="right")
        elif self.banner:
            canv.setFillColor(self.banner_colour)
            mid = self.page_w / 2
            self.banner.draw(canv, mid, min(self.page_h - 8 - self.mark_size, head_y + 22),
                             self.mark_size, "centre")
            self.banner.draw(canv, mid, max(8.0, foot_y - 22), self.mark_size, "centre")
        canv.restoreState()

    def _label(self, canv, x: float, baseline: float, size: float, align: str) -> None:
        """TLP 2.0: the label in its colour on a black box; ``x`` is its right end or centre."""
        text_colour, background = self.tlp
        width = stringWidth(self.marking, self.bold, size) + size * 0.8
        left = x - width if align == "right" else x - width / 2
        below, above = size * 0.35, size * 0.95
        canv.setFillColor(background)
        canv.rect(left, baseline - below, width, below + above, stroke=0, fill=1)
        canv.setFillColor(text_colour)
        canv.setFont(self.bold, size)
        canv.drawCentredString(left + width / 2, baseline, self.marking)

    # --- cover --------------------------------------------------------------------------------

    def _logo(self, path):
        if path is None:
            return None
        try:
            image = ImageReader(str(path))
            w, h = image.getSize()
        except Exception as exc:  # reportlab/PIL raise anything from OSError to their own types
            raise BriefgenError(f"theme: cannot use logo {path}: {exc}") from None
        if not w or not h:
            raise BriefgenError(f"theme: logo {path} has no size")
        return image, w / h

    def _cover_layout(self) -> None:
        """Positions on the cover; ``cover_frame`` is where the title block flows."""
        h = self.page_h
        self.band_size = max(self.mark_size, 16.0) if self.tlp else max(self.mark_size, 14.0)
        band_h = round(self.band_size * 2.1, 1)
        self.band_h = band_h
        self.top_band = h - max(28.0, (h - self.top) * 0.5) - band_h  # lower edge
        self.foot_band = max(24.0, self.bottom * 0.5)  # lower edge
        if self.banner:  # a long free-text banner: smaller, never cut
            room = self.x1 - self.x0 - 12
            self.band_size = min(self.band_size,
                                 self.band_size * room / self.banner.width(self.band_size))
        # the organisation row (logo and name) under the top band, over a hairline
        self.logo_h = 44.0 if self.logo else 0.0
        row_h = max(self.logo_h, 14.0)
        self.org_rule = self.top_band - 20 - row_h - 10
        self.org_baseline = self.org_rule + 10 + (row_h / 2 - 4.5 if self.logo else 0)
        copy_top = self.foot_band + band_h + 24 + (50 if self.copy else 0)
        frame_top = min(h * 0.66, self.org_rule - 40)  # the title about a third down
        self.cover_frame = (self.x0, copy_top + 12, self.x1 - self.x0,
                            max(144.0, frame_top - copy_top - 12))
        self.copy_y = self.foot_band + band_h + 24

    def cover(self, canv, doc) -> None:
        self.pages = doc.page
        canv.saveState()
        if self.marking:  # the top band is the marking a reader hears (page.py tags it)
            self.say_marking(canv, lambda: self._band(canv, self.top_band))
            self._band(canv, self.foot_band)

        # organisation (and logo) at the top, over a hairline
        x = self.x0
        rule_y = self.org_rule
        if self.logo:
            image, ratio = self.logo
            lw = min(self.logo_h * ratio, (self.x1 - self.x0) / 2)
            lh = lw / ratio
            canv.drawImage(image, x, rule_y + 10 + (self.logo_h - lh) / 2, lw, lh, mask="auto")
            x += lw + 14
        if self.organisation:
            size = 13.0
            org = fitted_line(self.organisation, self.bold, self._faces, size, self.x1 - x)
            canv.setFillColor(self.heading_colour)
            org.draw(canv, x, self.org_baseline, size)
        if self.organisation or self.logo:
            canv.setStrokeColor(self.accent)
            canv.setLineWidth(0.75)
            canv.line(self.x0, rule_y, self.x1, rule_y)

        # a short accent bar above the title
        fx, fy, fw, fh = self.cover_frame
        canv.setFillColor(self.accent)
        canv.rect(fx, fy + fh + 14, 56, 5, stroke=0, fill=1)

        if self.copy:
            self._copy_box(canv)
        canv.restoreState()

    @staticmethod
    def say_marking(canv, draw) -> None:
        draw()

    def _band(self, canv, lower: float) -> None:
        """The marking across the text width: TLP on black, any other in red between rules."""
        size = self.band_size
        baseline = lower + (self.band_h - size * 0.72) / 2
        mid = (self.x0 + self.x1) / 2
        if self.tlp:
            text_colour, background = self.tlp
            canv.setFillColor(background)
            canv.rect(self.x0, lower, self.x1 - self.x0, self.band_h, stroke=0, fill=1)
            canv.setFillColor(text_colour)
        else:
            canv.setStrokeColor(self.banner_colour)
            canv.setLineWidth(1.5)
            canv.line(self.x0, lower, self.x1, lower)
            canv.line(self.x0, lower + self.band_h, self.x1, lower + self.band_h)
            canv.setFillColor(self.banner_colour)
        if self.banner:
            self.banner.draw(canv, mid, baseline, size, "centre")
        else:
            canv.setFont(self.bold, size)
            canv.drawCentredString(mid, baseline, self.marking)

    def _copy_box(self, canv) -> None:
        label, recipient = self.copy
        size = 12.0
        lines = [(self._line(label, self.bold), size, self.heading_colour)]
        if recipient:
            lines.append((fitted_line(f"Issued to: {recipient}", self.font, self._faces, 9.5,
                                      self.x1 - self.x0 - 30), 9.5, self.text))
        width = max(line.width(s) for line, s, _ in lines) + 28
        height = 40.0 if recipient else 26.0
        y = self.copy_y
        canv.setStrokeColor(self.accent)
        canv.setLineWidth(0.75)
        canv.rect(self.x0, y, width, height, stroke=1, fill=0)
        canv.setFillColor(self.accent)
        canv.rect(self.x0, y, 4, height, stroke=0, fill=1)
        baseline = y + height - 8 - size * 0.72
        for line, s, col in lines:
            canv.setFillColor(col)
            line.draw(canv, self.x0 + 14, baseline, s)
            baseline -= s * 1.45

    # --- forms --------------------------------------------------------------------------------

    def finish(self, canv) -> None:
        """Define each page's "Page N of M" form, now that M is known, and the watermark."""
        total = self.pages
        for n in self.numbered:
            canv.beginForm(page_form(n), 0, 0, self.page_w, self.page_h)
            canv.setFillColor(self.muted)
            canv.setFont(self.font, self.size)
            canv.drawCentredString((self.x0 + self.x1) / 2, self.foot_y, f"Page {n} of {total}")
            canv.endForm()
        if self.watermark:
            self._watermark_form(canv)

    def page_end(self, canv, doc) -> None:
        """After the page's content (the cover's too): the watermark, over everything."""
        if not self.watermark:
            return
        # the transparency is set here, in the page's graphics state: a form's own ExtGState
        # would need resources reportlab does not give forms
        canv.saveState()
        canv.setFillAlpha(WATERMARK_ALPHA)
        canv.setBlendMode("Multiply")
        canv.doForm(_WATERMARK)
        canv.restoreState()

    def _watermark_form(self, canv) -> None:
        w, h = self.page_w, self.page_h
        angle = math.degrees(math.atan2(h, w))
        line = self._line(self.watermark, self.bold)
        unit = line.width(1) or 1
        size = min(170.0, math.hypot(w, h) * 0.62 / unit)
        canv.beginForm(_WATERMARK, 0, 0, w, h)
        canv.setFillColor(self.watermark_colour)
        canv.translate(w / 2, h / 2)
        canv.rotate(angle)
        line.draw(canv, 0, -size * 0.36, size, "centre")
        canv.endForm()
