"""How reading a line of collapsed records grows with the line's length (it must grow linearly).

Records whose line breaks were lost (pasted through a spreadsheet cell or a web form) stand on one
line, and such a line may hold up to 16 Mi characters (``sources.MAX_LINE_LENGTH``).  This script
writes fictional collapsed records (``PMID- N OWN - NLM TI - ... AU - ... LA - eng``) onto one line
of each size asked for, reads it with ``iter_records`` and prints the CPU time, the time per MB
and that figure over the smallest line's: about 1 when reading is linear in the line's length,
about the size ratio when it is quadratic (it was, before the collapsed-record note stopped
copying the rest of the line's fields at each PMID).

    python benchmarks/collapsed_bench.py                      # lines of 1, 2, 4 and 8 MB
    python benchmarks/collapsed_bench.py --sizes-mb 0.5,16 --repeat 1

Times are CPU time of this process (``time.process_time``), best of ``--repeat`` rounds.
"""

from __future__ import annotations

import argparse
import io
import platform
import sys
import time

import medline_parse

MB = 1_000_000


def collapsed_line(size: int) -> tuple[str, int]:
    """A line of at least *size* characters of collapsed fictional records, and how many."""
    parts: list[str] = []
    length = count = 0
    while length < size:
        number = 99000001 + count
        part = f"PMID- {number} OWN - NLM TI - A title - number {count} AU - Doe J LA - eng "
        parts.append(part)
        length += len(part)
        count += 1
    return "".join(parts).rstrip(" ") + "\n", count


def time_read(line: str, repeat: int) -> tuple[float, int]:
    """The best CPU time of reading *line* with ``iter_records``, and the records it gave."""
    best = float("inf")
    records = 0
    for _ in range(repeat):
        start = time.process_time()
        records = sum(1 for _ in medline_parse.iter_records(io.StringIO(line)))
        best = min(best, time.process_time() - start)
    return best, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--sizes-mb", default="1,2,4,8", help="comma-separated line sizes in MB")
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is shown")
    args = parser.parse_args(argv)
    try:
        sizes = sorted(float(size) for size in args.sizes_mb.split(","))
    except ValueError:
        parser.error(f"--sizes-mb: not a list of numbers: {args.sizes_mb!r}")
    if not sizes or sizes[0] <= 0 or args.repeat < 1:
        parser.error("sizes must be positive and --repeat at least 1")

    print(f"Python: {platform.python_version()}, medline-parse {medline_parse.__version__}")
    print(f"compiled kernels: {medline_parse.COMPILED}")
    print(f"{'line MB':>8} {'records':>9} {'cpu s':>8} {'s/MB':>8} {'x smallest':>11}")
    first: float | None = None
    for size in sizes:
        line, count = collapsed_line(int(size * MB))
        seconds, records = time_read(line, args.repeat)
        if records != count:
            print(f"expected {count} records, read {records}", file=sys.stderr)
            return 1
        per_mb = seconds / (len(line) / MB)
        first = per_mb if first is None else first
        ratio = per_mb / first if first else float("nan")
        print(f"{len(line) / MB:>8.2f} {records:>9} {seconds:>8.3f} {per_mb:>8.3f} {ratio:>11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
