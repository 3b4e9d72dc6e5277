"""`briefgen init`: a workspace that validates and builds at once."""
import jsonschema
from click.testing import CliRunner

from briefgen.cli import main
from briefgen.loading import load_workspace
from briefgen.content.yamlpos import load_yaml
from briefgen.content.schema import schema_for
from tests.readers import docx_text, pdf_pages


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_init_creates_a_workspace_that_builds(tmp_path):
    root = tmp_path / "briefs"
    result = run("init", root)
    assert result.exit_code == 0, result.output
    for rel in ("briefgen.yaml", "README.md", "content/actors/northland.yaml",
                "content/developments/northland-border-agreement.yaml",
                "content/sources/example-report.yaml", "content/briefs/first-brief.yaml"):
        assert (root / rel).is_file(), rel
    assert "edit the YAML\nfiles under `content/`" in (root / "README.md").read_text()

    ws = load_workspace(root)
    assert ws.warnings == []
    assert [len(getattr(ws.corpus, k)) for k in ("actors", "developments", "sources", "briefs")] \
        == [1, 1, 1, 1]
    result = run("validate", "-w", root)
    assert result.exit_code == 0 and "warning" not in result.output, result.output

    result = run("build", "-w", root)
    assert result.exit_code == 0, result.output
    pdf = " ".join(pdf_pages(root / "output" / "first-brief.pdf"))
    assert "Northland agrees joint border patrols" in pdf
    assert "Northland agrees joint border patrols" in docx_text(root / "output" /
                                                               "first-brief.docx")


def test_the_created_files_pass_their_schemas(tmp_path):
    root = tmp_path / "ws"
    run("init", root)
    for kind, pattern in (("actor", "content/actors/*.yaml"),
                          ("development", "content/developments/*.yaml"),
                          ("source", "content/sources/*.yaml"), ("brief", "content/briefs/*.yaml"),
                          ("settings", "briefgen.yaml")):
        for path in root.glob(pattern):
            data, problems = load_yaml(str(path), str(path))
            assert problems == []
            jsonschema.validate(data, schema_for(kind))


def test_init_fills_an_empty_folder_but_refuses_a_used_one(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run("init", empty).exit_code == 0
    result = run("init", empty)
    assert result.exit_code == 2
    assert "the folder is not empty" in result.output
    assert "Traceback" not in result.output
    used = tmp_path / "used"
    used.mkdir()
    (used / "notes.txt").write_text("mine")
    assert run("init", used).exit_code == 2
    assert (used / "notes.txt").read_text() == "mine" and len(list(used.iterdir())) == 1
    afile = tmp_path / "afile"
    afile.write_text("x")
    result = run("init", afile)
    assert result.exit_code == 2 and "not a folder" in result.output
