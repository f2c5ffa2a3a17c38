"""Edit a record with attrs.evolve, write the file back, read it again and show what changed.

Articles are immutable: ``attrs.evolve`` makes a changed copy.  Here the first record of the
sample gets an ORCID iD for its second author and one more MeSH heading; the whole file is written
to a temporary directory, read back, and the changed lines are shown as a diff.  Everything that
was not edited comes back byte for byte.

    python examples/edit_and_write.py [FILE]
"""

from __future__ import annotations

import difflib
import sys
import tempfile
from pathlib import Path

import attrs

from medline_parse import AuthorIdentifier, MeshHeading, parse, write

SAMPLE = Path(__file__).resolve().parent / "data" / "sample.txt"
NEW_ORCID = "0000-0002-1825-0097"


def main(path: str | Path = SAMPLE) -> None:
    articles = list(parse(path))
    article = articles[0]

    # Nested values are edited from the inside out: the author, then the article that holds it.
    author = article.authors[1]
    author = attrs.evolve(
        author, identifiers=(*author.identifiers, AuthorIdentifier(NEW_ORCID, "ORCID"))
    )
    edited = attrs.evolve(
        article,
        authors=(*article.authors[:1], author, *article.authors[2:]),
        mesh=(*article.mesh, MeshHeading("Pandemics", major=True)),
    )

    with tempfile.TemporaryDirectory() as directory:
        target = Path(directory) / "edited.txt"
        count = write([edited, *articles[1:]], target)
        print(f"wrote {count} records to a temporary file")
        again = list(parse(target))
        original_text = Path(path).read_text(encoding="utf-8")
        written_text = target.read_text(encoding="utf-8")

    print(f"read back {len(again)} records")
    print("edited record equal after the round trip:", again[0] == edited)
    print("other records unchanged:", again[1:] == articles[1:])
    print(f"ORCID of {again[0].authors[1].display_name}: {again[0].authors[1].orcid}")
    print("last MeSH heading:", again[0].mesh[-1])
    diff = list(
        difflib.unified_diff(
            original_text.splitlines(),
            written_text.splitlines(),
            "original",
            "written",
            n=1,
            lineterm="",
        )
    )
    added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
    removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
    print(f"lines added: {added}, lines removed: {removed}; every other line is unchanged")
    print()
    for line in diff:
        print(line)


if __name__ == "__main__":
    main(*sys.argv[1:2])
