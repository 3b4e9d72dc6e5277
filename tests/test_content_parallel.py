"""Loading a big workspace on several cores gives exactly what loading it in one process gives."""
import os
import threading

import pytest

from briefgen import fanout
from briefgen.content import workspace as workspace_mod
from briefgen.fanout import Fanout, split
from briefgen.content.workspace import load_workspace
from briefgen.errors import ContentError

needs_fork = pytest.mark.skipif(not fanout.can_fork(), reason="no os.fork here")

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


def _outcome(root, threshold):
    try:
        ws = load_workspace(root, parallel_min_bytes=threshold)
    except ContentError as exc:
        return "problems", [str(p) for p in exc.problems]
    return "ok", ws


@pytest.fixture
def spy(monkeypatch):
    """Records how many processes each Fanout used."""
    used = []

    class Spy(Fanout):
        def results(self):
            used.append(self.processes)
            return super().results()

    monkeypatch.setattr(workspace_mod, "Fanout", Spy)
    monkeypatch.setattr(fanout, "usable_cores", lambda: 2)
    return used


@needs_fork
def test_problems_from_several_processes_match_one_process(workspace, spy):
    root = workspace(BAD)
    serial = _outcome(root, 10**12)
    parallel = _outcome(root, 0)
    assert spy == [1, 2]
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


@needs_fork
def test_warnings_and_corpus_from_several_processes_match_one_process(workspace, spy):
    extra = {f"content/developments/{year}.yaml": "".join(
        f"- id: dev-{year}-{i}\n  date: {year}-0{1 + i % 9}\n  title: Development {i}\n"
        f"  summary: Text {i} of {year}.\n  actors: [taliban]\n  tags: [t{i % 3}]\n"
        f"  sources: [{{source: report-a, credibility: {1 + i % 6}}}]\n"
        + ("  colour: red\n" if i % 7 == 0 else "")
        for i in range(40)) for year in range(2010, 2016)}
    root = workspace(extra)
    serial = load_workspace(root, parallel_min_bytes=10**12)
    parallel = load_workspace(root, parallel_min_bytes=0)
    assert spy == [1, 2]
    assert [str(w) for w in parallel.warnings] == [str(w) for w in serial.warnings]
    assert len(parallel.warnings) == 6 * 6
    assert parallel.corpus == serial.corpus
    assert list(parallel.corpus.developments) == list(serial.corpus.developments)
    assert len(parallel.corpus.developments) == 3 + 6 * 40


def test_a_small_workspace_stays_in_one_process(workspace, spy):
    load_workspace(workspace())
    assert spy == [1]


def test_split_balances_sizes_and_keeps_task_order():
    groups = split([5, 1, 8, 3, 3, 1], 2)
    assert sorted(i for g in groups for i in g) == list(range(6))
    assert all(g == sorted(g) for g in groups)
    assert sorted(sum([5, 1, 8, 3, 3, 1][i] for i in g) for g in groups) == [10, 11]
    assert split([1, 1], 3)[2] == []


@needs_fork
def test_fanout_returns_results_in_task_order():
    fan = Fanout(lambda n: (n, n * n, os.getpid()), range(10), [1] * 10, 0, processes=3)
    assert fan.processes == 3
    results = fan.results()
    assert [r[:2] for r in results] == [(n, n * n) for n in range(10)]
    assert len({r[2] for r in results}) == 3  # three processes did the work


@needs_fork
def test_a_child_that_fails_is_redone_here():
    parent = os.getpid()

    def work(n):
        if os.getpid() != parent and n == 7:
            raise RuntimeError("only in the child")
        return n + 1

    assert Fanout(work, range(10), [1] * 10, 0, processes=2).results() == list(range(1, 11))


@needs_fork
def test_a_child_that_dies_is_redone_here():
    parent = os.getpid()

    def work(n):
        if os.getpid() != parent:
            os._exit(3)
        return -n

    assert Fanout(work, range(6), [1] * 6, 0, processes=2).results() == [0, -1, -2, -3, -4, -5]


@needs_fork
def test_here_false_gives_every_task_to_children_even_a_single_one():
    parent = os.getpid()
    one = Fanout(lambda n: os.getpid(), [0], [1], min_size=1, processes=2, here=False)
    assert one.processes == 2 and one._own == []
    assert one.results()[0] != parent
    two = Fanout(lambda n: os.getpid(), [0, 1], [1, 1], min_size=1, processes=2, here=False)
    assert two.processes == 2 and two._own == []
    assert parent not in two.results()


def test_no_fork_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        fan = Fanout(lambda n: n, range(4), [1] * 4, 0, processes=2)
        assert fan.processes == 1 and fan.results() == [0, 1, 2, 3]
    finally:
        stop.set()
        thread.join()


def test_without_fork_the_load_is_serial_and_the_same(workspace, spy, monkeypatch):
    root = workspace(BAD)
    expected = _outcome(root, 10**12)
    monkeypatch.delattr(os, "fork")
    assert _outcome(root, 0) == expected
    assert spy == [1, 1]
