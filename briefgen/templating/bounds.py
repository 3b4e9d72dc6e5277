"""Arithmetic and repetition in templates, bounded before Python computes them.

The time limit cannot stop one long C call (``7 ** 200000000`` or ``[0] * 10**8`` run for
minutes or take gigabytes inside a single bytecode), so the sandbox checks the size of the
result from the operands first. Intercepted operators are also never folded at compile time,
which is where ``{{ 10 ** 5000 }}`` used to be computed, outside any limit.
"""
from __future__ import annotations

import math
import operator
import re

from jinja2.sandbox import SecurityError

# About 1,200 digits: far more than any count, year or percentage a brief prints, and below
# Python's 4,300-digit limit for printing an integer.
MAX_INT_BITS = 4_000
# Items of a list or characters of a string made by ``*`` (the template output has its own bound).
MAX_REPEAT_ITEMS = 1_000_000

_PRINTF_WIDTH = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")

BINOPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
          "//": operator.floordiv, "%": operator.mod, "**": operator.pow}


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _too_big(what: str) -> SecurityError:
    return SecurityError(f"{what}: templates compute with numbers of at most "
                         f"{MAX_INT_BITS * 3 // 10:,} digits and repeat at most "
                         f"{MAX_REPEAT_ITEMS:,} items")


def _check_operands(op: str, left: object, right: object) -> None:
    if op == "**" and _is_int(left) and _is_int(right) and right > 0 and abs(left) > 1:
        if right * math.log2(abs(left)) > MAX_INT_BITS:
            raise _too_big(f"{op!s} gives a number too large to print")
    elif op == "*":
        if _is_int(left) and _is_int(right):
            if left.bit_length() + right.bit_length() > MAX_INT_BITS + 1:
                raise _too_big("* gives a number too large to print")
        else:
            seq, times = (left, right) if _is_int(right) else (right, left)
            if _is_int(times) and hasattr(seq, "__len__") and len(seq) * times > MAX_REPEAT_ITEMS:
                raise _too_big("* repeats a list or text too many times")
    elif op in ("+", "-") and _is_int(left) and _is_int(right):
        if max(left.bit_length(), right.bit_length()) > MAX_INT_BITS:
            raise _too_big(f"{op} gives a number too large to print")
    elif op == "%" and isinstance(left, str):
        # printf-style widths ('%0999999999d') build the text before any limit could see it
        if _wide(left):
            raise _too_big("% formats with a width or precision over 9,999 (or '*')")


def _wide(fmt: str) -> bool:
    return any(g and (g == "*" or len(g) > 4) for m in _PRINTF_WIDTH.finditer(fmt)
               for g in m.groups())


def binop(op: str, left: object, right: object) -> object:
    _check_operands(op, left, right)
    return BINOPS[op](left, right)
