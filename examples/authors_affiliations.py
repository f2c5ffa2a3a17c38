"""Authors, their ORCID iDs and their affiliations, one row per author and affiliation.

In MEDLINE each author's AUID and AD lines follow the author's name; medline-parse keeps them on
the author, so no counting of lines is needed to pair authors with affiliations.

    python examples/authors_affiliations.py [FILE]

FILE defaults to the fictional sample export beside this script.  The output is tab-separated:
PMID, position in the author list, name, ORCID iD (or -), affiliation (or -).
"""

from __future__ import annotations

import sys
from pathlib import Path

from medline_parse import parse

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.txt"


def main(path: str | Path = SAMPLE) -> None:
    print("pmid", "position", "author", "orcid", "affiliation", sep="\t")
    for article in parse(path):
        for position, author in enumerate(article.authors, 1):
            name = author.display_name
            if author.is_collective:
                name += " (group)"
            for affiliation in author.affiliations or ("-",):
                print(article.pmid, position, name, author.orcid or "-", affiliation, sep="\t")


if __name__ == "__main__":
    main(*sys.argv[1:2])
