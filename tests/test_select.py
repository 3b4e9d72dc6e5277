from briefgen.loading import load_workspace
from briefgen.scope.select import select


def selected(workspace, brief_yaml: str, extra=None):
    files = {"content/briefs/main.yaml": brief_yaml, **(extra or {})}
    ws = load_workspace(workspace(files))
    sel = select(ws.corpus, ws.corpus.briefs["main"])
    return [d.id for d in sel.developments], [a.id for a in sel.actors], sel


def test_since_uses_the_whole_period_of_a_fuzzy_date(workspace):
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\nscope: {since: 2022-06}\n")
    # "2022" covers June 2022, so the year-precision development is in scope.
    assert devs == ["year-2022", "summit-2024"]


def test_until_and_ordering(workspace):
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\nscope: {until: 2022-01}\n")
    assert devs == ["kabul-falls", "year-2022"]


def test_as_of_excludes_later_developments(workspace):
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\nas_of: 2024-08-31\n")
    assert devs == ["kabul-falls", "year-2022"]
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-09-01\n")  # as_of defaults to date
    assert devs == ["kabul-falls", "year-2022", "summit-2024"]


def test_actor_tag_and_significance_filters(workspace):
    devs, actors, _ = selected(workspace, "title: t\ndate: 2024-10-01\n"
                                          "scope: {actors: [sco]}\n")
    assert devs == ["summit-2024"]
    # Listed actors plus the actors of in-scope developments.
    assert actors == ["uzbekistan", "sco"]
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\nscope: {tags: [diplomacy]}\n")
    assert devs == ["year-2022", "summit-2024"]
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\n"
                                     "scope: {min_significance: medium}\n")
    assert devs == ["kabul-falls", "summit-2024"]
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\n"
                                     "scope: {tags: [diplomacy], actors: [taliban]}\n")
    assert devs == []


def test_listed_actor_without_developments_is_covered(workspace):
    _, actors, _ = selected(workspace, "title: t\ndate: 2024-10-01\n"
                                       "scope: {actors: [taliban], since: 2022}\n")
    assert actors == ["taliban"]


def test_relations_after_the_cutoff_are_left_out(workspace):
    _, _, sel = selected(workspace, "title: t\ndate: 2000-06-01\nscope: {actors: [uzbekistan]}\n")
    assert sel.relations["uzbekistan"] == []
    _, _, sel = selected(workspace, "title: t\ndate: 2024-06-01\nscope: {actors: [uzbekistan]}\n")
    assert [r.actor for r in sel.relations["uzbekistan"]] == ["sco"]


def test_a_span_is_in_scope_when_any_part_of_it_is(workspace):
    extra = {"content/developments/span.yaml": "id: long-campaign\ndate: 2021-08\nend: 2024-05\n"
                                               "title: Campaign\nsummary: s\n"}
    devs, _, _ = selected(workspace, "title: t\ndate: 2024-10-01\nscope: {since: 2024}\n", extra)
    assert "long-campaign" in devs
