"""From checked YAML mappings to models. Cross-references are checked later, in crossref.py."""
from __future__ import annotations

from ..errors import Problem
from .fields import SLUG, Fields
from .models import (ACTOR_KINDS, CONFIDENCE, FORMATS, LIKELIHOOD_ALIASES, LIKELIHOOD_SETS,
                     SIGNIFICANCE, Actor, Brief, Development, KeyJudgment, Origin, Relation, Scope,
                     Section, Settings, Source)
from .yamlpos import PosDict

_ALL_TERMS = tuple(t for terms in LIKELIHOOD_SETS for t in terms)

SOURCE_KEYS = ("id", "title", "publisher", "authors", "date", "url", "kind", "reliability")
ACTOR_KEYS = ("id", "name", "kind", "summary", "aliases", "country", "role", "relations",
              "sources", "updated")
RELATION_KEYS = ("actor", "type", "since", "note", "sources")
DEVELOPMENT_KEYS = ("id", "date", "title", "summary", "end", "actors", "location", "tags",
                    "significance", "sources")
BRIEF_KEYS = ("id", "title", "date", "subtitle", "short_title", "audience", "organisation", "authors", "template",
              "as_of", "marking", "bluf", "key_judgments", "scope", "sections", "recommendations",
              "distribution", "formats", "changes_since", "subject")
SCOPE_KEYS = ("actors", "tags", "since", "until", "min_significance")
JUDGMENT_KEYS = ("text", "likelihood", "confidence")
ACTOR_PROFILE = "actor-profile"  # the built-in template that needs a brief 'subject'
SETTINGS_KEYS = ("organisation", "marking", "theme", "paper")


class Parser:
    """Holds the problem and warning lists for one workspace load."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def fields(self, data: PosDict, path: str, what: str, keys: tuple[str, ...]) -> Fields:
        f = Fields(data, path, self.problems, what)
        f.check_keys(keys, self.warnings)
        return f

    def source(self, data: PosDict, path: str) -> Source:
        f = self.fields(data, path, "a source", SOURCE_KEYS)
        reliability = f.text("reliability").upper()
        if reliability and (len(reliability) != 1 or reliability not in "ABCDEF"):
            f.problem("reliability", f"reliability must be an Admiralty letter A to F, "
                                     f"not '{reliability}'")
            reliability = ""
        url = f.text("url")
        return Source(f.slug("id", True), f.text("title", True), Origin.of(data, path),
                      publisher=f.text("publisher"), authors=f.strings("authors"),
                      date=f.date("date"), url=url, kind=f.text("kind"), reliability=reliability)

    def actor(self, data: PosDict, path: str) -> Actor:
        f = self.fields(data, path, "an actor", ACTOR_KEYS)
        relations = []
        for item, line in f.mapping_list("relations"):
            r = self.fields(item, path, "a relation", RELATION_KEYS)
            relations.append(Relation(r.slug("actor", True), r.text("type", True), line,
                                      since=r.date("since"), note=r.markdown("note"),
                                      sources=r.source_refs()))
        country = f.text("country").upper()
        if country and not (len(country) == 2 and country.isalpha() and country.isascii()):
            f.problem("country", f"country must be an ISO 3166-1 alpha-2 code such as 'UZ', "
                                 f"not '{country}'")
        return Actor(f.slug("id", True), f.text("name", True),
                     f.choice("kind", ACTOR_KINDS, required=True),
                     f.markdown("summary", True), Origin.of(data, path),
                     aliases=f.strings("aliases"), country=country, role=f.text("role"),
                     relations=relations, sources=f.source_refs(), updated=f.date("updated"))

    def development(self, data: PosDict, path: str) -> Development:
        f = self.fields(data, path, "a development", DEVELOPMENT_KEYS)
        dev = Development(f.slug("id", True), f.date("date", True), f.text("title", True),
                          f.markdown("summary", True), Origin.of(data, path),
                          end=f.date("end"), actors=f.strings("actors"),
                          location=f.text("location"), tags=f.strings("tags"),
                          significance=f.choice("significance", SIGNIFICANCE, "medium"),
                          sources=f.source_refs())
        if dev.date and dev.end and dev.end.end < dev.date.start:
            f.problem("end", f"the end ({dev.end.iso()}) is before the date ({dev.date.iso()})")
        self._slugs(f, "tags", dev.tags)
        self._slugs(f, "actors", dev.actors)
        return dev

    def _slugs(self, f: Fields, key: str, values: list[str]) -> None:
        for value in values:
            if not SLUG.match(value):
                f.problem(key, f"'{value}' in '{key}' is not a valid id: use lowercase letters, "
                               "digits and hyphens")

    def brief(self, data: PosDict, path: str, default_id: str) -> Brief:
        f = self.fields(data, path, "a brief", BRIEF_KEYS)
        brief_id = f.slug("id") or default_id
        if "id" not in data:
            if not SLUG.match(brief_id):
                f.problem(None, f"the file name gives the brief id '{brief_id}', which is not a "
                                "valid id: rename the file (lowercase, digits, hyphens) or add "
                                "an 'id' field")
        brief = Brief(brief_id, f.text("title", True), f.date("date", True),
                      Origin.of(data, path), subtitle=f.text("subtitle"),
                      short_title=f.text("short_title"),
                      audience=f.text("audience"), organisation=f.text("organisation"),
                      authors=f.strings("authors"),
                      template=f.text("template") or "policy-brief", as_of=f.date("as_of"),
                      marking=self._marking(f), bluf=f.markdown("bluf"),
                      recommendations=f.markdown_list("recommendations"),
                      distribution=f.strings("distribution"))
        brief.key_judgments = self._judgments(f, path)
        brief.scope = self._scope(f, path)
        for item, line in f.mapping_list("sections"):
            s = self.fields(item, path, "a section", ("title", "body"))
            brief.sections.append(Section(s.text("title", True), s.markdown("body"), line))
        if "formats" in data:
            formats = [x.lower() for x in f.strings("formats")]
            for fmt in formats:
                if fmt not in FORMATS:
                    f.problem("formats", f"unknown format '{fmt}': use pdf and/or docx")
            brief.formats = [x for x in FORMATS if x in formats] or list(FORMATS)
        if brief.as_of and brief.date and brief.as_of.start > brief.date.end:
            f.problem("as_of", "as_of is after the issue date: a brief cannot use what happened "
                               "after it was issued")
        brief.changes_since = f.date("changes_since")
        if brief.changes_since and brief.date and brief.changes_since.start > brief.cutoff.end:
            f.problem("changes_since", "changes_since is after the brief's as_of date (or issue "
                                       "date): there can be no changes to list")
        brief.subject = f.slug("subject")
        if brief.template == ACTOR_PROFILE and not brief.subject:
            f.problem("template" if "template" in data else None,
                      "the actor-profile template needs a 'subject': the id of the actor the "
                      "brief is about")
        return brief

    def _marking(self, f: Fields) -> str:
        marking = f.text("marking")
        if marking.upper().startswith("TLP"):
            canonical = marking.upper().replace(" ", "")
            if canonical.startswith("TLP:") is False:
                canonical = "TLP:" + canonical[3:].lstrip(":-")
            if canonical not in ("TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT",
                                 "TLP:RED"):
                f.problem("marking", f"'{marking}' is not a TLP 2.0 label: use TLP:CLEAR, "
                                     "TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED")
            return canonical
        return marking

    def _judgments(self, f: Fields, path: str) -> list[KeyJudgment]:
        judgments = []
        used_sets = set()
        for item, line in f.mapping_list("key_judgments"):
            j = self.fields(item, path, "a key judgment", JUDGMENT_KEYS)
            likelihood = " ".join(j.text("likelihood").lower().split())
            likelihood = LIKELIHOOD_ALIASES.get(likelihood, likelihood)
            if likelihood and likelihood not in _ALL_TERMS:
                j.problem("likelihood", f"'{likelihood}' is not an ICD 203 likelihood term"
                                        f"{_suggest(likelihood)}")
                likelihood = ""
            for n, terms in enumerate(LIKELIHOOD_SETS):
                if likelihood in terms:
                    if used_sets and n not in used_sets:
                        j.problem("likelihood", f"'{likelihood}' comes from the other ICD 203 "
                                                "set: use one set of terms in a brief")
                    used_sets.add(n)
            judgments.append(KeyJudgment(j.markdown("text", True), line, likelihood,
                                         j.choice("confidence", CONFIDENCE),
                                         Origin.of(item, path)))
        return judgments

    def _scope(self, f: Fields, path: str) -> Scope:
        data = f.data.get("scope")
        if data is None:
            return Scope()
        if not isinstance(data, dict):
            f.problem("scope", "'scope' must be a mapping such as {since: 2021, tags: [terrorism]}")
            return Scope()
        s = self.fields(data, path, "a scope", SCOPE_KEYS)
        scope = Scope(s.strings("actors"), s.strings("tags"), s.date("since"), s.date("until"),
                      s.choice("min_significance", SIGNIFICANCE, "low"), Origin.of(data, path))
        if scope.since and scope.until and scope.until.end < scope.since.start:
            s.problem("until", "scope 'until' is before 'since': nothing would be in scope")
        return scope

    def settings(self, data: PosDict, path: str) -> Settings:
        f = self.fields(data, path, "the workspace settings", SETTINGS_KEYS)
        paper = f.text("paper")
        normalised = {"a4": "A4", "letter": "letter", "us-letter": "letter", "": ""}.get(
            paper.lower())
        if normalised is None:
            f.problem("paper", f"paper must be A4 or letter, not '{paper}'")
            normalised = ""
        return Settings(f.text("organisation"), self._marking(f), f.text("theme"), normalised)


def _suggest(term: str) -> str:
    import difflib
    close = difflib.get_close_matches(term, _ALL_TERMS, n=1, cutoff=0.5)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return hint + "; use one of: " + ", ".join(LIKELIHOOD_SETS[0]) + " (or the other set: " + \
        ", ".join(LIKELIHOOD_SETS[1]) + ")"
