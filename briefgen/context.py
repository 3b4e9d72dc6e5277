"""The variables a template sees. Documented for template authors in docs/templates.md."""
from __future__ import annotations

from .citations import Citations
from .content.models import Actor, Corpus, Md, SourceRef
from .document import CopyInfo
from .select import Selection

KIND_LABELS = {"state": "State", "organisation": "Organisation", "armed-group": "Armed group",
               "movement": "Movement", "person": "Person", "other": "Other"}


def template_context(corpus: Corpus, selection: Selection, copy: CopyInfo | None = None) -> dict:
    brief = selection.brief
    citations = Citations(corpus.sources)

    def cite(refs: list[SourceRef]) -> Md:
        """Footnote marks; the sources block defines them with note_definitions()."""
        return Md("".join(f"[^{n}]" for n in citations.cite(refs)))

    def figure(kind: str, caption: str = "") -> Md:
        """A figure drawn from the brief's data; left out when there is too little to draw."""
        # The caption sits in the directive line, which is not parsed as Markdown.
        return Md(f"::: figure {' '.join(str(kind).split())} {' '.join(str(caption).split())}"
                  "\n:::\n")

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

    return {
        "brief": brief,
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
