"""Typed content: what the YAML means once it has been checked.

Each item remembers the file and line it came from so later stages can point at it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .dates import FuzzyDate
from .yamlpos import PosList

ACTOR_KINDS = ("state", "organisation", "armed-group", "movement", "person", "other")
SIGNIFICANCE = ("low", "medium", "high")
CONFIDENCE = ("low", "moderate", "high")
FORMATS = ("pdf", "docx")
TLP_LABELS = ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED")

# ICD 203: two parallel vocabularies, one per probability band.
LIKELIHOOD_SETS = (
    ("almost no chance", "very unlikely", "unlikely", "roughly even chance", "likely",
     "very likely", "almost certain"),
    ("remote", "highly improbable", "improbable", "roughly even odds", "probable",
     "highly probable", "nearly certain"),
)
LIKELIHOOD_BANDS = ("01–05%", "05–20%", "20–45%", "45–55%", "55–80%", "80–95%", "95–99%")
LIKELIHOOD_ALIASES = {"almost certainly": "almost certain"}


class Md(str):
    """Text that is Markdown on purpose: templates insert it without escaping."""

    __slots__ = ()


@dataclass
class Origin:
    """Where an item came from, down to the line of each field and list item."""

    path: str
    line: int
    fields: dict = field(default_factory=dict)  # key -> line of its value
    items: dict = field(default_factory=dict)  # key -> [line of each list item]

    @classmethod
    def of(cls, data, path: str) -> "Origin":
        items = {k: v.lines for k, v in data.items() if isinstance(v, PosList)}
        return cls(path, data.line, dict(data.lines), items)

    def at(self, key: str, index: int | None = None) -> int:
        if index is not None and index < len(self.items.get(key, ())):
            return self.items[key][index]
        return self.fields.get(key, self.line)


@dataclass
class SourceRef:
    source: str
    credibility: int | None = None
    locator: str = ""
    line: int = 0


@dataclass
class Source:
    id: str
    title: str
    origin: Origin
    publisher: str = ""
    authors: list[str] = field(default_factory=list)
    date: FuzzyDate | None = None
    url: str = ""
    kind: str = ""
    reliability: str = ""


@dataclass
class Relation:
    actor: str
    type: str
    line: int
    since: FuzzyDate | None = None
    note: Md = Md("")
    sources: list[SourceRef] = field(default_factory=list)


@dataclass
class Actor:
    id: str
    name: str
    kind: str
    summary: Md
    origin: Origin
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    role: str = ""
    relations: list[Relation] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    updated: FuzzyDate | None = None


@dataclass
class Development:
    id: str
    date: FuzzyDate
    title: str
    summary: Md
    origin: Origin
    end: FuzzyDate | None = None
    actors: list[str] = field(default_factory=list)
    location: str = ""
    tags: list[str] = field(default_factory=list)
    significance: str = "medium"
    sources: list[SourceRef] = field(default_factory=list)

    @property
    def last_day(self):
        return (self.end or self.date).end


@dataclass
class KeyJudgment:
    text: Md
    line: int
    likelihood: str = ""
    confidence: str = ""
    origin: Origin | None = None  # lines of the judgment's own fields (text, likelihood, ...)

    @property
    def text_line(self) -> int:
        """The line of the judgment's text (of its first line, for a block scalar)."""
        return self.origin.at("text") if self.origin else self.line

    @property
    def band(self) -> str:
        for terms in LIKELIHOOD_SETS:
            if self.likelihood in terms:
                return LIKELIHOOD_BANDS[terms.index(self.likelihood)]
        return ""


@dataclass
class Scope:
    actors: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    since: FuzzyDate | None = None
    until: FuzzyDate | None = None
    min_significance: str = "low"
    origin: Origin | None = None


@dataclass
class Section:
    title: str
    body: Md
    line: int


@dataclass
class Brief:
    id: str
    title: str
    date: FuzzyDate
    origin: Origin
    subtitle: str = ""
    short_title: str = ""  # running heads; not in the v1 contract, optional
    audience: str = ""
    organisation: str = ""
    authors: list[str] = field(default_factory=list)
    template: str = "policy-brief"
    as_of: FuzzyDate | None = None
    marking: str = ""
    bluf: Md = Md("")
    key_judgments: list[KeyJudgment] = field(default_factory=list)
    scope: Scope = field(default_factory=Scope)
    sections: list[Section] = field(default_factory=list)
    recommendations: list[Md] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=lambda: list(FORMATS))
    changes_since: FuzzyDate | None = None  # adds "What has changed since <date>"
    subject: str = ""  # actor id the brief is about (actor-profile); narrows the developments

    @property
    def cutoff(self) -> FuzzyDate:
        return self.as_of or self.date


@dataclass
class Settings:
    organisation: str = ""
    marking: str = ""
    theme: str = ""  # a built-in theme name or a theme file path; "" = the default theme
    paper: str = ""  # A4 or letter; "" = the theme's paper


@dataclass
class Corpus:
    settings: Settings
    actors: dict[str, Actor]
    developments: dict[str, Development]
    sources: dict[str, Source]
    briefs: dict[str, Brief]
