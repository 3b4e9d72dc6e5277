"""From checked YAML mappings to models: each model's declared fields (models.py) are read by
values.py; what is checked here involves two fields or more. Cross-references are checked later,
in crossref.py."""
from __future__ import annotations

from ..errors import Problem, shown
from .fields import MAX_ID, SLUG, Fields, not_an_id
from .models import LIKELIHOOD_SETS, Actor, Brief, Development, Settings, Source
from .values import load
from .yamlpos import PosDict

ACTOR_PROFILE = "actor-profile"  # the built-in template that needs a brief 'subject'


class Parser:
    """Holds the problem and warning lists for one workspace load."""

    def __init__(self):
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def source(self, data: PosDict, path: str) -> Source:
        return load(Source, data, path, self.problems, self.warnings)[0]

    def actor(self, data: PosDict, path: str) -> Actor:
        return load(Actor, data, path, self.problems, self.warnings)[0]

    def development(self, data: PosDict, path: str) -> Development:
        dev, f = load(Development, data, path, self.problems, self.warnings)
        if dev.date and dev.end and dev.end.end < dev.date.start:
            f.problem("end", f"the end ({dev.end.iso()}) is before the date ({dev.date.iso()})")
        return dev

    def brief(self, data: PosDict, path: str, default_id: str) -> Brief:
        if "id" not in data and len(default_id) > MAX_ID:
            self.problems.append(Problem(
                f"the file name gives the brief id {shown(default_id)}, {len(default_id)} "
                f"characters long: an id may have at most {MAX_ID} (ids name the output "
                "files); rename the file or add a shorter 'id' field", path, data.line))
        elif "id" not in data and not SLUG.match(default_id):
            self.problems.append(Problem(
                f"the file name gives the brief id '{default_id}', which is not a valid id"
                f"{not_an_id(default_id)}: "
                "rename the file (lowercase, digits, hyphens) or add an 'id' field",
                path, data.line))
        brief, f = load(Brief, data, path, self.problems, self.warnings)
        brief.id = brief.id or default_id
        self._likelihood_sets(f, brief)
        scope = brief.scope
        if scope.since and scope.until and scope.until.end < scope.since.start:
            f.problem("scope", "scope 'until' is before 'since': nothing would be in scope",
                      scope.origin.at("until"))
        if brief.as_of and brief.date and brief.as_of.start > brief.date.end:
            f.problem("as_of", "as_of is after the issue date: a brief cannot use what happened "
                               "after it was issued")
        if brief.changes_since and brief.date and brief.changes_since.start > brief.cutoff.end:
            f.problem("changes_since", "changes_since is after the brief's as_of date (or issue "
                                       "date): there can be no changes to list")
        if brief.template == ACTOR_PROFILE and not brief.subject:
            f.problem("template" if "template" in data else None,
                      "the actor-profile template needs a 'subject': the id of the actor the "
                      "brief is about")
        return brief

    def _likelihood_sets(self, f: Fields, brief: Brief) -> None:
        """ICD 203 has two sets of terms: a brief uses the set of its first judgment."""
        used_sets = set()
        for judgment in brief.key_judgments:
            for n, terms in enumerate(LIKELIHOOD_SETS):
                if judgment.likelihood in terms:
                    if used_sets and n not in used_sets:
                        f.problem("key_judgments", f"'{judgment.likelihood}' comes from the "
                                  "other ICD 203 set: use one set of terms in a brief",
                                  judgment.origin.at("likelihood"))
                    used_sets.add(n)

    def settings(self, data: PosDict, path: str) -> Settings:
        return load(Settings, data, path, self.problems, self.warnings)[0]
