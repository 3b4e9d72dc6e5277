"""The variables a template sees. Documented for template authors in docs/templates.md."""
from __future__ import annotations

from . import periods
from .citations import Citations
from ..content.models import Actor, Corpus, Md, SourceRef
from ..document.nodes import CopyInfo
from .select import Selection, incoming_relations

KIND_LABELS = {"state": "State", "organisation": "Organisation", "armed-group": "Armed group",
               "movement": "Movement", "person": "Person", "other": "Other"}


class PageLimit:
    """``{{ page_limit(1) }}`` in a template: the build fails when the PDF has more pages."""

    def __init__(self):
        self.pages: int | None = None

    def __call__(self, pages) -> Md:
        if isinstance(pages, bool) or not isinstance(pages, int) or pages < 1:
            raise ValueError(f"page_limit needs a whole number of pages (1 or more), not {pages!r}")
        self.pages = pages
        return Md("")


def template_context(corpus: Corpus, selection: Selection, copy: CopyInfo | None = None) -> dict:
    brief = selection.brief
    citations = Citations(corpus.sources, brief.cutoff.end)

    def cite(refs: list[SourceRef]) -> Md:
        """Footnote marks; the sources block defines them with note_definitions()."""
        return Md("".join(f"[^{n}]" for n in citations.cite(refs)))

    def figure(kind: str, caption: str = "", alt: str = "") -> Md:
        """A figure drawn from the brief's data; left out when there is too little to draw.
        ``alt`` replaces the description generated from the data."""
        # The caption sits in the directive line and the alt text in an "alt:" line; neither
        # is parsed as Markdown.
        alt = " ".join(str(alt).split())
        return Md(f"::: figure {' '.join(str(kind).split())} {' '.join(str(caption).split())}"
                  + (f"\nalt: {alt}" if alt else "") + "\n:::\n")

    def actor_name(actor_id: str) -> str:
        actor = corpus.actors.get(actor_id)
        return actor.name if actor else actor_id

    def relations(actor: Actor):
        return selection.relations.get(actor.id, [])

    def developments_by_year():
        years: dict[int, list] = {}
        for dev in selection.developments:
            years.setdefault(dev.date.year, []).append(dev)
        return list(years.items())

    def developments_by_period(unit: str | None = None):
        """(label, developments) by week when the brief's period is under two months, else by
        month; or by the unit asked for ("week", "month", "year")."""
        devs = selection.developments
        unit = unit or periods.grouping_unit(*periods.brief_period(brief, devs))
        return periods.group_by_period(devs, unit)

    def top_developments(n: int = 5):
        """The n most significant developments (the most recent first among equals), by date."""
        return periods.top_developments(selection.developments, n)

    def relations_to(actor: Actor):
        """(other actor, relation) for each relation another actor holds towards this one."""
        return incoming_relations(corpus, actor.id, brief.cutoff.end)

    return {
        "brief": brief,
        "subject": selection.subject,
        "changes": periods.changed_since(selection.developments, brief.changes_since),
        "updated_actors": periods.updated_since(selection.actors, brief.changes_since,
                                                brief.cutoff),
        "developments_by_period": developments_by_period,
        "top_developments": top_developments,
        "relations_to": relations_to,
        "page_limit": PageLimit(),
        "organisation": brief.organisation or corpus.settings.organisation,
        "marking": brief.marking or corpus.settings.marking,
        "developments": selection.developments,
        "developments_by_year": developments_by_year,
        "actors": selection.actors,
        "relations": relations,
        "actor_name": actor_name,
        "kind_label": lambda kind: KIND_LABELS.get(kind, kind),
        "cite": cite,
        "cited_sources": citations.listing,
        "figure": figure,
        "copy": copy,
    }
