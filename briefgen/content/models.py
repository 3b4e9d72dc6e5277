"""Typed content: what the YAML means once it has been checked.

Each item remembers the file and line it came from so later stages can point at it.
"""
from __future__ import annotations

from dataclasses import Field, dataclass, field

from . import spec
from .dates import FuzzyDate
from .spec import declare
from .yamlpos import PosList

ACTOR_KINDS = ("state", "organisation", "armed-group", "movement", "person", "other")
SIGNIFICANCE = ("low", "medium", "high")
CONFIDENCE = ("low", "moderate", "high")
FORMATS = ("pdf", "docx", "html")
DEFAULT_FORMATS = ("pdf", "docx")  # a brief without 'formats:' (HTML only when asked for)
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


# Every field of a content file is declared here, once: see spec.py for what is derived.
ID_DOC = "An id: lowercase letters, digits and hyphens."
SOURCES_DOC = "Source ids, or {source, credibility, locator} mappings."
MARKING_DOC = ("Printed on every page: TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT, "
               "TLP:RED, or any other banner text.")
ITEM_MARKING_DOC = ("How the item may be shared: a TLP 2.0 label or one of the workspace's "
                    "'markings'. A brief that prints it must be marked at least as restrictively.")
UPSTREAM_DOC = ("The item's id in the data it was imported from (an ACLED event_id_cnty, a STIX "
                "id): briefgen import sets it and derives the id from it.")
LIKELIHOOD_DOC = ("ICD 203 likelihood: " + ", ".join(LIKELIHOOD_SETS[0]) + " (or: " +
                  ", ".join(LIKELIHOOD_SETS[1]) + ").")


def _sources() -> Field:
    return declare(spec.SOURCE_REFS, SOURCES_DOC, default_factory=list)


def _item_marking() -> Field:
    return declare(spec.MARKING, ITEM_MARKING_DOC, default="")


def _upstream() -> Field:
    return declare(spec.TEXT, UPSTREAM_DOC, default="")


@dataclass
class SourceRef:
    noun = "a source ref"
    source: str = declare(spec.TEXT, "Source id.", required=True)
    credibility: int | None = declare(spec.CREDIBILITY,
                                      "Admiralty information credibility, 1 to 6.", default=None)
    locator: str = declare(spec.TEXT, "Where in the source, e.g. p. 4.", default="")
    line: int = 0


@dataclass
class Source:
    noun = "a source"
    id: str = declare(spec.SLUG, ID_DOC, required=True)
    title: str = declare(spec.TEXT, "The source's title.", required=True)
    origin: Origin
    publisher: str = declare(spec.TEXT, "Who published it.", default="")
    authors: list[str] = declare(spec.STRINGS, "Authors.", default_factory=list)
    date: FuzzyDate | None = declare(spec.DATE, "Publication date.", default=None)
    url: str = declare(spec.TEXT, "Where it can be read.", default="")
    kind: str = declare(spec.TEXT, "report, article, statement, ...", default="")
    reliability: str = declare(spec.RELIABILITY, "Admiralty source reliability, A to F.",
                               default="")
    marking: str = _item_marking()
    upstream_id: str = _upstream()


@dataclass
class Relation:
    noun = "a relation"
    actor: str = declare(spec.SLUG, "The related actor's id.", required=True)
    type: str = declare(spec.TEXT, "The relation, a short phrase: member of, rival of, ...",
                        required=True)
    line: int
    since: FuzzyDate | None = declare(spec.DATE, "Since when: 2021, 2021-08 or 2021-08-15.",
                                      default=None)
    note: Md = declare(spec.MARKDOWN, "A note on the relation.", default=Md(""))
    sources: list[SourceRef] = _sources()


@dataclass
class Actor:
    noun = "an actor"
    id: str = declare(spec.SLUG, ID_DOC, required=True)
    name: str = declare(spec.TEXT, "The actor's name.", required=True)
    kind: str = declare(spec.CHOICE, "What kind of actor.", required=True, choices=ACTOR_KINDS)
    summary: Md = declare(spec.MARKDOWN, "Who the actor is.", required=True)
    origin: Origin
    aliases: list[str] = declare(spec.STRINGS, "Other names, in any script.",
                                 default_factory=list)
    country: str = declare(spec.COUNTRY, "ISO 3166-1 alpha-2 code, e.g. UZ.", default="")
    role: str = declare(spec.TEXT, "One line: a person's title and affiliation.", default="")
    relations: list[Relation] = declare(spec.MAPPINGS, "Relations to other actors.",
                                        of=Relation, default_factory=list)
    sources: list[SourceRef] = _sources()
    updated: FuzzyDate | None = declare(spec.DATE, "When the profile was last reviewed.",
                                        default=None)
    marking: str = _item_marking()
    upstream_id: str = _upstream()


@dataclass
class Development:
    noun = "a development"
    id: str = declare(spec.SLUG, ID_DOC, required=True)
    date: FuzzyDate = declare(spec.DATE, "When it happened.", required=True)
    title: str = declare(spec.TEXT, "A one-line title.", required=True)
    summary: Md = declare(spec.MARKDOWN, "What happened.", required=True)
    origin: Origin
    end: FuzzyDate | None = declare(spec.DATE, "When it ended, for a development that spans "
                                    "time.", default=None)
    actors: list[str] = declare(spec.SLUGS, "Ids of the actors involved.", default_factory=list)
    location: str = declare(spec.TEXT, "Where.", default="")
    tags: list[str] = declare(spec.SLUGS, "Tags (slugs).", default_factory=list)
    significance: str = declare(spec.CHOICE, "low, medium (default) or high.",
                                choices=SIGNIFICANCE, default="medium")
    sources: list[SourceRef] = _sources()
    marking: str = _item_marking()
    upstream_id: str = _upstream()

    @property
    def last_day(self):
        return (self.end or self.date).end


@dataclass
class KeyJudgment:
    noun = "a key judgment"
    text: Md = declare(spec.MARKDOWN, "The judgment.", required=True)
    line: int
    likelihood: str = declare(spec.LIKELIHOOD, LIKELIHOOD_DOC, default="")
    confidence: str = declare(spec.CHOICE, "Confidence: low, moderate or high.",
                              choices=CONFIDENCE, default="")
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
    noun = "a scope"
    actors: list[str] = declare(spec.STRINGS, "Developments involving any of these actors "
                                "(their profiles are added too).", default_factory=list)
    profiles: list[str] = declare(spec.SLUGS, "Ids of actors whose profiles are added, without "
                                  "narrowing the developments.", default_factory=list)
    tags: list[str] = declare(spec.STRINGS, "Developments carrying any of these tags.",
                              default_factory=list)
    since: FuzzyDate | None = declare(spec.DATE, "Start of the period.", default=None)
    until: FuzzyDate | None = declare(spec.DATE, "End of the period.", default=None)
    min_significance: str = declare(spec.CHOICE, "Least significance in scope.",
                                    choices=SIGNIFICANCE, default="low")
    origin: Origin | None = None


@dataclass
class Section:
    noun = "a section"
    title: str = declare(spec.TEXT, "Section heading.", required=True)
    body: Md = declare(spec.MARKDOWN, "The section's text.")
    line: int


@dataclass
class Brief:
    noun = "a brief"
    # not required in YAML: the file name gives it (parse.py)
    id: str = declare(spec.SLUG, "The brief's id (default: the file name).")
    title: str = declare(spec.TEXT, "The brief's title.", required=True)
    date: FuzzyDate = declare(spec.DATE, "Issue date.", required=True)
    origin: Origin
    subtitle: str = declare(spec.TEXT, "A line under the title.", default="")
    # running heads; not in the v1 contract, optional
    short_title: str = declare(spec.TEXT, "For running heads.", default="")
    audience: str = declare(spec.TEXT, "Who the brief is for.", default="")
    organisation: str = declare(spec.TEXT, "Who issues the brief.", default="")
    authors: list[str] = declare(spec.STRINGS, "Authors.", default_factory=list)
    template: str = declare(spec.TEXT, "Template name (default policy-brief).",
                            default="policy-brief")
    as_of: FuzzyDate | None = declare(spec.DATE, "Nothing dated after this is used (default: "
                                      "date).", default=None)
    marking: str = declare(spec.MARKING, MARKING_DOC, default="")
    bluf: Md = declare(spec.MARKDOWN, "Bottom line up front.", default=Md(""))
    key_judgments: list[KeyJudgment] = declare(spec.MAPPINGS, "Key judgments.", of=KeyJudgment,
                                               default_factory=list)
    scope: Scope = declare(spec.MAPPING, "Which developments the brief covers.", of=Scope,
                           example="{since: 2021, tags: [terrorism]}", default_factory=Scope)
    sections: list[Section] = declare(spec.MAPPINGS, "Sections of free text.", of=Section,
                                      default_factory=list)
    recommendations: list[Md] = declare(spec.MARKDOWN_LIST, "Recommendations (Markdown), one "
                                        "per item.", default_factory=list)
    distribution: list[str] = declare(spec.STRINGS, "Recipients; numbered copies per "
                                      "recipient.", default_factory=list)
    formats: list[str] = declare(spec.FORMATS, "pdf, docx and/or html (default pdf and "
                                 "docx).", default_factory=lambda: list(DEFAULT_FORMATS))
    changes_since: FuzzyDate | None = declare(spec.DATE, "Adds what has changed since this "
                                              "date.", default=None)
    language: str = declare(spec.LANGUAGE, "The language the brief is written in, as a BCP 47 "
                            "tag such as en, en-GB, ps or fa-AF (default: the workspace's, "
                            "else en).", default="")
    # the actor id the brief is about (actor-profile); narrows the developments
    subject: str = declare(spec.SLUG, "Id of the actor the brief is about (actor-profile).",
                           default="")

    @property
    def cutoff(self) -> FuzzyDate:
        return self.as_of or self.date


@dataclass
class Settings:
    noun = "the workspace settings"
    organisation: str = declare(spec.TEXT, "Printed on every brief.", default="")
    marking: str = declare(spec.MARKING, MARKING_DOC, default="")
    # "" = the default theme
    theme: str = declare(spec.TEXT, "A built-in theme name or a theme file path (.yaml).",
                         default="")
    paper: str = declare(spec.PAPER, "A4 or letter.", default="")  # "" = the theme's paper
    language: str = declare(spec.LANGUAGE, "The language briefs are written in (BCP 47, such "
                            "as en-GB or fa-AF) unless a brief says otherwise (default: en).",
                            default="")
    markings: list[str] = declare(spec.STRINGS, "The organisation's own marking levels, least "
                                  "restrictive first, to compare item and brief markings.",
                                  default_factory=list)


@dataclass
class Corpus:
    settings: Settings
    actors: dict[str, Actor]
    developments: dict[str, Development]
    sources: dict[str, Source]
    briefs: dict[str, Brief]
