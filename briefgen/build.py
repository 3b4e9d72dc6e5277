"""One brief from workspace to files: select, render the template, parse, render each format."""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from .content.fields import did_you_mean
from .content.models import Brief
from .content.workspace import Workspace, brief_for_path
from .context import template_context
from .document import CopyInfo, Document, DocumentInfo
from .errors import BriefgenError, Problem, UsageError
from .glyphs import coverage_warnings
from .figure_data import figure_source
from .markup import parse_markdown
from .output import write_atomic
from .select import select
from .templating import TemplateRenderer
from .theme import Theme, default_theme


@dataclass
class BuiltFile:
    brief_id: str
    format: str
    path: Path


@dataclass
class BriefResult:
    files: list[BuiltFile]
    warnings: list[Problem]


def resolve_briefs(workspace: Workspace, refs: list[str]) -> list[Brief]:
    """Brief ids or paths to brief files -> briefs; no refs means every brief."""
    briefs = workspace.corpus.briefs
    if not refs:
        return [briefs[k] for k in sorted(briefs)]
    chosen = []
    for ref in refs:
        brief = briefs.get(ref)
        if brief is None and Path(ref).is_file():
            brief = brief_for_path(workspace, Path(ref))
        if brief is None:
            known = ", ".join(sorted(briefs)) or "none"
            raise UsageError(f"no brief '{ref}'{did_you_mean(ref, briefs)}; briefs in this "
                             f"workspace: {known}")
        if brief not in chosen:
            chosen.append(brief)
    return chosen


def creation_time(brief: Brief) -> dt.datetime:
    """SOURCE_DATE_EPOCH when set, else the brief's date: a rebuild is byte-identical either way."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, "
                             f"not '{epoch}'") from None
    start = brief.date.start
    return dt.datetime(start.year, start.month, start.day, tzinfo=dt.timezone.utc)


@dataclass
class BuildOptions:
    formats: list[str] | None = None  # None: the brief's own formats
    copies: bool = False  # one numbered file per recipient of the distribution
    watermark: str = ""
    paper: str | None = None  # None: the workspace setting


def brief_markdown(workspace: Workspace, brief: Brief, renderer: TemplateRenderer,
                   copy: CopyInfo | None = None) -> tuple[str, dict]:
    """The template's Markdown for a brief, and the context it was rendered with."""
    selection = select(workspace.corpus, brief)
    context = template_context(workspace.corpus, selection, copy)
    markdown = renderer.render(brief.template, context, brief.origin.path)
    return markdown, {"selection": selection, **context}


def document_for(workspace: Workspace, brief: Brief, renderer: TemplateRenderer,
                 copy: CopyInfo | None = None, watermark: str = "") -> Document:
    markdown, context = brief_markdown(workspace, brief, renderer, copy)
    selection = context["selection"]
    tags = brief.scope.tags or sorted({t for d in selection.developments for t in d.tags})
    info = DocumentInfo(title=brief.title, subtitle=brief.subtitle, date=brief.date.long(),
                        organisation=context["organisation"], authors=list(brief.authors),
                        marking=context["marking"], brief_id=brief.id, audience=brief.audience,
                        short_title=brief.short_title, copy=copy, watermark=watermark,
                        keywords=tags[:12])
    return parse_markdown(markdown, info, origin=f"output of template '{brief.template}'",
                          figures=figure_source(workspace.corpus, selection))


def theme_for(workspace: Workspace, paper: str | None = None) -> Theme:
    return default_theme(paper or workspace.corpus.settings.paper)


def render(document: Document, fmt: str, theme: Theme, created: dt.datetime) -> bytes:
    # Imported here so that `briefgen validate` and `--help` never load reportlab or python-docx.
    if fmt == "pdf":
        from .render.pdf import render_pdf
        return render_pdf(document, theme, created)
    from .render.docx import render_docx
    return render_docx(document, theme, created)


def copies_of(brief: Brief) -> list[CopyInfo]:
    if not brief.distribution:
        raise BriefgenError("numbered copies need a distribution list: add 'distribution:' with "
                            "one recipient per line to the brief", brief.origin.path,
                            brief.origin.line)
    total = len(brief.distribution)
    return [CopyInfo(n, total, who) for n, who in enumerate(brief.distribution, 1)]


def content_of(workspace: Workspace, brief: Brief) -> list:
    """Every content item whose text can reach this brief's pages."""
    selection = select(workspace.corpus, brief)
    items = [brief, *selection.developments, *selection.actors]
    source_ids = {ref.source for item in items for ref in getattr(item, "sources", [])}
    source_ids |= {ref.source for a in selection.actors for r in a.relations for ref in r.sources}
    return items + [workspace.corpus.sources[s] for s in sorted(source_ids)
                    if s in workspace.corpus.sources]


def build_brief(workspace: Workspace, brief: Brief, options: BuildOptions, out_dir: Path,
                renderer: TemplateRenderer | None = None) -> BriefResult:
    renderer = renderer or TemplateRenderer(workspace.templates_dir)
    theme = theme_for(workspace, options.paper)
    created = creation_time(brief)
    formats = options.formats or brief.formats
    copies: list[CopyInfo | None] = copies_of(brief) if options.copies else [None]
    # Render everything before writing anything, so a failure leaves no half-built set behind.
    outputs = []
    for copy in copies:
        document = document_for(workspace, brief, renderer, copy, options.watermark)
        stem = f"{brief.id}-copy-{copy.number}" if copy else brief.id
        outputs += [(fmt, out_dir / f"{stem}.{fmt}", render(document, fmt, theme, created))
                    for fmt in formats]
    built = []
    for fmt, path, data in outputs:
        write_atomic(path, data)
        built.append(BuiltFile(brief.id, fmt, path))
    return BriefResult(built, coverage_warnings(content_of(workspace, brief), theme))
