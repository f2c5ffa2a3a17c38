"""MeSH descriptor counts across a file, major topics marked.

A heading is a major topic when its descriptor or any of its qualifiers is starred
(``*Asthma/drug therapy`` or ``Respiratory Sounds/*drug effects``).

    python examples/mesh_summary.py [FILE]

Prints one line per descriptor, most frequent first: how many records have it, how many of them
as a major topic (``*N``), and the descriptor.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from medline_parse import parse

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.txt"


def main(path: str | Path = SAMPLE) -> None:
    records = 0
    indexed = 0
    total: Counter[str] = Counter()
    major: Counter[str] = Counter()
    for article in parse(path):
        records += 1
        if article.mesh:
            indexed += 1
        for heading in article.mesh:
            total[heading.descriptor] += 1
            if heading.is_major:
                major[heading.descriptor] += 1
    print(f"{records} records, {indexed} with MeSH headings, {len(total)} descriptors")
    for descriptor, count in sorted(total.items(), key=lambda item: (-item[1], item[0])):
        mark = f"*{major[descriptor]}" if major[descriptor] else ""
        print(f"{count:4} {mark:>3}  {descriptor}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
