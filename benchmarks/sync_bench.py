"""How fast ``medline sync`` applies PubMed-like files, how big the database gets, and how much
memory it takes.

It writes fictional files shaped like NLM's (``tests/pubmed_files.py``): a baseline of
``pubmed25nNNNN.xml.gz`` files of new records, then update files that revise earlier records
(60%), add new ones, bring some in a second version, re-issue some in an older one, and delete
some (2% of their records).  They are synced into a new database in a child process, which reports
each file's time and its resident memory after it; the parent prints the rates (all files, the
first and the last baseline files: does the database keep its speed as it grows?), the database's
size per million articles held, and the peak memory.

Usage: ``python benchmarks/sync_bench.py`` (1,000,000 records), ``--records 100000`` for a
quicker run, ``--json OUT`` for the figures as JSON.  The files and the database are written to a
temporary folder (``$TMPDIR``, or ``--dir``) and removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _memory(field: str) -> int | None:
    """A ``/proc/self/status`` figure in bytes (Linux), or None."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _child(db: str, files: list[str]) -> int:
    """Sync *files* into *db* and print what happened as JSON (run in a fresh process)."""
    from medline_parse.store import SyncProgress, sync

    rss: list[int | None] = []
    cpu: list[float] = []
    seen = [0]

    def progress(where: SyncProgress) -> None:
        if where.files_done > seen[0]:
            seen[0] = where.files_done
            rss.append(_memory("VmRSS"))
            cpu.append(time.process_time())

    started = time.perf_counter()
    cpu_started = time.process_time()
    summary = sync(db, files, progress=progress)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    cpu = [b - a for a, b in zip([cpu_started, *cpu], cpu)]
    report = {
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "articles": summary.articles,
        "peak_rss": _memory("VmHWM"),
        "files": [
            {
                "name": f.name,
                "records": f.records,
                "deletions": f.deletions,
                "added": f.added,
                "replaced": f.replaced,
                "older": f.older,
                "deleted": f.deleted,
                "absent": f.absent,
                "seconds": f.seconds,
                "cpu_seconds": cpu[i] if i < len(cpu) else None,
                "rss": rss[i] if i < len(rss) else None,
            }
            for i, f in enumerate(summary.files)
        ],
    }
    print(json.dumps(report))
    return 0


def _parse_only(path: str) -> int:
    """Read one file's events without a database (the reader's share of the time)."""
    import medline_parse

    started = time.perf_counter()
    cpu_started = time.process_time()
    count = sum(1 for _ in medline_parse.iter_events(path))
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    print(json.dumps({"events": count, "seconds": seconds, "cpu_seconds": cpu_seconds}))
    return 0


def _generate(folder: Path, args: argparse.Namespace) -> tuple[list[Path], int]:
    """The files written (in NLM's order) and how many of them are the baseline."""
    sys.path.insert(0, str(ROOT))
    from tests.pubmed_files import baseline_and_updates, write_pubmed_file

    baseline = round(args.records * args.baseline_share)
    base_files = max(1, round(baseline / args.baseline_file_records))
    update_files = max(1, round((args.records - baseline) / args.update_file_records))
    paths = []
    for name, events in baseline_and_updates(
        seed=args.seed,
        baseline_files=base_files,
        baseline_records=max(1, baseline // base_files),
        update_files=update_files,
        update_records=args.update_file_records,
        new_versions=0.002,
        older_versions=0.001,
        deletions=0.02,
    ):
        paths.append(write_pubmed_file(folder / name, events))
        if sys.stderr.isatty():
            print(
                f"\rgenerated {len(paths)}/{base_files + update_files} files",
                end="",
                file=sys.stderr,
            )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return paths, base_files


def _files(folder: Path, args: argparse.Namespace) -> tuple[list[Path], int]:
    """The input files: generated into *folder*, or into ``--files`` once and reused."""
    if args.files is None:
        return _generate(folder, args)
    where = Path(args.files)
    where.mkdir(parents=True, exist_ok=True)
    options = {k: getattr(args, k) for k in ("records", "baseline_share", "seed")}
    options["baseline_file_records"] = args.baseline_file_records
    options["update_file_records"] = args.update_file_records
    manifest = where / "manifest.json"
    if manifest.exists():
        saved = json.loads(manifest.read_text())
        if saved["options"] == options:
            return [where / name for name in saved["files"]], saved["baseline_files"]
    paths, base_files = _generate(where, args)
    manifest.write_text(
        json.dumps(
            {"options": options, "files": [p.name for p in paths], "baseline_files": base_files}
        )
    )
    return paths, base_files


def _sync_child(db: Path, paths: list[Path]) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", str(db), *map(str, paths)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    report: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return report


def _rate(files: list[dict[str, Any]], clock: str = "seconds") -> float:
    """Records and deleted PMIDs per second of *clock* (``seconds``: wall, ``cpu_seconds``)."""
    seconds = sum(f[clock] or 0 for f in files)
    events = sum(f["records"] + f["deletions"] for f in files)
    return events / seconds if seconds else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000, help="records in all (1M)")
    parser.add_argument(
        "--baseline-share", type=float, default=0.8, help="share of them in the baseline (0.8)"
    )
    parser.add_argument(
        "--baseline-file-records", type=int, default=30_000, help="records per baseline file"
    )
    parser.add_argument(
        "--update-file-records", type=int, default=5_000, help="records per update file"
    )
    parser.add_argument(
        "--daily",
        type=int,
        default=3,
        metavar="N",
        help="apply the last N update files in a second run, as daily updates of the full "
        "database (3)",
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dir", help="folder for the files and the database ($TMPDIR)")
    parser.add_argument("--keep", action="store_true", help="keep the files and the database")
    parser.add_argument(
        "--files",
        metavar="DIR",
        help="generate the files into DIR and keep them there, or use the ones a run with the "
        "same options left there (to time two builds on the same input)",
    )
    parser.add_argument("--json", metavar="OUT", help="write the figures as JSON")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--parse-only", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child[0], args.child[1:])
    if args.parse_only:
        return _parse_only(args.parse_only)

    folder = Path(tempfile.mkdtemp(prefix="sync-bench-", dir=args.dir))
    try:
        started = time.perf_counter()
        paths, base_files = _files(folder, args)
        generated = time.perf_counter() - started
        size = sum(p.stat().st_size for p in paths)
        print(f"{len(paths)} files, {size / 1e6:,.0f} MB gzip, written in {generated:,.0f} s")
        db = folder / "pubmed.db"
        daily = min(args.daily, max(0, len(paths) - base_files - 1))
        first_run = paths[: len(paths) - daily]
        report = _sync_child(db, first_run)
        later = _sync_child(db, paths[len(paths) - daily :]) if daily else None
        parse_only = json.loads(
            subprocess.run(
                [sys.executable, __file__, "--parse-only", str(paths[0])],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        db_bytes = sum(
            Path(str(db) + suffix).stat().st_size
            for suffix in ("", "-wal")
            if Path(str(db) + suffix).exists()
        )
        files = report["files"]
        baseline, updates = files[:base_files], files[base_files:]
        later_files = later["files"] if later else []
        every = files + later_files
        third = max(1, len(baseline) // 3)
        records = sum(f["records"] + f["deletions"] for f in files)  # the first run's
        rss = [f["rss"] for f in files if f["rss"]]
        figures = {
            "machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
            },
            "files": len(every),
            "input_bytes": size,
            "records": sum(f["records"] for f in every),
            "deleted_pmids": sum(f["deletions"] for f in every),
            "added": sum(f["added"] for f in every),
            "replaced": sum(f["replaced"] for f in every),
            "older": sum(f["older"] for f in every),
            "deleted": sum(f["deleted"] for f in every),
            "articles": later["articles"] if later else report["articles"],
            "seconds": report["seconds"],
            "cpu_seconds": report["cpu_seconds"],
            "end_seconds": report["seconds"] - sum(f["seconds"] for f in files),
            "records_per_s": records / report["seconds"],
            "records_per_cpu_s": records / report["cpu_seconds"],
            "first_baseline_per_s": _rate(baseline[:third]),
            "last_baseline_per_s": _rate(baseline[-third:]),
            "updates_per_s": _rate(updates),
            "first_baseline_per_cpu_s": _rate(baseline[:third], "cpu_seconds"),
            "last_baseline_per_cpu_s": _rate(baseline[-third:], "cpu_seconds"),
            "updates_per_cpu_s": _rate(updates, "cpu_seconds"),
            "parse_only_per_s": parse_only["events"] / parse_only["seconds"],
            "parse_only_per_cpu_s": parse_only["events"] / parse_only["cpu_seconds"],
            "db_bytes": db_bytes,
            "db_bytes_per_million_articles": db_bytes / report["articles"] * 1e6,
            "peak_rss": report["peak_rss"],
            "rss_after_first_file": rss[0] if rss else None,
            "rss_after_last_file": rss[-1] if rss else None,
            "daily_files": len(later_files),
            "daily_records": sum(f["records"] + f["deletions"] for f in later_files),
            "daily_per_s": _rate(later_files),
            "daily_per_cpu_s": _rate(later_files, "cpu_seconds"),
            "daily_seconds": later["seconds"] if later else None,
        }
        mb = 1e6
        print(
            f"records      {figures['records']:,} in {len(every)} files "
            f"({figures['added']:,} added, {figures['replaced']:,} replaced, "
            f"{figures['older']:,} older ignored, {figures['deleted']:,} deleted)"
        )
        print(f"articles     {figures['articles']:,} held at the end")
        print(
            f"first run    {len(files)} files into the new database (its secondary indexes "
            "built at its end)"
        )
        print(
            f"time         {figures['seconds']:,.0f} s: {figures['records_per_s']:,.0f} records/s "
            f"(CPU {figures['cpu_seconds']:,.0f} s: {figures['records_per_cpu_s']:,.0f}/s); "
            f"reading alone {figures['parse_only_per_s']:,.0f}/s "
            f"(CPU {figures['parse_only_per_cpu_s']:,.0f}/s)"
        )
        print(
            f"as it grows  records/s (per CPU second): first {third} baseline files "
            f"{figures['first_baseline_per_s']:,.0f} ({figures['first_baseline_per_cpu_s']:,.0f}), "
            f"last {third} {figures['last_baseline_per_s']:,.0f} "
            f"({figures['last_baseline_per_cpu_s']:,.0f}), update files "
            f"{figures['updates_per_s']:,.0f} ({figures['updates_per_cpu_s']:,.0f})"
        )
        print(
            f"at its end   {figures['end_seconds']:,.0f} s to build the indexes, analyse and "
            "checkpoint"
        )
        if later_files:
            print(
                f"daily run    {len(later_files)} more update files on the full database, "
                f"indexes in place: {figures['daily_per_s']:,.0f} records/s "
                f"({figures['daily_per_cpu_s']:,.0f} per CPU second), "
                f"{figures['daily_seconds']:,.1f} s in all"
            )
        print(
            f"database     {db_bytes / mb:,.0f} MB, "
            f"{figures['db_bytes_per_million_articles'] / 1e9:,.2f} GB per million articles"
        )
        if figures["peak_rss"]:
            first = figures["rss_after_first_file"] or 0
            last = figures["rss_after_last_file"] or 0
            print(
                f"memory       peak {figures['peak_rss'] / mb:,.0f} MB; resident "
                f"{first / mb:,.0f} MB after the first file, {last / mb:,.0f} MB after the last"
            )
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2) + "\n")
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
