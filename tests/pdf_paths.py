"""The vector paths a PDF page paints, read from its content stream: what a reader sees drawn.

Only what the relation map tests need: path construction (m, l, c, v, y, re, h), painting
(S, s, f, F, f*, B, B*, b, b*, n), the transformation matrix (q, Q, cm), line width and RGB or
grey colours. Points are in page space (points, y up).
"""
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream


@dataclass
class PaintedPath:
    subpaths: list[list[tuple[float, float]]]
    stroke: tuple[float, float, float] | None  # None: not stroked
    fill: tuple[float, float, float] | None  # None: not filled
    width: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        pts = [p for sp in self.subpaths for p in sp]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)


_NUMERIC = {"cm", "w", "RG", "rg", "G", "g", "m", "l", "c", "v", "y", "re"}


def _mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def page_paths(reader: PdfReader, index: int) -> list[PaintedPath]:
    page = reader.pages[index]
    content = ContentStream(page.get_contents(), reader)
    ctm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    stack = []
    state = {"stroke": (0.0, 0.0, 0.0), "fill": (0.0, 0.0, 0.0), "width": 1.0}
    subpaths: list[list[tuple[float, float]]] = []
    out: list[PaintedPath] = []

    def pt(x, y):
        a, b, c, d, e, f = ctm
        return (a * x + c * y + e, b * x + d * y + f)

    for operands, op in content.operations:
        op = op.decode("latin-1") if isinstance(op, bytes) else op
        nums = [float(v) for v in operands] if op in _NUMERIC else []
        if op == "q":
            stack.append((ctm, dict(state)))
        elif op == "Q":
            ctm, state = stack.pop()
        elif op == "cm":
            ctm = _mul(tuple(nums), ctm)
        elif op == "w":
            state["width"] = nums[0] * abs(ctm[0])
        elif op == "RG":
            state["stroke"] = tuple(nums)
        elif op == "rg":
            state["fill"] = tuple(nums)
        elif op == "G":
            state["stroke"] = (nums[0],) * 3
        elif op == "g":
            state["fill"] = (nums[0],) * 3
        elif op == "m":
            subpaths.append([pt(*nums)])
        elif op == "l":
            subpaths[-1].append(pt(*nums))
        elif op in ("c", "v", "y"):
            for i in range(0, len(nums), 2):
                subpaths[-1].append(pt(nums[i], nums[i + 1]))
        elif op == "re":
            x, y, w, h = nums
            subpaths.append([pt(x, y), pt(x + w, y), pt(x + w, y + h), pt(x, y + h), pt(x, y)])
        elif op == "h":
            if subpaths and subpaths[-1]:
                subpaths[-1].append(subpaths[-1][0])
        elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
            if op in ("s", "b", "b*"):
                for sp in subpaths:
                    sp.append(sp[0])
            stroked = op in ("S", "s", "B", "B*", "b", "b*")
            filled = op in ("f", "F", "f*", "B", "B*", "b", "b*")
            if op != "n" and subpaths:
                out.append(PaintedPath(subpaths, state["stroke"] if stroked else None,
                                       state["fill"] if filled else None, state["width"]))
            subpaths = []
    return out
