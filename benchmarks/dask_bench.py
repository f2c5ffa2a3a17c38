"""Dask benchmark: many files on a distributed.LocalCluster of 1 and 2 workers against parse_many.

Writes ``--files`` synthetic MEDLINE files of ``--size-mb`` MB each (``synth.py``: fictional
records in PubMed's layout) in a temporary folder, then times, alternating round by round:

* ``parse_many(workers=1)``: the files parsed in this process, one after another (the baseline);
* ``parse_many(workers=N)``: worker processes of this machine, articles built here;
* ``parse_many(workers=N, transform=...)``: the same with the work done in the workers (a count);
* ``dask read_articles, N workers``: ``medline_parse.dask.read_articles(files).count()`` on a
  LocalCluster of N single-threaded worker processes (started once, not timed);
* ``dask read_dataframe, N workers``: the same with each partition made the Arrow-typed DataFrame.

``--memory-records N`` (default 30,000, a baseline file's worth) also reports what one worker needs
to hold one partition of N records: the peak memory above a process that only imported the library,
for the list of articles (a bag partition) and for the DataFrame (a read_dataframe partition).

Run ``python benchmarks/dask_bench.py --help``; the results are in ``docs/performance.md``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_synthetic

MB = 1_000_000


def _one(article: Any) -> int:
    """The transform of parse_many's worker-side contender (module level, so it pickles)."""
    return 1


def _contenders(files: list[str], workers: list[int]) -> dict[str, Callable[[Any], int]]:
    from medline_parse import dask as md
    from medline_parse import parse_many

    jobs: dict[str, Callable[[Any], int]] = {
        "parse_many(workers=1)": lambda _: sum(1 for _ in parse_many(files, workers=1)),
    }
    for n in workers:
        if n > 1:
            jobs[f"parse_many(workers={n})"] = lambda _, n=n: sum(
                1 for _ in parse_many(files, workers=n)
            )
            jobs[f"parse_many(workers={n}, transform)"] = lambda _, n=n: sum(
                parse_many(files, workers=n, transform=_one)
            )
    for n in workers:
        jobs[f"dask read_articles, {n} workers"] = lambda clients, n=n: int(
            clients[n].compute(md.read_articles(files).count()).result()
        )
        jobs[f"dask read_dataframe, {n} workers"] = lambda clients, n=n: int(
            sum(clients[n].compute(md.read_dataframe(files).map_partitions(len)).result())
        )
    return jobs


def _memory(path: str, records: int) -> dict[str, float]:
    """Peak MB above the imports for one partition of *records* records, in a fresh process."""
    out: dict[str, float] = {}
    for mode in ("articles", "dataframe"):
        result = subprocess.run(
            [sys.executable, __file__, "--measure", path, mode],
            capture_output=True,
            text=True,
            check=True,
        )
        out[mode] = float(result.stdout.strip())
    return out


def _measure(path: str, mode: str) -> None:
    """Print the peak memory (MB) of holding *path*'s articles as *mode*, above the imports."""
    from medline_parse import collect, parse
    from medline_parse.convert._common import ARTICLE_COLUMNS
    from medline_parse.dask.tables import article_frame

    article_frame(ARTICLE_COLUMNS, None, ())  # pandas and pyarrow imported
    with open("/proc/self/statm") as statm:  # resident pages now (ru_maxrss is a peak)
        before = int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    if mode == "dataframe":  # built as the task builds it: rows from the articles as they come
        held: Any = article_frame(ARTICLE_COLUMNS, None, parse(path))
    else:
        held = collect(parse(path))
    assert len(held)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{(peak - before) / 1024:.0f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=16, help="how many files (16)")
    parser.add_argument("--size-mb", type=float, default=2.0, help="MB per file (2)")
    parser.add_argument("--workers", default="1,2", help="cluster sizes to time (1,2)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (3); the median is shown")
    parser.add_argument("--memory-records", type=int, default=30_000, help="0: no memory figure")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--measure", nargs=2, metavar=("PATH", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        _measure(*args.measure)
        return 0
    from distributed import Client, LocalCluster

    workers = [int(n) for n in args.workers.split(",")]
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for n in range(args.files):
            path = Path(folder) / f"part{n:04d}.txt"
            write_synthetic(path, int(args.size_mb * MB), seed=n)
            files.append(str(path))
        total_mb = sum(os.path.getsize(f) for f in files) / MB
        clients: dict[int, Any] = {}
        clusters = []
        started: dict[int, float] = {}
        try:
            for n in workers:
                start = time.perf_counter()
                cluster = LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=":0",
                    silence_logs=logging.ERROR,
                )
                clusters.append(cluster)
                clients[n] = Client(cluster)
                started[n] = time.perf_counter() - start
            jobs = _contenders(files, workers)
            times: dict[str, list[float]] = {name: [] for name in jobs}
            counts: dict[str, int] = {}
            for job in jobs.values():  # warm up: the workers import the library and pandas
                job(clients)
            for _ in range(args.repeat):
                for name, job in jobs.items():
                    start = time.perf_counter()
                    counts[name] = job(clients)
                    times[name].append(time.perf_counter() - start)
        finally:
            for client in clients.values():
                client.close()
            for cluster in clusters:
                cluster.close()
        memory: dict[str, float] = {}
        if args.memory_records:
            from medline_parse import collect, parse

            one = Path(folder) / "baseline.txt"
            size = args.memory_records / max(1, len(collect(parse(files[0])))) * args.size_mb
            write_synthetic(one, int(size * MB) + 1, seed=99)
            memory = _memory(str(one), args.memory_records)
            memory["records"] = len(collect(parse(str(one))))
            memory["file MB"] = round(one.stat().st_size / MB, 1)
    base = statistics.median(times["parse_many(workers=1)"])
    print(
        f"{args.files} files, {total_mb:.0f} MB, {counts['parse_many(workers=1)']} records; "
        f"{os.cpu_count()} cores; Python {platform.python_version()}; cluster start "
        + ", ".join(f"{n} workers {s:.1f} s" for n, s in started.items())
    )
    print(f"{'contender':40} {'median s':>9} {'records/s':>10} {'x serial':>9}")
    rows = []
    for name, values in times.items():
        median = statistics.median(values)
        assert counts[name] == counts["parse_many(workers=1)"], name
        rows.append({"contender": name, "median_s": median, "speedup": base / median})
        print(f"{name:40} {median:9.2f} {counts[name] / median:10.0f} {base / median:9.2f}")
    if memory:
        print(
            f"one partition of {memory['records']:.0f} records ({memory['file MB']} MB of text): "
            f"{memory['articles']:.0f} MB as articles, {memory['dataframe']:.0f} MB as a DataFrame "
            "(peak, above the imports)"
        )
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "memory": memory}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
