"""The query options of a document request, checked: as_of, copy, watermark, paper."""
from __future__ import annotations

from dataclasses import dataclass

from ..build import brief_as_of, numbered_copy
from ..content.dates import FuzzyDate
from ..content.lookalike import banner_problem
from ..content.models import TLP_LABELS
from ..content.paper import PAPER_SIZES, paper_name
from ..errors import UsageError, shown

KNOWN = ("as_of", "copy", "watermark", "paper")
MAX_WATERMARK = 60


class BadRequest(Exception):
    """A query option the server cannot use (400)."""


@dataclass(frozen=True)
class Options:
    as_of: str = ""  # ISO fuzzy date, checked
    copy: int | None = None
    watermark: str = ""
    paper: str | None = None  # 'A4' or 'letter'


def parse_options(query, brief, extra: set[str] = frozenset()) -> Options:
    """Options from a request's query; ``brief`` (None for an ad-hoc one, checked later) bounds
    as_of and copy. Raises BadRequest with a message that says what to send instead."""
    for name in query.keys():
        if name not in KNOWN and name not in extra:
            raise BadRequest(f"unknown parameter {shown(name, 40)}: use "
                             f"{', '.join(sorted(set(KNOWN) | set(extra)))}")
    for name in set(query.keys()):
        if len(query.getlist(name)) > 1:
            raise BadRequest(f"parameter '{name}' given more than once")
    as_of = query.get("as_of")
    if as_of is not None:
        try:
            date = FuzzyDate.parse(as_of)
        except ValueError as exc:
            raise BadRequest(f"as_of: {exc}") from None
        if brief is not None:
            try:
                brief_as_of(brief, date, "as_of")
            except UsageError as exc:
                raise BadRequest(exc.problem.message) from None
        as_of = date.iso()
    copy = query.get("copy")
    if copy is not None:
        if not copy.isdigit() or not 0 < int(copy) < 10_000:
            raise BadRequest(f"copy must be a recipient's number (1, 2, ...), not "
                             f"{shown(copy, 40)}")
        copy = int(copy)
        if brief is not None:  # an ad-hoc brief's copy is checked when it is rendered
            try:
                numbered_copy(brief, copy)
            except UsageError as exc:
                raise BadRequest(exc.problem.message) from None
    watermark = " ".join(query.get("watermark", "").split())
    if len(watermark) > MAX_WATERMARK or not watermark.isprintable():
        raise BadRequest(f"watermark must be printable text of at most {MAX_WATERMARK} "
                         "characters")
    why = banner_problem(watermark, TLP_LABELS)  # it reads like a marking: the marking's rules
    if why:
        raise BadRequest(f"watermark {why}")
    paper = query.get("paper")
    if paper is not None:
        paper = paper_name(paper)
        if paper is None:
            raise BadRequest(f"paper must be {' or '.join(p.lower() for p in PAPER_SIZES)}")
    return Options(as_of or "", copy, watermark, paper)
