"""``briefgen init``: a new workspace with one of everything, ready to build."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .errors import OutputError, UsageError
from .workspace_paths import display_path

SETTINGS = """\
# Workspace settings. Every key is optional.
organisation: Your organisation        # printed on the cover of every brief
marking: TLP:CLEAR                     # default marking; a brief's own 'marking' wins
paper: A4                              # A4 or letter
language: en                           # what the briefs are written in (en-GB, fa-AF, ps, ...)
theme: default                         # a built-in theme (default, modern, classic) or the path
                                       # of your own theme file, e.g. themes/house.yaml
"""

ACTOR = """\
# An actor: a state, organisation, armed group, movement, person or other. A file holds one
# actor (as here) or a list of them (each item starting with '- ').
id: northland                  # lowercase letters, digits and hyphens; unique among actors
name: Republic of Northland
kind: state                    # state, organisation, armed-group, movement, person, other
aliases: [Northland]
summary: >-
  A fictional state used as an example. Replace this text with a short profile in Markdown:
  *emphasis*, [links](https://example.org) and lists work.
sources: [example-report]
"""

DEVELOPMENT = """\
# A development: a dated event or change. Dates may be a year (2024), a month (2024-03) or a
# day (2024-03-15); they print at that precision.
id: northland-border-agreement
date: 2024-03
title: Northland agrees joint border patrols
summary: >-
  Northland and its neighbour agree to patrol their shared border together. Replace this
  example with a real development: what happened, in a few sentences of Markdown.
actors: [northland]
location: Northland
tags: [security]
significance: medium           # low, medium or high
sources:
  - {source: example-report, credibility: 2, locator: "p. 3"}
"""

SOURCE = """\
# A source that developments and actors cite by its id.
id: example-report
title: Example report on Northland
publisher: Example Institute
date: 2024-04
url: https://example.org/northland-report
reliability: B                 # Admiralty source reliability, A to F
"""

BRIEF = """\
# A brief. Its id is the file name (first-brief). Build it with: briefgen build first-brief
title: Northland - situation brief
subtitle: An example brief made by briefgen init
date: {today}
audience: Example readers
authors: [Your Name]
bluf: >-
  Northland's border agreement lowers the risk of incidents in the short term. Replace this
  bottom line with your own.
key_judgments:
  - text: Northland will likely keep the joint patrols through the year.
    likelihood: likely
    confidence: moderate
scope:
  actors: [northland]          # developments involving these actors
  since: 2024
recommendations:
  - Follow the patrols' first reports.
"""

README = """\
# {name}

A [briefgen](https://pypi.org/project/briefgen/) workspace. **To make it yours, edit the YAML
files under `content/`** (actors, developments, sources and briefs: copy the examples for more),
set your organisation and marking in `briefgen.yaml`, then build:

```sh
briefgen validate        # every problem, as file:line: message
briefgen build           # writes output/first-brief.pdf and output/first-brief.docx
briefgen watch           # rebuilds whenever you save a file; Ctrl-C stops
```

House style: `briefgen templates export policy-brief --extend` starts a template that
changes single blocks of the built-in one; a theme file (fonts, colours, logo) is named by
`theme:` in `briefgen.yaml`. `briefgen schema actor` (or development, source, brief, theme)
prints a JSON Schema for editors that check YAML as you type.
"""

GITIGNORE = "output/\n"


def init_workspace(folder: Path, today: dt.date | None = None) -> list[Path]:
    """Create a workspace in ``folder`` (new, or an empty folder); return the files written."""
    if folder.exists():
        if not folder.is_dir():
            raise UsageError("exists and is not a folder: choose a new folder name",
                             display_path(folder))
        if any(folder.iterdir()):
            raise UsageError("the folder is not empty: briefgen init only fills a new or empty "
                             "folder, so that nothing of yours is overwritten",
                             display_path(folder))
    today = today or dt.date.today()
    name = folder.resolve().name or "briefs"
    files = {
        "briefgen.yaml": SETTINGS,
        "content/actors/northland.yaml": ACTOR,
        "content/developments/northland-border-agreement.yaml": DEVELOPMENT,
        "content/sources/example-report.yaml": SOURCE,
        "content/briefs/first-brief.yaml": BRIEF.format(today=today.isoformat()),
        "README.md": README.format(name=name),
        ".gitignore": GITIGNORE,
    }
    written = []
    try:
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise OutputError(f"cannot create the workspace: {exc.strerror}",
                          display_path(folder)) from None
    return written
