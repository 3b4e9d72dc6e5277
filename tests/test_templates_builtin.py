"""The four built-in templates, built from the sample workspace and read back as a reader sees
them (PDF text per page, DOCX body text); plus as_of, changes_since, period grouping and the
one-pager's page limit on small workspaces."""
import re
import zipfile

import pytest
from click.testing import CliRunner

from briefgen.scope import periods
from briefgen.build import brief_markdown
from briefgen.scope.citations import Citations
from briefgen.cli import main
from briefgen.content.models import SourceRef
from briefgen.loading import load_workspace
from briefgen.scope.context import template_context
from briefgen.scope.select import select
from briefgen.templating.environment import TemplateRenderer
from tests.conftest import REPO
from tests.readers import docx_text, pdf_pages

TEMPLATES = {"policy-brief": "afghanistan-central-asia", "situation-report": "sitrep-sept-2024",
             "actor-profile": "profile-isis-k", "one-pager": "one-pager-2024"}


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("builtin")
    result = run("build", *TEMPLATES.values(), "-w", str(REPO), "-o", str(out), "-f", "all")
    assert result.exit_code == 0, result.output
    ws = load_workspace(REPO)
    texts = {b: (" ".join(pdf_pages(out / f"{b}.pdf")), docx_text(out / f"{b}.docx"))
             for b in TEMPLATES.values()}
    return out, ws, texts


def markdown_of(ws, brief_id: str) -> str:
    return brief_markdown(ws, ws.corpus.briefs[brief_id], TemplateRenderer(ws.templates_dir))[0]


def test_each_template_has_a_sample_brief():
    ws = load_workspace(REPO)
    used = {b.template for b in ws.corpus.briefs.values()}
    assert set(TEMPLATES) <= used
    for template, brief_id in TEMPLATES.items():
        assert ws.corpus.briefs[brief_id].template == template


@pytest.mark.parametrize("template", list(TEMPLATES))
def test_every_template_builds_both_formats(sample, template):
    out, ws, texts = sample
    brief_id = TEMPLATES[template]
    assert (out / f"{brief_id}.pdf").stat().st_size > 1000
    assert (out / f"{brief_id}.docx").stat().st_size > 1000
    brief = ws.corpus.briefs[brief_id]
    for text in texts[brief_id]:
        assert brief.title in text
        # each key judgment: its text, its term with the band, its confidence
        for kj in brief.key_judgments:
            assert " ".join(kj.text.split()) in text
            assert f"{kj.likelihood.capitalize()} ({kj.band})" in text
            assert kj.confidence in text.lower()


def test_figures_are_in_both_formats(sample):
    out, _, texts = sample
    expected = {"afghanistan-central-asia": 2, "sitrep-sept-2024": 1, "profile-isis-k": 2}
    for brief_id, count in expected.items():
        pdf, docx = texts[brief_id]
        for text in (pdf, docx):
            assert len(re.findall(r"Figure \d+", text)) >= count, brief_id
        with zipfile.ZipFile(out / f"{brief_id}.docx") as z:
            images = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(images) >= count, brief_id


# --- situation report ------------------------------------------------------------------------

def test_situation_report_groups_by_month_and_has_an_outlook(sample):
    _, ws, texts = sample
    md = markdown_of(ws, "sitrep-sept-2024")
    assert re.findall(r"^### (.+)$", md, re.M) == ["July 2024", "September 2024"]
    for text in texts["sitrep-sept-2024"]:
        assert "Bottom line" in text and "Outlook" in text
        assert text.index("Developments") < text.index("Outlook") < text.index("Sources")
        assert "Trans-Afghan railway" not in text  # out of the scope's tags


def context_for(workspace, brief_yaml: str, extra=None):
    root = workspace({"content/briefs/main.yaml": brief_yaml, **(extra or {})})
    ws = load_workspace(root)
    return ws, template_context(ws.corpus, select(ws.corpus, ws.corpus.briefs["main"]))


WEEKLY_DEVS = {"content/developments/week.yaml": """
    - {id: talks-a, date: 2024-09-03, title: Talks A, summary: s}
    - {id: talks-b, date: 2024-09-10, end: 2024-09-12, title: Talks B, summary: s}
    - {id: talks-c, date: 2024-09-08, title: Talks C, summary: s}
    """}


def test_a_period_under_two_months_groups_by_week(workspace):
    _, ctx = context_for(workspace, "title: t\ndate: 2024-09-30\nscope: {since: 2024-08-15}\n",
                         WEEKLY_DEVS)
    groups = [(label, [d.id for d in devs]) for label, devs in ctx["developments_by_period"]()]
    assert groups == [
        ("September 2024 (no exact date)", ["summit-2024"]),  # month precision: no week
        ("Week of 2 September 2024", ["talks-a", "talks-c"]),  # weeks start on Monday
        ("Week of 9 September 2024", ["talks-b"]),
    ]


def test_two_months_or_more_group_by_month(workspace):
    _, ctx = context_for(workspace, "title: t\ndate: 2024-09-30\nscope: {since: 2024-07-31}\n",
                         WEEKLY_DEVS)
    groups = [(label, [d.id for d in devs]) for label, devs in ctx["developments_by_period"]()]
    assert groups == [("September 2024", ["summit-2024", "talks-a", "talks-c", "talks-b"])]
    groups = [g.label for g in ctx["developments_by_period"]("year")]
    assert groups == ["2024"]


def test_period_helpers():
    import datetime as dt
    assert periods.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert periods.grouping_unit(dt.date(2024, 8, 1), dt.date(2024, 9, 30)) == "week"
    assert periods.grouping_unit(dt.date(2024, 8, 1), dt.date(2024, 10, 1)) == "month"


# --- actor profile ---------------------------------------------------------------------------

def test_actor_profile_shows_the_subject_its_relations_both_ways_and_its_developments(sample):
    _, ws, texts = sample
    subject = ws.corpus.actors["isis-k"]
    own = {d.id for d in ws.corpus.developments.values() if "isis-k" in d.actors}
    for text in texts["profile-isis-k"]:
        assert "Profile: Islamic State Khorasan Province" in text
        for alias in ("ISKP", "ИГИЛ-Хорасан", "Вилаят Хорасан"):
            assert alias in text
        assert "Branch of Islamic State since 2015" in text  # its own relation
        # incoming: the Taliban's relation towards ISIS-K, with its note
        assert "Taliban armed conflict with Islamic State Khorasan Province since August 2021" \
            in text
        assert "The only militant group the Taliban actively fight" in text
        assert "Timeline" in text
        for dev in ws.corpus.developments.values():
            assert (dev.title in text) == (dev.id in own), dev.id
    assert subject.summary.split(".")[0] in texts["profile-isis-k"][0]


def test_actor_profile_needs_a_known_subject(workspace):
    root = workspace({"content/briefs/main.yaml": "title: t\ndate: 2024-10-01\n"
                                                  "template: actor-profile\n"})
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert "main.yaml:3: the actor-profile template needs a 'subject'" in result.output
    root = workspace({"content/briefs/main.yaml": "title: t\ndate: 2024-10-01\n"
                                                  "template: actor-profile\nsubject: talibann\n"})
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert "main.yaml:4: unknown actor 'talibann' in the subject of brief 'main' (did you mean " \
           "'taliban'?)" in result.output


def test_relations_to_lists_incoming_relations(workspace):
    ws, ctx = context_for(workspace, "title: t\ndate: 2024-10-01\nsubject: sco\n")
    incoming = [(a.id, r.type) for a, r in ctx["relations_to"](ws.corpus.actors["sco"])]
    assert incoming == [("uzbekistan", "member of")]
    assert ctx["subject"].id == "sco"
    assert [d.id for d in ctx["developments"]] == ["summit-2024"]  # only the subject's
    ws, ctx = context_for(workspace, "title: t\ndate: 2000-10-01\nsubject: sco\n")
    assert ctx["relations_to"](ws.corpus.actors["sco"]) == []  # since 2001: after the cut-off


# --- one-pager -------------------------------------------------------------------------------

def test_one_pager_is_one_page_without_a_cover(sample):
    out, ws, texts = sample
    pages = pdf_pages(out / "one-pager-2024.pdf")
    assert len(pages) == 1
    page = pages[0]
    brief = ws.corpus.briefs["one-pager-2024"]
    assert page.index(brief.title) < page.index("Bottom line") < page.index("Key judgments") \
        < page.index("Key developments") < page.index("Sources")
    assert "TLP:GREEN" in page
    expected = [d.title for d in periods.top_developments(
        select(ws.corpus, brief).developments, 5)]
    assert len(expected) == 5
    for title in expected:
        assert title in page and title in texts["one-pager-2024"][1]


def test_top_developments_by_significance_then_recency(workspace):
    _, ctx = context_for(workspace, "title: t\ndate: 2024-10-01\n")
    assert [d.id for d in ctx["top_developments"](2)] == ["kabul-falls", "summit-2024"]
    assert [d.id for d in ctx["top_developments"](1)] == ["kabul-falls"]  # the high one


LONG_BLUF = " ".join(f"Sentence {n} of a bottom line that keeps going well past one page."
                     for n in range(400))


def test_an_overlong_one_pager_fails_and_writes_nothing(workspace, tmp_path):
    root = workspace({"content/briefs/main.yaml": f"title: t\ndate: 2024-10-01\n"
                                                  f"template: one-pager\nbluf: {LONG_BLUF}\n"})
    out = tmp_path / "out"
    for fmt in ("all", "docx"):  # the PDF decides, also when only DOCX is asked for
        result = run("build", "-w", str(root), "-o", str(out), "-f", fmt)
        assert result.exit_code == 1
        assert re.search(r"main\.yaml:1: the one-pager does not fit on one page \(\d+ pages\): "
                         r"shorten the bottom line or key judgments", result.output)
        assert not out.exists() or not list(out.iterdir())


# --- changes_since ---------------------------------------------------------------------------

def test_changes_since_lists_exactly_the_later_developments(sample):
    _, ws, texts = sample
    brief = ws.corpus.briefs["afghanistan-central-asia"]
    in_scope = select(ws.corpus, brief).developments
    later = {"isis-k-attacks-deadlier", "trans-afghan-railway-evaluation-2024",
             "un-report-online-recruitment-2024", "rats-sco-10th-conference-2024",
             "cis-2nd-ct-conference-2024", "azizov-urges-afghan-ct-cooperation-2024",
             "boltaev-recognition-precondition-2024"}
    for text in texts["afghanistan-central-asia"]:
        start = text.rindex("What has changed since January 2024")  # not the contents
        section = text[start:text.index("Key judgments", start)]
        for dev in in_scope:
            assert (dev.title in section) == (dev.id in later), dev.id
        assert "Actor profiles updated since then" in section
        assert "30 September 2024: " in section


def test_changes_and_updated_actors_in_the_context(workspace):
    extra = {"content/actors/actors.yaml": """
        - {id: uzbekistan, name: Uzbekistan, kind: state, summary: s, updated: 2024-03}
        - {id: sco, name: SCO, kind: organisation, summary: s, updated: 2022-06-01}
        - {id: taliban, name: Taliban, kind: movement, summary: s}
        """}
    # "since 2023": year-2022 and the June 2022 review are before it
    _, ctx = context_for(workspace, "title: t\ndate: 2024-10-01\nchanges_since: 2023\n", extra)
    assert [d.id for d in ctx["changes"]] == ["summit-2024"]
    assert [a.id for a in ctx["updated_actors"]] == ["uzbekistan"]
    # a year or month given as the start includes that year or month
    _, ctx = context_for(workspace, "title: t\ndate: 2024-10-01\nchanges_since: 2022\n", extra)
    assert [d.id for d in ctx["changes"]] == ["year-2022", "summit-2024"]
    assert [a.id for a in ctx["updated_actors"]] == ["sco", "uzbekistan"]
    _, ctx = context_for(workspace, "title: t\ndate: 2024-10-01\nchanges_since: 2024-03\n", extra)
    assert [a.id for a in ctx["updated_actors"]] == ["uzbekistan"]  # updated: 2024-03
    _, ctx = context_for(workspace, "title: t\ndate: 2024-10-01\n", extra)
    assert ctx["changes"] == [] and ctx["updated_actors"] == []


def test_changes_since_a_month_includes_that_month(workspace):
    extra = {"content/developments/june.yaml": """
        - {id: may-31, date: 2024-05-31, title: Last of May, summary: s}
        - {id: june-1, date: 2024-06-01, title: First of June, summary: s}
        - {id: june-21, date: 2024-06-21, title: Talks on 21 June, summary: s}
        """}
    root = workspace({**extra, "content/briefs/main.yaml":
                      "title: t\ndate: 2024-10-01\nchanges_since: 2024-06\nscope: {since: 2024}\n"})
    result = run("build", "main", "-w", str(root), "-f", "pdf")
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(root / "output" / "main.pdf"))
    start = text.rindex("What has changed since June 2024")
    section = text[start:text.index("Developments", start)]
    assert "Talks on 21 June" in section and "First of June" in section
    assert "Last of May" not in section


def test_changes_since_after_as_of_is_rejected(workspace):
    root = workspace({"content/briefs/main.yaml": "title: t\ndate: 2024-10-01\nas_of: 2024-06\n"
                                                  "changes_since: 2024-07\n"})
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    assert "main.yaml:4: changes_since is after the brief's as_of date" in result.output


# --- citations -------------------------------------------------------------------------------

@pytest.mark.parametrize("brief_id", list(TEMPLATES.values()) + ["situation-end-2022"])
def test_each_cited_source_is_listed_once_with_stable_numbers(brief_id):
    ws = load_workspace(REPO)
    md = markdown_of(ws, brief_id)
    assert md == markdown_of(ws, brief_id)  # a rebuild numbers the same way
    defined = [int(n) for n in re.findall(r"^\[\^(\d+)\]:", md, re.M)]
    assert defined == list(range(1, len(defined) + 1)) and defined
    body = md[:md.index("## Sources")]
    marks = [int(n) for n in re.findall(r"\[\^(\d+)\]", body)]
    assert set(marks) == set(defined)
    # numbered in order of first citation
    assert sorted(set(marks), key=marks.index) == defined
    listing = md[md.index("## Sources"):]
    for source in ws.corpus.sources.values():
        assert listing.count(source.title.replace(",", "\\,").replace(":", "\\:")[:20]) <= 1


def test_sources_listed_once_in_print(sample):
    out, ws, texts = sample
    for brief_id in TEMPLATES.values():
        pdf = texts[brief_id][0]
        listing = pdf[pdf.rindex("Sources"):]
        for source in ws.corpus.sources.values():
            assert listing.count(source.title) <= 1, (brief_id, source.id)


def test_as_of_drops_sources_dated_after_it():
    ws = load_workspace(REPO)
    md = markdown_of(ws, "situation-end-2022")
    listing = md[md.index("## Sources"):]
    assert "Multi\\-layered Strategies" in listing  # 2021: usable
    assert "Persistent Threat on Northern Borders" in listing  # undated: usable
    assert "broken promises" not in listing  # May 2024: after as_of 2022-12-31
    assert "Combat ISIS K" not in listing


def test_citations_cutoff_unit():
    import datetime as dt
    ws = load_workspace(REPO)
    citations = Citations(ws.corpus.sources, dt.date(2022, 12, 31))
    refs = [SourceRef("dipcourier-broken-promises-2024"), SourceRef("didpress-csto-northern-borders"),
            SourceRef("kf-kim-multilayered-strategies-2021")]
    assert citations.cite(refs) == [1, 2]
    assert [c.source.id for c in citations.listing()] == ["didpress-csto-northern-borders",
                                                          "kf-kim-multilayered-strategies-2021"]


def test_relation_map_keeps_the_best_connected_actors(tmp_path):
    """A map of hundreds of actors is unreadable and slow to lay out: it is capped."""
    from briefgen.content.models import Actor, Corpus, Origin, Relation, Settings
    from briefgen.figures.data import MAX_MAP_ACTORS, relation_map
    from briefgen.scope.select import Selection

    actors = [Actor(f"a{i:03d}", f"Actor {i}", "state", "s", Origin("x.yaml", 1))
              for i in range(120)]
    hub = actors[0]
    relations = {a.id: [Relation(hub.id, "works with", 1)] for a in actors[1:]}
    relations[hub.id] = []
    relations["a001"] += [Relation(f"a{i:03d}", "knows", 1) for i in range(2, 120)]
    selection = Selection(brief=None, developments=[], actors=actors, relations=relations)
    data = relation_map(Corpus(Settings(), {}, {}, {}, {}), selection)
    ids = {n.id for n in data.nodes}
    assert len(ids) == MAX_MAP_ACTORS and {"a000", "a001"} <= ids
    assert all(e.source in ids and e.target in ids for e in data.edges)
