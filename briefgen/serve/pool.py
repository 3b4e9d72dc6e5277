"""A pool of warm render workers, driven from the server's event loop.

Each worker is a process with a pipe; a request takes an idle worker, sends it a task and waits
for the reply without blocking the loop (the pipe's descriptor is watched by the loop). At most
``workers`` renders run at a time and at most ``queue`` more wait for a worker; beyond that a
request is refused at once (429). A render that outlasts the time limit has its worker killed
and replaced (503): a runaway template or a huge brief cannot hold a worker forever.

Workers are forked by a fork server that has imported the pipeline and both renderers once
(``multiprocessing``'s forkserver: forking the server itself, with its event loop and threads,
is not safe), so a replacement is ready in milliseconds plus its warm-up render.
"""
from __future__ import annotations

import asyncio
import multiprocessing
from pathlib import Path

from . import worker
from .worker import Reply, Task


class QueueFull(Exception):
    """Every worker is busy and the queue is full."""


class TimeLimit(Exception):
    """The render took longer than the time limit."""


class WorkerLost(Exception):
    """The worker died during the render (out of memory, killed)."""


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["briefgen.serve.worker"])
        return ctx
    return multiprocessing.get_context("spawn")


class _Worker:
    def __init__(self, process, conn):
        self.process = process
        self.conn = conn


class RenderPool:
    def __init__(self, root: Path, workers: int, queue: int, time_limit: float):
        self.root = Path(root).resolve()
        self.workers = workers
        self.queue = queue
        self.time_limit = time_limit
        self._ctx = _context()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._idle: asyncio.Queue | None = None
        self._all: set[_Worker] = set()
        self._admitted = 0
        self._starting: set[asyncio.Task] = set()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._idle = asyncio.Queue()
        for _ in range(self.workers):
            self._spawn()

    def _spawn(self) -> None:
        ours, theirs = self._ctx.Pipe()
        process = self._ctx.Process(target=worker.main, args=(theirs, str(self.root)),
                                    daemon=True, name="briefgen-render")
        process.start()
        theirs.close()
        w = _Worker(process, ours)
        self._all.add(w)
        task = self._loop.create_task(self._when_ready(w))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _when_ready(self, w: _Worker) -> None:
        try:
            await self._receive(w)
        except (EOFError, OSError):  # died while warming up: try once more, later
            self._drop(w)
            await asyncio.sleep(1)
            self._spawn()
            return
        self._idle.put_nowait(w)

    def _receive(self, w: _Worker) -> asyncio.Future:
        fut = self._loop.create_future()
        fd = w.conn.fileno()

        def readable() -> None:
            self._loop.remove_reader(fd)
            if fut.done():
                return
            try:
                fut.set_result(w.conn.recv())
            except Exception as exc:  # EOFError: the worker is gone
                fut.set_exception(exc)

        self._loop.add_reader(fd, readable)
        fut.add_done_callback(lambda _: self._loop.remove_reader(fd))
        return fut

    def _drop(self, w: _Worker) -> None:
        self._all.discard(w)
        if w.process.is_alive():
            w.process.kill()
        w.process.join(5)
        w.conn.close()

    def _replace(self, w: _Worker) -> None:
        self._drop(w)
        self._spawn()

    async def run(self, task: Task) -> Reply:
        if self._admitted >= self.workers + self.queue:
            raise QueueFull()
        self._admitted += 1
        try:
            w = await self._idle.get()
            try:
                w.conn.send(task)
                reply = await asyncio.wait_for(self._receive(w), self.time_limit)
            except asyncio.TimeoutError:
                self._replace(w)
                raise TimeLimit() from None
            except (EOFError, OSError):
                self._replace(w)
                raise WorkerLost() from None
            except BaseException:  # cancelled (the client went away): its reply is not read
                self._replace(w)
                raise
            self._idle.put_nowait(w)
            return reply
        finally:
            self._admitted -= 1

    async def close(self) -> None:
        for task in list(self._starting):
            task.cancel()
        for w in list(self._all):
            self._drop(w)
