"""A brief's language (`language:` in the brief, else in briefgen.yaml, else en) is the language
each format declares: the PDF's /Lang (what a screen reader picks its voice by), the DOCX's
default w:lang and core property, the HTML's <html lang>. A Dari desk's brief is no longer
announced as English."""
from __future__ import annotations

import io
import re
import zipfile

import pypdf
from click.testing import CliRunner
from lxml import etree

from briefgen.cli import main

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def build(root, *args):
    return CliRunner().invoke(main, ["build", "-w", str(root), "-f", "all", *args])


def word_slots(out, brief: str) -> dict[str, str]:
    """Word's language per script slot (w:lang's val, bidi and eastAsia)."""
    with zipfile.ZipFile(out / f"{brief}.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    return {k[len(W):]: v for k, v in lang.attrib.items()}


def declared(out, brief: str) -> dict[str, str]:
    pdf = pypdf.PdfReader(io.BytesIO((out / f"{brief}.pdf").read_bytes()))
    with zipfile.ZipFile(out / f"{brief}.docx") as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
        core = etree.fromstring(z.read("docProps/core.xml"))
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    html = (out / f"{brief}.html").read_text(encoding="utf-8")
    return {"pdf": str(pdf.trailer["/Root"]["/Lang"]),
            "docx": lang.get(f"{W}val"),
            "docx core": core.findtext("{http://purl.org/dc/elements/1.1/}language"),
            "html": re.search(r'<html lang="([^"]*)"', html).group(1)}


def test_the_briefs_language_is_declared_in_every_format(workspace):
    root = workspace({"content/briefs/dari.yaml": """
        title: Dari brief
        date: 2024-10-01
        marking: TLP:AMBER
        language: fa-AF
        scope: {since: 2021}
        """})
    result = build(root)
    assert result.exit_code == 0, result.output
    out = root / "output"
    assert set(declared(out, "dari").values()) == {"fa-AF"}
    assert word_slots(out, "dari")["bidi"] == "fa-AF"  # the complex-script slot: Dari's
    assert set(declared(out, "main").values()) == {"en"}  # none given: English, as before


def test_a_chinese_brief_says_so_in_words_east_asian_slot(workspace):
    root = workspace({"content/briefs/main.yaml": """
        title: Main brief
        date: 2024-10-01
        marking: TLP:AMBER
        language: zh-Hans
        """})
    result = build(root)
    assert result.exit_code == 0, result.output
    assert set(declared(root / "output", "main").values()) == {"zh-Hans"}
    assert word_slots(root / "output", "main")["eastAsia"] == "zh-Hans"


def test_the_workspace_language_is_the_default_of_its_briefs(workspace):
    root = workspace({"briefgen.yaml": "language: en-GB\n",
                      "content/briefs/pashto.yaml": """
        title: Pashto brief
        date: 2024-10-01
        marking: TLP:AMBER
        language: ps
        """})
    result = build(root)
    assert result.exit_code == 0, result.output
    assert set(declared(root / "output", "main").values()) == {"en-GB"}
    assert set(declared(root / "output", "pashto").values()) == {"ps"}


def test_a_language_that_is_no_tag_is_refused_at_its_line(workspace):
    root = workspace({"content/briefs/main.yaml": """
        title: Main brief
        date: 2024-10-01
        marking: TLP:AMBER
        language: Pashto
        """})
    result = build(root)
    assert result.exit_code == 1
    assert ("content/briefs/main.yaml:4: language must be a language tag such as 'en', "
            "'en-GB', 'ps' or 'fa-AF', not 'Pashto'") in result.output
    assert not (root / "output").exists() or not any((root / "output").iterdir())
