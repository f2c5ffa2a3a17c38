"""Stream a large MEDLINE file with flat memory.

Builds two files in a temporary directory by repeating the sample export with new PMIDs (one four
times the size of the other), streams each with ``parse``, and reports the record count and the
peak memory that ``tracemalloc`` measured while parsing.  The peak is about the same for both: it
depends on the reader's block size, not on the size of the file, because only one article is held
at a time.

    python examples/stream_large.py [--copies N]

``--copies`` is how many times the sample is repeated in the smaller file (default 50, about 2.6 MB).
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
import tracemalloc
from pathlib import Path

from medline_parse import parse

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.txt"
_PMID_LINE = re.compile(r"^PMID- (\d+)", re.MULTILINE)


def build(target: Path, copies: int) -> int:
    """Write *copies* of the sample to *target*, each copy with new PMIDs; return the records."""
    text = SAMPLE.read_text(encoding="utf-8").rstrip("\n")
    records = len(_PMID_LINE.findall(text))
    with target.open("w", encoding="utf-8", newline="\n") as out:
        for copy in range(copies):
            base = 10_000_000 + copy * 1000

            def renumber(match: re.Match[str], base: int = base) -> str:
                return f"PMID- {base + int(match[1]) % 1000}"

            out.write(("\n\n" if copy else "") + _PMID_LINE.sub(renumber, text))
        out.write("\n")
    return records * copies


def stream(path: Path) -> tuple[int, int, float]:
    """Parse *path* one article at a time; return the count, the peak bytes and the seconds."""
    tracemalloc.start()
    started = time.perf_counter()
    count = 0
    pmids = set()
    for article in parse(path):
        count += 1
        pmids.add(article.pmid)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if len(pmids) != count:
        raise SystemExit(f"{path}: PMIDs are not unique")
    return count, peak, seconds


def main(copies: int = 50) -> None:
    with tempfile.TemporaryDirectory() as directory:
        for factor in (1, 4):
            path = Path(directory) / f"large-{factor}.txt"
            expected = build(path, copies * factor)
            size = path.stat().st_size
            count, peak, seconds = stream(path)
            assert count == expected, (count, expected)
            print(
                f"{path.name}: {size / 1e6:.1f} MB, {count} records, "
                f"peak memory {peak / 1e6:.1f} MB, {seconds:.1f} s"
            )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=50, help="sample copies in the smaller file")
    main(parser.parse_args().copies)
