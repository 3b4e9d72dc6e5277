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
import string

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


# --- calls: text methods and filters that pad or repeat to a size given as an argument -------

# Largest width a template may pad text to ("{:>40}", 'x'.center(60), |indent(4)): wider than
# any page, far below what would take gigabytes.
MAX_WIDTH = 9_999
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
_DIGITS = re.compile(r"\d{5,}")


def _too_wide(what: str) -> SecurityError:
    return SecurityError(f"{what}: templates pad or indent text to at most {MAX_WIDTH:,} "
                         "characters")


def check_call(obj: object, args: tuple, kwargs: dict) -> None:
    """Refuse a call on a text method whose result the arguments make huge:
    ``'x'.center(10**9)`` allocates a gigabyte in one C call, before any limit could see it."""
    owner = getattr(obj, "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    if name in _PADDING_METHODS:
        width = args[0] if args else next(iter(kwargs.values()), 0)
        if _is_int(width) and width > MAX_WIDTH:
            raise _too_wide(f"'{name}({width})'")
    elif name == "replace" and len(args) >= 2:
        _check_replace(owner, args[0], args[1])


def _check_replace(text: object, old: object, new: object) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        hits = len(text) + 1 if not old else text.count(old)
        if len(text) + hits * len(new) > MAX_REPEAT_ITEMS:
            raise SecurityError(f"'replace' makes a text too long: templates make texts of at "
                                f"most {MAX_REPEAT_ITEMS:,} characters this way")


def check_format(fmt: str, args: tuple, kwargs: dict) -> None:
    """``'{:999999999}'.format(x)``: refuse a format spec wider than MAX_WIDTH. A spec built
    from the arguments (``'{0:{1}}'``) is judged by them: no number over the bound among them."""
    nested = False
    for spec in _specs(fmt):
        if "{" in spec:
            nested = True
        elif _DIGITS.search(spec):
            raise _too_wide(f"the format '{{:{spec}}}'")
    if nested:
        values = list(args) + list(kwargs.values())
        if isinstance(kwargs.get("__map__"), dict):
            values += list(kwargs["__map__"].values())
        for value in values:
            if (_is_int(value) and abs(value) > MAX_WIDTH) or (
                    isinstance(value, str) and _DIGITS.search(value)):
                raise _too_wide("a format width taken from the arguments")


def _specs(fmt: str, depth: int = 0):
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself reports the malformed string
    for _, field, spec, _ in parsed:
        if field is not None and spec:
            yield spec
            if depth < 2:
                yield from _specs(spec, depth + 1)


def bounded_filters(filters: dict) -> None:
    """Wrap Jinja's filters that pad or format to a size given in the template."""
    center, indent, fmt = filters["center"], filters["indent"], filters["format"]
    replace = filters["replace"]

    def do_center(value, width=80):
        if _is_int(width) and width > MAX_WIDTH:
            raise _too_wide(f"'center({width})'")
        return center(value, width)

    def do_indent(value, width=4, *args, **kwargs):
        size = width if _is_int(width) else len(width) if isinstance(width, str) else 0
        if size > MAX_WIDTH:
            raise _too_wide("'indent' with that width")
        return indent(value, width, *args, **kwargs)

    def do_format(value, *args, **kwargs):
        if isinstance(value, str) and _wide(value):
            raise _too_big("format with a width or precision over 9,999 (or '*')")
        return fmt(value, *args, **kwargs)

    def do_replace(eval_ctx, value, old, new, *args):
        _check_replace(str(value), str(old), str(new))
        return replace(eval_ctx, value, old, new, *args)
    do_replace.jinja_pass_arg = replace.jinja_pass_arg

    filters.update(center=do_center, indent=do_indent, format=do_format, replace=do_replace)
