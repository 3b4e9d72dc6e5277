"""Alt text: figures described from their data (or by the template), images by their Markdown.

What a screen reader is told about a picture is read back from the built files where it ends
up (the DOCX pictures' descriptions: test_docx_access.py); here, what the text says.
"""
from __future__ import annotations

import datetime as dt

import pytest

from briefgen.document import nodes as d
from briefgen.document.alttext import (MAX_MAP_CHARS, relation_map_alt, timeline_alt)
from briefgen.document.markdown import parse_markdown
from briefgen.document.resolve import resolve
from briefgen.errors import TemplateError
from tests.readers import pdf_pages, squash
from tests.test_hardening import build, docx_all_text, _png


def _event(day: str, label: str, significance="medium", end: str = ""):
    start = dt.date.fromisoformat(day)
    return d.TimelineEvent(start, dt.date.fromisoformat(end) if end else start, label,
                           significance)


def test_timeline_alt_gives_period_count_and_the_high_significance_developments():
    data = d.TimelineData([
        _event("2021-08-01", "August 2021: Kabul falls", "high", end="2021-08-31"),
        _event("2022-01-01", "2022: A year of talks", "low", end="2022-12-31"),
        _event("2024-09-04", "4 September 2024: Summit: Tashkent statement", "high"),
    ])
    assert timeline_alt(data) == (
        "Timeline of 3 developments from August 2021 to 4 September 2024. Of high "
        "significance (2): Kabul falls (August 2021); Summit: Tashkent statement "
        "(4 September 2024).")


def test_timeline_alt_counts_what_it_does_not_name_and_says_when_none_is_high():
    many = d.TimelineData([_event(f"2024-0{m}-01", f"{m} May: Event {m}", "high")
                           for m in range(1, 9)])
    text = timeline_alt(many)
    assert text.startswith("Timeline of 8 developments from 1 May to 8 May.")
    assert "Event 5 (5 May); and 3 more." in text and "Event 6" not in text
    low = d.TimelineData([_event("2024-01-01", "2024: A", "low"),
                          _event("2023-06-01", "June 2023: B", end="2025-03-31")])
    # the period runs to where the longest development ends, not to the last one's date
    assert timeline_alt(low) == ("Timeline of 2 developments from June 2023 to March 2025, "
                                 "none of high significance.")


def _map(n_actors: int, edges: list[tuple[int, int, str]]) -> d.RelationMapData:
    kinds = ["state", "armed-group", "other"]
    return d.RelationMapData(
        [d.MapNode(f"a{i}", f"Actor {i}", kinds[i % 3]) for i in range(n_actors)],
        [d.MapEdge(f"a{s}", f"a{t}", label) for s, t, label in edges])


def test_relation_map_alt_lists_actors_and_relations_in_words():
    text = relation_map_alt(_map(3, [(0, 1, "armed conflict with"), (2, 0, "member of")]))
    assert text == ("Relation map of 3 actors and 2 relations. Actors: Actor 0 (state), "
                    "Actor 1 (armed group) and Actor 2. Relations: Actor 0: armed conflict "
                    "with Actor 1; Actor 2: member of Actor 0.")


def test_a_big_relation_map_is_summed_up_with_a_pointer_to_the_text():
    edges = [(0, i, "ally of") for i in range(1, 40)] + [(1, 2, "rival of")]
    text = relation_map_alt(_map(40, edges))
    assert len(text) < MAX_MAP_CHARS / 2
    assert text.startswith("Relation map of 40 actors and 40 relations. The most connected: "
                           "Actor 0 (39 relations), Actor 1 (2 relations), Actor 2 (2 relations)")
    assert text.endswith("Each actor's relations are listed with the actor in the text.")


def _figures(markdown: str, data=None):
    data = data or d.TimelineData([_event("2021-01-01", "1 January 2021: A", "high"),
                                   _event("2021-02-01", "1 February 2021: B")])
    doc = resolve(parse_markdown(markdown, d.DocumentInfo("t"), figures=lambda kind: data))
    return [b for b in doc.children if isinstance(b, d.Figure)]


def test_resolve_fills_the_alt_text_and_a_template_can_give_its_own():
    made, given = _figures("::: figure timeline Dates\n:::\n\n"
                           "::: figure timeline Dates\nalt: Two  *dates*, [^1] as typed\n:::\n")
    assert made.alt == ("Timeline of 2 developments from 1 January 2021 to 1 February 2021. "
                        "Of high significance (1): A (1 January 2021).")
    assert made.caption == "Dates" and given.caption == "Dates"
    assert given.alt == "Two *dates*, [^1] as typed"  # not Markdown, like the caption


@pytest.mark.parametrize("body, line", [("Some text\n", 4), ("alt: one\n\nalt: two\n", 6),
                                        ("- alt: x\n", 4)])
def test_a_figure_block_holds_nothing_but_its_alt_line(body, line):
    with pytest.raises(TemplateError) as err:
        _figures(f"Intro\n\n::: figure timeline Dates\n{body}:::\n")
    assert str(err.value).startswith(f"template output:{line}: a '::: figure' block holds one "
                                     "line 'alt: TEXT'")


def test_the_template_function_writes_the_alt_line_and_it_reaches_both_formats(workspace):
    root = workspace({"templates/policy-brief.md.j2": """
        {% extends "builtin/policy-brief.md.j2" %}
        {% block developments %}
        ## Developments

        {{ figure("timeline", "By date", alt="Three dated events <b>& " ~ brief.title ~ "</b>") }}
        {% endblock %}
        """})
    result = build(root)
    files = {f.format: f.path for f in result.files}
    from tests.test_docx_access import pictures
    alts = [descr for _name, descr, _title, _decorative in pictures(files["docx"])]
    assert "Three dated events <b>& Main brief</b>" in alts
    # alt text is never body text (test_parity compares the formats' words)
    assert "Three dated events" not in squash(" ".join(pdf_pages(files["pdf"])))
    assert "Three dated events" not in docx_all_text(files["docx"])


def test_an_image_without_alt_text_is_a_warning_at_its_content_line(workspace):
    root = workspace({"content/developments/img.yaml": """
        id: img
        date: 2024-05
        title: Pictures
        summary: "![](images/map.png) and ![A red map](images/map2.png)"
        actors: [taliban]
        """})
    _png(root / "images/map.png")
    _png(root / "images/map2.png")
    result = build(root, formats=["docx"])
    messages = [str(w) for w in result.warnings if "alt text" in w.message]
    assert len(messages) == 1 and messages[0].endswith(
        "content/developments/img.yaml:4: image 'images/map.png' has no alt text: a reader who "
        "cannot see it is told nothing; say what it shows in the brackets, e.g. "
        "![Map of the border crossings](images/map.png)")
