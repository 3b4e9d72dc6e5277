"""End to end: the command line on the sample workspace and on a workspace written from the
contract alone, read back as a reader would (PDF text per page, DOCX text)."""
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.loading import load_workspace
from briefgen.scope.select import select
from tests.conftest import REPO, write_workspace
from tests.readers import docx_parts, docx_text, pdf_pages


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


@pytest.fixture(scope="module")
def sample_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    result = run("build", "-w", str(REPO), "-o", str(out))
    assert result.exit_code == 0, result.output
    return out, load_workspace(REPO)


def test_every_sample_brief_builds_in_its_formats(sample_build):
    out, ws = sample_build
    for brief in ws.corpus.briefs.values():
        for fmt in ("pdf", "docx"):
            assert (out / f"{brief.id}.{fmt}").exists() == (fmt in brief.formats)
    assert len(ws.corpus.briefs) >= 2


@pytest.mark.parametrize("brief_id", ["afghanistan-central-asia", "ct-dialogue-2024"])
def test_scope_is_what_the_reader_sees(sample_build, brief_id):
    out, ws = sample_build
    brief = ws.corpus.briefs[brief_id]
    chosen = {d.id for d in select(ws.corpus, brief).developments}
    assert chosen and len(chosen) < len(ws.corpus.developments)
    pdf = " ".join(pdf_pages(out / f"{brief_id}.pdf"))
    docx = docx_text(out / f"{brief_id}.docx")
    for dev in ws.corpus.developments.values():
        for text in (pdf, docx):
            if dev.id in chosen:
                assert dev.title in text, dev.id
            else:
                assert dev.title not in text, dev.id


def test_fuzzy_dates_print_at_their_precision(sample_build):
    out, _ = sample_build
    pdf = " ".join(pdf_pages(out / "afghanistan-central-asia.pdf"))
    assert "July 2021: C5+1 meeting in Tashkent" in pdf  # month precision
    assert "7 July 2021: " in pdf  # day precision
    assert "2023: Kazakhstan" in pdf  # year precision


def test_marking_on_every_page_and_cyrillic(sample_build):
    out, _ = sample_build
    pages = pdf_pages(out / "afghanistan-central-asia.pdf")
    assert len(pages) > 3
    for n, page in enumerate(pages, 1):
        assert page.count("TLP:AMBER") >= 2, f"page {n}"  # header and footer, or cover banners
        if n > 1:  # the cover carries no running head
            assert f"Page {n} of {len(pages)}" in page
    text = " ".join(pages)
    assert "Абдусалом Азизов" in text
    parts = docx_parts(out / "afghanistan-central-asia.docx")
    assert any("TLP:AMBER" in t for t in parts["headers"])
    assert any("TLP:AMBER" in t for t in parts["footers"])
    assert "Абдусалом Азизов" in " ".join(parts["body"])


def test_build_one_brief_by_id_or_path_and_format(tmp_path):
    result = run("build", "ct-dialogue-2024", "-w", str(REPO), "-o", str(tmp_path), "-f", "docx")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ct-dialogue-2024.docx"]
    brief_file = REPO / "content/briefs/ct-dialogue-2024.yaml"
    result = run("build", str(brief_file), "-w", str(REPO), "-o", str(tmp_path), "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ct-dialogue-2024.pdf").exists()


def test_unknown_brief_is_a_usage_error(tmp_path):
    result = run("build", "ct-dialog-2024", "-w", str(REPO), "-o", str(tmp_path))
    assert result.exit_code == 2
    assert "did you mean 'ct-dialogue-2024'" in result.output
    assert run("build", "--format", "rtf").exit_code == 2


def test_validate_sample_is_clean():
    result = run("validate", "-w", str(REPO))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: ")
    assert "warning" not in result.output


def test_validate_lists_every_problem_without_traceback(workspace):
    root = workspace({"content/developments/bad.yaml": """
        - id: one
          date: 2024-02-30
          title: x
          summary: y
          actors: [nobody]
        """, "content/sources/broken.yaml": "id: [\n"})
    result = run("validate", "-w", str(root))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.endswith("bad.yaml:2: 'date': '2024-02-30' does not exist: February 2024 "
                             "has 29 days") for line in lines)
    assert any("bad.yaml:5: unknown actor 'nobody'" in line for line in lines)
    assert any("broken.yaml:2: YAML syntax error" in line for line in lines)
    assert "Traceback" not in result.output
    assert "3 problems found" in result.output


def test_broken_template_is_exit_1_with_template_line(workspace, tmp_path):
    root = workspace({"templates/policy-brief.md.j2": "# {{ brief.title }}\n\n{{ brief.nope }}\n"})
    result = run("build", "-w", str(root), "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "policy-brief.md.j2:3: template uses an undefined name" in result.output
    assert not (tmp_path / "out" / "main.pdf").exists()


def test_unwritable_output_is_exit_1_and_leaves_old_file(workspace, tmp_path):
    root = workspace()
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    result = run("build", "-w", str(root), "-o", str(blocker / "sub"))
    assert result.exit_code == 1
    assert "cannot create the output folder" in result.output
    assert "Traceback" not in result.output


def test_a_workspace_written_from_the_contract_alone(tmp_path):
    """Someone else's workspace: their own ids, one item per file, YAML dates of every type."""
    root = write_workspace(tmp_path / "theirs", {
        "briefgen.yaml": "organisation: Ministry of Examples\nmarking: OFFICIAL-SENSITIVE\n",
        "content/sources/wire.yaml": "id: wire\ntitle: Wire report\ndate: 2023-05-02\n",
        "content/actors/osce.yaml": """
            id: osce
            name: OSCE
            kind: organisation
            aliases: [ОБСЕ, Organisation for Security & Co-operation in Europe]
            summary: Regional security organisation.
            """,
        "content/actors/kg.yaml": """
            id: kg
            name: Kyrgyzstan
            kind: state
            country: KG
            summary: "Borders: Tajikistan & China."
            relations: [{actor: osce, type: participating state of, since: 1992}]
            """,
        "content/developments/one.yaml": """
            id: border-clash
            date: 2022-09-14
            title: Border clash at Batken & Isfara
            summary: Fighting along the **disputed** border.
            actors: [kg]
            sources: [wire]
            """,
        "content/developments/two.yaml": """
            - {id: talks, date: 2023, title: Demarcation talks, summary: Talks., actors: [kg, osce]}
            - {id: old, date: 2019-06, title: Older event, summary: Before scope., actors: [kg]}
            - {id: later, date: 2025-01, title: After the cut-off, summary: Too late., actors: [kg]}
            """,
        "content/briefs/borders.yaml": """
            title: Borders & water
            date: 2024-06
            scope: {since: 2022-09}
            formats: [pdf, docx]
            """,
    })
    out = tmp_path / "out"
    result = run("build", "-w", str(root), "-o", str(out))
    assert result.exit_code == 0, result.output
    pages = pdf_pages(out / "borders.pdf")
    text = " ".join(pages)
    for page in pages:
        assert page.count("OFFICIAL-SENSITIVE") >= 2
    assert "14 September 2022: Border clash at Batken & Isfara" in text
    assert "2023: Demarcation talks" in text
    assert "Older event" not in text and "After the cut-off" not in text
    assert "ОБСЕ" in text and "Organisation for Security & Co-operation in Europe" in text
    assert "Borders: Tajikistan & China." in text
    docx = docx_text(out / "borders.docx")
    assert "Border clash at Batken & Isfara" in docx and "ОБСЕ" in docx
    assert "Older event" not in docx


def test_help_and_version():
    assert run("--help").exit_code == 0
    assert "build" in run("--help").output
    assert run("--version").exit_code == 0


def test_the_wheel_carries_the_builtin_templates(tmp_path):
    """A non-editable install must find the templates inside the package."""
    import subprocess
    import sys
    import zipfile
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps",
                    "--no-build-isolation", "-q", "-w", str(tmp_path)], check=True)
    (wheel,) = tmp_path.glob("briefgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "briefgen/templates/policy-brief.md.j2" in names
    assert {"briefgen/themes/default.yaml", "briefgen/themes/modern.yaml"} <= set(names)
    assert not any(n.startswith(("content/", "tests/")) for n in names)


def test_sample_arabic_aliases_print_in_logical_order(sample_build):
    """pdftotext rebuilds logical order from the visual order drawn; pypdf reads the text layer."""
    out, _ = sample_build
    text = " ".join(pdf_pages(out / "afghanistan-central-asia.pdf"))
    assert "طالبان" in text and "ولایت خراسان" in text
    docx = docx_text(out / "afghanistan-central-asia.docx")
    assert "طالبان" in docx and "ولایت خراسان" in docx


def test_validate_compiles_the_templates_it_would_build_with(workspace):
    """A misspelt block name, an include of nothing and a syntax error in a template no brief
    uses yet: `validate` finds them at their lines, without building."""
    root = workspace({
        "templates/policy-brief.md.j2": '{% extends "builtin/policy-brief.md.j2" %}\n\n'
                                        "{% block recomendations %}\nX\n{% endblock %}\n",
        "templates/notes.md.j2": "# {{ brief.title }\n",
        "templates/parts/head.md.j2": "Intro\n\n{% include 'parts/missing.md.j2' %}\n",
        "content/briefs/other.yaml": "title: Other\ndate: 2024-10-01\ntemplate: polcy-brief\n",
    })
    result = CliRunner().invoke(main, ["validate", "-w", str(root)])
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert any(line.endswith("templates/policy-brief.md.j2:3: block 'recomendations' is not a "
                             "block of the template it extends, so it would never be printed "
                             "(did you mean 'recommendations'?); its blocks: actors, bluf, "
                             "changes, contents, developments, distribution, key_judgments, "
                             "recommendations, sections, sources, titleblock")
               for line in errors), errors
    assert any(line.endswith("templates/notes.md.j2:1: template syntax error: unexpected '}'")
               for line in errors), errors
    assert any("templates/parts/head.md.j2:3: no template 'parts/missing.md.j2' to extend, "
               "include or import" in line for line in errors), errors
    assert any("other.yaml:3: unknown template 'polcy-brief' (did you mean 'policy-brief'?)"
               in line for line in errors), errors
    # the same template, used by two briefs, is one problem
    assert len(errors) == 4, errors
    assert "4 problems found" in result.stderr


def test_warnings_are_shown_with_errors_errors_first(workspace, tmp_path):
    """An error does not hide the warnings: validate and build print both, errors first, and
    count them."""
    root = workspace({
        "content/sources/s.yaml": "id: report-a\ntitle: Report A\nnote: extra\n",
        "content/briefs/main.yaml": "title: Main brief\ndate: 2024-10-01\nscope: {since: 2021}\n"
                                    "key_judgments:\n  - text: Talks might resume.\n"
                                    "    likelihood: likely\n",
        "content/developments/more.yaml": "- id: later\n  date: 2024-13\n  title: L\n"
                                          "  summary: S.\n",
    })
    for args in (["validate"], ["build", "-o", str(tmp_path / "out")]):
        result = CliRunner().invoke(main, [*args, "-w", str(root)])
        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        kinds = [line.split(":")[0] for line in lines if line.startswith(("error:", "warning:"))]
        assert kinds == ["error", "warning", "warning"] if args == ["validate"] else \
            ["error", "warning"], lines
        assert any("more.yaml:2: 'date'" in line for line in lines), lines
        assert any("s.yaml:3: unknown field 'note' in a source" in line for line in lines), lines
        assert lines[-1] == ("1 problem found, and 2 warnings; nothing was built."
                             if args == ["validate"] else
                             "1 problem found, and 1 warning; nothing was built."), lines

    # a brief that fails to build still shows its warnings, after its error
    (root / "content/developments/more.yaml").unlink()
    (root / "templates").mkdir()
    (root / "templates/policy-brief.md.j2").write_text("# {{ brief.title }}\n{{ nope }}\n")
    result = CliRunner().invoke(main, ["build", "-w", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines()
             if line.startswith(("error:", "warning:"))]
    assert [line.split(":")[0] for line in lines] == ["error", "warning", "warning"], lines
    assert "policy-brief.md.j2:2: template uses an undefined name" in lines[0]
    assert "main.yaml:5: key judgment 1: 'might'" in lines[1], lines
    assert "s.yaml:3: unknown field 'note'" in lines[2], lines
    assert "0 failed" not in result.stderr and ", 2 warnings, in " in result.stderr


def test_scope_profiles_add_profiles_without_narrowing_the_developments(workspace, tmp_path):
    root = workspace({"content/briefs/main.yaml": "title: Main brief\ndate: 2024-10-01\n"
                                                  "scope: {tags: [conflict], profiles: [uzbekistan]}\n"})
    result = run("build", "-w", str(root), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert result.exit_code == 0, result.output
    pdf = " ".join(pdf_pages(tmp_path / "out" / "main.pdf"))
    assert "Kabul falls" in pdf  # a development of the Taliban only: not narrowed
    assert "Summit in Tashkent" not in pdf  # out of scope by its tag, profiles or not
    assert "Ўзбекистон" in pdf  # Uzbekistan's profile (its aliases) is added
    # what scope.actors does instead: the developments narrow to Uzbekistan's
    (root / "content/briefs/main.yaml").write_text(
        "title: Main brief\ndate: 2024-10-01\nscope: {tags: [conflict], actors: [uzbekistan]}\n")
    result = run("build", "-w", str(root), "-o", str(tmp_path / "out"), "-f", "pdf")
    assert result.exit_code == 0, result.output
    assert "Kabul falls" not in " ".join(pdf_pages(tmp_path / "out" / "main.pdf"))


def test_a_log_prints_each_briefs_line_with_its_results_in_order(workspace, tmp_path,
                                                                  monkeypatch):
    """Not on a terminal, briefs completing out of order (in parallel) still give a log where
    each '[n/N] id ok' line is followed by that brief's own results."""
    import briefgen.batch
    from briefgen.batch import BriefOutcome
    from briefgen.build import BuiltFile

    root = workspace({"content/briefs/zz-second.yaml": "title: Second\ndate: 2024-10-01\n"})
    out = tmp_path / "out"

    def completes_backwards(workspace, briefs, options, out_dir, jobs=None):
        for index in reversed(range(len(briefs))):
            brief = briefs[index]
            yield BriefOutcome(index, brief.id, files=[
                BuiltFile(brief.id, fmt, out_dir / f"{brief.id}.{fmt}") for fmt in ("pdf", "docx")])

    monkeypatch.setattr(briefgen.batch, "build_many", completes_backwards)
    result = CliRunner().invoke(main, ["build", "-w", str(root), "-o", str(out), "-j", "2"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("built ")]
    assert lines == ["[1/2] main ok", f"wrote {out / 'main.pdf'}", f"wrote {out / 'main.docx'}",
                     "[2/2] zz-second ok", f"wrote {out / 'zz-second.pdf'}",
                     f"wrote {out / 'zz-second.docx'}"], lines


def test_the_readme_command_summary_names_every_option():
    """The command-line summary in the README is where a user looks an option up."""
    import click
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    summary = readme[readme.index("### The command line"):readme.index("### How a brief")]

    def commands(group, prefix):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from commands(command, f"{prefix} {name}")
            else:
                yield f"{prefix} {name}", command

    for name, command in commands(main, "briefgen"):
        assert name in summary, name
        for param in command.params:
            if isinstance(param, click.Option) and "--help" not in param.opts:
                assert any(f"{opt} " in summary or f"{opt}]" in summary
                           for opt in param.opts), (name, param.opts)


def test_the_template_docs_name_every_field_of_briefs_developments_and_actors():
    import dataclasses

    from briefgen.content.models import Actor, Brief, Development
    docs = (REPO / "docs" / "templates.md").read_text(encoding="utf-8")
    for model, start in ((Brief, "**A brief**"), (Development, "**A development**"),
                         (Actor, "**An actor**")):
        paragraph = docs[docs.index(start):].split("\n\n")[0]
        names = [f.name for f in dataclasses.fields(model) if f.name != "origin"]
        names += [n for n, v in vars(model).items() if isinstance(v, property)]
        for name in names:
            assert f"`{name}`" in paragraph, (model.__name__, name)
