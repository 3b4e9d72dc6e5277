"""Numbered citations, in order of first citation in the rendered text."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..content.models import Source, SourceRef


@dataclass
class CitedSource:
    number: int
    source: Source
    credibility: list[int] = field(default_factory=list)  # every credibility digit given

    @property
    def grade(self) -> str:
        """Admiralty grade: reliability letter plus the credibility digit, when given."""
        letter = self.source.reliability
        if not letter and not self.credibility:
            return ""
        digits = sorted(set(self.credibility))
        if len(digits) > 1:
            return f"{letter}{digits[0]}–{digits[-1]}"
        return f"{letter}{digits[0] if digits else ''}"


class Citations:
    """Numbers sources as they are first cited.

    A source dated after ``cutoff`` (the brief's as_of day) was not available at that time: it is
    neither cited nor listed. Undated sources are always usable.
    """

    def __init__(self, sources: dict[str, Source], cutoff: datetime.date | None = None):
        self._sources = sources
        self._cutoff = cutoff
        self._cited: dict[str, CitedSource] = {}

    def usable(self, source_id: str) -> bool:
        source = self._sources.get(source_id)
        if source is None:
            return False
        return not (self._cutoff and source.date and source.date.start > self._cutoff)

    def cite(self, refs: list[SourceRef]) -> list[int]:
        numbers = []
        for ref in refs:
            if not self.usable(ref.source):
                continue
            entry = self._cited.get(ref.source)
            if entry is None:
                entry = CitedSource(len(self._cited) + 1, self._sources[ref.source])
                self._cited[ref.source] = entry
            if ref.credibility:
                entry.credibility.append(ref.credibility)
            if entry.number not in numbers:
                numbers.append(entry.number)
        return sorted(numbers)

    def listing(self) -> list[CitedSource]:
        return list(self._cited.values())
