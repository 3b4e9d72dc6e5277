"""Loading a big workspace on several cores gives exactly what loading it in one process gives."""
import os
from concurrent.futures import ProcessPoolExecutor

import pytest

from briefgen import loading
from briefgen.errors import ContentError
from briefgen.loading import load_workspace, split

# Problems in several files, of every origin: the YAML loader (duplicate key, syntax error),
# field checks, duplicate ids across files and inside a one-line flow list (the duplicate-id
# problem shares its line with the item's own problems), cross-references; and warnings.
BAD = {
    "content/developments/2019.yaml": """
        - id: d1
          date: 2019-02-30
          title: Impossible date
          summary: x
          colour: red
        - id: d2
          date: 2019
          title: Unknown actor
          summary: x
          actors: [talibn]
          sources: [no-such-source]
        """,
    "content/developments/2020.yaml": """
        - {id: d1, date: 2020, title: T, summary: x}
        - {id: d3, date: 2020, summary: no title, significance: huge}
        - {id: d3, date: 2020, summary: again no title, colour: blue}
        """,
    "content/developments/2021.yaml": """
        - id: d4
          date: 2021
          date: 2022
          title: Twice dated
          summary: x
        """,
    "content/developments/2022.yaml": "- id: d5\n  date: [2022\n",
    "content/developments/2023.yaml": "[{id: d1, date: 2020, title: T, summary: x}, "
                                      "{id: d9, date: 2020, summary: no title}]\n",
    "content/sources/more.yaml": """
        - id: report-a
          title: The same id as in s.yaml
        - id: report-b
          title: B
          reliability: Z
        """,
    "content/actors/more.yaml": """
        - id: taliban
          name: Again
          kind: armed-group
          summary: x
          mood: calm
        - 42
        """,
}


def _outcome(root, processes):
    try:
        ws = load_workspace(root, processes=processes)
    except ContentError as exc:
        return "problems", [str(p) for p in exc.problems]
    return "ok", ws


@pytest.fixture
def spy(monkeypatch):
    """Records how many processes parsed the files, at each load."""
    used = []

    class Spy(loading._Files):
        def results(self):
            used.append(self.processes)
            return super().results()

    monkeypatch.setattr(loading, "_Files", Spy)
    return used


def test_problems_from_several_processes_match_one_process(workspace, spy):
    root = workspace(BAD)
    serial = _outcome(root, 1)
    parallel = _outcome(root, 3)
    assert spy == [1, 3]
    assert serial[0] == parallel[0] == "problems"
    assert parallel[1] == serial[1]
    found = parallel[1]
    names = [p.split(":", 1)[0].rsplit("/", 1)[-1] for p in found]
    assert {"2019.yaml", "2020.yaml", "2021.yaml", "2022.yaml", "more.yaml"} <= set(names)
    text = "\n".join(found)
    assert "2019.yaml:2: 'date': '2019-02-30' does not exist" in text
    assert "2020.yaml:1: duplicate development id 'd1': already defined at" in text
    assert "2020.yaml:3: duplicate development id 'd3'" in text
    assert "2021.yaml:3: the key 'date' appears twice" in text
    assert "2022.yaml:" in text and "YAML syntax error" in text
    assert "sources/s.yaml:1: duplicate source id 'report-a': already defined at " in text
    assert "2019.yaml:10: unknown actor 'talibn'" in text
    # a one-pass load reports the first item's duplicate id before the next item's problems
    on_one_line = [p.split(": ", 1)[1] for p in found if "2023.yaml:1:" in p]
    assert on_one_line[0].startswith("duplicate development id 'd1'")
    assert on_one_line[1] == "a development needs a 'title' field"


def test_settings_and_theme_problems_are_reported_with_the_files_either_way(workspace):
    root = workspace({**BAD, "briefgen.yaml": "organisation: X\ntheme: no-such-theme\n"
                                               "paper: A3\n"})
    serial, parallel = _outcome(root, 1), _outcome(root, 2)
    assert parallel == serial
    settings = [p.split("briefgen.yaml:", 1)[1] for p in serial[1] if "briefgen.yaml:" in p]
    assert settings[0].startswith("2: no built-in theme 'no-such-theme'")
    assert settings[1].startswith("3: paper must be A4 or letter")
    assert len(serial[1]) > 10


def test_warnings_and_corpus_from_several_processes_match_one_process(workspace, spy):
    extra = {f"content/developments/{year}.yaml": "".join(
        f"- id: dev-{year}-{i}\n  date: {year}-0{1 + i % 9}\n  title: Development {i}\n"
        f"  summary: Text {i} of {year}.\n  actors: [taliban]\n  tags: [t{i % 3}]\n"
        f"  sources: [{{source: report-a, credibility: {1 + i % 6}}}]\n"
        + ("  colour: red\n" if i % 7 == 0 else "")
        for i in range(40)) for year in range(2010, 2016)}
    root = workspace(extra)
    serial = load_workspace(root, processes=1)
    parallel = load_workspace(root, processes=2)
    assert spy == [1, 2]
    assert [str(w) for w in parallel.warnings] == [str(w) for w in serial.warnings]
    assert len(parallel.warnings) == 6 * 6
    assert parallel.corpus == serial.corpus
    assert list(parallel.corpus.developments) == list(serial.corpus.developments)
    assert len(parallel.corpus.developments) == 3 + 6 * 40
    assert parallel.theme == serial.theme and parallel.theme_files == serial.theme_files


def test_a_small_workspace_stays_in_one_process(workspace, spy):
    load_workspace(workspace())
    assert spy == [1]


def test_a_big_workspace_uses_the_usable_cores(workspace, spy, monkeypatch):
    monkeypatch.setattr(loading, "usable_cores", lambda: 2)
    monkeypatch.setattr(loading, "PARALLEL_MIN_BYTES", 1)
    root = workspace(BAD)
    assert _outcome(root, None) == _outcome(root, 1)
    assert spy == [2, 1]


def _processes_in_a_worker(root):
    loading.PARALLEL_MIN_BYTES = 1  # this worker's copy only
    return loading._processes_for(loading.content_tasks(root))


def test_no_pool_inside_a_pool_worker(workspace, monkeypatch):
    root = workspace(BAD)
    monkeypatch.setattr(loading, "PARALLEL_MIN_BYTES", 1)
    assert loading._processes_for(loading.content_tasks(root)) > 1 or os.cpu_count() == 1
    with ProcessPoolExecutor(max_workers=1) as pool:
        assert pool.submit(_processes_in_a_worker, root).result() == 1


def test_split_balances_sizes_and_keeps_task_order():
    groups = split([5, 1, 8, 3, 3, 1], 2)
    assert sorted(i for g in groups for i in g) == list(range(6))
    assert all(g == sorted(g) for g in groups)
    assert sorted(sum([5, 1, 8, 3, 3, 1][i] for i in g) for g in groups) == [10, 11]
    assert split([1, 1], 3)[2] == []


def _dies(tasks):
    os._exit(3)


def test_a_worker_that_dies_is_redone_here(workspace, monkeypatch):
    root = workspace(BAD)
    expected = _outcome(root, 1)
    monkeypatch.setattr(loading, "_load_files", _dies)  # what the pool is given to run
    assert _outcome(root, 2) == expected


def test_without_processes_the_load_is_serial_and_the_same(workspace, spy, monkeypatch):
    import concurrent.futures

    def unavailable(*args, **kwargs):
        raise NotImplementedError("no semaphores here")

    root = workspace(BAD)
    expected = _outcome(root, 1)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", unavailable)
    assert _outcome(root, 2) == expected
    assert spy == [1, 1]
