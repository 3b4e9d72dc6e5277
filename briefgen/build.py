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
from .document import Document, DocumentInfo
from .errors import UsageError
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


def document_for(workspace: Workspace, brief: Brief, renderer: TemplateRenderer) -> Document:
    corpus = workspace.corpus
    selection = select(corpus, brief)
    context = template_context(corpus, selection)
    markdown = renderer.render(brief.template, context, brief.origin.path)
    info = DocumentInfo(title=brief.title, subtitle=brief.subtitle, date=brief.date.long(),
                        organisation=context["organisation"], authors=list(brief.authors),
                        marking=context["marking"], brief_id=brief.id)
    return parse_markdown(markdown, info, origin=f"output of template '{brief.template}'")


def theme_for(workspace: Workspace) -> Theme:
    return default_theme(workspace.corpus.settings.paper)


def render(document: Document, fmt: str, theme: Theme, created: dt.datetime) -> bytes:
    # Imported here so that `briefgen validate` and `--help` never load reportlab or python-docx.
    if fmt == "pdf":
        from .render.pdf import render_pdf
        return render_pdf(document, theme, created)
    from .render.docx import render_docx
    return render_docx(document, theme, created)


def build_brief(workspace: Workspace, brief: Brief, formats: list[str] | None, out_dir: Path,
                renderer: TemplateRenderer | None = None) -> list[BuiltFile]:
    renderer = renderer or TemplateRenderer(workspace.templates_dir)
    document = document_for(workspace, brief, renderer)
    theme = theme_for(workspace)
    created = creation_time(brief)
    built = []
    # Render every format before writing any, so a failure leaves no half-built set behind.
    outputs = [(fmt, render(document, fmt, theme, created)) for fmt in (formats or brief.formats)]
    for fmt, data in outputs:
        path = out_dir / f"{brief.id}.{fmt}"
        write_atomic(path, data)
        built.append(BuiltFile(brief.id, fmt, path))
    return built
