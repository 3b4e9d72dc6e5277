"""Numbered citations, in order of first citation in the rendered text."""
from __future__ import annotations

from dataclasses import dataclass, field

from .content.models import Source, SourceRef


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
    def __init__(self, sources: dict[str, Source]):
        self._sources = sources
        self._cited: dict[str, CitedSource] = {}

    def cite(self, refs: list[SourceRef]) -> list[int]:
        numbers = []
        for ref in refs:
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
