import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def write_workspace(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


MINIMAL = {
    "content/sources/s.yaml": """
        id: report-a
        title: Report A & annex
        publisher: Institute <One>
        authors: [Jane Roe]
        date: 2024-03
        reliability: B
        """,
    "content/actors/actors.yaml": """
        - id: uzbekistan
          name: Uzbekistan
          kind: state
          aliases: [Ўзбекистон, Узбекистан]
          summary: A state.
          relations:
            - {actor: sco, type: member of, since: 2001, sources: [report-a]}
        - id: sco
          name: Shanghai Cooperation Organisation
          kind: organisation
          summary: An organisation.
        - id: taliban
          name: Taliban
          kind: armed-group
          summary: A movement.
        """,
    "content/developments/d.yaml": """
        - id: kabul-falls
          date: 2021-08-15
          title: Kabul falls
          summary: The Taliban take Kabul.
          actors: [taliban]
          tags: [conflict]
          significance: high
          sources: [{source: report-a, credibility: 2, locator: p. 4}]
        - id: summit-2024
          date: 2024-09
          title: Summit in Tashkent
          summary: A summit & a statement.
          actors: [uzbekistan, sco]
          tags: [diplomacy]
        - id: year-2022
          date: 2022
          title: A year of talks
          summary: Talks throughout the year.
          actors: [uzbekistan]
          tags: [diplomacy]
          significance: low
        """,
    "content/briefs/main.yaml": """
        title: Main brief
        date: 2024-10-01
        marking: TLP:AMBER
        scope: {since: 2021}
        """,
}


@pytest.fixture
def workspace(tmp_path):
    """A small valid workspace; tests add or replace files through the returned writer."""
    def make(extra: dict[str, str] | None = None, drop: tuple[str, ...] = ()) -> Path:
        files = {k: v for k, v in MINIMAL.items() if k not in drop}
        files.update(extra or {})
        return write_workspace(tmp_path / "ws", files)
    return make
