"""The HTML output's one stylesheet, made from the theme: colours, families, sizes, paper.

Families are named, not embedded: a browser draws with the theme's family where it is installed
(DejaVu by default, on most Linux desktops) and with the generic family after it elsewhere.
Every value that comes from the theme is checked or reduced to characters that cannot end a CSS
string or the ``<style>`` element (a family name is a font file's own name, which anyone can
write).

Screen: one readable column. Print (``@media print`` and ``@page``): the theme's paper and
margins, the marking repeated at the top and foot of every page (page margin boxes, which
Chromium 131+ and WeasyPrint print; the banners at the top and the foot of the document print in
any browser), page numbers in the page's margin, page breaks where the PDF has them.
"""
from __future__ import annotations

import re

from ...errors import BriefgenError
from ...theme.model import Theme, marking_colours

_HEX = re.compile(r"#[0-9A-Fa-f]{6}")
# FontFamily.name of the built-in families is the PostScript-style name reportlab uses
_FAMILY_NAMES = {"DejaVuSerif": "DejaVu Serif", "DejaVuSans": "DejaVu Sans",
                 "DejaVuSansMono": "DejaVu Sans Mono"}
_UNSAFE_NAME = re.compile(r"[^\w \-.]")
BANNER_COLOUR = "#9B1C1C"  # a free-text marking's banner, as in the PDF
WARNING_FILL, WARNING_RULE = "#FFF4D6", "#D98E04"


def colour(value: str, what: str) -> str:
    if not isinstance(value, str) or not _HEX.fullmatch(value):
        raise BriefgenError(f"theme: '{what}' must be a colour written #rrggbb, not {value!r}")
    return value.upper()


def family(fam, generic: str) -> str:
    """A CSS font-family list: the theme family's name, quoted, then ``generic``."""
    name = getattr(fam, "name", "")
    name = _FAMILY_NAMES.get(name, name) if isinstance(name, str) else ""
    name = " ".join(_UNSAFE_NAME.sub("", name).split())
    return f'"{name}", {generic}' if name else generic


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string: every character but ASCII letters, digits, space and
    ``:+-/._`` as a hexadecimal escape, so nothing in it can end the string or the stylesheet."""
    out = []
    for ch in " ".join(text.split()):
        if ch.isascii() and (ch.isalnum() or ch in " :+-/._"):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'


def _pt(v: float) -> str:
    return f"{float(v):.2f}".rstrip("0").rstrip(".") + "pt"


def _em(size: float, base: float) -> str:
    return f"{size / base:.3f}".rstrip("0").rstrip(".") + "em"


def stylesheet(theme: Theme, marking: str) -> str:
    t = theme
    c = {name: colour(getattr(t, name), name) for name in (
        "text_colour", "heading_colour", "accent_colour", "muted_colour", "callout_fill",
        "table_header_fill", "table_header_text", "table_stripe_fill", "link_colour")}
    tlp = marking_colours(marking) if marking else None
    mark_fg, mark_bg = tlp if tlp else ("#FFFFFF", BANNER_COLOUR)
    body = float(t.body_size)
    heads = "".join(f"h{n}{{font-size:{_em(size, body)}}}"
                    for n, size in enumerate(t.heading_sizes[:6], 1))
    paper = "A4" if t.paper == "A4" else "letter"
    running = ""
    if marking:
        # literal colours: the page context does not inherit the root's custom properties
        box = (f"content:{css_string(marking)};background:{mark_bg};color:{mark_fg};"
               f"font-family:{family(t.heading_font, 'sans-serif')};font-weight:bold;"
               f"font-size:{_pt(t.small_size + 1)}")
        # a band of about 18 pt, in the middle of the margin, not the margin's whole height
        top, bottom = (_pt(max(0.0, (m - 18) / 2)) for m in (t.margin_top, t.margin_bottom))
        running = (f"@top-center{{{box};margin:{top} 0;padding:0 6pt}}"
                   f"@bottom-center{{{box};margin:{bottom} 0;padding:0 6pt}}")
    return f"""\
:root{{--text:{c['text_colour']};--heading:{c['heading_colour']};--accent:{c['accent_colour']};\
--muted:{c['muted_colour']};--fill:{c['callout_fill']};--head-fill:{c['table_header_fill']};\
--head-text:{c['table_header_text']};--stripe:{c['table_stripe_fill']};--link:{c['link_colour']};\
--mark-fg:{mark_fg};--mark-bg:{mark_bg}}}
html{{color:var(--text);background:#FFFFFF}}
body{{margin:0;font-family:{family(t.body_font, "serif")};font-size:{_pt(body * 1.3)};\
line-height:{float(t.leading) / body:.3f}}}
main,.cover,.copy{{max-width:44em;margin:0 auto;padding:0 1.25em}}
h1,h2,h3,h4,h5,h6,.subtitle,.organisation,caption,figcaption,th,.contents,.marking{{\
font-family:{family(t.heading_font, "sans-serif")}}}
h1,h2,h3,h4,h5,h6{{color:var(--heading);line-height:1.25;margin:1.2em 0 .4em}}
{heads}
a{{color:var(--link)}}
code,pre{{font-family:{family(t.mono_font, "monospace")};font-size:{_em(t.small_size + 1, body)}}}
pre{{white-space:pre-wrap;overflow-wrap:break-word;background:var(--stripe);padding:.6em .8em}}
p,li,td,th{{overflow-wrap:break-word}}
.marking{{background:var(--mark-bg);color:var(--mark-fg);text-align:center;font-weight:bold;\
font-size:{_pt(t.marking_size)};padding:.2em .5em;margin:0}}
.cover{{border-bottom:2px solid var(--accent);padding-bottom:1em;margin-bottom:1.5em}}
.organisation{{font-weight:bold;color:var(--heading);border-bottom:1px solid var(--muted);\
padding-bottom:.3em}}
.logo{{height:44pt;width:auto;max-width:100%}}
.subtitle{{font-style:italic;font-size:{_em(t.heading_sizes[2], body)};color:var(--muted)}}
.titleblock{{border-bottom:2px solid var(--accent);margin-bottom:1em}}
.copy{{font-family:{family(t.heading_font, "sans-serif")};color:var(--muted);\
border-left:3px solid var(--accent);padding-left:.6em}}
.box{{margin:1em 0;padding:.6em 1em;border-left:4px solid var(--accent)}}
.box>:first-child{{margin-top:0}}.box>:last-child{{margin-bottom:0}}
.bluf{{background:var(--fill);border:1px solid var(--accent);border-left-width:4px}}
.note{{background:var(--fill);border-left-color:var(--muted)}}
.warning{{background:{WARNING_FILL};border:1px solid {WARNING_RULE};border-left-width:4px}}
.judgment{{border:1px solid var(--muted);border-left:4px solid var(--muted)}}
blockquote{{margin:1em 0;padding:0 1em;border-left:3px solid var(--muted)}}
table{{border-collapse:collapse;margin:1em 0;font-size:{_em(t.small_size + 1, body)};\
border-bottom:1.5px solid var(--accent)}}
th{{background:var(--head-fill);color:var(--head-text);text-align:left}}
th,td{{padding:.3em .5em;vertical-align:top}}
tbody tr:nth-child(even){{background:var(--stripe)}}
.al-left{{text-align:left}}.al-center{{text-align:center}}.al-right{{text-align:right}}
figure{{margin:1.2em 0}}
figure svg{{display:block;width:100%;height:auto}}
figcaption{{font-size:{_em(t.small_size + 1, body)};color:var(--muted)}}
img{{max-width:100%;height:auto}}
hr{{border:0;border-top:1px solid var(--muted);margin:1.2em 0}}
li>p{{margin:.2em 0}}
li[dir=rtl]{{margin-right:2.5em}}
.contents ol{{list-style:none;padding-left:0}}.contents ol ol{{padding-left:1.5em}}
.notes{{font-size:{_em(t.small_size + 1, body)}}}
sup{{line-height:0}}
.watermark{{position:fixed;top:45%;left:0;right:0;text-align:center;transform:rotate(-35deg);\
font-family:{family(t.heading_font, "sans-serif")};font-size:64pt;font-weight:bold;\
color:#8A9099;opacity:.16;pointer-events:none;z-index:1;white-space:nowrap}}
.page-break{{display:none}}
@page{{size:{paper};margin:{_pt(t.margin_top)} {_pt(t.margin_right)} {_pt(t.margin_bottom)} \
{_pt(t.margin_left)};{running}@bottom-right{{content:counter(page) " / " counter(pages);\
font-size:{_pt(t.small_size)}}}}}
@media print{{
body{{font-size:{_pt(body)}}}
main,.cover,.copy{{max-width:none;padding:0}}
.cover{{break-after:page;border:0}}
.page-break{{display:block;break-after:page}}
h1,h2,h3,h4,h5,h6{{break-after:avoid}}
figure,tr,.box{{break-inside:avoid}}
a{{color:inherit;text-decoration:none}}
}}
"""
