"""Independent per-file work spread over the machine's cores with ``os.fork``, for big inputs.

Loading a big workspace is mostly per-file work (YAML parsing, field checks) that needs nothing
from the other files. ``Fanout`` forks one child process per extra core, before the caller does
anything else; each child works through its share of the tasks and sends the results back
through a pipe, pickled, while this process does its own share (and whatever else it has to
do). Results come back in task order, so the caller cannot tell how they were computed.

Anything unusual means doing the work here, in this process, as if there were one core: no
``os.fork`` (Windows), macOS (where forking a process that may have touched system frameworks
is unsafe), another thread running (forking a threaded process can deadlock the child), fewer
than two usable cores, a small input, a fork that fails, a child that dies or sends back
something unreadable. A child never returns into the caller's code: it leaves with
``os._exit``, so no ``atexit`` handler, buffered output or test-runner teardown runs twice.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from typing import Callable, Sequence

MAX_PROCESSES = 8
# A child also pickles its results, which costs about this fraction of its work (measured on
# workspace files): this process takes a little more than an even share to even that out.
CHILD_OVERHEAD = 0.06


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    return (hasattr(os, "fork") and sys.platform != "darwin"
            and threading.active_count() == 1)


def split(sizes: Sequence[int], parts: int, head_start: float = 0.0) -> list[list[int]]:
    """Task indices in ``parts`` groups of about equal total size (biggest first, each to the
    lightest group), each group in task order. The first group counts as ``head_start`` (a
    fraction of the total) lighter than it is: it gets that much more work."""
    groups: list[list[int]] = [[] for _ in range(parts)]
    loads = [0.0] * parts
    loads[0] = -head_start * sum(sizes)
    for i in sorted(range(len(sizes)), key=lambda i: (-sizes[i], i)):
        lightest = loads.index(min(loads))
        groups[lightest].append(i)
        loads[lightest] += sizes[i]
    return [sorted(group) for group in groups]


class _Child:
    def __init__(self, pid: int, fd: int, indices: list[int]):
        self.pid, self.fd, self.indices = pid, fd, indices

    def collect(self) -> list | None:
        """The child's results, or None if it did not deliver them all."""
        try:
            with open(self.fd, "rb") as pipe:
                self.fd = -1
                payload = pipe.read()
        except OSError:
            payload = b""
        ok = self.reap() == 0
        if not ok or not payload:
            return None
        try:
            results = pickle.loads(payload)
        except Exception:
            return None
        return results if isinstance(results, list) and len(results) == len(self.indices) \
            else None

    def reap(self, kill: bool = False) -> int | None:
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self.pid <= 0:
            return None
        if kill:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
        try:
            _, status = os.waitpid(self.pid, 0)
            code = os.waitstatus_to_exitcode(status)
        except ChildProcessError:  # someone else reaped it (a SIGCHLD handler): trust nothing
            code = None
        self.pid = 0
        return code


class Fanout:
    """Run ``func(task)`` for every task, spread over processes when the tasks are big enough.

        fan = Fanout(func, tasks, sizes, min_size=1_000_000)   # children start working here
        ... other work ...
        results = fan.results()                                 # this process's share, then theirs

    ``func`` must not raise (a child's exception means redoing its share here, where it would
    raise again for the caller to see), and its results must be cheap to pickle.
    """

    def __init__(self, func: Callable, tasks: Sequence, sizes: Sequence[int], min_size: int,
                 processes: int | None = None, here: bool = True):
        self.func, self.tasks = func, list(tasks)
        self._children: list[_Child] = []
        total = sum(sizes)
        if processes is None:
            processes = usable_cores() if total >= min_size else 1
        # at most one process per task, plus this one when it takes none (here=False)
        processes = max(1, min(processes, MAX_PROCESSES, len(self.tasks) + (not here)))
        if processes > 1 and not can_fork():
            processes = 1
        if here or processes == 1:
            groups = split(sizes, processes, CHILD_OVERHEAD / processes)
        else:  # this process has other work: the children take every task
            groups = [[], *split(sizes, processes - 1)]
        self._own = groups[0]
        try:
            for group in groups[1:]:
                if group:
                    self._start(group)
        except BaseException:
            self.close()
            raise

    def _start(self, indices: list[int]) -> None:
        try:
            read_fd, write_fd = os.pipe()
        except OSError:
            self._own += indices
            return
        try:
            pid = os.fork()
        except OSError:  # no memory, too many processes ...: do this share here
            os.close(read_fd)
            os.close(write_fd)
            self._own += indices
            return
        if pid == 0:  # the child: work, send, leave; never return into the caller
            status = 1
            try:
                os.close(read_fd)
                payload = pickle.dumps([self.func(self.tasks[i]) for i in indices],
                                       pickle.HIGHEST_PROTOCOL)
                with open(write_fd, "wb") as pipe:
                    pipe.write(payload)
                status = 0
            except BaseException:
                pass
            finally:
                os._exit(status)
        os.close(write_fd)
        self._children.append(_Child(pid, read_fd, indices))

    @property
    def processes(self) -> int:
        """How many processes work on the tasks (this one included)."""
        return 1 + len(self._children)

    def results(self) -> list:
        out: list = [None] * len(self.tasks)
        try:
            for i in sorted(self._own):
                out[i] = self.func(self.tasks[i])
            for child in self._children:
                got = child.collect()
                if got is None:
                    got = [self.func(self.tasks[i]) for i in child.indices]
                for i, result in zip(child.indices, got):
                    out[i] = result
        finally:
            self.close()
        return out

    def close(self) -> None:
        """Stop and reap any child still running (after an interruption, say)."""
        for child in self._children:
            if child.pid > 0:
                child.reap(kill=True)
        self._children = []
