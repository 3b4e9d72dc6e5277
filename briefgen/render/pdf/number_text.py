"""PDF number text, worked out once per number.

reportlab writes every coordinate, size and colour component through ``fp_str`` (a float to
the shortest of "%.0f" .. "%.6f", trailing zeros cut), 34,000 calls in the 300-development
brief and 6% of its render in pure Python (reportlab's C accelerator, ``rl_accel``, measured no
faster end to end). Most numbers recur: font sizes, margins, colour components, line
positions. ``remember_number_text`` puts a memo in front of reportlab's own function in the
modules that imported it, so the PDF's bytes are the same; equal numbers (1, 1.0) format alike in
reportlab too, so one entry serves both.

The memo is process-wide (a server's worker keeps it between renders) and bounded.
"""
from __future__ import annotations

import importlib
import threading

_KEPT = 100_000  # distinct numbers; an 87-page brief writes ~20,000
# the reportlab modules that call fp_str while a brief is drawn and saved
_USERS = ("reportlab.pdfgen.canvas", "reportlab.pdfgen.textobject", "reportlab.pdfgen.pathobject",
          "reportlab.pdfbase.pdfdoc", "reportlab.pdfbase.ttfonts", "reportlab.platypus.flowables",
          "reportlab.platypus.tables", "reportlab.lib.colors", "reportlab.graphics.shapes")
_lock = threading.Lock()
_installed: list[str] = []


def remember_number_text() -> list[str]:
    """Install the memo (once per process); returns the modules it went into."""
    with _lock:
        if not _installed:
            from reportlab.lib import rl_accel
            memo_fp_str = _memo(rl_accel.fp_str)
            for name in _USERS:
                module = importlib.import_module(name)
                if getattr(module, "fp_str", None) is rl_accel.fp_str:
                    module.fp_str = memo_fp_str
                    _installed.append(name)
        return list(_installed)


def _memo(fp_str):
    from reportlab.lib.utils import isSeq
    known: dict = {}

    def remembered_fp_str(*numbers):
        if len(numbers) == 1 and isSeq(numbers[0]):
            numbers = numbers[0]
        out = []
        for n in numbers:
            try:
                text = known.get(n)
            except TypeError:  # not a number: reportlab's own function says what is wrong
                return fp_str(*numbers)
            if text is None:
                text = fp_str(n)
                if len(known) >= _KEPT:
                    known.clear()
                known[n] = text
            out.append(text)
        return " ".join(out)

    remembered_fp_str.original = fp_str
    return remembered_fp_str
