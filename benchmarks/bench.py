"""Benchmark harness for medline-parse (issue 6, "Performance").

Builds an input of at least ``--size-mb`` MB from ``../shared/corpus`` (or, without it or with
``--synthetic``, from the generator in ``synth.py``) in a temporary folder, then times, in one run
and alternating the contenders round by round:

* ``parse``: ``medline_parse.parse`` (typed articles; reads authors, mesh and history of each),
* ``iter_records``: ``medline_parse.iter_records`` (tokenizer alone; reads every field),
* ``dumps``: the writer (``medline_parse.medline.writer.iter_text``) on articles parsed beforehand,
* ``biopython``: ``Bio.Medline.parse`` (reads ``AU`` and ``MH`` of each record),
* ``lines``: plain line iteration over the file, the floor for anything that reads text.

Each contender's peak memory is measured in a fresh subprocess, as MB above the peak of a
subprocess that only imports the same modules.  ``--memory-gb N`` also builds an N GB input
(streamed to disk) and reports ``parse``'s peak memory on it.

Run ``python benchmarks/bench.py --help``; see ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth import write_synthetic

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
MB = 1_000_000
KB_TO_MB = 1024 / MB
"""/proc and getrusage report KiB; the tables use MB (10^6 B) throughout."""
MEMORY_TARGET_MB = 50.0

CONTENDERS: tuple[str, ...] = ("parse", "iter_records", "dumps", "biopython", "lines")
LABELS: dict[str, str] = {
    "parse": "medline_parse.parse",
    "iter_records": "medline_parse.iter_records",
    "dumps": "medline_parse writer (dumps)",
    "biopython": "Bio.Medline.parse",
    "lines": "for line in open(...)",
}
TABLE_HEADER = (
    f"{'contender':<30} {'records':>8} {'median s':>9} {'best s':>8} {'records/s':>10} "
    f"{'MB/s':>7} {'x Bio':>6} {'peak MB':>8}"
)
NO_BIOPYTHON = "Bio.Medline.parse: skipped, Biopython is not installed (pip install '.[bench]')"


# ---------------------------------------------------------------- input


def corpus_files(corpus: Path = CORPUS) -> list[Path]:
    """The corpus's MEDLINE files (every file but SOURCES.tsv), sorted; [] when it is absent."""
    if not corpus.is_dir():
        return []
    return sorted(p for p in corpus.iterdir() if p.is_file() and p.name != "SOURCES.tsv")


def _normalised(path: Path) -> bytes:
    """One corpus file with LF line endings, no BOM, ending with one blank separator line."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data.rstrip(b"\n") + b"\n\n"


def _count_pmids(data: bytes) -> int:
    return data.count(b"\nPMID-") + data.startswith(b"PMID-")


@dataclass
class Input:
    path: Path
    size: int
    records: int
    source: str


def build_input(path: Path, target: int, *, synthetic: bool, seed: int = 0) -> Input:
    """Write at least *target* bytes of MEDLINE text to *path*, streaming (one file at a time).

    From the corpus: its files, normalised (:func:`_normalised`), concatenated in name order and
    repeated until the size is reached.  Otherwise synthetic records.  *records* counts PMID lines.
    """
    files = [] if synthetic else corpus_files()
    if not files:
        size, records = write_synthetic(path, target, seed)
        return Input(path, size, records, f"synthetic records (benchmarks/synth.py, seed {seed})")
    chunks = [_normalised(p) for p in files]
    counts = [_count_pmids(c) for c in chunks]
    size = records = passes = 0
    with open(path, "wb") as out:
        while size < target:
            passes += 1
            for chunk, count in zip(chunks, counts, strict=True):
                out.write(chunk)
                size += len(chunk)
                records += count
                if size >= target:
                    break
    return Input(path, size, records, f"{CORPUS} ({len(files)} files, {passes} passes)")


# ---------------------------------------------------------------- contenders


def have_biopython() -> bool:
    try:
        import Bio.Medline  # noqa: F401
    except ImportError:
        return False
    return True


def _import_all() -> None:
    """Import every module a contender uses, so the memory baseline holds them too."""
    import medline_parse
    import medline_parse.medline.writer  # noqa: F401

    if have_biopython():
        import Bio.Medline  # noqa: F401


Result = tuple[int, int]
"""(records, checksum): the checksum keeps the loop's reads from being optimised into nothing."""


def run_parse(path: Path, _articles: list[Any] | None) -> Result:
    import medline_parse

    count = n = 0
    for a in medline_parse.parse(path):
        n += len(a.authors) + len(a.mesh) + len(a.history)
        count += 1
    return count, n


def run_iter_records(path: Path, _articles: list[Any] | None) -> Result:
    import medline_parse

    count = n = 0
    for r in medline_parse.iter_records(path):
        for f in r.fields:
            n += f.line
        count += 1
    return count, n


def run_dumps(_path: Path, articles: list[Any] | None) -> Result:
    from medline_parse.medline.writer import iter_text

    assert articles is not None
    n = 0
    for chunk in iter_text(articles):
        n += len(chunk)
    return len(articles), n


def run_biopython(path: Path, _articles: list[Any] | None) -> Result:
    from Bio import Medline

    count = n = 0
    with open(path, encoding="utf-8") as handle:
        for r in Medline.parse(handle):  # type: ignore[no-untyped-call]
            n += len(r.get("AU", ())) + len(r.get("MH", ()))
            count += 1
    return count, n


def run_lines(path: Path, _articles: list[Any] | None) -> Result:
    n = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            n += len(line)
    return -1, n  # records: the input's count (a line loop does not know records)


RUNNERS: dict[str, Callable[[Path, list[Any] | None], Result]] = {
    "parse": run_parse,
    "iter_records": run_iter_records,
    "dumps": run_dumps,
    "biopython": run_biopython,
    "lines": run_lines,
}


def load_articles(path: Path) -> list[Any]:
    """The input's articles, held in memory and frozen out of the cyclic GC's reach.

    Freezing keeps millions of long-lived objects from making every other contender's full
    collections slower, which would charge them for the writer's input.
    """
    import medline_parse

    articles = list(medline_parse.parse(path))
    gc.collect()
    gc.freeze()
    return articles


# ---------------------------------------------------------------- memory (child processes)


def _status_kb(key: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _peak_kb() -> int:
    peak = _status_kb("VmHWM")
    if peak is not None:
        return peak
    import resource

    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss // 1024 if sys.platform == "darwin" else rss


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux >= 4.0); whether it worked."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def child_main(name: str, path: Path) -> int:
    """Entry point of a memory subprocess: run *name* once and print one JSON line."""
    _import_all()
    out: dict[str, Any] = {"name": name}
    if name == "baseline":
        out["peak_kb"] = _peak_kb()
    elif name == "dumps":
        articles = load_articles(path)
        out["held_kb"] = _status_kb("VmRSS")
        out["reset"] = _reset_peak()
        out["before_kb"] = _status_kb("VmRSS") if out["reset"] else None
        out["records"], _ = run_dumps(path, articles)
        out["peak_kb"] = _peak_kb()
    else:
        out["records"], _ = RUNNERS[name](path, None)
        out["peak_kb"] = _peak_kb()
    print(json.dumps(out))
    return 0


def run_child(name: str, path: Path) -> dict[str, Any]:
    """Run :func:`child_main` in a fresh interpreter and return its report."""
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", name, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"memory subprocess for {name} failed:\n{proc.stderr.strip()}")
    report: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return report


# ---------------------------------------------------------------- machine


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def machine_info() -> dict[str, Any]:
    import medline_parse

    try:
        import Bio

        bio_version: str | None = Bio.__version__
    except ImportError:
        bio_version = None
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count() or 0
    return {
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "medline_parse": medline_parse.__version__,
        "compiled": medline_parse.COMPILED,
        "biopython": bio_version,
    }


# ---------------------------------------------------------------- benchmark


@dataclass
class Row:
    name: str
    label: str
    records: int = 0
    times: list[float] = field(default_factory=list)
    median: float | None = None
    best: float | None = None
    records_per_s: float | None = None
    mb_per_s: float | None = None
    ratio_to_biopython: float | None = None
    peak_mb: float | None = None
    note: str = ""
    error: str | None = None


def _above(peak_kb: int, base_kb: int) -> float:
    """MB of *peak_kb* above *base_kb*; noise below the baseline reads as 0."""
    return max(0.0, (peak_kb - base_kb) * KB_TO_MB)


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def format_row(row: Row) -> str:
    if row.error:
        return f"{row.label:<30} failed: {row.error}"
    peak = _fmt(row.peak_mb, ".1f") + ("*" if row.note else "")
    return (
        f"{row.label:<30} {row.records:>8} {_fmt(row.median, '.3f'):>9} {_fmt(row.best, '.3f'):>8} "
        f"{_fmt(row.records_per_s, ',.0f'):>10} {_fmt(row.mb_per_s, '.1f'):>7} "
        f"{_fmt(row.ratio_to_biopython, '.2f'):>6} {peak:>8}"
    )


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}
"""``--clock``: wall time, or this process's CPU time (steadier on a machine other jobs load)."""


def time_rounds(
    names: list[str],
    data: Input,
    repeat: int,
    articles: list[Any] | None,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Row]:
    rows = {name: Row(name, LABELS[name]) for name in names}
    for round_no in range(1, repeat + 1):
        line = []
        for name in names:
            row = rows[name]
            if row.error:
                continue
            gc.collect()
            start = clock()
            try:
                records, _ = RUNNERS[name](data.path, articles)
            except Exception as exc:  # one broken contender must not hide the others
                row.error = f"{type(exc).__name__}: {exc}"
                continue
            elapsed = clock() - start
            row.times.append(elapsed)
            row.records = data.records if records < 0 else records
            line.append(f"{name} {elapsed:.2f}s")
        print(f"  round {round_no}/{repeat}: " + ", ".join(line), flush=True)
    for row in rows.values():
        if row.times:
            row.median = statistics.median(row.times)
            row.best = min(row.times)
            row.records_per_s = row.records / row.median if row.median else None
            row.mb_per_s = data.size / MB / row.median if row.median else None
    bio = rows.get("biopython")
    if bio is not None and bio.median:
        for row in rows.values():
            if row.median is not None:
                row.ratio_to_biopython = row.median / bio.median
    return rows


def measure_memory(rows: dict[str, Row], data: Input) -> tuple[float, list[str]]:
    """Fill each row's peak_mb; the baseline in MB and footnotes."""
    baseline_kb = run_child("baseline", data.path)["peak_kb"]
    notes: list[str] = []
    for name, row in rows.items():
        if row.error:
            continue
        print(f"  memory: {name}", flush=True)
        report = run_child(name, data.path)
        if name == "dumps":
            held_mb = (report["held_kb"] - baseline_kb) * KB_TO_MB
            if report["reset"]:
                row.peak_mb = _above(report["peak_kb"], report["before_kb"])
                row.note = (
                    f"* writer: peak above the RSS with the articles already held "
                    f"(holding them costs {held_mb:.0f} MB above baseline)"
                )
            else:
                row.peak_mb = _above(report["peak_kb"], baseline_kb)
                row.note = f"* writer: includes the held articles ({held_mb:.0f} MB)"
            notes.append(row.note)
        else:
            row.peak_mb = _above(report["peak_kb"], baseline_kb)
    return baseline_kb * KB_TO_MB, notes


def memory_test(gigabytes: float, tmp: Path, *, synthetic: bool, seed: int) -> dict[str, Any]:
    target = int(gigabytes * 1_000_000_000)
    print(f"\nMemory test: building a {gigabytes:g} GB input ...", flush=True)
    data = build_input(tmp / f"memory-{gigabytes:g}gb.txt", target, synthetic=synthetic, seed=seed)
    print(
        f"  {data.size / MB:,.0f} MB, {data.records:,} records; parsing in a subprocess ...",
        flush=True,
    )
    baseline_kb = run_child("baseline", data.path)["peak_kb"]
    start = time.perf_counter()
    report = run_child("parse", data.path)
    elapsed = time.perf_counter() - start
    above = _above(report["peak_kb"], baseline_kb)
    result = {
        "size_bytes": data.size,
        "records": report["records"],
        "seconds": elapsed,
        "baseline_mb": baseline_kb * KB_TO_MB,
        "peak_above_baseline_mb": above,
        "target_mb": MEMORY_TARGET_MB,
        "met": above < MEMORY_TARGET_MB,
    }
    print(
        f"  medline_parse.parse on {data.size / MB:,.0f} MB ({report['records']:,} records, "
        f"{elapsed:.1f} s incl. start-up): peak {above:.1f} MB above the interpreter's own "
        f"{baseline_kb * KB_TO_MB:.1f} MB; target < {MEMORY_TARGET_MB:.0f} MB: "
        + ("met" if result["met"] else "NOT met")
    )
    data.path.unlink()
    return result


def article_counts(article: Any) -> int:
    """What the parallel rows compute in the workers (module level, so it pickles)."""
    return len(article.authors) + len(article.mesh) + len(article.history)


def split_input(data: Input, folder: Path, files: int) -> list[Path]:
    """Cut the input into *files* files of about equal size, at record boundaries."""
    folder.mkdir(exist_ok=True)
    text = data.path.read_bytes()
    paths: list[Path] = []
    start = 0
    for number in range(files):
        end = (
            len(text)
            if number == files - 1
            else text.find(b"\n\nPMID- ", (len(text) * (number + 1)) // files)
        )
        end = len(text) if end < 0 else end + 2
        path = folder / f"part-{number:03d}.txt"
        path.write_bytes(text[start:end])
        paths.append(path)
        start = end
        if start >= len(text):
            break
    return paths


def parallel_test(data: Input, tmp: Path, files: int, repeat: int) -> dict[str, Any]:
    """Time parse_many on the input cut into files: one worker, then every usable core."""
    import medline_parse

    paths = split_input(data, tmp / "parallel", files)
    cores = machine_info()["usable_cores"] or 1
    modes: list[tuple[str, int, Any]] = [
        ("parse_many, transform in workers", 1, article_counts),
        ("parse_many, transform in workers", cores, article_counts),
        ("parse_many, articles", cores, None),
    ]
    print(f"\nParallel: {len(paths)} files, {cores} usable cores ...", flush=True)
    times: list[list[float]] = [[] for _ in modes]
    caller: list[list[float]] = [[] for _ in modes]  # CPU time of this (the calling) process
    serial: list[float] = []  # CPU time of parsing the same files here, one after the other
    for round_no in range(1, repeat + 1):
        line = []
        gc.collect()
        cpu = time.process_time()
        for path in paths:
            for article in medline_parse.parse(path):
                article_counts(article)
        serial.append(time.process_time() - cpu)
        for index, (_, workers, transform) in enumerate(modes):
            gc.collect()
            start = time.perf_counter()
            cpu = time.process_time()
            for result in medline_parse.parse_many(paths, workers=workers, transform=transform):
                if transform is None:
                    article_counts(result)
            caller[index].append(time.process_time() - cpu)
            elapsed = time.perf_counter() - start
            times[index].append(elapsed)
            line.append(f"{workers} worker(s) {elapsed:.2f}s")
        print(f"  round {round_no}/{repeat}: " + ", ".join(line), flush=True)
    one = statistics.median(times[0])
    parse_cpu = statistics.median(serial)
    rows = []
    print(f"\nserial parse in this process: {parse_cpu:.2f} s CPU (median)")
    print(f"{'mode':<34} {'workers':>7} {'median s':>9} {'speed-up':>9} {'caller CPU':>11}")
    for (label, workers, _), measured, spent in zip(modes, times, caller):
        median = statistics.median(measured)
        share = statistics.median(spent) / parse_cpu if workers > 1 else float("nan")
        rows.append({"mode": label, "workers": workers, "times": measured, "median": median,
                     "speedup": one / median, "caller_cpu": spent,
                     "caller_share": share})  # fmt: skip
        shown = f"{share:>10.2f}x" if workers > 1 else f"{'-':>11}"
        print(f"{label:<34} {workers:>7} {median:>9.2f} {one / median:>8.2f}x {shown}")
    print(
        "speed-up: one worker's median time / this row's.  'transform in workers': a function "
        "runs on each article where it is parsed, its result comes back; 'articles': the "
        "workers parse, the articles come back pickled.  caller CPU: the calling process's CPU "
        "time over a serial parse's; the speed-up parse_many can reach on any number of cores "
        "is about its inverse."
    )
    return {"files": len(paths), "cores": cores, "rows": rows, "serial_parse_cpu": serial}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Time medline-parse against Biopython and a plain line loop.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--size-mb", type=float, default=100.0, help="input size, MB (10^6 B)")
    parser.add_argument("--repeat", type=int, default=3, help="timing rounds")
    parser.add_argument(
        "--only",
        default=",".join(CONTENDERS),
        help="comma-separated contenders, from: " + ", ".join(CONTENDERS),
    )
    parser.add_argument(
        "--memory-gb",
        type=float,
        default=None,
        help="also build an input of this many GB and report parse's peak memory on it",
    )
    parser.add_argument("--json", type=Path, default=None, metavar="OUT", help="write results")
    parser.add_argument(
        "--synthetic", action="store_true", help="use synth.py even when the corpus is there"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic generator")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory column")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="time with the wall clock or with the process's CPU time (steadier on a loaded machine)",
    )
    parser.add_argument(
        "--parallel",
        type=int,
        default=0,
        metavar="FILES",
        help="also cut the input into FILES files and time parse_many on 1 and on all cores",
    )
    parser.add_argument("--child", nargs=2, metavar=("NAME", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is None:
        names = [n.strip() for n in args.only.replace(" ", ",").split(",") if n.strip()]
        unknown = sorted(set(names) - set(CONTENDERS))
        if unknown or not names:
            parser.error(f"--only: unknown {unknown}; choose from {', '.join(CONTENDERS)}")
        args.names = [n for n in CONTENDERS if n in names]
        if args.repeat < 1 or args.size_mb <= 0:
            parser.error("--repeat must be >= 1 and --size-mb > 0")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child is not None:
        return child_main(args.child[0], Path(args.child[1]))

    names: list[str] = args.names
    skipped: list[str] = []
    if "biopython" in names and not have_biopython():
        names.remove("biopython")
        skipped.append(NO_BIOPYTHON)
    machine = machine_info()
    results: dict[str, Any] = {"machine": machine, "repeat": args.repeat}

    with tempfile.TemporaryDirectory(prefix="medline-bench-") as tmpdir:
        tmp = Path(tmpdir)
        print("Building the input ...", flush=True)
        data = build_input(
            tmp / "input.txt", int(args.size_mb * MB), synthetic=args.synthetic, seed=args.seed
        )
        print()
        print(f"CPU:            {machine['cpu']}")
        print(f"cores:          {machine['cores']} ({machine['usable_cores']} usable)")
        print(f"Python:         {machine['python']} ({machine['platform']})")
        build = "compiled (Cython kernels)" if machine["compiled"] else "pure Python"
        print(f"medline-parse:  {machine['medline_parse']} ({build})")
        print(f"Biopython:      {machine['biopython'] or 'not installed'}")
        print(f"input:          {data.size / MB:.1f} MB, {data.records:,} records (PMID lines)")
        print(f"                from {data.source}")
        print(f"rounds:         {args.repeat}, contenders alternating within each round")
        print(f"clock:          {'CPU time of this process' if args.clock == 'cpu' else 'wall'}")
        print("note:           shared machine (other jobs may be running): compare ratios")
        print(flush=True)

        articles = None
        if "dumps" in names:
            print("Parsing the articles for the writer (not timed) ...", flush=True)
            articles = load_articles(data.path)
        rows = time_rounds(names, data, args.repeat, articles, CLOCKS[args.clock])
        del articles
        gc.unfreeze()
        gc.collect()

        baseline_mb: float | None = None
        notes: list[str] = []
        if not args.no_memory:
            baseline_mb, notes = measure_memory(rows, data)

        print()
        print(TABLE_HEADER)
        print("-" * len(TABLE_HEADER))
        for row in rows.values():
            print(format_row(row))
        for message in skipped:
            print(message)
        print()
        print(
            "seconds: median of the rounds (best also shown); MB/s: input MB (10^6 B) per second; "
            "x Bio: median time / Biopython's (lower is better)."
        )
        if baseline_mb is not None:
            print(
                f"peak MB: peak RSS of a fresh process running the contender once, above "
                f"the {baseline_mb:.1f} MB of one that only imports the modules."
            )
        if "lines" in rows:
            print("for line in open(...): records is the input's count (the loop does not split).")
        for note in notes:
            print(note)

        results.update(
            input={"size_bytes": data.size, "records": data.records, "source": data.source},
            baseline_mb=baseline_mb,
            contenders=[asdict(row) for row in rows.values()],
            skipped=skipped,
        )
        if args.parallel:
            results["parallel"] = parallel_test(data, tmp, args.parallel, args.repeat)
        if args.memory_gb:
            results["memory_test"] = memory_test(
                args.memory_gb, tmp, synthetic=args.synthetic, seed=args.seed
            )

    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        print(f"\nresults written to {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
