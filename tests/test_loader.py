from pathlib import Path

import pytest

from briefgen.loading import load_workspace
from briefgen.errors import ContentError


def problems_of(root: Path) -> list[str]:
    with pytest.raises(ContentError) as info:
        load_workspace(root)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in info.value.problems]


def test_minimal_workspace_loads_with_typed_values(workspace):
    ws = load_workspace(workspace())
    c = ws.corpus
    assert set(c.actors) == {"uzbekistan", "sco", "taliban"}
    assert c.actors["uzbekistan"].aliases == ["Ўзбекистон", "Узбекистан"]
    assert c.actors["uzbekistan"].relations[0].since.iso() == "2001"
    dev = c.developments["kabul-falls"]
    assert dev.date.iso() == "2021-08-15" and dev.significance == "high"
    assert (dev.sources[0].source, dev.sources[0].credibility, dev.sources[0].locator) == \
        ("report-a", 2, "p. 4")
    assert c.developments["summit-2024"].significance == "medium"  # the default
    brief = c.briefs["main"]  # id from the file stem
    assert brief.template == "policy-brief" and brief.formats == ["pdf", "docx"]
    assert brief.marking == "TLP:AMBER"


def test_one_item_per_file_or_a_list(workspace):
    root = workspace({"content/actors/single.yaml": "id: cis\nname: CIS\nkind: organisation\n"
                                                    "summary: One actor as a mapping.\n"})
    assert "cis" in load_workspace(root).corpus.actors


def test_every_problem_is_reported_with_file_and_line(workspace):
    root = workspace({
        "content/developments/bad.yaml": """
            - id: bad-date
              date: 2024-02-30
              title: Impossible date
              summary: x
            - id: unknown-refs
              date: 2024
              title: Unknown references
              summary: x
              actors:
                - taliban
                - talibn
              sources: [no-such-source]
            - id: Bad_Id
              date: 2021
              summary: no title
              significance: huge
            """,
    })
    found = problems_of(root)
    assert "bad.yaml:2: 'date': '2024-02-30' does not exist: February 2024 has 29 days" in found
    assert any(p.startswith("bad.yaml:11: unknown actor 'talibn'") and "did you mean 'taliban'"
               in p for p in found)
    assert any(p.startswith("bad.yaml:12: unknown source 'no-such-source'") for p in found)
    assert any(p.startswith("bad.yaml:13: 'Bad_Id' is not a valid id") for p in found)
    assert any(p.startswith("bad.yaml:13: a development needs a 'title' field") for p in found)
    assert any(p.startswith("bad.yaml:16: 'significance' must be one of low, medium, high")
               for p in found)
    assert len(found) == 6


def test_duplicate_ids_across_files(workspace):
    root = workspace({"content/actors/more.yaml": """
        - id: sco
          name: SCO again
          kind: organisation
          summary: x
        """})
    found = problems_of(root)
    assert len(found) == 1
    assert found[0].startswith("more.yaml:1: duplicate actor id 'sco': already defined at ")
    assert "actors.yaml:" in found[0]


def test_yaml_syntax_error_and_tabs_name_the_line(workspace):
    root = workspace({"content/sources/broken.yaml": "id: x\ntitle: [unclosed\nurl: y\n",
                      "content/sources/tabs.yaml": "id: y\ntitle:\n\t- z\n"})
    found = problems_of(root)
    assert any(p.startswith("broken.yaml:3: YAML syntax error") for p in found)
    assert any(p.startswith("tabs.yaml:3: YAML syntax error") and "not tabs" in p for p in found)


def test_empty_and_non_utf8_files(workspace):
    root = workspace({"content/sources/empty.yaml": "\n"})
    (root / "content/sources/latin1.yaml").write_bytes(b"id: z\ntitle: caf\xe9\n")
    found = problems_of(root)
    assert any(p.startswith("empty.yaml:None: the file is empty") for p in found)
    assert any(p.startswith("latin1.yaml:2: the file is not UTF-8") for p in found)


def test_wrong_types_and_bad_refs_in_briefs(workspace):
    root = workspace({"content/briefs/main.yaml": """
        title: [not, text]
        date: 2024-13-01
        marking: TLP:PURPLE
        key_judgments:
          - text: x
            likelihood: probably maybe
            confidence: sure
          - text: y
            likelihood: probable
          - text: z
            likelihood: very likely
        scope:
          actors: [nobody]
          tags: [no-such-tag]
          since: 2021
          until: 2020
        formats: [pdf, rtf]
        """})
    found = problems_of(root)
    expected_starts = [
        "main.yaml:1: 'title' must be text",
        "main.yaml:2: 'date': '2024-13-01' has no month 13",
        "main.yaml:3: 'TLP:PURPLE' is not a TLP 2.0 label",
        "main.yaml:6: 'probably maybe' is not an ICD 203 likelihood term",
        "main.yaml:7: 'confidence' must be one of low, moderate, high",
        "main.yaml:11: 'very likely' comes from the other ICD 203 set",
        "main.yaml:13: unknown actor 'nobody'",
        "main.yaml:14: no development has the tag 'no-such-tag'",
        "main.yaml:16: scope 'until' is before 'since'",
        "main.yaml:17: unknown format 'rtf'",
    ]
    for start in expected_starts:
        assert any(p.startswith(start) for p in found), (start, found)


def test_duplicate_keys_and_unknown_fields(workspace):
    root = workspace({"content/sources/dup.yaml": "id: dup\ntitle: a\ntitle: b\n"})
    assert problems_of(root) == ["dup.yaml:3: the key 'title' appears twice in this mapping: "
                                 "keep one"]
    root = workspace({"content/sources/dup.yaml": "id: dup\ntitle: a\npublsher: b\n"})
    ws = load_workspace(root)
    assert [str(w).split("/")[-1] for w in ws.warnings] == [
        "dup.yaml:3: unknown field 'publsher' in a source (did you mean 'publisher'?); "
        "it is ignored"]


def test_alias_bomb_and_recursive_alias_fail_fast(workspace):
    # Anchored objects are shared, so 10**8 references cost nothing to load; what matters is
    # that the file is reported like any other bad file, quickly, instead of hanging or crashing
    # (here: its text, 10**8 characters when each use counts, is over the limit).
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for n in "bcdefgh":
        bomb += f"{n}: &{n} [" + ", ".join([f"*{prev}"] * 10) + "]\n"
        prev = n
    root = workspace({"content/sources/bomb.yaml": bomb,
                      "content/actors/loop.yaml": "- &x {id: loop, name: [*x], kind: state, "
                                                  "summary: s}\n"})
    found = problems_of(root)
    assert "bomb.yaml:None: the file expands to more than 5,242,880 characters of text (aliases " \
        "repeated too often?): simplify it" in found
    assert any(p.startswith("loop.yaml:1: YAML syntax error") and "recursive" in p for p in found)


def test_too_many_values_is_refused(workspace):
    big = "".join(f"- {{id: s{i}, title: t}}\n" for i in range(70_000))
    root = workspace({"content/sources/big.yaml": big})
    found = problems_of(root)
    assert len(found) == 1 and "expands to more than" in found[0]


def test_choices_ignore_case(workspace):
    root = workspace({"content/briefs/main.yaml": "title: t\ndate: 2024-10-01\nkey_judgments:\n"
                                                  "  - {text: x, likelihood: Likely, "
                                                  "confidence: Moderate}\n"})
    judgment = load_workspace(root).corpus.briefs["main"].key_judgments[0]
    assert (judgment.likelihood, judgment.confidence) == ("likely", "moderate")


def test_one_walk_finds_the_references_that_validate_checks_and_import_warns_about(workspace):
    # crossref.references: what check_references checks and an import's warning at a reference
    # into what it removes both read, so the two name what refers alike and see the same ids
    from briefgen.content.crossref import Reference, references
    c = load_workspace(workspace({"content/briefs/main.yaml": """
        title: Main brief
        date: 2024-10-01
        subject: taliban
        scope: {actors: [uzbekistan], profiles: [sco], tags: [diplomacy]}
        """})).corpus
    uzbekistan = c.actors["uzbekistan"]
    relation = uzbekistan.relations[0]
    assert relation.line == 7 and relation.sources[0].line == 7  # a one-line mapping
    assert references("actors", uzbekistan) == [
        Reference("actors", "sco", relation.line, "a relation of 'uzbekistan'"),
        Reference("sources", "report-a", relation.sources[0].line, "a relation of 'uzbekistan'")]
    assert references("developments", c.developments["kabul-falls"]) == [
        Reference("actors", "taliban", 5, "development 'kabul-falls'"),
        Reference("sources", "report-a", 8, "development 'kabul-falls'")]
    assert references("briefs", c.briefs["main"]) == [  # the tags are no item's ids
        Reference("actors", "taliban", 3, "the subject of brief 'main'"),
        Reference("actors", "uzbekistan", 4, "'scope.actors' of brief 'main'"),
        Reference("actors", "sco", 4, "'scope.profiles' of brief 'main'")]
