"""One brief from workspace to files: select, render the template, parse, render each format."""
from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .scope.checks import check_brief
from .scope.markings import brief_marking_problems
from .content.fields import SLUG, did_you_mean
from .content.dates import FuzzyDate
from .content.models import FORMATS, Brief
from .loading import Workspace, brief_for_path
from .scope.context import template_context
from .document.nodes import CopyInfo, Document, DocumentInfo
from .pictures import FiguresBeside
from .errors import BriefgenError, ContentError, OutputError, Problem, UsageError, shown
from .fonts.coverage import text_fields
from .theme.coverage import coverage_warnings
from .document.alttext import images_without_alt
from .document.images import ImageResolver
from .figures.data import figure_source
from .document.markdown import TooMuchError, parse_markdown
from .document.resolve import resolve
from .output import write_all_atomic
from .workspace_paths import display_path, leads_outside
from .scope.select import select
from .templating.environment import TemplateRenderer
from .theme.model import Theme, with_paper


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
    copy: int | None = None  # only the numbered copy for this recipient (1-based)
    watermark: str = ""
    paper: str | None = None  # None: the workspace setting
    strict: bool = False  # warnings (estimative language, glyphs) are errors: nothing is written
    # --as-of: the brief as of this date for this run (its own as_of replaced); the output
    # files are named <id>@<date> so that builds as of other dates are kept
    as_of: FuzzyDate | None = None


def brief_as_of(brief: Brief, as_of: FuzzyDate | None, name: str = "--as-of") -> Brief:
    """The brief with ``as_of`` for its own (a copy; None: the brief itself), checked as the
    brief file's as_of is; a refusal names the option or parameter ``name`` it came from."""
    if as_of is None:
        return brief
    if as_of.start > brief.date.end:
        raise UsageError(f"{name} {as_of.iso()} is after the issue date of brief '{brief.id}' "
                         f"({brief.date.long()}): a brief cannot use what happened after it was "
                         f"issued; give {brief.date.iso()} or earlier", brief.origin.path,
                         brief.origin.at("date"))
    if brief.changes_since and brief.changes_since.start > as_of.end:
        raise UsageError(f"{name} {as_of.iso()} is before the changes_since date of brief "
                         f"'{brief.id}' ({brief.changes_since.long()}): there could be no "
                         f"changes to list; give {brief.changes_since.iso()} or later",
                         brief.origin.path, brief.origin.at("changes_since"))
    return dataclasses.replace(brief, as_of=as_of)


def output_name(brief_id: str, fmt: str, as_of: str = "", copy: int | None = None) -> str:
    """<id>[@<as_of>][-copy-<n>].<fmt>: builds as of other dates and the numbered copies of a
    brief are kept side by side; ``as_of`` is an ISO date."""
    stem = brief_id + (f"@{as_of}" if as_of else "")
    return stem + (f"-copy-{copy}" if copy else "") + f".{fmt}"


def brief_markdown(workspace: Workspace, brief: Brief, renderer: TemplateRenderer,
                   copy: CopyInfo | None = None) -> tuple[str, dict]:
    """The template's Markdown for a brief, and the context it was rendered with."""
    selection = select(workspace.corpus, brief)
    context = template_context(workspace.corpus, selection, copy)
    markdown = renderer.render(brief.template, context, brief.origin.path)
    return markdown, {"selection": selection, **context}


def document_for(workspace: Workspace, brief: Brief, renderer: TemplateRenderer,
                 copy: CopyInfo | None = None, watermark: str = "") -> Document:
    return prepared_document(workspace, brief, renderer, copy, watermark)[0]


def prepared_document(workspace: Workspace, brief: Brief, renderer: TemplateRenderer,
                      copy: CopyInfo | None = None, watermark: str = "",
                      images: ImageResolver | None = None) -> tuple[Document, int | None]:
    """The resolved document, and the page limit its template set with ``{{ page_limit(n) }}``.

    ``images`` resolves Markdown images (default: against the workspace folder); it records the
    images it refused."""
    markdown, context = brief_markdown(workspace, brief, renderer, copy)
    selection = context["selection"]
    tags = brief.scope.tags or sorted({t for d in selection.developments for t in d.tags})
    info = DocumentInfo(title=brief.title, subtitle=brief.subtitle, date=brief.date.long(),
                        organisation=context["organisation"], authors=list(brief.authors),
                        marking=context["marking"], brief_id=brief.id, audience=brief.audience,
                        short_title=brief.short_title, copy=copy, watermark=watermark,
                        keywords=tags[:12], page_limit=context["page_limit"].pages or 0,
                        language=brief.language or workspace.corpus.settings.language or "en")
    try:
        document = parse_markdown(markdown, info, origin=template_origin(brief),
                                  figures=figure_source(workspace.corpus, selection),
                                  images=images or ImageResolver(workspace.root))
    except TooMuchError as e:
        # the template may add citation marks ([^n]) after the analyst's text
        path, line = content_place(content_of(workspace, brief),
                                   re.sub(r"\[\^\d+\]", "", e.text).strip())
        if path is None:
            raise
        raise BriefgenError(e.problem.message, path, line) from None
    # the renderers draw only what resolve settled, so the PDF and the DOCX cannot disagree
    return resolve(document), context["page_limit"].pages


def template_origin(brief: Brief) -> str:
    return f"output of template '{brief.template}'"


def content_place(items: list, snippet: str) -> tuple[str | None, int | None]:
    """The file and line of the first content field of ``items`` (a brief's ``content_of``)
    that holds ``snippet``."""
    if snippet:
        for item in items:
            for name, text, index in text_fields(item):
                if snippet in text:
                    return item.origin.path, item.origin.at(name, index)
    return None, None


def image_warnings(items: list, brief: Brief, images: ImageResolver) -> list[Problem]:
    """A warning for each image not embedded, at the content file and line that names it (else
    at the line of the template's output)."""
    problems = []
    for src, why, line in images.refused:
        path, at = content_place(items, src)
        if path is None:
            path, at = template_origin(brief), line or None
        problems.append(Problem(f"image {shown(src)} {why}; it is not embedded (its alt text "
                                "prints instead)", path, at))
    return problems


def alt_warnings(items: list, brief: Brief, document: Document,
                 images: ImageResolver) -> list[Problem]:
    """A warning for each embedded image without alt text, at the content file and line that
    names it (else at the line of the template's output)."""
    problems: list[Problem] = []
    blocks = ([document.cover] if document.cover else []) + document.children
    for node in images_without_alt(blocks):
        src = images.source_of(node.path)
        path, at = content_place(items, f"![]({src})")
        if path is None:
            path, at = content_place(items, src)
        if path is None:
            path, at = template_origin(brief), node.line or None
        problem = Problem(f"image {shown(src)} has no alt text: a reader who cannot see it is "
                          f"told nothing; say what it shows in the brackets, e.g. "
                          f"![Map of the border crossings]({src})", path, at)
        if problem not in problems:
            problems.append(problem)
    return problems


def theme_for(workspace: Workspace, paper: str | None = None) -> Theme:
    """The workspace's theme (loaded with the content); paper: --paper, else the settings',
    else the theme's own."""
    paper = paper or workspace.corpus.settings.paper
    return with_paper(workspace.theme, paper) if paper else workspace.theme


def render(document: Document, fmt: str, theme: Theme, created: dt.datetime
           ) -> tuple[bytes, int | None]:
    """The file's bytes, and its number of pages where the renderer knows it (PDF)."""
    # Imported here so that `briefgen validate` and `--help` never load reportlab or python-docx.
    if fmt == "pdf":
        from .render.pdf.render import render_pdf_pages
        return render_pdf_pages(document, theme, created)
    if fmt == "html":
        from .render.html.render import render_html
        return render_html(document, theme, created), None
    from .render.docx.render import render_docx
    with FiguresBeside(document, theme) as pictures:
        return render_docx(document, theme, created, pictures), None


def copies_of(brief: Brief) -> list[CopyInfo]:
    if not brief.distribution:
        raise BriefgenError("numbered copies need a distribution list: add 'distribution:' with "
                            "one recipient per line to the brief", brief.origin.path,
                            brief.origin.line)
    total = len(brief.distribution)
    return [CopyInfo(n, total, who) for n, who in enumerate(brief.distribution, 1)]


def numbered_copy(brief: Brief, number: int, name: str = "copy") -> CopyInfo:
    """The numbered copy for the ``number``-th recipient of the distribution; UsageError
    naming the parameter (``name``) when there is no such recipient."""
    total = len(brief.distribution)
    if not total:
        raise UsageError(f"brief '{brief.id}' has no distribution list, so no numbered copies")
    if not 0 < number <= total:
        raise UsageError(f"brief '{brief.id}' has {total} recipient(s): {name} must be 1 to "
                         f"{total}")
    return CopyInfo(number, total, brief.distribution[number - 1])


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
    warnings: list[Problem] = []
    try:
        return _build_brief(workspace, brief, options, out_dir, renderer, warnings)
    except BriefgenError as exc:
        if not (options.strict and set(exc.problems) == set(warnings)):
            exc.warnings = warnings + exc.warnings  # the failure hides none of them
        raise


def _build_brief(workspace: Workspace, brief: Brief, options: BuildOptions, out_dir: Path,
                 renderer: TemplateRenderer | None, warnings: list[Problem]) -> BriefResult:
    """``build_brief``, adding the warnings to ``warnings`` as they are found."""
    if not SLUG.match(brief.id) or any(f not in FORMATS for f in options.formats or ()):
        # file names come from checked ids and formats only: never a path out of out_dir
        raise UsageError(f"cannot name output files after brief id {shown(brief.id)} and "
                         f"formats {shown(options.formats)}", brief.origin.path)
    if out_dir == workspace.output_dir:  # named with -o, a folder anywhere is meant
        why = leads_outside(out_dir, workspace.root, "briefgen writes into the workspace's own "
                            "output folder only; remove the link, or choose a folder with -o")
        if why:
            raise OutputError(f"the output folder is refused: {why}", display_path(out_dir))
    outputs = rendered_files(workspace, brief, options, renderer, warnings)
    # All or nothing: a file that cannot be written leaves every previous file as it was.
    write_all_atomic([(out_dir / name, data) for _, name, data in outputs])
    return BriefResult([BuiltFile(brief.id, fmt, out_dir / name) for fmt, name, _ in outputs],
                       warnings)


def rendered_files(workspace: Workspace, brief: Brief, options: BuildOptions,
                   renderer: TemplateRenderer | None, warnings: list[Problem]
                   ) -> list[tuple[str, str, bytes]]:
    """(format, file name, bytes) of every file of a brief, written nowhere; the warnings are
    added to ``warnings`` as they are found."""
    brief = brief_as_of(brief, options.as_of)
    if workspace.corpus.briefs.get(brief.id) is not brief:
        # loading checked the brief files as they are; --as-of or a posted brief selects others
        problems = brief_marking_problems(workspace.corpus, brief)
        if problems:
            raise ContentError(problems)
    renderer = renderer or TemplateRenderer(workspace.templates_dir)
    theme = theme_for(workspace, options.paper)
    created = creation_time(brief)
    formats = options.formats or brief.formats
    copies: list[CopyInfo | None] = copies_of(brief) if options.copies else [None]
    if options.copy:
        copies = [numbered_copy(brief, options.copy)]
    warnings += check_brief(brief)
    if options.strict and warnings:
        raise ContentError(warnings)
    # Render everything before writing anything, so a failure leaves no half-built set behind.
    outputs = []
    images = ImageResolver(workspace.root)
    for n, copy in enumerate(copies):
        if n:
            # A render leaves its canvas, doc template and flowables in reference cycles
            # (~200,000 objects at 300 developments); freed before the next copy, eight numbered
            # copies of that brief peak at 140 MB instead of 274 MB, in the same time. (After
            # the last copy it is the caller's choice: a server collects after replying.)
            gc.collect()
        document, page_limit = prepared_document(workspace, brief, renderer, copy,
                                                 options.watermark, images)
        as_of = options.as_of.iso() if options.as_of else ""
        rendered = [(fmt, output_name(brief.id, fmt, as_of, copy.number if copy else None),
                     *render(document, fmt, theme, created)) for fmt in formats]
        if page_limit:
            # The PDF is the reference for pagination, also when only DOCX is asked for.
            pages = next((n for fmt, _, _, n in rendered if fmt == "pdf"), None)
            if pages is None:
                pages = render(document, "pdf", theme, created)[1]
            check_page_limit(brief, pages, page_limit)
        outputs += [(fmt, name, data) for fmt, name, data, _ in rendered]
    items = content_of(workspace, brief)  # once: each lookup below scans its fields
    warnings += coverage_warnings(items, theme)
    warnings += image_warnings(items, brief, images)
    warnings += alt_warnings(items, brief, document, images)  # the same in every copy
    if options.strict and warnings:
        raise ContentError(warnings)
    return outputs


def check_page_limit(brief: Brief, pages: int, limit: int) -> None:
    if pages <= limit:
        return
    what = f"the {brief.template}" if brief.template else "the brief"
    room = "one page" if limit == 1 else f"{limit} pages"
    raise BriefgenError(f"{what} does not fit on {room} ({pages} pages): shorten the bottom line "
                        "or key judgments; nothing was written", brief.origin.path,
                        brief.origin.line)
