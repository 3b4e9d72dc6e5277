#!/usr/bin/env python3
"""On-demand benchmark: `briefgen serve` latency (warm workers, uncached and cached) and
throughput, against the cold command line for the same brief.

    python benchmarks/on_demand.py                 # about 3 minutes on 2 cores
    python benchmarks/on_demand.py --runs 10 --cached-runs 100

Briefs: the repository sample's policy brief (``afghanistan-central-asia``) and the
300-development brief ``big`` of ``make_workspace.py 300``, as PDF and DOCX.

- **cold CLI**: ``briefgen build BRIEF -f FMT`` as a whole process (start-up, imports, loading,
  rendering, writing), median of ``--cli-runs`` after one unmeasured run.
- **uncached warm**: one client, one request at a time, to a server whose workers are warm
  (started, fonts and templates loaded, one render done). Each request has a different
  ``watermark`` so that the cache never answers; the watermark adds a little drawing, so this
  slightly overstates the time of the same brief without one.
- **cached**: the same URL again and again (the cache answers), one client on a kept-alive
  connection.
- **throughput**: 8 clients at once, each on its own connection, uncached (distinct watermarks)
  and cached, in requests per second.

Targets (issue 17): uncached warm PDF p50 at most 0.4 × the cold CLI time of the same brief;
cached under 20 ms. Writes benchmarks/RESULTS-ON-DEMAND.md (raw: WORKDIR/on-demand.json).
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
import run as bench  # noqa: E402  (the workspace cache and the measured-process helpers)

SAMPLE = "afghanistan-central-asia"
TARGET_UNCACHED = 0.4
TARGET_CACHED_MS = 20.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def cold_cli(briefgen: list[str], ws: Path, brief: str, fmt: str, out: Path, runs: int,
             env: dict) -> float:
    cmd = [*briefgen, "build", brief, "-f", fmt, "-w", str(ws), "-o", str(out)]
    times = []
    for i in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        if i:  # the first run fills the page cache and the .pyc files
            times.append(time.perf_counter() - started)
    return statistics.median(times)


class Server:
    def __init__(self, briefgen: list[str], ws: Path, workers: int, log: Path, env: dict):
        self.port = free_port()
        self.log = open(log, "wb")
        self.proc = subprocess.Popen([*briefgen, "serve", "-w", str(ws), "--port",
                                      str(self.port), "--workers", str(workers), "--queue", "64",
                                      "--time-limit", "600"],
                                     stdout=self.log, stderr=self.log, env=env)
        deadline = time.monotonic() + 120
        while True:
            try:
                if self.get("/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: see {log}")

    def get(self, path: str, conn: http.client.HTTPConnection | None = None):
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
        try:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            return r.status, body
        finally:
            if own:
                conn.close()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(30)
        self.log.close()


class Counter:
    def __init__(self):
        self.n = 0
        self.lock = threading.Lock()

    def next(self) -> int:
        with self.lock:
            self.n += 1
            return self.n


def latencies(server: Server, paths, runs: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    times = []
    for i in range(runs):
        path = paths(i)
        started = time.perf_counter()
        status, body = server.get(path, conn)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"{path}: {status} {body[:300]!r}")
    conn.close()
    return times


def throughput(server: Server, paths, clients: int, per_client: int) -> float:
    errors = []

    def client(c: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        for i in range(per_client):
            status, body = server.get(paths(c * per_client + i), conn)
            if status != 200:
                errors.append((status, body[:200]))
        conn.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"throughput run failed: {errors[:3]}")
    return clients * per_client / seconds


def measure_brief(server: Server, brief: str, fmt: str, runs: int, cached_runs: int,
                  tag: str) -> dict:
    base = f"/briefs/{brief}.{fmt}"
    latencies(server, lambda i: f"{base}?watermark=warm-{tag}-{i}", 2)  # unmeasured
    uncached = latencies(server, lambda i: f"{base}?watermark={tag}-{i}", runs)
    server.get(base)  # fills the cache
    cached = latencies(server, lambda i: base, cached_runs)
    return {"uncached": uncached, "cached": cached}


def summary(times: list[float]) -> dict:
    return {"p50_ms": percentile(times, 50) * 1000, "p95_ms": percentile(times, 95) * 1000,
            "n": len(times)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="uncached requests per brief/format")
    ap.add_argument("--big-runs", type=int, default=8, help="... for the 300-development brief")
    ap.add_argument("--cached-runs", type=int, default=200)
    ap.add_argument("--cli-runs", type=int, default=5)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--per-client", type=int, default=4, help="uncached requests per client")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                    help="the server's --workers (default: the number of cores)")
    ap.add_argument("--briefgen", default=f"{sys.executable} -m briefgen")
    ap.add_argument("--workdir", type=Path, default=HERE / "_work")
    ap.add_argument("--results", type=Path, default=HERE / "RESULTS-ON-DEMAND.md")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    briefgen = args.briefgen.split()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("PYTHONPYCACHEPREFIX", str(args.workdir / "pycache"))
    big_ws = bench.ensure_workspace(300, args.workdir, bench.make_workspace.DEFAULT_SEED)
    out = args.workdir / "on-demand-out"
    load_start = os.getloadavg()[0]
    cases = [("sample", REPO, SAMPLE, args.runs), ("300 developments", big_ws, "big",
                                                   args.big_runs)]
    rows = []
    for label, ws, brief, runs in cases:
        print(f"{label}: cold command line ...", flush=True)
        cli = {fmt: cold_cli(briefgen, ws, brief, fmt, out, args.cli_runs, env)
               for fmt in ("pdf", "docx")}
        server = Server(briefgen, ws, args.workers, args.workdir / "serve.log", env)
        try:
            for fmt in ("pdf", "docx"):
                print(f"{label} {fmt}: server, uncached and cached ...", flush=True)
                got = measure_brief(server, brief, fmt, runs, args.cached_runs,
                                    f"{label[:3]}{fmt}")
                row = {"case": label, "brief": brief, "format": fmt, "cli_s": cli[fmt],
                       "uncached": summary(got["uncached"]), "cached": summary(got["cached"])}
                if label == "sample":
                    print(f"{label} {fmt}: throughput, {args.clients} clients ...", flush=True)
                    counter = Counter()
                    row["rps_uncached"] = throughput(
                        server, lambda i: f"/briefs/{brief}.{fmt}?watermark=t{counter.next()}"
                        f"{fmt}", args.clients, args.per_client)
                    row["rps_cached"] = throughput(server, lambda i: f"/briefs/{brief}.{fmt}",
                                                   args.clients, 50)
                rows.append(row)
                print(json.dumps(row), flush=True)
        finally:
            server.stop()
    load_end = os.getloadavg()[0]
    (args.workdir / "on-demand.json").write_text(json.dumps(rows, indent=1))
    text = report(rows, args, load_start, load_end)
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


def report(rows: list[dict], args, load_start: float, load_end: float) -> str:
    lines = [
        "# briefgen on demand: `briefgen serve` benchmark results", "",
        f"Measured {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC with "
        f"`python benchmarks/on_demand.py` ({args.workers} workers).", "",
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; load average (1 min) {load_start:.2f} at the "
        f"start, {load_end:.2f} at the end.", "",
        "Latency in milliseconds, one client: p50 / p95. Uncached: a different watermark on "
        "each request, so the cache never answers (warm workers). Cached: the same URL again. "
        "Cold CLI: `briefgen build BRIEF -f FMT`, whole process, median.", "",
        "| brief | format | cold CLI ms | uncached p50 | uncached p95 | uncached / CLI | "
        "cached p50 | cached p95 | 8 clients uncached req/s | 8 clients cached req/s |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        u, c = r["uncached"], r["cached"]
        rps = (f"{r['rps_uncached']:.1f} | {r['rps_cached']:.0f}" if "rps_uncached" in r
               else "– | –")
        lines.append(f"| {r['case']} (`{r['brief']}`) | {r['format'].upper()} | "
                     f"{r['cli_s'] * 1000:.0f} | {u['p50_ms']:.0f} | {u['p95_ms']:.0f} | "
                     f"{u['p50_ms'] / (r['cli_s'] * 1000):.2f} | {c['p50_ms']:.1f} | "
                     f"{c['p95_ms']:.1f} | {rps} |")
    lines += ["", "| target | measured | limit | result |", "|---|---:|---:|---|"]
    for r in rows:
        if r["format"] == "pdf":
            ratio = r["uncached"]["p50_ms"] / (r["cli_s"] * 1000)
            lines.append(f"| uncached warm PDF p50 / cold CLI, {r['case']} | {ratio:.2f}× | "
                         f"{TARGET_UNCACHED}× | {'PASS' if ratio <= TARGET_UNCACHED else 'FAIL'} |")
    for r in rows:
        p50 = r["cached"]["p50_ms"]
        lines.append(f"| cached {r['format'].upper()} p50, {r['case']} | {p50:.1f} ms | "
                     f"{TARGET_CACHED_MS:.0f} ms | {'PASS' if p50 < TARGET_CACHED_MS else 'FAIL'} |")
    lines += ["", "Reproduce: `python benchmarks/on_demand.py` (see benchmarks/README.md).", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
